// Values of the abstract interpreter. Python's common scalars map to JS primitives
// (None → null, bool → boolean, int → number, str → string); everything else is an object
// below. `Unknown` is a value like any other: it flows through operations and keeps its reason.
import type { ClassDef, FunctionDef, Expr, Param } from '../python/ast';
import type { Poly } from './symbolic';
import type { Scope } from './scope';
import type { ModuleContext } from './moduleContext';
import type { InstanceAttrHooks } from './hooks';

export type Value =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | SymInt
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyRange
  | PySlice
  | PyEllipsis
  | PyFunction
  | PyBuiltin
  | PyBoundMethod
  | PyClass
  | PyInstance
  | PyModule
  | PyPartial
  | PyProperty
  | PyStaticMethod
  | PyClassMethod
  | PyIterator
  | PyDtype
  | PySuper
  | ForeignValue
  | Unknown;

/**
 * A value whose Python behaviour lives outside the language core (torch's tensor): operators,
 * attributes, items, iteration, truth, len() and int()/float() go through the interpreter's
 * `ForeignSemantics` hook (hooks.ts).
 */
export abstract class ForeignValue {
  abstract readonly kind: string;
  /** Makes the type nominal: a PyDict or PyList is never mistaken for one. */
  declare private readonly foreignBrand: never;
}

export class PyFloat {
  readonly kind = 'float';
  constructor(readonly v: number) {}
}

/** A symbolic int: a tensor dimension such as B or T, or a product of them. */
export class SymInt {
  readonly kind = 'symint';
  constructor(readonly poly: Poly) {}
}

export class PyList {
  readonly kind = 'list';
  /** Set for collections.deque, with its bound (null: unbounded); 'dict_keys' for a dict's keys() (set operators apply). */
  typeName?: 'deque' | 'dict_keys';
  maxlen?: number | null;
  constructor(public items: Value[]) {}
}

export class PyTuple {
  readonly kind = 'tuple';
  /** Set for namedtuple instances and torch.Size. */
  fields?: readonly string[];
  typeName?: string;
  constructor(readonly items: readonly Value[]) {}
}

export class PyDict {
  readonly kind = 'dict';
  /** Key identity → [key, value], in insertion order. */
  readonly entries = new Map<unknown, [Value, Value]>();
  /** 'OrderedDict' or 'defaultdict' when made by collections. */
  typeName = 'dict';
  defaultFactory?: Value;
  get(key: Value): Value | undefined {
    return this.entries.get(hashKey(key))?.[1];
  }
  /** Set once a key was Unknown: a key not found may still be that one. */
  unknownKey?: Unknown;
  set(key: Value, value: Value): void {
    // unknown keys never collide: {Image.NEAREST: 'nearest', Image.BILINEAR: 'bilinear'} keeps both entries
    if (key instanceof Unknown) {
      this.unknownKey ??= key;
      this.entries.set(Symbol('unknown key'), [key, value]);
      return;
    }
    // an equal key already present stays (d[1.0] = x keeps the key 1), as in Python
    const h = hashKey(key);
    const entry = this.entries.get(h);
    if (entry) entry[1] = value;
    else this.entries.set(h, [key, value]);
  }
  delete(key: Value): boolean {
    return this.entries.delete(hashKey(key));
  }
  has(key: Value): boolean {
    return this.entries.has(hashKey(key));
  }
  // one pass over the entries, no intermediate array: the report reads every module's registries
  keys(): Value[] {
    const out: Value[] = [];
    for (const entry of this.entries.values()) out.push(entry[0]);
    return out;
  }
  values(): Value[] {
    const out: Value[] = [];
    for (const entry of this.entries.values()) out.push(entry[1]);
    return out;
  }
  static of(pairs: [Value, Value][]): PyDict {
    const d = new PyDict();
    for (const [k, v] of pairs) d.set(k, v);
    return d;
  }
}

export class PySet {
  readonly kind = 'set';
  readonly entries = new Map<unknown, Value>();
  frozen = false;
  add(v: Value): void {
    this.entries.set(hashKey(v), v);
  }
  has(v: Value): boolean {
    return this.entries.has(hashKey(v));
  }
  items(): Value[] {
    return [...this.entries.values()];
  }
}

