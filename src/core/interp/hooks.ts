// What the interpreter needs from the outside: tensor semantics (torch), module loading
// (imports), and a sink for costs. Kept as interfaces so the interpreter core stays
// independent of torch and of the file system.
import type { Interpreter } from './interpreter';
import type { ModuleContext } from './moduleContext';
import type { Tensor } from '../torch/tensor';
import type { PyModule, Unknown, Value } from './values';

export interface TensorSemantics {
  binary(op: string, a: Value, b: Value, it: Interpreter): Value;
  unary(op: string, t: Tensor, it: Interpreter): Value;
  compare(op: string, a: Value, b: Value, it: Interpreter): Value;
  getAttr(t: Tensor, name: string, it: Interpreter): Value | undefined;
  setAttr(t: Tensor, name: string, value: Value, it: Interpreter): void;
  getItem(t: Tensor, index: Value, it: Interpreter): Value;
  setItem(t: Tensor, index: Value, value: Value, it: Interpreter): void;
  iterate(t: Tensor, it: Interpreter): Value[] | Unknown;
  truthy(t: Tensor): boolean | Unknown;
  len(t: Tensor): Value;
}

export interface ModuleLoader {
  /** A module by absolute dotted name, evaluated once; Unknown module when it cannot be resolved. */
  importModule(name: string, from: ModuleContext | undefined, it: Interpreter): PyModule;
}
