// The shape of one entry of the op catalogue (torch.*, torch.nn.functional.*, Tensor methods).
import type { Interpreter } from '../interp/interpreter';
import type { SymNum } from '../interp/symbolic';
import type { Value } from '../interp/values';

export interface OpResult {
  attention?: import('../cost').AttentionCost;
  output: Value;
  /** Multiply-accumulates in torchvision's convention (only matmul-like ops have any). */
  macs?: SymNum;
  /** Elementwise FLOPs, reported apart from MACs. */
  elementwise?: SymNum;
  /** The output is a view or metadata: nothing is allocated or computed. */
  view?: boolean;
  formula?: string;
}

export interface OpSpec {
  /** Python signature of the torch function; methods bind `self` to the first parameter. */
  signature: string;
  run(a: Map<string, Value>, it: Interpreter, rest: { positional: Value[]; keywords: Map<string, Value> }): OpResult;
  /** How the cost is counted, for the catalogue's documentation and hovers. */
  cost?: string;
}