/** The value an enum member of an int or str mixin class (IntEnum, `class F(str, Enum)`) stands for. */
export function enumMixinValue(v: Value): Value | undefined {
  return v instanceof PyInstance ? (v.payload as { mixinValue?: Value } | undefined)?.mixinValue : undefined;
}

/** Python hashes equal ints, floats and bools alike; strings by value; objects by identity. */
export function hashKey(v: Value): unknown {
  // the common keys first: strings and ints are never enum members
  if (typeof v === 'string' || typeof v === 'number' || v === null) return v;
  const mixin = enumMixinValue(v);
  if (mixin !== undefined) return hashKey(mixin);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.v;
  if (v instanceof PyTuple) return `(${v.items.map((x) => keyString(hashKey(x))).join(',')})`;
  if (v instanceof SymInt) return `sym:${v.poly.toString()}`;
  return v;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function keyString(k: unknown): string {
  if (k !== null && typeof k === 'object') {
    let id = objectIds.get(k);
    if (id === undefined) objectIds.set(k, (id = nextObjectId++));
    return `#${id}`;
  }
  return typeof k === 'string' ? JSON.stringify(k) : String(k);
}

export class PyRange {
  readonly kind = 'range';
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}
  get length(): number {
    const n = Math.ceil((this.stop - this.start) / this.step);
    return Math.max(0, n);
  }
}

export class PySlice {
  readonly kind = 'slice';
  constructor(
    readonly lo: Value,
    readonly hi: Value,
    readonly step: Value,
  ) {}
}

export class PyEllipsis {
  readonly kind = 'ellipsis';
  static readonly instance = new PyEllipsis();
}

/** A def or lambda with its closure. */
export class PyFunction {
  readonly kind = 'function';
  /** Default values, evaluated once at definition time as Python does. */
  defaults = new Map<string, Value>();
  /** Attributes set on the function object (functools.wraps, registries). */
  attrs = new Map<string, Value>();
  /** The class whose body defined this function (for zero-argument super()). */
  definingClass?: PyClass;
  constructor(
    readonly name: string,
    readonly params: Param[],
    /** A lambda's expression; a def's statements are read from `def` (see `body`). */
    private readonly lambdaBody: Expr | undefined,
    readonly closure: Scope,
    readonly module: ModuleContext,
    readonly line: number,
    readonly isGenerator: boolean,
    readonly def?: FunctionDef,
  ) {}

  /** Read from the def when the function runs: the parse cache deserializes a body on first use (python/lazyBodies.ts). */
  get body(): FunctionDef['body'] | Expr {
    return this.def ? this.def.body : this.lambdaBody!;
  }
}

export interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
}

export type NativeFn = (args: CallArgs, ctx: import('./interpreter').Interpreter) => Value;

/** A function implemented in TypeScript (builtins, torch, catalogue entries). */
export class PyBuiltin {
  readonly kind = 'builtin';
  attrs?: Map<string, Value>;
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
  ) {}
}

export class PyBoundMethod {
  readonly kind = 'boundmethod';
  constructor(
    readonly self: Value,
    readonly fn: Value,
  ) {}
}

/** How a class implemented in TypeScript behaves (nn.Module, nn.Linear, Enum, ...). */
export interface NativeClassHooks {
  /** Creates the instance object before __init__ runs. */
  create?: (cls: PyClass, ctx: import('./interpreter').Interpreter) => PyInstance;
  /** Native methods, looked up like class attributes. */
  methods?: Record<string, NativeFn>;
}

/** Bumped by every change of any class's dict, MRO or native hooks: attribute lookups cached before it are stale. */
let classesVersion = 0;

/** A class's namespace: its writes invalidate every class's lookup cache. */
class ClassDict extends Map<string, Value> {
  override set(key: string, value: Value): this {
    classesVersion++;
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    classesVersion++;
    return super.delete(key);
  }
  override clear(): void {
    classesVersion++;
    super.clear();
  }
}

/** For a change `classesVersion` cannot see: a method added in place to a native class's hooks. */
export function classesChanged(): void {
  classesVersion++;
}

