// The abstract interpreter: runs the Python that model files use (module code, classes,
// functions, control flow) over abstract values. It never throws to its caller for bad
// input: Python errors become PyRaise, running out of steps becomes BudgetExceeded, and
// whatever it cannot know becomes an Unknown with a reason.
import { InstanceDict, replaceInstanceDict, sharedItems } from './instanceDict';
import type { Arg, ClassDef, CompClause, Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { bindArguments } from './callArgs';
import type { ForeignSemantics, ModuleLoader } from './hooks';
import type { ModuleContext } from './moduleContext';
import { asSymNum, numericValue, scalarBinary, scalarEquals, scalarOrder, typeUnion } from './operators';
import { floatRepr } from './floatText';
import { Scope } from './scope';
import { MAX_VALUE_ELEMENTS, MemoryBudget, elementCount, fitsOneValue, notMaterialised } from './memoryBudget';
import { BudgetExceeded, PyRaise, jsLimitError } from './signals';
import { Poly } from './symbolic';
import { unparse } from '../python/unparse';
import { unknownConditionAssumption } from './unknownCondition';
import {
  ForeignValue,
  ABSENT_FROM_PACKAGE,
  NOT_FOUND,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyClassMethod,
  PyDict,
  PyDtype,
  PyEllipsis,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PyModule,
  PyPartial,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PySuper,
  PyTuple,
  SymInt,
  Unknown,
  typeName,
  enumMixinValue,
  type CallArgs,
  type Value,
} from './values';

export interface InterpreterOptions {
  /** Maximum statements + calls evaluated before giving up with BudgetExceeded. */
  budget: number;
  /** Maximum call depth before RecursionError. */
  maxDepth: number;
  loader: ModuleLoader;
  /** Behaviour of foreign values (torch's tensors); without it there are none. */
  foreign?: ForeignSemantics;
  /** Parses Python text (used for the parts of torch.nn written in Python). */
  parse?: (text: string, file: string) => Module;
}

export interface Frame {
  module: ModuleContext;
  /** 0-based row being executed in this frame. */
  line: number;
  name: string;
  /** Values yielded so far when this frame runs a generator. */
  yields?: Value[];
  /** The class whose method this frame runs (zero-argument super()). */
  definingClass?: PyClass;
  /** The first argument of the method (zero-argument super()). */
  firstArg?: Value;
  /** A function frame's function and local variables (locals()). */
  fn?: PyFunction;
  locals?: Map<string, Value>;
  /** The last site `callSites` made of this frame, shared while the frame stays at that line (sites are never mutated). */
  site?: { file: string; line: number };
}

type Completion = undefined | { type: 'return'; value: Value } | { type: 'break' } | { type: 'continue' };
const BREAK: Completion = { type: 'break' };
const CONTINUE: Completion = { type: 'continue' };
/** The keywords of every call written without any: never changed (a callee that adds or removes keywords copies them). */
const NO_KEYWORDS: Map<string, Value> = new Map();

/** Names every interpreter resolves through builtins; filled by builtins.ts. */
export interface BuiltinClasses {
  object: PyClass;
  type: PyClass;
  int: PyClass;
  float: PyClass;
  str: PyClass;
  bool: PyClass;
  list: PyClass;
  tuple: PyClass;
  dict: PyClass;
  set: PyClass;
  NoneType: PyClass;
  BaseException: PyClass;
  exceptions: Record<string, PyClass>;
}

/** Functions kept undecorated because their decorator is unknown, with its reason (see applyDecorator). */
const unknownDecorators = new WeakMap<PyFunction, string>();

export class Interpreter {
  steps = 0;
  budget: number;
  /** Elements materialised by this analysis (lists, tuples, strings, dicts, sets built from Python integers). */
  readonly memory = new MemoryBudget();
  readonly frames: Frame[] = [];
  /** Assumptions made while evaluating (e.g. an unknown condition taken as false), by "file:line". */
  readonly notes = new Map<string, string>();
  builtins!: Scope;
  classes!: BuiltinClasses;
  /** Per-analysis extension data (cost recorder, module stack), owned by the torch layer. */
  readonly ext = new Map<string, unknown>();
  /**
   * When set, a missing attribute of a native module, class or foreign value (an API nobody
   * modelled, e.g. torch.as_tensor) outside any try block is an Unknown that says so instead of
   * an AttributeError, and evaluation goes on; inside a try the code's own handler decides.
   * Every such value, and every place one of them steered control flow, is logged here.
   */
  unmodelled?: UnmodelledLog;
  private tryDepth = 0;
  /** The frames running a `try` with handlers, innermost last (an import there may raise ImportError). */
  private readonly guardedFrames: unknown[] = [];
  /** When set, the definition lines of `file` that evaluation used (functions called, classes built or read). */
  depTrace?: { file: string; lines: Set<number> };
  /** The function object each `def` made, before its decorators (the engine updates it in place after an edit). */
  readonly functionOf = new WeakMap<FunctionDef, PyFunction>();

  constructor(readonly options: InterpreterOptions) {
    this.budget = options.budget;
  }

  // ───────────────────────────── helpers ─────────────────────────────

  get frame(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  get currentFile(): string | undefined {
    return this.frame?.module.file;
  }

  get currentLine(): number | undefined {
    return this.frame?.line;
  }

  /** The call stack as source sites, outermost first (1-based lines). */
  callSites(): { file: string; line: number }[] {
    // a caller's line stays put while its callees run: only the innermost frames need a new site
    const frames = this.frames;
    const out = new Array<{ file: string; line: number }>(frames.length);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      let site = f.site;
      if (site === undefined || site.line !== f.line + 1) f.site = site = { file: f.module.file, line: f.line + 1 };
      out[i] = site;
    }
    return out;
  }

  tick(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded(this.currentFile, this.currentLine);
  }

  /** Records an assumption tied to the current line, once. */
  note(text: string): void {
    const f = this.frame;
    const key = f ? `${f.module.file}:${f.line + 1}` : '?';
    if (!this.notes.has(`${key}|${text}`))
      this.notes.set(`${key}|${text}`, f ? `${text} (${shortFile(f.module.file)}:${f.line + 1})` : text);
  }

  /** An unknown condition, by the rule both front ends share (unknownCondition.ts): false, noted. */
  private assumeFalse(t: Unknown): false {
    this.unmodelledControl(t, 'condition');
    const f = this.frame;
    const text = unknownConditionAssumption(t.reason, f ? { file: f.module.file, line: f.line + 1 } : undefined);
    this.notes.set(text, text);
    return false;
  }

  unknown(reason: string): Unknown {
    return new Unknown(reason, this.currentFile, this.currentLine === undefined ? undefined : this.currentLine + 1);
  }

  /** Whether an unknown stems from an API nobody modelled (it, or the value it was derived from). */
  isUnmodelled(u: Unknown): boolean {
    return !!u.unmodelled || (!!this.unmodelled?.values.length && this.unmodelled.values.some((v) => u.reason.includes(v.reason)));
  }

  /** Logs a condition, loop or call that an unmodelled value decided (what was built or run may differ). */
  private unmodelledControl(u: Unknown, kind: UnmodelledEvent['kind'], statement?: string): void {
    const log = this.unmodelled;
    // a loop that any unknown skipped may have held layers or ops: always logged (conditions follow
    // the taken-as-false rule of unknownCondition.ts unless an unmodelled API decided them)
    if (!log || (kind !== 'loop' && !this.isUnmodelled(u)) || log.control.length >= 20) return;
    const f = this.frame;
    log.control.push({
      kind,
      reason: u.reason,
      file: f?.module.file,
      line: f ? f.line + 1 : undefined,
      ...(statement ? { statement } : {}),
    });
  }

  /**
   * A JavaScript limit hit while evaluating (the call stack of a deeply nested or recursive
   * value, an array or string past V8's bounds) as the Python exception it stands for;
   * anything else is rethrown.
   */
  asPyRaise(e: unknown): PyRaise {
    if (e instanceof PyRaise) return e;
    const limit = jsLimitError(e);
    if (!limit) throw e;
    try {
      this.raise(limit.className, limit.message);
    } catch (raised) {
      if (raised instanceof PyRaise) return raised;
      throw raised;
    }
  }

  /** A sequence an operator or builtin built, charged to the memory budget (Unknown when refused). */
  charged(v: Value): Value {
    const n = elementCount(v);
    if (n === 0) return v;
    const refused = this.memory.refuse(typeName(v), n);
    return refused ? this.notBuilt(typeName(v), refused) : v;
  }

  /** A value of a known type whose elements were not materialised (over the memory budget). */
  notBuilt(pyType: string, reason: string): Unknown {
    const u = this.unknown(reason);
    u.pyType = pyType;
    return u;
  }

  /** Raises a Python exception of a builtin class with a message. */
  raise(className: string, message: string): never {
    return this.raiseAt(className, message, this.currentFile, this.currentLine);
  }

  /** Raises a builtin exception attributed to a given site (0-based line) rather than the current frame. */
  private raiseAt(className: string, message: string, file: string | undefined, line: number | undefined): never {
    const cls = this.classes.exceptions[className] ?? this.classes.exceptions.Exception;
    const exc = new PyInstance(cls);
    exc.payload = message;
    exc.attrs.set('args', new PyTuple([message]));
    throw new PyRaise(exc, file, line);
  }

  // ───────────────────────────── modules ─────────────────────────────

  /**
   * Runs a module body in its context. A top-level statement that raises is reported and the
   * next one runs anyway, so one failing line does not hide every definition after it.
   */
  runModule(ast: Module, ctx: ModuleContext): PyRaise | undefined {
    this.frames.push({ module: ctx, line: 0, name: '<module>' });
    let first: PyRaise | undefined;
    try {
      for (const s of ast.body) {
        try {
          this.execStmt(s, ctx.scope);
        } catch (caught) {
          const e = this.asPyRaise(caught);
          first ??= e;
          this.frames.length = this.frames.indexOf(this.frames.find((f) => f.module === ctx && f.name === '<module>')!) + 1;
        }
      }
      return first;
    } finally {
      this.frames.pop();
    }
  }

  // ───────────────────────────── statements ─────────────────────────────

  execBlock(body: readonly Stmt[], scope: Scope): Completion {
    for (const s of body) {
      const c = this.execStmt(s, scope);
      if (c) return c;
    }
    return undefined;
  }

  private execStmt(s: Stmt, scope: Scope): Completion {
    this.tick();
    const frame = this.frame;
    if (frame) frame.line = s.line;
    switch (s.k) {
      case 'expr':
        this.evalExpr(s.e, scope);
        return undefined;
      case 'assign': {
        const v = this.evalExpr(s.value, scope);
        for (const t of s.targets) this.assignTarget(t, v, scope);
        return undefined;
      }
      case 'annassign':
        if (s.value) this.assignTarget(s.target, this.evalExpr(s.value, scope), scope);
        if (scope.kind === 'class' && s.target.k === 'name') {
          // dataclass fields come from annotations in order
          let ann = scope.vars.get('__annotations__');
          if (!(ann instanceof PyDict)) scope.vars.set('__annotations__', (ann = new PyDict()));
          ann.set(s.target.id, this.annotationText(s.annotation));
        }
        return undefined;
      case 'augassign': {
        const op = s.op.slice(0, -1);
        const current = this.evalExpr(s.target, scope);
        const rhs = this.evalExpr(s.value, scope);
        // lists extend in place, as Python's += does
        if (op === '+' && current instanceof PyList) {
          const items = this.iterate(rhs);
          const grown = items instanceof Unknown ? 0 : current.items.length + items.length;
          if (items instanceof Unknown || !fitsOneValue(grown))
            this.assignTarget(s.target, items instanceof Unknown ? items : this.notBuilt('list', notMaterialised('list', grown)), scope);
          else for (const x of items) current.items.push(x);
          return undefined;
        }
        this.assignTarget(s.target, this.binary(op, current, rhs, true), scope);
        return undefined;
      }
      case 'return':
        return { type: 'return', value: s.value ? this.evalExpr(s.value, scope) : null };
      case 'if': {
        const t = this.condition(s.test, scope);
        // `if T > block_size: raise ...` taken as not raising states an upper bound of T
        if (!t && s.body[0]?.k === 'raise') this.recordBound(s.test, scope, true);
        return this.execBlock(t ? s.body : s.orelse, scope);
      }
      case 'for':
        return this.execFor(s, scope);
      case 'while':
        return this.execWhile(s, scope);
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'pass':
        return undefined;
      case 'def':
        scope.assign(s.name, this.defineFunction(s, scope));
        return undefined;
      case 'class':
        scope.assign(s.name, this.defineClass(s, scope));
        return undefined;
      case 'import':
        if (this.frame?.module && this.options.loader.deferImport?.(s, this.frame.module, this)) return undefined;
        for (const { module, alias } of s.names) {
          const mod = this.importModule(module);
          this.raiseIfGuardedAndMissing(mod);
          if (alias) scope.assign(alias, mod.replacedBy ?? mod);
          else {
            // `import a.b.c` binds `a`, with b and c reachable as attributes
            const parts = module.split('.');
            const top = this.importModule(parts[0]);
            scope.assign(parts[0], top.replacedBy ?? top);
            // a native package imported after its submodule (collections.abc) still links it
            for (let i = 1; i < parts.length; i++) {
              const parent = this.importModule(parts.slice(0, i).join('.'));
              if (!parent.attrs.has(parts[i])) parent.attrs.set(parts[i], this.importModule(parts.slice(0, i + 1).join('.')));
            }
          }
        }
        return undefined;
      case 'importfrom':
        this.execImportFrom(s, scope);
        return undefined;
      case 'raise':
        return this.execRaise(s, scope);
      case 'try':
        return this.execTry(s, scope);
      case 'with': {
        const exits: [Value, Value][] = [];
        for (const item of s.items) {
          const ctx = this.evalExpr(item.ctx, scope);
          const enter = ctx instanceof PyInstance ? ctx.cls.lookup('__enter__') : undefined;
          const entered = enter ? this.call(this.bindIfFunction(enter, ctx), { positional: [], keywords: NO_KEYWORDS }) : ctx;
          const exit = ctx instanceof PyInstance ? ctx.cls.lookup('__exit__') : undefined;
          if (exit) exits.push([exit, ctx]);
          if (item.target) this.assignTarget(item.target, entered, scope);
        }
        exits.reverse();
        let completion: Completion;
        try {
          completion = this.execBlock(s.body, scope);
        } catch (e) {
          if (!(e instanceof PyRaise)) {
            for (const [exit, ctx] of exits)
              this.call(this.bindIfFunction(exit, ctx), { positional: [null, null, null], keywords: NO_KEYWORDS });
            throw e;
          }
          // __exit__ sees the exception and may suppress it by returning a true value
          let suppressed = false;
          for (const [exit, ctx] of exits) {
            const info: Value[] = suppressed ? [null, null, null] : [e.exc.cls, e.exc, null];
            if (this.truthy(this.call(this.bindIfFunction(exit, ctx), { positional: info, keywords: NO_KEYWORDS })) === true)
              suppressed = true;
          }
          if (suppressed) return undefined;
          throw e;
        }
        for (const [exit, ctx] of exits)
          this.call(this.bindIfFunction(exit, ctx), { positional: [null, null, null], keywords: NO_KEYWORDS });
        return completion;
      }
      case 'assert': {
        const t = this.evalExpr(s.test, scope);
        const truth = this.truthy(t);
        if (truth === false) {
          const msg = s.msg ? this.evalExpr(s.msg, scope) : '';
          this.raise('AssertionError', typeof msg === 'string' ? msg : 'assertion failed');
        }
        if (truth instanceof Unknown) this.recordBound(s.test, scope, false);
        return undefined;
      }
      case 'del':
        for (const t of s.targets) this.deleteTarget(t, scope);
        return undefined;
      case 'global':
        for (const n of s.names) scope.declareGlobal(n);
        return undefined;
      case 'nonlocal':
        for (const n of s.names) scope.declareNonlocal(n);
        return undefined;
      case 'error':
        return undefined;
    }
  }

  /** Truth of a condition; an unknown condition is taken as false and noted. */
  condition(test: Expr, scope: Scope): boolean {
    const t = this.testTruth(test, scope);
    if (t instanceof Unknown) return this.assumeFalse(t);
    return t;
  }

  /**
   * Truth of a test, where `and`/`or`/`not` are decided by their known operands: `unknown or True`
   * is true and `unknown and False` false whichever operand Python returns (transformers'
   * `if not is_torch_sdpa_available() or not cls._supports_sdpa`). Operands run once, in order,
   * short-circuited as Python does; only the truth is decided, values stay as evaluated.
   */
  private testTruth(test: Expr, scope: Scope): boolean | Unknown {
    if (test.k === 'not') {
      const t = this.testTruth(test.e, scope);
      return t instanceof Unknown ? t : !t;
    }
    if (test.k !== 'bool') return this.truthy(this.evalExpr(test, scope));
    const decisive = test.op === 'or';
    const l = this.testTruth(test.l, scope);
    if (l === decisive) return decisive;
    const r = this.testTruth(test.r, scope);
    if (!(l instanceof Unknown)) return r;
    return r === decisive ? decisive : l;
  }

  /**
   * `assert T <= N` (or `if T > N: raise`, negated) about a symbolic dim: the code's own upper
   * bound of T, used when T gets a value for the report.
   */
  private recordBound(test: Expr, scope: Scope, negated: boolean): void {
    if (test.k !== 'cmp' || test.ops.length !== 1) return;
    const op = test.ops[0];
    const l = this.evalExpr(test.first, scope);
    const r = this.evalExpr(test.rest[0], scope);
    const sym = l instanceof SymInt ? l : r instanceof SymInt ? r : undefined;
    const bound = typeof r === 'number' ? r : typeof l === 'number' ? l : undefined;
    if (!sym || bound === undefined || sym.poly.symbols().length !== 1 || !sym.poly.equals(Poly.symbol(sym.poly.symbols()[0]))) return;
    // normalise to "sym <= limit"
    const symLeft = l === sym;
    const holds = negated ? ({ '>': '<=', '>=': '<', '<': '>=', '<=': '>' } as Record<string, string>)[op] : op;
    const rel = symLeft ? holds : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[holds ?? ''];
    const limit = rel === '<=' ? bound : rel === '<' ? bound - 1 : undefined;
    if (limit === undefined) return;
    const name = sym.poly.symbols()[0];
    const prev = this.symbolBounds.get(name);
    this.symbolBounds.set(name, prev === undefined ? limit : Math.min(prev, limit));
  }

  /** Upper bounds the code states for symbolic dims (see recordBound). */
  readonly symbolBounds = new Map<string, number>();

  /** Records `sym ≤ limit` when `sym` is a single named symbol. */
  boundSymbol(sym: Poly, limit: number): void {
    const names = sym.symbols();
    if (names.length !== 1 || !sym.equals(Poly.symbol(names[0])) || names[0].startsWith('?')) return;
    const prev = this.symbolBounds.get(names[0]);
    this.symbolBounds.set(names[0], prev === undefined ? limit : Math.min(prev, limit));
  }

  private execFor(s: Extract<Stmt, { k: 'for' }>, scope: Scope): Completion {
    const iterable = this.evalExpr(s.iter, scope);
    const items = this.iterateLazy(iterable);
    if (items instanceof Unknown) {
      this.unmodelledControl(items, 'loop', loopHeader(`for ${unparse(s.target)} in ${unparse(s.iter)}`));
      this.note(`loop over an unknown value skipped (${items.reason})`);
      return undefined;
    }
    if (iterable instanceof PyRange) {
      // counted without a generator: `for i in range(n)` is the most common loop of model code
      const { start, stop, step } = iterable;
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        this.tick();
        this.assignTarget(s.target, i, scope);
        const c = this.execBlock(s.body, scope);
        if (c === BREAK) return undefined;
        if (c === CONTINUE) continue;
        if (c) return c;
      }
      return this.execBlock(s.orelse, scope);
    }
    for (const item of items) {
      this.tick();
      this.assignTarget(s.target, item, scope);
      const c = this.execBlock(s.body, scope);
      if (c === BREAK) return undefined;
      if (c === CONTINUE) continue;
      if (c) return c;
    }
    return this.execBlock(s.orelse, scope);
  }

  private execWhile(s: Extract<Stmt, { k: 'while' }>, scope: Scope): Completion {
    for (;;) {
      this.tick();
      const v = this.evalExpr(s.test, scope);
      const t = this.truthy(v);
      if (t instanceof Unknown) {
        this.unmodelledControl(t, 'loop', loopHeader(`while ${unparse(s.test)}`));
        this.note(`while condition unknown (${t.reason}); loop stopped`);
        return undefined;
      }
      if (!t) break;
      const c = this.execBlock(s.body, scope);
      if (c === BREAK) return undefined;
      if (c === CONTINUE) continue;
      if (c) return c;
    }
    return this.execBlock(s.orelse, scope);
  }

  private execRaise(s: Extract<Stmt, { k: 'raise' }>, scope: Scope): never {
    if (!s.exc) this.raise('RuntimeError', 'No active exception to reraise');
    let exc = this.evalExpr(s.exc, scope);
    if (exc instanceof PyClass) exc = this.call(exc, { positional: [], keywords: NO_KEYWORDS });
    if (!(exc instanceof PyInstance)) {
      const reason = exc instanceof Unknown ? exc.reason : `raise of ${typeName(exc)}`;
      this.raise('Exception', `raised an unknown exception (${reason})`);
    }
    throw new PyRaise(exc, this.currentFile, this.currentLine);
  }

  private execTry(s: Extract<Stmt, { k: 'try' }>, scope: Scope): Completion {
    if (!s.finally.length) return this.execTryBody(s, scope);
    let completion: Completion;
    let raised: PyRaise | undefined;
    try {
      completion = this.execTryBody(s, scope);
    } catch (e) {
      // only a Python exception runs finally; a budget or depth signal ends the analysis as it is
      if (!(e instanceof PyRaise)) throw e;
      raised = e;
    }
    // a return, break or continue in finally wins over the try's own, and over its exception, as in Python
    const last = this.execBlock(s.finally, scope);
    if (last) return last;
    if (raised) throw raised;
    return completion;
  }

  private execTryBody(s: Extract<Stmt, { k: 'try' }>, scope: Scope): Completion {
    let completion: Completion;
    if (s.handlers.length) {
      this.tryDepth++;
      this.guardedFrames.push(this.frame);
    }
    try {
      completion = this.execBlock(s.body, scope);
    } catch (e) {
      if (!(e instanceof PyRaise)) throw e;
      const handler = s.handlers.find((h) => this.handlerMatches(h.type, e, scope));
      if (!handler) throw e;
      if (handler.name) scope.assign(handler.name, e.exc);
      return this.execBlock(handler.body, scope);
    } finally {
      if (s.handlers.length) {
        this.tryDepth--;
        this.guardedFrames.pop();
      }
    }
    if (completion) return completion;
    return this.execBlock(s.orelse, scope);
  }

  private handlerMatches(typeExpr: Expr | undefined, e: PyRaise, scope: Scope): boolean {
    if (!typeExpr) return true;
    const t = this.evalExpr(typeExpr, scope);
    const classes = t instanceof PyTuple ? t.items : [t];
    return classes.some((c) => c instanceof Unknown || (c instanceof PyClass && e.exc.cls.isSubclassOf(c)));
  }

  private execImportFrom(s: Extract<Stmt, { k: 'importfrom' }>, scope: Scope): void {
    const ctx = this.frame?.module;
    let name = s.module;
    if (s.level > 0) {
      const pkg = (ctx?.packageName ?? '').split('.').filter(Boolean);
      const base = pkg.slice(0, Math.max(0, pkg.length - (s.level - 1)));
      name = [...base, ...(s.module ? s.module.split('.') : [])].join('.');
    }
    if (ctx && this.options.loader.deferImport?.(s, ctx, this)) return;
    const mod = this.importModule(name);
    this.raiseIfGuardedAndMissing(mod);
    if (s.names === '*') {
      mod.lazy?.resolveAll();
      const all = mod.attrs.get('__all__');
      const names =
        all instanceof PyList || all instanceof PyTuple
          ? all.items.filter((x): x is string => typeof x === 'string')
          : [...mod.attrs.keys()].filter((k) => !k.startsWith('_'));
      for (const n of names as string[]) {
        const v = mod.attrs.get(n);
        scope.assign(n, v === undefined ? this.unknown(`${name}.${n} not found`) : v);
      }
      return;
    }
    for (const { name: n, alias } of s.names) {
      // a module that put another object in sys.modules (a lazy module) answers through it
      let v = moduleAttr(mod, n) ?? (mod.replacedBy !== undefined ? this.getAttr(mod.replacedBy, n) : undefined);
      if (v === undefined) {
        // `from pkg import submodule`
        const sub = this.importModule(`${name}.${n}`);
        const lazy = mod.attrs.get('__getattr__') instanceof PyFunction;
        v = sub.attrs.get('__wattlens_unresolved__') ? (lazy ? this.getAttr(mod, n) : this.getAttrOrUnknown(mod, n)) : sub;
      }
      scope.assign(alias ?? n, v);
    }
  }

  importModule(name: string): PyModule {
    return this.options.loader.importModule(name, this.frame?.module, this);
  }

  /**
   * An import found nowhere is an Unknown module, never a failure, except directly inside a
   * `try` with handlers: there the code has a fallback for it (`try: from apex… except
   * ImportError: …`), which Python takes, so it raises ModuleNotFoundError as Python does. A
   * submodule an installed package certainly lacks (ABSENT_FROM_PACKAGE) raises it everywhere.
   */
  private raiseIfGuardedAndMissing(mod: PyModule): void {
    if (!mod.attrs.get(NOT_FOUND)) return;
    const guarded = this.guardedFrames.length > 0 && this.guardedFrames[this.guardedFrames.length - 1] === this.frame;
    if (guarded || mod.attrs.get(ABSENT_FROM_PACKAGE)) this.raise('ModuleNotFoundError', `No module named '${mod.name}'`);
  }

  /**
   * `d[k]` without raising; a string key that misses is looked up again after the loader ran the
   * deferred modules that might register it (lazy loading of registries). A lookup has no side
   * effect, so redoing it is sound; a true miss stays a miss.
   */
  dictGet(d: PyDict, key: Value): Value | undefined {
    const v = d.get(key);
    if (v !== undefined || typeof key !== 'string' || !this.options.loader.loadForMissingKey) return v;
    while (this.options.loader.loadForMissingKey(d, key, this)) {
      const again = d.get(key);
      if (again !== undefined) return again;
    }
    return undefined;
  }

  /** A collection about to be read whole: a registry first gets the entries deferred modules would have added. */
  whole<T extends PyDict | PyList | PySet>(c: T): T {
    this.options.loader.completeCollection?.(c, this);
    return c;
  }

  private annotationText(e: Expr): string {
    if (e.k === 'name') return e.id;
    if (e.k === 'attr') return `${this.annotationText(e.obj)}.${e.name}`;
    if (e.k === 'str') return e.v;
    if (e.k === 'sub') return this.annotationText(e.obj);
    return '?';
  }

  // ───────────────────────────── definitions ─────────────────────────────

  private defineFunction(def: FunctionDef, scope: Scope): Value {
    const ctx = this.frame!.module;
    const fn = new PyFunction(def.name, def.params, undefined, scope, ctx, def.line, def.isGenerator, def);
    // defined in a class body: super() finds the class even when a decorator's closure calls it
    if (scope.classCell) fn.definingClass = scope.classCell;
    for (const p of def.params) if (p.default) fn.defaults.set(p.name, this.evalExpr(p.default, scope));
    if (def.decorators.length) this.functionOf.set(def, fn);
    let result: Value = fn;
    for (const d of [...def.decorators].reverse()) result = this.applyDecorator(d, result, fn, scope);
    return result;
  }

  /**
   * Applies a decorator. A decorator that returns a wrapper we cannot see through (an
   * unknown, or a different user function) falls back to the undecorated function.
   */
  private applyDecorator(d: Expr, target: Value, original: PyFunction | PyClass, scope: Scope): Value {
    let decorator: Value;
    try {
      decorator = this.evalExpr(d, scope);
    } catch (e) {
      if (e instanceof PyRaise) return target;
      throw e;
    }
    if (decorator instanceof Unknown) {
      if (target instanceof PyFunction) unknownDecorators.set(target, decorator.reason);
      return target;
    }
    let result: Value;
    try {
      result = this.call(decorator, { positional: [target], keywords: NO_KEYWORDS });
    } catch (e) {
      if (e instanceof PyRaise) return target;
      throw e;
    }
    if (result instanceof Unknown || result === null) return target;
    return result;
  }

  private defineClass(def: ClassDef, scope: Scope): Value {
    const ctx = this.frame!.module;
    const bases: PyClass[] = [];
    let unknownBase: string | undefined;
    for (const a of def.bases) {
      if (a.kind !== 'pos') continue; // metaclass=..., etc.
      const b = this.evalExpr(a.value, scope);
      if (b instanceof PyClass) bases.push(b);
      else if (b instanceof PyTuple && b.typeName === 'namedtuple-base') continue;
      else if (b !== null && !(b instanceof Unknown)) continue;
      else unknownBase = b instanceof Unknown ? b.reason : 'not a class';
    }
    const cls = new PyClass(def.name, bases.length ? bases : [this.classes.object]);
    if (unknownBase) cls.unknownBase = `base class of ${def.name} is unknown (${unknownBase})`;
    cls.mro = computeMro(cls);
    for (const b of bases) (b.subclasses ??= []).push(cls);
    cls.def = def;
    cls.file = ctx.file;
    cls.dict.set('__name__', def.name);
    cls.dict.set('__qualname__', def.name);
    cls.dict.set('__module__', ctx.name);
    const body = new Scope('class', scope);
    body.classCell = cls;
    this.frames[this.frames.length - 1].line = def.line;
    this.execBlock(def.body, body);
    for (const [k, v] of body.vars) {
      if (v instanceof PyFunction) v.definingClass ??= cls;
      const inners =
        v instanceof PyProperty ? [v.fget, v.fset, v.fdel] : v instanceof PyClassMethod || v instanceof PyStaticMethod ? [v.fn] : [];
      for (const inner of inners) if (inner instanceof PyFunction) inner.definingClass = cls;
      cls.dict.set(k, v);
    }
    // hooks a native base runs when subclassed (Enum members, NamedTuple fields)
    for (const base of cls.mro.slice(1)) {
      const hook = base.native?.methods?.__init_subclass_native__;
      if (hook) hook({ positional: [cls], keywords: NO_KEYWORDS }, this);
    }
    this.runClassCreationHooks(cls, def, scope);
    let result: Value = cls;
    for (const d of [...def.decorators].reverse()) result = this.applyDecorator(d, result, cls, scope);
    return result;
  }

  /**
   * Three-argument `type(name, bases, namespace)`: the class a class statement with that body
   * makes (no metaclass is consulted, as for class statements).
   */
  createClass(name: Value, bases: Value, namespace: Value): Value {
    if (typeof name !== 'string' || !(bases instanceof PyTuple) || !(namespace instanceof PyDict))
      return this.unknown('type(name, bases, dict) with arguments that are not known');
    const baseClasses: PyClass[] = [];
    for (const b of bases.items) {
      if (!(b instanceof PyClass)) return this.unknown(`type('${name}', …): a base class is not known`);
      baseClasses.push(b);
    }
    const cls = new PyClass(name, baseClasses.length ? baseClasses : [this.classes.object]);
    cls.mro = computeMro(cls);
    for (const b of baseClasses) (b.subclasses ??= []).push(cls);
    cls.file = this.frame?.module.file;
    cls.dict.set('__name__', name);
    cls.dict.set('__qualname__', name);
    cls.dict.set('__module__', this.frame?.module.name ?? '__main__');
    for (const [k, v] of namespace.entries.values()) if (typeof k === 'string') cls.dict.set(k, v);
    for (const base of cls.mro.slice(1)) {
      const hook = base.native?.methods?.__init_subclass_native__;
      if (hook) hook({ positional: [cls], keywords: NO_KEYWORDS }, this);
    }
    this.classCreationHooks(cls, new Map());
    return cls;
  }

  /** `del Cls.name`, `delattr(Cls, name)`: the class's own attribute goes; one it does not own raises, as in Python. */
  deleteClassAttr(cls: PyClass, name: string): void {
    if (!cls.dict.delete(name)) this.raise('AttributeError', `type object '${cls.name}' has no attribute '${name}'`);
  }

  /** What type.__new__ does after the body: descriptors' __set_name__, then the parent's __init_subclass__ with the class keywords. */
  private runClassCreationHooks(cls: PyClass, def: ClassDef, scope: Scope): void {
    const keywords = new Map<string, Value>();
    for (const a of def.bases) if (a.kind === 'kw' && a.name && a.name !== 'metaclass') keywords.set(a.name, this.evalExpr(a.value, scope));
    this.classCreationHooks(cls, keywords);
  }

  private classCreationHooks(cls: PyClass, keywords: Map<string, Value>): void {
    for (const [k, v] of [...cls.dict]) {
      const setName = v instanceof PyInstance ? v.cls.lookup('__set_name__') : undefined;
      if (setName && !(setName instanceof PyBuiltin))
        this.call(this.bindIfFunction(setName, v), { positional: [cls, k], keywords: NO_KEYWORDS });
    }
    for (const c of cls.mro.slice(1)) {
      const hook = c.dict.get('__init_subclass__');
      if (hook === undefined) continue;
      // implicitly a classmethod
      const fn = hook instanceof PyClassMethod ? hook.fn : hook;
      this.call(new PyBoundMethod(cls, fn), { positional: [], keywords });
      return;
    }
  }

  // ───────────────────────────── targets ─────────────────────────────

  assignTarget(t: Expr, v: Value, scope: Scope): void {
    switch (t.k) {
      case 'name':
        scope.assign(t.id, v);
        return;
      case 'attr':
        this.setAttr(this.evalExpr(t.obj, scope), t.name, v);
        return;
      case 'sub':
        this.setItem(this.evalExpr(t.obj, scope), this.evalExpr(t.index, scope), v);
        return;
      case 'tuple':
      case 'list': {
        // loops, not closures: `for name, child in ...` unpacks once per iteration
        const targets = t.items;
        let starIndex = -1;
        for (let i = 0; i < targets.length && starIndex < 0; i++) if (targets[i].k === 'star') starIndex = i;
        const items = this.iterate(v);
        if (items instanceof Unknown) {
          for (const x of targets) this.assignTarget(x.k === 'star' ? x.e : x, items, scope);
          return;
        }
        if (starIndex < 0) {
          if (items.length !== targets.length)
            this.raise('ValueError', `cannot unpack ${items.length} values into ${targets.length} targets`);
          for (let i = 0; i < targets.length; i++) this.assignTarget(targets[i], items[i], scope);
          return;
        }
        const after = t.items.length - starIndex - 1;
        if (items.length < t.items.length - 1) this.raise('ValueError', 'not enough values to unpack');
        t.items.forEach((x, i) => {
          if (i < starIndex) this.assignTarget(x, items[i], scope);
          else if (i === starIndex)
            this.assignTarget((x as { e: Expr }).e, new PyList(items.slice(starIndex, items.length - after)), scope);
          else this.assignTarget(x, items[items.length - (t.items.length - i)], scope);
        });
        return;
      }
      case 'star':
        this.assignTarget(t.e, v, scope);
        return;
      default:
        return;
    }
  }

  private deleteTarget(t: Expr, scope: Scope): void {
    if (t.k === 'name') scope.delete(t.id);
    else if (t.k === 'sub') {
      const obj = this.evalExpr(t.obj, scope);
      const index = this.evalExpr(t.index, scope);
      if (obj instanceof PyDict) obj.delete(index);
      else if (obj instanceof PyList && typeof index === 'number') obj.items.splice(index < 0 ? index + obj.items.length : index, 1);
      else if (obj instanceof PyInstance) {
        const del = obj.cls.lookup('__delitem__');
        if (del) this.call(this.bindIfFunction(del, obj), { positional: [index], keywords: NO_KEYWORDS });
      }
    } else if (t.k === 'attr') {
      const obj = this.evalExpr(t.obj, scope);
      if (obj instanceof PyInstance) this.deleteAttr(obj, t.name);
      else if (obj instanceof PyClass) this.deleteClassAttr(obj, t.name);
    } else if (t.k === 'tuple' || t.k === 'list') for (const x of t.items) this.deleteTarget(x, scope);
  }

  // ───────────────────────────── expressions ─────────────────────────────

  evalExpr(e: Expr, scope: Scope): Value {
    switch (e.k) {
      case 'name': {
        let v = scope.lookup(e.id);
        if (v === undefined) v = this.builtins.vars.get(e.id);
        if (v === undefined) {
          if (e.id === '__file__') return this.frame?.module.file ?? null;
          this.raise('NameError', `name '${e.id}' is not defined`);
        }
        return v;
      }
      case 'num':
        return e.float ? new PyFloat(e.v) : e.v;
      case 'str':
        return e.v;
      case 'fstr': {
        let s = '';
        for (const [i, p] of e.parts.entries()) {
          if (typeof p === 'string') s += p;
          else {
            let v = this.evalExpr(p, scope);
            if (v instanceof Unknown) return v;
            const f = e.formats?.[i];
            if (f?.conv) v = f.conv === 's' ? this.str(v) : this.repr(v);
            if (f?.spec) {
              let spec = '';
              for (const sp of f.spec) {
                const x = typeof sp === 'string' ? sp : this.evalExpr(sp, scope);
                if (x instanceof Unknown) return x;
                spec += this.str(x);
              }
              v = this.call(this.builtins.vars.get('format')!, { positional: [v, spec], keywords: NO_KEYWORDS });
              if (v instanceof Unknown) return v;
            }
            s += this.str(v);
          }
        }
        return s;
      }
      case 'const':
        return e.v === 'ellipsis' ? PyEllipsis.instance : e.v;
      case 'attr':
        return this.getAttr(this.evalExpr(e.obj, scope), e.name);
      case 'sub':
        return this.getItem(this.evalExpr(e.obj, scope), this.evalExpr(e.index, scope));
      case 'slice':
        return new PySlice(
          e.lo ? this.evalExpr(e.lo, scope) : null,
          e.hi ? this.evalExpr(e.hi, scope) : null,
          e.step ? this.evalExpr(e.step, scope) : null,
        );
      case 'call': {
        const fn = this.evalExpr(e.fn, scope);
        const args = this.evalArgs(e.args, scope);
        const frame = this.frame;
        if (frame) frame.line = e.line;
        if (fn instanceof Unknown && e.fn.k !== 'name') return this.unknownCall(e.fn, fn, args);
        return this.call(fn, args);
      }
      case 'bin':
        return this.binary(e.op, this.evalExpr(e.l, scope), this.evalExpr(e.r, scope), false);
      case 'unary':
        return this.unary(e.op, this.evalExpr(e.e, scope));
      case 'bool': {
        const l = this.evalExpr(e.l, scope);
        const t = this.truthy(l);
        if (t instanceof Unknown) {
          // `x or default` with x unknown: the result is unknown too
          const r = this.evalExpr(e.r, scope);
          return e.op === 'or' && this.truthy(r) === true && l instanceof Unknown ? l : t;
        }
        if (e.op === 'and') return t ? this.evalExpr(e.r, scope) : l;
        return t ? l : this.evalExpr(e.r, scope);
      }
      case 'not': {
        const t = this.truthy(this.evalExpr(e.e, scope));
        return t instanceof Unknown ? t : !t;
      }
      case 'cmp': {
        let left = this.evalExpr(e.first, scope);
        let result: Value = true;
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.evalExpr(e.rest[i], scope);
          const r = this.compare(e.ops[i], left, right);
          if (r instanceof Unknown) return r;
          if (r !== true) {
            if (r === false) return false;
            result = r; // tensor comparisons yield tensors
          }
          left = right;
        }
        return result;
      }
      case 'ifexp': {
        const t = this.testTruth(e.test, scope);
        if (t instanceof Unknown) {
          this.assumeFalse(t);
          return this.evalExpr(e.orelse, scope);
        }
        return this.evalExpr(t ? e.body : e.orelse, scope);
      }
      case 'lambda': {
        const fn = new PyFunction('<lambda>', e.params, e.body, scope, this.frame!.module, e.line, false);
        for (const p of e.params) if (p.default) fn.defaults.set(p.name, this.evalExpr(p.default, scope));
        return fn;
      }
      case 'list':
        return new PyList(this.evalItems(e.items, scope));
      case 'tuple':
        return new PyTuple(this.evalItems(e.items, scope));
      case 'set': {
        const s = new PySet();
        for (const v of this.evalItems(e.items, scope)) s.add(v);
        return s;
      }
      case 'dict': {
        const d = new PyDict();
        for (const item of e.items) {
          if ('spread' in item) {
            const src = this.evalExpr(item.spread, scope);
            if (src instanceof PyDict) for (const [k, v] of src.entries.values()) d.set(k, v);
            else if (src instanceof Unknown) return src;
          } else d.set(this.evalExpr(item.key, scope), this.evalExpr(item.value, scope));
        }
        return d;
      }
      case 'comp':
        return this.evalComprehension(e, scope);
      case 'star':
        return this.evalExpr(e.e, scope);
      case 'walrus': {
        const v = this.evalExpr(e.value, scope);
        scope.assign(e.target, v);
        return v;
      }
      case 'yield': {
        const frame = this.frame;
        const v = e.value ? this.evalExpr(e.value, scope) : null;
        if (frame?.yields) {
          if (e.from) {
            const items = this.iterate(v);
            if (items instanceof Unknown) return items;
            for (const x of items) frame.yields.push(x);
          } else frame.yields.push(v);
        }
        return null;
      }
      case 'await':
        return this.unknown('await is not evaluated');
      case 'error':
        return this.unknown(`unparsed code: ${e.text}`);
    }
  }

  private unknownCall(fnExpr: Expr, fn: Unknown, args?: CallArgs): Unknown {
    if (args) this.unknownCalled(fn, args);
    return fn;
  }

  private evalItems(items: readonly Expr[], scope: Scope): Value[] {
    const out: Value[] = [];
    for (const x of items) {
      if (x.k === 'star') {
        const v = this.evalExpr(x.e, scope);
        const it = this.iterate(v);
        if (it instanceof Unknown) out.push(it);
        else for (const x of it) out.push(x);
      } else out.push(this.evalExpr(x, scope));
    }
    return out;
  }

  evalArgs(args: readonly Arg[], scope: Scope): CallArgs {
    const leading = leadingPositional(args);
    // most calls pass a few plain positional arguments, then perhaps keywords: an array of their
    // exact size (a push-grown one reserves 17 slots); a keyword map only when there are keywords
    if (leading >= 0 && leading <= 3) {
      const a = args;
      const positional =
        leading === 0
          ? []
          : leading === 1
            ? [this.evalExpr(a[0].value, scope)]
            : leading === 2
              ? [this.evalExpr(a[0].value, scope), this.evalExpr(a[1].value, scope)]
              : [this.evalExpr(a[0].value, scope), this.evalExpr(a[1].value, scope), this.evalExpr(a[2].value, scope)];
      if (leading === a.length) return { positional, keywords: NO_KEYWORDS };
      const keywords = new Map<string, Value>();
      for (let i = leading; i < a.length; i++) keywords.set(a[i].name!, this.evalExpr(a[i].value, scope));
      return { positional, keywords };
    }
    const positional: Value[] = [];
    // most calls pass no keyword: they share one empty map (callees copy a call's keywords before changing them)
    let named = false;
    for (const a of args) if (a.kind === 'kw' || a.kind === 'kwstar') named = true;
    const keywords = named ? new Map<string, Value>() : NO_KEYWORDS;
    for (const a of args) {
      const v = this.evalExpr(a.value, scope);
      switch (a.kind) {
        case 'pos':
          positional.push(v);
          break;
        case 'kw':
          keywords.set(a.name!, v);
          break;
        case 'star': {
          const items = this.iterate(v);
          if (items instanceof Unknown) {
            this.note(`*args from an unknown value (${items.reason}) dropped`);
            break;
          }
          for (const x of items) positional.push(x);
          break;
        }
        case 'kwstar':
          if (v instanceof PyDict) for (const [k, val] of v.entries.values()) keywords.set(String(k), val);
          else if (v instanceof Unknown) this.note(`**kwargs from an unknown value (${v.reason}) dropped`);
          break;
      }
    }
    return { positional, keywords };
  }

  private evalComprehension(e: Extract<Expr, { k: 'comp' }>, scope: Scope): Value {
    const inner = new Scope('function', scope);
    const out: Value[] = [];
    const pairs: [Value, Value][] = [];
    let unknown: Unknown | undefined;
    const run = (i: number): void => {
      if (unknown) return;
      if (i === e.clauses.length) {
        this.tick();
        if (e.kind === 'dict') pairs.push([this.evalExpr(e.elt, inner), this.evalExpr(e.value!, inner)]);
        else out.push(this.evalExpr(e.elt, inner));
        const built = out.length + pairs.length;
        const kind = e.kind === 'gen' ? 'sequence' : e.kind;
        const refused = fitsOneValue(built) ? this.memory.refuse(kind, 1) : notMaterialised(kind, built);
        if (refused) unknown = this.notBuilt(kind, refused);
        return;
      }
      const c: CompClause = e.clauses[i];
      if ('if' in c) {
        const t = this.truthy(this.evalExpr(c.if, inner));
        if (t instanceof Unknown) {
          unknown = t;
          return;
        }
        if (t) run(i + 1);
        return;
      }
      const iterable = this.evalExpr(c.iter, i === 0 ? scope : inner);
      const items =
        iterable instanceof PyRange && !fitsOneValue(iterable.length)
          ? this.notBuilt('range', notMaterialised('range', iterable.length))
          : this.iterateLazy(iterable);
      if (items instanceof Unknown) {
        unknown = items;
        return;
      }
      for (const item of items) {
        this.assignTarget(c.for, item, inner);
        run(i + 1);
        if (unknown) return;
      }
    };
    run(0);
    if (unknown) return unknown;
    switch (e.kind) {
      case 'list':
        return new PyList(out);
      case 'gen':
        return new PyIterator(out);
      case 'set': {
        const s = new PySet();
        for (const v of out) s.add(v);
        return s;
      }
      case 'dict':
        return PyDict.of(pairs);
    }
  }

  // ───────────────────────────── calls ─────────────────────────────

  call(fn: Value, args: CallArgs): Value {
    this.tick();
    if (fn instanceof PyBuiltin) return fn.fn(args, this);
    if (fn instanceof PyFunction) return this.callFunction(fn, args);
    if (fn instanceof PyBoundMethod) return this.call(fn.fn, { positional: withFirst(fn.self, args.positional), keywords: args.keywords });
    if (fn instanceof PyClass) return this.instantiate(fn, args);
    if (fn instanceof PyPartial) {
      const keywords = new Map(fn.keywords);
      for (const [k, v] of args.keywords) keywords.set(k, v);
      return this.call(fn.fn, { positional: [...fn.args, ...args.positional], keywords });
    }
    if (fn instanceof PyInstance) {
      const m = fn.cls.lookup('__call__');
      if (m) return this.call(this.bindIfFunction(m, fn), args);
      const unknownBase = fn.cls.unknownBaseReason();
      if (unknownBase) return this.unknown(unknownBase);
    }
    if (fn instanceof PyStaticMethod) return this.call(fn.fn, args);
    if (fn instanceof PyClassMethod) return this.call(fn.fn, args);
    if (fn instanceof Unknown) {
      // whatever that function would have done to its arguments is not modelled
      this.unknownCalled(fn, args);
      this.note(`call of an unknown function ignored (${fn.reason})`);
      return fn;
    }
    this.raise('TypeError', `'${typeName(fn)}' object is not callable`);
  }

  callFunction(fn: PyFunction, args: CallArgs): Value {
    if (this.depTrace && fn.module.file === this.depTrace.file) this.depTrace.lines.add(fn.line);
    if (this.frames.length >= this.options.maxDepth) this.raise('RecursionError', 'maximum recursion depth exceeded');
    const bound = bindArguments(fn.name, fn.params, fn.defaults, args);
    // called from outside any Python frame (the analysis calling a model's forward): the only user
    // location is the function's definition
    if (!bound.ok) {
      if (this.frames.length) this.raise('TypeError', bound.error);
      this.raiseAt('TypeError', bound.error, fn.module.file, fn.line);
    }
    // the bound arguments' map becomes the locals (nothing else holds it)
    const scope = new Scope('function', fn.closure, bound.locals);
    const frame: Frame = {
      module: fn.module,
      line: fn.line,
      name: fn.name,
      definingClass: fn.definingClass,
      firstArg: fn.params.length ? bound.locals.get(fn.params[0].name) : undefined,
      locals: bound.locals,
      fn,
      // every function frame has one shape: the per-statement `frame.line` write stays monomorphic
      yields: fn.isGenerator ? [] : undefined,
      site: undefined,
    };
    this.frames.push(frame);
    try {
      if (!Array.isArray(fn.body)) return this.evalExpr(fn.body as Expr, scope);
      const c = this.execBlock(fn.body as Stmt[], scope);
      if (fn.isGenerator) return new PyIterator(frame.yields!);
      return c && c.type === 'return' ? c.value : null;
    } catch (e) {
      throw this.asPyRaise(e);
    } finally {
      this.frames.pop();
    }
  }

  instantiate(cls: PyClass, args: CallArgs): Value {
    if (this.depTrace && cls.def && cls.file === this.depTrace.file) this.depTrace.lines.add(cls.def.line);
    const plan = cls.derived('instantiate', (c) => ({
      construct: findNative(c, '__construct__'),
      create: c.mro.find((m) => m.native?.create)?.native?.create,
    }));
    const construct = plan.construct;
    if (construct) return construct({ positional: withFirst(cls, args.positional), keywords: args.keywords }, this);
    const create = plan.create;
    const inst = create ? create(cls, this) : new PyInstance(cls);
    if (cls.isSubclassOf(this.classes.BaseException)) {
      inst.attrs.set('args', new PyTuple(args.positional));
      inst.payload = typeof args.positional[0] === 'string' ? args.positional[0] : undefined;
    }
    const init = cls.lookup('__init__');
    if (init) {
      const r = this.call(this.bindIfFunction(init, inst), args);
      // an __init__ that is no Python function (native, or itself unknown) and gives an unknown built nothing known
      if (r instanceof Unknown && !(init instanceof PyFunction)) return r;
    }
    return inst;
  }

  /** A function found on a class, bound to `self` (functions and native methods bind; others do not). */
  bindIfFunction(fn: Value, self: Value): Value {
    if (fn instanceof PyFunction || fn instanceof PyBuiltin) return new PyBoundMethod(self, fn);
    if (fn instanceof PyClassMethod) return new PyBoundMethod(self instanceof PyInstance ? self.cls : self, fn.fn);
    if (fn instanceof PyStaticMethod) return fn.fn;
    if (fn instanceof PyPartial && fn.bindsSelf) return new PyPartial(fn.fn, [self, ...fn.args], fn.keywords);
    return fn;
  }

  // ───────────────────────────── attributes ─────────────────────────────

  getAttr(obj: Value, name: string): Value {
    const v = this.lookupAttr(obj, name);
    if (v !== undefined) return v;
    if (obj instanceof PyInstance) {
      const ga = obj.cls.lookup('__getattr__');
      if (ga && !(ga instanceof PyBuiltin)) return this.call(this.bindIfFunction(ga, obj), { positional: [name], keywords: NO_KEYWORDS });
    }
    // PEP 562: a module's own __getattr__ answers names it does not define
    const moduleGetattr = obj instanceof PyModule ? obj.attrs.get('__getattr__') : undefined;
    if (moduleGetattr instanceof PyFunction) return this.call(moduleGetattr, { positional: [name], keywords: NO_KEYWORDS });
    const owner = this.unmodelled && this.tryDepth === 0 ? nativeOwnerName(obj) : undefined;
    if (owner) return this.unmodelledValue(`${owner}.${name}`, obj instanceof ForeignValue);
    this.raise('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
  }

  /** The Unknown an unmodelled API stands for, logged. */
  private unmodelledValue(what: string, onForeign: boolean): Unknown {
    const u = this.unknown(`${what} is not modelled`);
    u.unmodelled = true;
    // what a foreign value's attribute or method gives (a tensor's) is no submodule
    if (onForeign) u.pyType = `${what} result`;
    const log = this.unmodelled!;
    if (log.values.length < 50 && !log.values.some((v) => v.reason === u.reason && v.file === u.file && v.line === u.line))
      log.values.push({ what, reason: u.reason, file: u.file, line: u.line, onForeign });
    return u;
  }

  /** A call of an unknown function: logged when it was handed foreign values (tensors) or is an unmodelled API. */
  private unknownCalled(fn: Unknown, args: CallArgs): void {
    const log = this.unmodelled;
    if (!log || log.control.length >= 20) return;
    const all = [...args.positional, ...args.keywords.values()];
    const unmodelled = this.isUnmodelled(fn);
    if (!unmodelled && !all.some((v) => v instanceof ForeignValue)) return;
    const f = this.frame;
    const withObject = unmodelled && all.some((v) => v instanceof PyInstance);
    log.control.push({ kind: 'call', reason: fn.reason, file: f?.module.file, line: f ? f.line + 1 : undefined, withObject });
  }

  /** getattr without raising: undefined when absent. */
  lookupAttr(obj: Value, name: string): Value | undefined {
    if (obj instanceof PyInstance) {
      // a class's own __getattribute__ (transformers' PretrainedConfig maps attribute names) answers
      // first; an AttributeError from it means "not found", as in Python
      const getattribute = obj.cls.lookup('__getattribute__');
      if (getattribute instanceof PyFunction) {
        try {
          return this.call(this.bindIfFunction(getattribute, obj), { positional: [name], keywords: NO_KEYWORDS });
        } catch (e) {
          if (e instanceof PyRaise && e.exc.cls.isSubclassOf(this.classes.exceptions.AttributeError)) return undefined;
          throw e;
        }
      }
    }
    return this.genericLookupAttr(obj, name);
  }

  /** object.__getattribute__: attribute lookup without a class's own __getattribute__. */
  genericLookupAttr(obj: Value, name: string): Value | undefined {
    if (obj instanceof Unknown) return obj;
    if (obj instanceof PyInstance) {
      const v = this.instanceAttr(obj, name);
      const mixin = v === undefined ? enumMixinValue(obj) : undefined;
      return mixin === undefined ? v : this.lookupAttr(mixin, name);
    }
    if (obj instanceof PyClass) {
      if (this.depTrace && obj.def && obj.file === this.depTrace.file) this.depTrace.lines.add(obj.def.line);
      const descriptorGet = descriptorMethod(obj.lookup(name), '__get__');
      if (descriptorGet) return this.call(descriptorGet, { positional: [null, obj], keywords: NO_KEYWORDS });
      if (name === '__mro__') return new PyTuple(obj.mro);
      if (name === '__bases__') return new PyTuple(obj.bases);
      if (name === '__subclasses__') return new PyBuiltin('__subclasses__', () => new PyList([...(obj.subclasses ?? [])]));
      if (name === '__class__') return this.classes.type;
      const found = obj.lookup(name);
      const v = found === undefined ? this.unboundBuiltinMethod(obj, name) : found;
      if (v === undefined) return obj.unknownBaseReason() ? this.unknown(obj.unknownBaseReason()!) : undefined;
      if (v instanceof PyClassMethod) return new PyBoundMethod(obj, v.fn);
      if (v instanceof PyStaticMethod) return v.fn;
      return v;
    }
    if (obj instanceof PyModule) {
      const v = moduleAttr(obj, name);
      if (v !== undefined) return v;
      if (obj.attrs.get('__wattlens_unresolved__')) return this.unknown(`${obj.name}.${name}: ${obj.attrs.get('__wattlens_unresolved__')}`);
      if (name === '__name__') return obj.name;
      if (name === '__dict__') return this.builtinMethod(obj, name);
      return undefined;
    }
    if (obj instanceof PySuper) {
      const mro = obj.self instanceof PyClass ? obj.self.mro : obj.self instanceof PyInstance ? obj.self.cls.mro : [];
      const start = mro.indexOf(obj.start);
      for (const c of mro.slice(start + 1)) {
        const v = c.dict.has(name)
          ? c.dict.get(name)
          : c.native?.methods?.[name]
            ? c.nativeMethod(name, c.native.methods[name])
            : undefined;
        if (v !== undefined) {
          if (v instanceof PyClassMethod) return new PyBoundMethod(obj.self instanceof PyInstance ? obj.self.cls : obj.self, v.fn);
          if (v instanceof PyProperty && obj.self instanceof PyInstance) return this.propertyGet(v, obj.self, name);
          if (name === '__init_subclass__') return new PyBoundMethod(obj.self, v instanceof PyClassMethod ? v.fn : v);
          return obj.self instanceof PyInstance ? this.bindIfFunction(v, obj.self) : v;
        }
      }
      // object.__init_subclass__ and object.__set_name__ accept the call and do nothing
      if (name === '__init_subclass__' || name === '__set_name__') return OBJECT_NOOP;
      return undefined;
    }
    if (obj instanceof ForeignValue) return this.foreign.getAttr(obj, name, this);
    if (obj instanceof PyProperty) return this.propertyAttr(obj, name);
    if (obj instanceof PyFunction) {
      const own = obj.attrs.get(name);
      if (own !== undefined) return own;
      if (name === '__name__' || name === '__qualname__') return obj.name;
      if (name === '__module__') return obj.module.name;
      if (name === '__doc__') return null;
      if (name === '__class__') return this.builtins.vars.get('object');
      return obj.attrs.get(name);
    }
    if (obj instanceof PyBuiltin) {
      if (name === '__name__') return obj.name.split('.').pop()!;
      return obj.attrs?.get(name);
    }
    if (obj instanceof PyBoundMethod) {
      if (name === '__self__') return obj.self;
      if (name === '__func__') return obj.fn;
      return this.lookupAttr(obj.fn, name);
    }
    if (obj instanceof PyPartial) {
      if (name === 'func') return obj.fn;
      if (name === 'args') return new PyTuple(obj.args);
      if (name === 'keywords') return PyDict.of([...obj.keywords]);
      return undefined;
    }
    if (obj instanceof PyTuple && obj.fields) {
      const i = obj.fields.indexOf(name);
      if (i >= 0) return obj.items[i];
    }
    if (obj instanceof SymInt && name === 'real') return obj;
    const method = this.builtinMethod(obj, name);
    return method;
  }

  /** `str.isalnum(c)`, `list.append(xs, x)`: a builtin type's method taken from the class, called with its instance first. */
  private unboundBuiltinMethod(cls: PyClass, name: string): PyBuiltin | undefined {
    const c = this.classes;
    if (![c.str, c.list, c.dict, c.set, c.tuple, c.int, c.float].includes(cls) || name.startsWith('__')) return undefined;
    return new PyBuiltin(`${cls.name}.${name}`, (a) => {
      const [self, ...rest] = a.positional;
      if (self === undefined) return this.raise('TypeError', `unbound method ${cls.name}.${name}() needs an argument`);
      return this.call(this.getAttr(self, name), { positional: rest, keywords: a.keywords });
    });
  }

  /** Methods of builtin types (str.format, list.append, ...), provided by builtins.ts. */
  builtinMethod: (obj: Value, name: string) => Value | undefined = () => undefined;

  private instanceAttr(obj: PyInstance, name: string): Value | undefined {
    const classAttr = obj.cls.lookup(name);
    // a property is a data descriptor: it wins over the instance dict
    if (classAttr instanceof PyProperty && !classAttr.cached) return this.propertyGet(classAttr, obj, name);
    const getter = descriptorMethod(classAttr, '__get__');
    if (getter && (descriptorMethod(classAttr, '__set__') || descriptorMethod(classAttr, '__delete__')))
      return this.call(getter, { positional: [obj, obj.cls], keywords: NO_KEYWORDS });
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    if (getter) return this.call(getter, { positional: [obj, obj.cls], keywords: NO_KEYWORDS });
    if (classAttr instanceof PyProperty) {
      const v = this.propertyGet(classAttr, obj, name);
      obj.attrs.set(name, v);
      return v;
    }
    const hooked = obj.cls.instanceAttrHooks()?.get?.(obj, name, this);
    if (hooked !== undefined) return hooked;
    if (name === '__class__') return obj.cls;
    if (name === '__dict__') return sharedItems(obj) ? obj : new InstanceDict(obj.attrs);
    if (classAttr === undefined) return obj.cls.unknownBaseReason() ? this.unknown(obj.cls.unknownBaseReason()!) : undefined;
    return this.bindIfFunction(classAttr, obj);
  }

  /** `del obj.name`: the class's hook, then a property's deleter, then the instance dict. */
  deleteAttr(obj: PyInstance, name: string): void {
    if (obj.cls.instanceAttrHooks()?.delete?.(obj, name, this)) return;
    const prop = obj.cls.lookup(name);
    const deleter = descriptorMethod(prop, '__delete__');
    if (deleter) {
      this.call(deleter, { positional: [obj], keywords: NO_KEYWORDS });
      return;
    }
    if (prop instanceof PyProperty && !prop.cached) {
      if (prop.fdel === null) this.raise('AttributeError', `property '${name}' of '${obj.cls.name}' object has no deleter`);
      this.call(prop.fdel, { positional: [obj], keywords: NO_KEYWORDS });
      return;
    }
    (sharedItems(obj) ?? obj.attrs).delete(name);
  }

  private propertyGet(prop: PyProperty, obj: PyInstance, name: string): Value {
    if (prop.fget === null) this.raise('AttributeError', `property '${name}' of '${obj.cls.name}' object has no getter`);
    return this.call(prop.fget, { positional: [obj], keywords: NO_KEYWORDS });
  }

  /** Attributes of a property object: its functions and the decorators that copy it with one replaced. */
  private propertyAttr(p: PyProperty, name: string): Value | undefined {
    const copyWith = (part: 'fget' | 'fset' | 'fdel') =>
      new PyBuiltin(`property.${name}`, (a) => {
        const fn = a.positional[0] ?? null;
        return new PyProperty(part === 'fget' ? fn : p.fget, part === 'fset' ? fn : p.fset, part === 'fdel' ? fn : p.fdel, p.doc);
      });
    switch (name) {
      case 'getter':
        return copyWith('fget');
      case 'setter':
        return copyWith('fset');
      case 'deleter':
        return copyWith('fdel');
      case 'fget':
      case 'fset':
      case 'fdel':
        return p[name];
      case '__doc__':
        return p.doc;
    }
    return undefined;
  }

  /** The foreign-value semantics; a foreign value without them is a bug in whoever made it. */
  get foreign(): ForeignSemantics {
    if (!this.options.foreign) throw new Error('a foreign value reached an interpreter built without foreign semantics');
    return this.options.foreign;
  }

  private getAttrOrUnknown(obj: Value, name: string): Value {
    return this.lookupAttr(obj, name) ?? this.unknown(`${typeName(obj)} has no attribute ${name}`);
  }

  /** `obj.name = value`; `raw` is object.__setattr__ (a class's own __setattr__ is not called again). */
  setAttr(obj: Value, name: string, value: Value, raw = false): void {
    if (obj instanceof PyInstance) {
      const own = raw ? undefined : obj.cls.lookup('__setattr__');
      if (own instanceof PyFunction) {
        this.call(this.bindIfFunction(own, obj), { positional: [name, value], keywords: NO_KEYWORDS });
        return;
      }
      if (obj.cls.instanceAttrHooks()?.set?.(obj, name, value, this)) return;
      if (name === '__dict__' && replaceInstanceDict(obj, value)) return;
      const prop = obj.cls.lookup(name);
      const setter = descriptorMethod(prop, '__set__');
      if (setter) {
        this.call(setter, { positional: [obj, value], keywords: NO_KEYWORDS });
        return;
      }
      if (prop instanceof PyProperty && !prop.cached) {
        if (prop.fset === null) this.raise('AttributeError', `property '${name}' of '${obj.cls.name}' object has no setter`);
        this.call(prop.fset, { positional: [obj, value], keywords: NO_KEYWORDS });
        return;
      }
      (sharedItems(obj) ?? obj.attrs).set(name, value);
      return;
    }
    if (obj instanceof PyClass) obj.dict.set(name, value);
    else if (obj instanceof PyFunction) obj.attrs.set(name, value);
    else if (obj instanceof PyModule) obj.attrs.set(name, value);
    else if (obj instanceof PyBuiltin) (obj.attrs ??= new Map()).set(name, value);
    else if (obj instanceof ForeignValue) this.foreign.setAttr(obj, name, value, this);
    else if (obj instanceof Unknown) return;
    else this.raise('AttributeError', `'${typeName(obj)}' object attribute '${name}' is read-only`);
  }

  // ───────────────────────────── items ─────────────────────────────

  getItem(obj: Value, index: Value): Value {
    if (obj instanceof Unknown) return obj;
    if (obj instanceof ForeignValue) return this.foreign.getItem(obj, index, this);
    if (obj instanceof PyList || obj instanceof PyTuple || typeof obj === 'string') {
      const seq: readonly Value[] | string = typeof obj === 'string' ? obj : obj.items;
      if (index instanceof PySlice) {
        const r = sliceIndices(index, seq.length);
        if (r instanceof Unknown) return r;
        const picked: Value[] = [];
        for (let i = r.start; r.step > 0 ? i < r.stop : i > r.stop; i += r.step) picked.push(typeof seq === 'string' ? seq[i] : seq[i]);
        if (typeof obj === 'string') return (picked as string[]).join('');
        return obj instanceof PyList ? new PyList(picked) : new PyTuple(picked);
      }
      const i = numericValue(index);
      if (i === null || index instanceof PyFloat) {
        if (index instanceof Unknown || index instanceof SymInt) return this.unknown(`index into a sequence is not known`);
        this.raise('TypeError', `indices must be integers, not ${typeName(index)}`);
      }
      const j = i < 0 ? i + seq.length : i;
      if (j < 0 || j >= seq.length) this.raise('IndexError', 'index out of range');
      return seq[j];
    }
    if (obj instanceof PyDict) {
      // a defaultdict's miss inserts: not a failed lookup
      const v = obj.defaultFactory !== undefined && obj.defaultFactory !== null ? obj.get(index) : this.dictGet(obj, index);
      if (v !== undefined) return v;
      if (index instanceof Unknown) return index;
      if (obj.unknownKey) return obj.unknownKey;
      if (obj.defaultFactory !== undefined && obj.defaultFactory !== null) {
        const d = this.call(obj.defaultFactory, { positional: [], keywords: NO_KEYWORDS });
        obj.set(index, d);
        return d;
      }
      this.raise('KeyError', this.repr(index));
    }
    if (obj instanceof PyRange) {
      const i = numericValue(index);
      if (i === null) return this.unknown('range index');
      const j = i < 0 ? i + obj.length : i;
      return obj.start + j * obj.step;
    }
    if (obj instanceof PyInstance || obj instanceof PyClass) {
      const gi = obj instanceof PyInstance ? obj.cls.lookup('__getitem__') : obj.lookup('__class_getitem__');
      if (gi) return this.call(this.bindIfFunction(gi, obj), { positional: [index], keywords: NO_KEYWORDS });
      if (obj instanceof PyClass) return obj; // typing generics such as List[int]
    }
    if (obj instanceof PyBuiltin) return obj; // typing.Optional[...] and friends
    // a kernel launch (`kernel[grid](...)`) through a decorator we could not see (triton.jit)
    const hidden = obj instanceof PyFunction ? unknownDecorators.get(obj) : undefined;
    if (hidden) return this.unknown(`${(obj as PyFunction).name}[…]: its decorator is unknown (${hidden})`);
    this.raise('TypeError', `'${typeName(obj)}' object is not subscriptable`);
  }

  setItem(obj: Value, index: Value, value: Value): void {
    if (obj instanceof Unknown) return;
    if (obj instanceof PyList) {
      const i = numericValue(index);
      if (i === null) {
        if (index instanceof PySlice) {
          const r = sliceIndices(index, obj.items.length);
          const items = this.iterate(value);
          if (!(r instanceof Unknown) && !(items instanceof Unknown) && r.step === 1)
            obj.items.splice(r.start, Math.max(0, r.stop - r.start), ...items);
        }
        return;
      }
      const j = i < 0 ? i + obj.items.length : i;
      if (j < 0 || j >= obj.items.length) this.raise('IndexError', 'list assignment index out of range');
      obj.items[j] = value;
      return;
    }
    if (obj instanceof PyDict) {
      obj.set(index, value);
      return;
    }
    if (obj instanceof ForeignValue) {
      this.foreign.setItem(obj, index, value, this);
      return;
    }
    if (obj instanceof PyInstance) {
      const si = obj.cls.lookup('__setitem__');
      if (si) {
        this.call(this.bindIfFunction(si, obj), { positional: [index, value], keywords: NO_KEYWORDS });
        return;
      }
    }
    this.raise('TypeError', `'${typeName(obj)}' object does not support item assignment`);
  }

  // ───────────────────────────── iteration / truth ─────────────────────────────

  iterate(v: Value): Value[] | Unknown {
    if (v instanceof PyRange && !fitsOneValue(v.length)) return this.notBuilt('range', notMaterialised('range', v.length));
    const lazy = this.iterateLazy(v);
    if (lazy instanceof Unknown) return lazy;
    const out: Value[] = Array.isArray(lazy) ? (lazy as Value[]) : [];
    if (v instanceof PyRange) {
      // its length fits one value (checked above): no generator needed
      const { start, stop, step } = v;
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
        this.tick();
        out.push(i);
      }
    } else if (!Array.isArray(lazy))
      for (const x of lazy) {
        this.tick();
        if (!fitsOneValue(out.length + 1)) return this.notBuilt('sequence', notMaterialised('sequence', out.length + 1));
        out.push(x);
      }
    // a tuple's own items are not a new allocation
    const refused = v instanceof PyTuple && out === v.items ? undefined : this.memory.refuse('sequence', out.length);
    return refused ? this.notBuilt('sequence', refused) : out;
  }

  iterateLazy(v: Value): Iterable<Value> | Unknown {
    if (v instanceof PyList) return [...this.whole(v).items];
    if (v instanceof PyTuple) return v.items as Value[];
    if (typeof v === 'string') return [...v];
    if (v instanceof PyDict) return this.whole(v).keys();
    if (v instanceof PySet) return this.whole(v).items();
    if (v instanceof PyRange) return rangeIterable(v);
    if (v instanceof PyIterator) {
      const rest = v.items.slice(v.index);
      v.index = v.items.length;
      return rest;
    }
    if (v instanceof ForeignValue) return this.foreign.iterate(v, this);
    if (v instanceof Unknown) return v;
    if (v instanceof PyClass) {
      // iteration over a class is its metaclass's __iter__ (Enum members)
      const ci = v.lookup('__class_iter__');
      if (ci) return this.iterateLazy(this.call(this.bindIfFunction(ci, v), { positional: [], keywords: NO_KEYWORDS }));
    }
    if (v instanceof SymInt) return this.unknown('iteration over a symbolic value');
    if (v instanceof PyInstance) {
      const it = v.cls.lookup('__iter__');
      if (it) return this.iterateLazy(this.call(this.bindIfFunction(it, v), { positional: [], keywords: NO_KEYWORDS }));
      const gi = v.cls.lookup('__getitem__');
      const len = v.cls.lookup('__len__');
      if (gi && len) {
        const n = this.call(this.bindIfFunction(len, v), { positional: [], keywords: NO_KEYWORDS });
        if (typeof n !== 'number') return this.unknown('length unknown');
        const out: Value[] = [];
        for (let i = 0; i < n; i++) out.push(this.call(this.bindIfFunction(gi, v), { positional: [i], keywords: NO_KEYWORDS }));
        return out;
      }
    }
    this.raise('TypeError', `'${typeName(v)}' object is not iterable`);
  }

  truthy(v: Value): boolean | Unknown {
    if (v === null) return false;
    switch (typeof v) {
      case 'boolean':
        return v;
      case 'number':
        return v !== 0;
      case 'string':
        return v.length > 0;
    }
    if (v instanceof Unknown) return v;
    if (v instanceof PyFloat) return v.v !== 0;
    if (v instanceof SymInt) return true; // dimensions are positive
    if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
    if (v instanceof PyDict) return v.entries.size > 0;
    if (v instanceof PySet) return v.entries.size > 0;
    if (v instanceof PyRange) return v.length > 0;
    if (v instanceof ForeignValue) return this.foreign.truthy(v);
    if (v instanceof PyInstance) {
      const b = v.cls.lookup('__bool__') ?? v.cls.lookup('__len__');
      if (b) {
        const r = this.call(this.bindIfFunction(b, v), { positional: [], keywords: NO_KEYWORDS });
        return this.truthy(r);
      }
      if (v.payload && typeof v.payload === 'object' && 'enumValue' in (v.payload as object)) return true;
    }
    return true;
  }

  // ───────────────────────────── operators ─────────────────────────────

  binary(op: string, a: Value, b: Value, inplace: boolean): Value {
    // IntEnum and str-mixin enum members compute as their value
    a = enumMixinValue(a) ?? a;
    b = enumMixinValue(b) ?? b;
    if (a instanceof ForeignValue || b instanceof ForeignValue) return this.foreign.binary(inplace ? `${op}=` : op, a, b, this);
    if (op === '@' && (a instanceof Unknown || b instanceof Unknown)) return a instanceof Unknown ? a : b;
    const r = scalarBinary(op, a, b, Math.min(MAX_VALUE_ELEMENTS, this.memory.limit - this.memory.used));
    if (r !== undefined) return this.charged(r);
    if (a instanceof PySet && b instanceof PySet) {
      const s = setAlgebra(op, a, b);
      if (s) return s;
    }
    if (a instanceof PyInstance) {
      const m = a.cls.lookup(DUNDER[op] ?? '');
      if (m) return this.call(this.bindIfFunction(m, a), { positional: [b], keywords: NO_KEYWORDS });
    }
    if (b instanceof PyInstance) {
      const m = b.cls.lookup(RDUNDER[op] ?? '');
      if (m) return this.call(this.bindIfFunction(m, b), { positional: [a], keywords: NO_KEYWORDS });
    }
    const union = op === '|' ? typeUnion(a, b) : undefined;
    if (union) return union;
    if ((op === '/' || op === '//' || op === '%') && numericValue(b) === 0) this.raise('ZeroDivisionError', 'division by zero');
    this.raise('TypeError', `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }

  unary(op: string, v: Value): Value {
    if (v instanceof ForeignValue) return this.foreign.unary(op, v, this);
    if (v instanceof Unknown) return v;
    const n = numericValue(v);
    if (n !== null) {
      if (op === '-') return v instanceof PyFloat ? new PyFloat(-n) : n === 0 ? 0 : -n;
      if (op === '+') return v instanceof PyFloat ? v : n;
      if (op === '~') return ~n;
    }
    const s = asSymNum(v);
    if (s !== null && op === '-') return scalarBinary('*', v, -1)!;
    if (op === '+' && s !== null) return v;
    this.raise('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`);
  }

  compare(op: string, a: Value, b: Value): Value {
    if (op !== 'is' && op !== 'is not' && op !== 'in' && op !== 'not in') {
      a = enumMixinValue(a) ?? a;
      b = enumMixinValue(b) ?? b;
    }
    switch (op) {
      case 'is':
      case 'is not': {
        if (a instanceof Unknown) return a;
        if (b instanceof Unknown) return b;
        return op === 'is' ? identical(a, b) : !identical(a, b);
      }
      case 'in':
      case 'not in': {
        const r = this.contains(b, a);
        if (r instanceof Unknown) return r;
        return op === 'in' ? r : !r;
      }
    }
    if (a instanceof ForeignValue || b instanceof ForeignValue) return this.foreign.compare(op, a, b, this);
    if (a instanceof Unknown) return a;
    if (b instanceof Unknown) return b;
    if (a instanceof PySet && b instanceof PySet) {
      const r = setCompare(op, a, b);
      if (r !== undefined) return r;
    }
    if (op === '==' || op === '!=' || op === '<>') {
      const dtypes = numpyDtypeEquals(a, b);
      if (dtypes !== undefined) return op === '==' ? dtypes : !dtypes;
      let eq = a instanceof PyInstance ? this.instanceEquals(a, b) : scalarEquals(a, b);
      if (eq === undefined && a instanceof PyInstance) eq = a === b;
      if (eq === undefined) return this.unknown(`comparison ${this.repr(a)} ${op} ${this.repr(b)} depends on symbolic dims`);
      return op === '==' ? eq : !eq;
    }
    const r = scalarOrder(op, a, b);
    if (r === undefined) {
      if (a instanceof SymInt || b instanceof SymInt)
        return this.unknown(`comparison ${this.repr(a)} ${op} ${this.repr(b)} depends on symbolic dims`);
      this.raise('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
    }
    return r;
  }

  /** a == b for an instance: its __eq__, a dataclass's field-wise equality, else identity; undefined when unknown. */
  private instanceEquals(a: PyInstance, b: Value): boolean | undefined {
    if (a === b) return true;
    const m = a.cls.lookup('__eq__');
    if (m && !(m instanceof PyBuiltin)) {
      const r = this.truthy(this.call(this.bindIfFunction(m, a), { positional: [b], keywords: NO_KEYWORDS }));
      return r instanceof Unknown ? undefined : r;
    }
    const fields = a.cls.dataclassFields;
    if (fields && b instanceof PyInstance && b.cls === a.cls) {
      for (const f of fields) {
        const r = this.truthy(this.compare('==', a.attrs.get(f.name) ?? null, b.attrs.get(f.name) ?? null));
        if (r !== true) return r === false ? false : undefined;
      }
      return true;
    }
    return scalarEquals(a, b) ?? undefined;
  }

  contains(container: Value, item: Value): boolean | Unknown {
    if (container instanceof Unknown) return container;
    if (typeof container === 'string') return typeof item === 'string' ? container.includes(item) : false;
    if (container instanceof PyDict)
      return this.dictGet(container, item) !== undefined || (container.unknownKey ?? (item instanceof Unknown ? item : false));
    if (container instanceof PySet) return container.has(item) || this.whole(container).has(item);
    if (container instanceof PyRange) {
      const n = numericValue(item);
      const r = container;
      return (
        n !== null &&
        Number.isInteger(n) &&
        (r.step > 0 ? n >= r.start && n < r.stop : n <= r.start && n > r.stop) &&
        (n - r.start) % r.step === 0
      );
    }
    if (container instanceof PyInstance) {
      const m = container.cls.lookup('__contains__');
      if (m) {
        const r = this.truthy(this.call(this.bindIfFunction(m, container), { positional: [item], keywords: NO_KEYWORDS }));
        return r;
      }
    }
    const items = this.iterate(container);
    if (items instanceof Unknown) return items;
    for (const x of items) if (scalarEquals(x, item) === true || x === item || numpyDtypeEquals(x, item) === true) return true;
    return false;
  }

  // ───────────────────────────── text ─────────────────────────────

  str(v: Value): string {
    if (typeof v === 'string') return v;
    if (v instanceof PyDtype && v.library === 'numpy') return v.name;
    return this.repr(v);
  }

  repr(v: Value): string {
    if (v === null) return 'None';
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return `'${v}'`;
    if (v instanceof PyFloat) return floatRepr(v.v);
    if (v instanceof SymInt) return v.poly.toString();
    if (v instanceof PyList && v.typeName === 'deque')
      return `deque([${v.items.map((x) => this.repr(x)).join(', ')}]${v.maxlen === null || v.maxlen === undefined ? '' : `, maxlen=${v.maxlen}`})`;
    if (v instanceof PyList) return `[${v.items.map((x) => this.repr(x)).join(', ')}]`;
    if (v instanceof PyTuple) return `(${v.items.map((x) => this.repr(x)).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    if (v instanceof PyDict && v.typeName === 'dict')
      return `{${v
        .keys()
        .map((k) => `${this.repr(k)}: ${this.repr(v.get(k)!)}`)
        .join(', ')}}`;
    if (v instanceof PySet) {
      const items = v
        .items()
        .map((x) => this.repr(x))
        .join(', ');
      return v.frozen ? `frozenset({${items}})` : items ? `{${items}}` : 'set()';
    }
    if (v instanceof PyClass) return `<class '${v.name}'>`;
    if (v instanceof PyInstance) {
      if (typeof v.payload === 'string') return v.payload;
      return `<${v.cls.name}>`;
    }
    if (v instanceof Unknown) return '?';
    if (v instanceof ForeignValue) return this.foreign.repr(v);
    if (v instanceof PyDtype) return v.library === 'numpy' ? `dtype('${v.name}')` : `torch.${v.name}`;
    return `<${typeName(v)}>`;
  }
}

/** numpy compares a dtype equal to its scalar type (np.float64) and to its name ('float64'). */
function numpyDtypeEquals(a: Value, b: Value): boolean | undefined {
  const [d, other] = a instanceof PyDtype && a.library === 'numpy' ? [a, b] : b instanceof PyDtype && b.library === 'numpy' ? [b, a] : [];
  if (!d) return undefined;
  if (other instanceof PyDtype) return other.name === d.name;
  if (typeof other === 'string') return other === d.name;
  return undefined;
}

const DUNDER: Record<string, string> = {
  '+': '__add__',
  '-': '__sub__',
  '*': '__mul__',
  '/': '__truediv__',
  '//': '__floordiv__',
  '%': '__mod__',
  '@': '__matmul__',
  '**': '__pow__',
};
const RDUNDER: Record<string, string> = Object.fromEntries(Object.entries(DUNDER).map(([k, v]) => [k, v.replace('__', '__r')]));

function setAlgebra(op: string, a: PySet, b: PySet): PySet | undefined {
  const out = new PySet();
  out.frozen = a.frozen;
  switch (op) {
    case '|':
      for (const x of [...a.items(), ...b.items()]) out.add(x);
      return out;
    case '&':
      for (const x of a.items()) if (b.has(x)) out.add(x);
      return out;
    case '-':
      for (const x of a.items()) if (!b.has(x)) out.add(x);
      return out;
    case '^':
      for (const x of a.items()) if (!b.has(x)) out.add(x);
      for (const x of b.items()) if (!a.has(x)) out.add(x);
      return out;
  }
  return undefined;
}

function setCompare(op: string, a: PySet, b: PySet): boolean | undefined {
  const sub = (x: PySet, y: PySet) => x.items().every((v) => y.has(v));
  switch (op) {
    case '==':
      return a.entries.size === b.entries.size && sub(a, b);
    case '!=':
      return !(a.entries.size === b.entries.size && sub(a, b));
    case '<=':
      return sub(a, b);
    case '<':
      return sub(a, b) && a.entries.size < b.entries.size;
    case '>=':
      return sub(b, a);
    case '>':
      return sub(b, a) && b.entries.size < a.entries.size;
  }
  return undefined;
}

/** `[first, ...rest]` without the spread's iterator protocol (a bound method's call). */
function withFirst(first: Value, rest: readonly Value[]): Value[] {
  // exact sizes for the usual short lists (a push-grown array reserves 17 slots)
  switch (rest.length) {
    case 0:
      return [first];
    case 1:
      return [first, rest[0]];
    case 2:
      return [first, rest[0], rest[1]];
    case 3:
      return [first, rest[0], rest[1], rest[2]];
  }
  const out: Value[] = [first];
  for (let i = 0; i < rest.length; i++) out.push(rest[i]);
  return out;
}

/**
 * The number of positional arguments when the call passes plain positional ones, then only plain
 * keywords; else -1 (a `*xs` or `**kw`, or a positional one after a keyword).
 */
function leadingPositional(args: readonly Arg[]): number {
  let positional = 0;
  for (let i = 0; i < args.length; i++) {
    const kind = args[i].kind;
    if (kind === 'pos') {
      if (positional !== i) return -1;
      positional++;
    } else if (kind !== 'kw') return -1;
  }
  return positional;
}

function identical(a: Value, b: Value): boolean {
  if (a === b) return true;
  // small ints and strings are interned in CPython; model code relies on `x is None` and `type(x) is str`
  return false;
}

/** A descriptor's __get__ / __set__ / __delete__ written in Python, bound to the descriptor. */
function descriptorMethod(attr: Value | undefined, name: '__get__' | '__set__' | '__delete__'): PyBoundMethod | undefined {
  if (!(attr instanceof PyInstance)) return undefined;
  const fn = attr.cls.lookup(name);
  return fn instanceof PyFunction ? new PyBoundMethod(attr, fn) : undefined;
}

const OBJECT_NOOP = new PyBuiltin('object.__init_subclass__', () => null);

function findNative(cls: PyClass, name: string) {
  for (const c of cls.mro) {
    if (c.dict.has('__init__') && name === '__construct__') return undefined;
    const m = c.native?.methods?.[name];
    if (m) return m;
  }
  return undefined;
}

/** A range's numbers on demand; an iterator object of its own is cheaper to step than a generator. */
function rangeIterable(r: PyRange): Iterable<Value> {
  const { stop, step } = r;
  let i = r.start;
  const done = { value: undefined, done: true } as const;
  const iterator: Iterator<Value> = {
    next: () => {
      if (step > 0 ? i >= stop : i <= stop) return done;
      const value = i;
      i += step;
      return { value, done: false };
    },
  };
  return { [Symbol.iterator]: () => iterator };
}

/** Python's slice.indices(length). */
export function sliceIndices(s: PySlice, length: number): { start: number; stop: number; step: number } | Unknown {
  const get = (v: Value, d: number | null): number | null | Unknown => {
    if (v === null) return d;
    const n = numericValue(v);
    if (n === null) return v instanceof Unknown ? v : new Unknown('slice bound is symbolic');
    return n;
  };
  const stepRaw = get(s.step, 1);
  if (stepRaw instanceof Unknown) return stepRaw;
  const step = stepRaw ?? 1;
  const lo = get(s.lo, null);
  const hi = get(s.hi, null);
  if (lo instanceof Unknown) return lo;
  if (hi instanceof Unknown) return hi;
  const clamp = (x: number, def: number, lower: number, upper: number) => {
    if (x === null) return def;
    let v = x < 0 ? x + length : x;
    v = Math.max(lower, Math.min(upper, v));
    return v;
  };
  if (step > 0)
    return { start: lo === null ? 0 : clamp(lo, 0, 0, length), stop: hi === null ? length : clamp(hi, length, 0, length), step };
  return {
    start: lo === null ? length - 1 : clamp(lo, length - 1, -1, length - 1),
    stop: hi === null ? -1 : clamp(hi, -1, -1, length - 1),
    step,
  };
}

/** C3 linearisation, as Python computes __mro__. */
export function computeMro(cls: PyClass): PyClass[] {
  const seqs = [...cls.bases.map((b) => [...b.mro]), [...cls.bases]];
  const out: PyClass[] = [cls];
  for (;;) {
    const nonEmpty = seqs.filter((s) => s.length > 0);
    if (nonEmpty.length === 0) return out;
    const head = nonEmpty.map((s) => s[0]).find((h) => !nonEmpty.some((s) => s.indexOf(h) > 0));
    if (!head) {
      // inconsistent hierarchy: fall back to depth-first order without duplicates
      for (const s of nonEmpty) for (const c of s) if (!out.includes(c)) out.push(c);
      return out;
    }
    out.push(head);
    for (const s of nonEmpty) if (s[0] === head) s.shift();
  }
}

/** A loop's header as written, shortened to fit in a reason. */
function loopHeader(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function shortFile(file: string): string {
  return file.split('/').slice(-2).join('/');
}

/** What Interpreter.unmodelled logs while it is set. */
export interface UnmodelledLog {
  /** Unknown values made for unmodelled APIs (what, why, 1-based line). */
  values: { what: string; reason: string; file?: string; line?: number; onForeign: boolean }[];
  /** Conditions, loops and calls that an unknown decided or swallowed. */
  control: UnmodelledEvent[];
}

export interface UnmodelledEvent {
  kind: 'condition' | 'loop' | 'call';
  reason: string;
  /** A loop's header as written (`for i in range(n)`, `while x`): the loop ran zero times or stopped. */
  statement?: string;
  /** A call of an unmodelled API that was handed an object (a module it may change). */
  withObject?: boolean;
  file?: string;
  /** 1-based. */
  line?: number;
}

/** The name of a native module, class or foreign value (whose missing attributes are unmodelled APIs). */
function nativeOwnerName(obj: Value): string | undefined {
  if (obj instanceof PyModule) return obj.file === undefined ? obj.name : undefined;
  if (obj instanceof ForeignValue) return typeName(obj);
  if (obj instanceof PyClass) return obj.def === undefined && !obj.file ? obj.name : undefined;
  return undefined;
}

/** A module's attribute, or a name a deferred import of it binds (None is null, so no `??`). */
function moduleAttr(mod: PyModule, name: string): Value | undefined {
  const v = mod.attrs.get(name);
  return v !== undefined || !mod.lazy ? v : mod.lazy.resolve(name);
}
