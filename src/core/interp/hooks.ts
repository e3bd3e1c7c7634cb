// What the interpreter needs from the outside: the semantics of foreign values (torch's
// tensors), attribute behaviour of marked classes (nn.Module's registries), module loading
// (imports), and a sink for costs. Kept as interfaces so the Python language core stays
// independent of torch and of the file system: src/core/torch implements them and the engine
// hands them over when it builds the interpreter. Nothing in src/core/interp imports torch.
import type { Interpreter } from './interpreter';
import type { ModuleContext } from './moduleContext';
import type { Stmt } from '../python/ast';
import type { ForeignValue, PyDict, PyInstance, PyList, PyModule, PySet, Unknown, Value } from './values';

/** Python behaviour of ForeignValue: the interpreter dispatches here whenever an operand is one. */
export interface ForeignSemantics {
  /** `a op b` (op ends in `=` for augmented assignment) where a or b is foreign. */
  binary(op: string, a: Value, b: Value, it: Interpreter): Value;
  unary(op: string, v: ForeignValue, it: Interpreter): Value;
  /** `a op b` for ==, !=, <, <=, >, >= where a or b is foreign. */
  compare(op: string, a: Value, b: Value, it: Interpreter): Value;
  getAttr(v: ForeignValue, name: string, it: Interpreter): Value | undefined;
  setAttr(v: ForeignValue, name: string, value: Value, it: Interpreter): void;
  getItem(v: ForeignValue, index: Value, it: Interpreter): Value;
  setItem(v: ForeignValue, index: Value, value: Value, it: Interpreter): void;
  iterate(v: ForeignValue, it: Interpreter): Value[] | Unknown;
  truthy(v: ForeignValue): boolean | Unknown;
  len(v: ForeignValue): Value;
  /** The number a one-element value stands for (int(), float(), range()), when known. */
  scalar(v: ForeignValue): number | undefined;
  /** Text for messages and repr(). */
  repr(v: ForeignValue): string;
}

/**
 * Attribute behaviour of the instances of a class marked with `PyClass.attrHooks` (and of its
 * subclasses), as a Python class overriding __setattr__ / __getattr__ / __delattr__ has:
 * nn.Module registers parameters, submodules and buffers this way.
 */
export interface InstanceAttrHooks {
  /** Runs first on `obj.name = value`; true when it stored the value itself (else data descriptors, then the instance dict). */
  set?(obj: PyInstance, name: string, value: Value, it: Interpreter): boolean;
  /** Consulted after data descriptors and the instance dict, before class attributes. */
  get?(obj: PyInstance, name: string, it: Interpreter): Value | undefined;
  /** Runs first on `del obj.name`; true when it removed the attribute itself. */
  delete?(obj: PyInstance, name: string, it: Interpreter): boolean;
  /** copy.copy (deep false) and copy.deepcopy (deep true) of an instance. */
  copy?(obj: PyInstance, deep: boolean, it: Interpreter): Value;
}

export interface ModuleLoader {
  /** A module by absolute dotted name, evaluated once; Unknown module when it cannot be resolved. */
  importModule(name: string, from: ModuleContext | undefined, it: Interpreter): PyModule;
  /**
   * Lazy loading: an `import` / `from … import` statement of a module's top level about to run
   * in `from`; true when the loader deferred it (its names are bound on first use).
   */
  deferImport?(stmt: Extract<Stmt, { k: 'import' | 'importfrom' }>, from: ModuleContext, it: Interpreter): boolean;
  /**
   * A string key missed in a dict (`d[k]`, `k in d`, `d.get(k)`): true when the loader ran deferred
   * modules that might register it (a registry filled by decorators), so the lookup is redone.
   */
  loadForMissingKey?(dict: PyDict, key: string, it: Interpreter): boolean;
  /** A dict, list or set about to be read whole (iteration, `len`, `keys()`, a miss of `in`): the loader runs deferred modules that may fill it. */
  completeCollection?(c: PyDict | PyList | PySet, it: Interpreter): void;
  /** importlib.util.find_spec: whether an import of `name` would find a module (nothing is run). */
  canFind?(name: string): boolean;
  /** open() of a text file for reading: its text, or why it is not read (outside the roots, too large, not a file). */
  readDataFile?(path: string): { text: string } | { reason: string };
}