const MISSING = Symbol('missing');

export class PyClass {
  readonly kind = 'class';
  readonly dict: Map<string, Value> = new ClassDict();
  private mroList: PyClass[] = [];
  private nativeHooks?: NativeClassHooks;
  /** What `lookup` found (MISSING: nothing) while `classesVersion` was `lookupsVersion`. */
  private lookups?: Map<string, Value | typeof MISSING>;
  private lookupsVersion = -1;
  /** Attribute behaviour an outside layer gives to instances of this class and its subclasses. */
  attrHooks?: InstanceAttrHooks;
  /** Set by @dataclass: field names in order with their defaults. */
  dataclassFields?: { name: string; default?: Value; factory?: Value }[];
  /** Classes defined in Python with this one as a direct base, in definition order (type.__subclasses__). */
  subclasses?: PyClass[];
  /** The source that defined it (user classes). */
  def?: ClassDef;
  /** Set when a base class could not be resolved: missing attributes are then unknown, not errors. */
  unknownBase?: string;
  file?: string;
  constructor(
    readonly name: string,
    readonly bases: PyClass[],
    native?: NativeClassHooks,
    /** For catalogue layers: the layer type name ("Linear"). */
    readonly layerType?: string,
  ) {
    this.nativeHooks = native;
  }

  get mro(): PyClass[] {
    return this.mroList;
  }

  set mro(mro: PyClass[]) {
    classesVersion++;
    this.mroList = mro;
  }

  get native(): NativeClassHooks | undefined {
    return this.nativeHooks;
  }

  set native(hooks: NativeClassHooks | undefined) {
    classesVersion++;
    this.nativeHooks = hooks;
  }

  /** The attribute along the MRO; cached per class until any class changes (a deep MRO costs a map lookup per class). */
  lookup(name: string): Value | undefined {
    if (this.lookupsVersion !== classesVersion) {
      this.lookups = new Map();
      this.lookupsVersion = classesVersion;
    } else {
      const hit = this.lookups!.get(name);
      if (hit !== undefined) return hit === MISSING ? undefined : hit;
    }
    const found = this.lookupAlongMro(name);
    this.lookups!.set(name, found === undefined ? MISSING : found);
    return found;
  }

  private lookupAlongMro(name: string): Value | undefined {
    for (const c of this.mro) {
      const v = c.dict.get(name);
      if (v !== undefined) return v;
      const m = c.native?.methods?.[name];
      if (m) return c.nativeMethod(name, m);
    }
    return undefined;
  }

  /** What `derived` computed while `classesVersion` was `derivedVersion`. */
  private derivedValues?: Map<string, unknown>;
  private derivedVersion = -1;

  /**
   * A fact about the class worked out from its MRO, dicts and native hooks (what builds an
   * instance, whether it is an exception), kept until any class changes, as `lookup` is.
   */
  derived<T>(key: string, compute: (cls: PyClass) => T): T {
    if (this.derivedVersion !== classesVersion) {
      this.derivedValues = new Map();
      this.derivedVersion = classesVersion;
    } else if (this.derivedValues!.has(key)) return this.derivedValues!.get(key) as T;
    const v = compute(this);
    // computing may itself change a class (a lazy native method): keep it only if nothing did
    if (this.derivedVersion === classesVersion) this.derivedValues!.set(key, v);
    return v;
  }

  private nativeMethods?: Map<string, PyBuiltin>;

  /** Native methods wrapped once per class, not on every attribute lookup. */
  nativeMethod(name: string, fn: NativeFn): PyBuiltin {
    this.nativeMethods ??= new Map();
    let b = this.nativeMethods.get(name);
    if (!b || b.fn !== fn) this.nativeMethods.set(name, (b = new PyBuiltin(`${this.name}.${name}`, fn)));
    return b;
  }

  /** The attribute hooks of the nearest class in the MRO that has them. */
  instanceAttrHooks(): InstanceAttrHooks | undefined {
    for (const c of this.mro) if (c.attrHooks) return c.attrHooks;
    return undefined;
  }

