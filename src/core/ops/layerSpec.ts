// The shape of one entry of the layer catalogue: how an nn layer is constructed
// (parameters, buffers, attributes) and what one forward call costs.
import type { LayerCost } from '../cost';
import type { Interpreter } from '../interp/interpreter';
import type { SymNum } from '../interp/symbolic';
import type { PyInstance, Value } from '../interp/values';
import type { Tensor } from '../torch/tensor';

export type Shape = SymNum[];

export interface LayerInit {
  /** Parameter shapes by attribute name; null registers the name as None (e.g. bias=False). */
  params: Record<string, Shape | null>;
  /** Buffers (running statistics): memory, not parameters. */
  buffers?: Record<string, Shape | null>;
  /** Attributes torch sets on the module (in_features, kernel_size as a tuple, ...). */
  attrs: Record<string, Value>;
  /** Child layers torch creates inside (MultiheadAttention.out_proj): name → [catalogue name, args]. */
  children?: Record<string, [string, Value[], Record<string, Value>?]>;
}

export interface ForwardContext {
  inst: PyInstance;
  it: Interpreter;
  /** Positional arguments of the call. */
  inputs: Value[];
  kwargs: Map<string, Value>;
  /** An attribute of the layer as Python sees it now. */
  attr(name: string): Value;
  /** A parameter's shape (null when absent). */
  paramShape(name: string): readonly SymNum[] | null;
}

export type { AttentionCost } from '../cost';

/** What a forward call returns: the kernel's cost of the call and its output value. */
export interface LayerCall extends LayerCost {
  output: Value;
  /** The output reuses the input's memory (in-place activations, views). */
  noAllocation?: boolean;
}

export interface LayerSpec {
  /** `__init__` parameters after self, in Python syntax: "in_features, out_features, bias=True, device=None, dtype=None". */
  signature: string;
  init(a: Map<string, Value>, it: Interpreter): LayerInit;
  forward(f: ForwardContext): LayerCall;
  /** forward's parameters when callers pass them by keyword (MultiheadAttention(query=, key=, value=)); default "input". */
  forwardSignature?: string;
  /** Parameter formula with numbers for hovers ("params = 4096·4096 + 4096"). */
  paramsFormula?(f: { attr(name: string): Value }): string;
}

/** An input that is not a tensor with a known rank makes the whole call unknown. */
export function inputTensor(f: ForwardContext, i = 0): Tensor | null {
  const x = f.inputs[i];
  return x && typeof x === 'object' && 'kind' in x && x.kind === 'tensor' && (x as Tensor).shape ? (x as Tensor) : null;
}