  unknownBaseReason(): string | undefined {
    for (const c of this.mro) if (c.unknownBase) return c.unknownBase;
    return undefined;
  }

  isSubclassOf(other: PyClass): boolean {
    return this.mro.includes(other);
  }
}

export class PyInstance {
  readonly kind = 'instance';
  readonly attrs = new Map<string, Value>();
  /** Native payload (e.g. the message of an exception, the value of an enum member). */
  payload?: unknown;
  constructor(readonly cls: PyClass) {}
}

/** Names of a module bound by deferred imports (lazy loading): resolved on first use. */
export interface LazyNames {
  resolve(name: string): Value | undefined;
  /** Every deferred import runs (a star import of the module, `dir`). */
  resolveAll(): void;
}

/** Set by the loader on the module of an import found nowhere (Interpreter.raiseIfGuardedAndMissing). */
export const NOT_FOUND = '__wattlens_not_found__';
/**
 * Set with NOT_FOUND when the module's parent is an installed package read from its `__init__.py`
 * whose folder has no such submodule: Python's import fails there for certain (ModuleNotFoundError).
 */
export const ABSENT_FROM_PACKAGE = '__wattlens_absent_from_package__';

export class PyModule {
  readonly kind = 'module';
  readonly attrs = new Map<string, Value>();
  lazy?: LazyNames;
  /** What the module put in `sys.modules[__name__]` in its place (transformers' `_LazyModule`): imports bind it. */
  replacedBy?: Value;
  constructor(
    readonly name: string,
    readonly file?: string,
  ) {}
}

export class PyPartial {
  readonly kind = 'partial';
  constructor(
    readonly fn: Value,
    readonly args: Value[],
    readonly keywords: Map<string, Value>,
    /** functools.partialmethod: found on a class through an instance, it binds that instance first. */
    readonly bindsSelf = false,
  ) {}
}

/** property(fget, fset, fdel): a data descriptor, so it wins over the instance dict on get, set and delete. */
export class PyProperty {
  readonly kind = 'property';
  constructor(
    readonly fget: Value,
    readonly fset: Value = null,
    readonly fdel: Value = null,
    readonly doc: Value = null,
  ) {}
  /** functools.cached_property: a non-data descriptor, so the instance dict wins and assignment writes there. */
  cached = false;
}

export class PyStaticMethod {
  readonly kind = 'staticmethod';
  constructor(readonly fn: Value) {}
}

export class PyClassMethod {
  readonly kind = 'classmethod';
  constructor(readonly fn: Value) {}
}

export class PyIterator {
  readonly kind = 'iterator';
  index = 0;
  constructor(readonly items: Value[]) {}
}

export class PyDtype {
  readonly kind = 'dtype';
  constructor(
    readonly name: string,
    readonly bytes: number,
    readonly isFloat: boolean,
    /** Whose dtype object Python code sees: torch.float32, or numpy's dtype('float32') (an ndarray's .dtype). */
    readonly library: 'torch' | 'numpy' = 'torch',
  ) {}
}

/** The object super() returns: attribute lookup starts after `start` in the MRO of `self`. */
export class PySuper {
  readonly kind = 'super';
  constructor(
    readonly start: PyClass,
    readonly self: Value,
  ) {}
}

/** Something the interpreter cannot know, and why. The first reason wins as it flows on. */
export class Unknown {
  readonly kind = 'unknown';
  /** The Python type the value is known to have when only its contents are unknown (a list too large to build): then it is no submodule. */
  pyType?: string;
  /** Set when the value stands for an API the analyzer does not model (see Interpreter.unmodelled). */
  unmodelled?: true;
  constructor(
    readonly reason: string,
    readonly file?: string,
    readonly line?: number,
  ) {}
}

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}

export function isInt(v: Value): v is number {
  return typeof v === 'number';
}

/** Python's type name of a value, for messages and type(). */
export function typeName(v: Value): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'int';
    case 'string':
      return 'str';
  }
  if (v instanceof PyInstance) return v.cls.name;
  if ((v instanceof PyTuple || v instanceof PyList) && v.typeName) return v.typeName;
  if (v instanceof PyDict) return v.typeName;
  return (v as { kind: string }).kind;
}
