// Elementwise layers (activations, dropout, merges) and lookups: FLOPs per element, no MACs.
import { symMul, symProduct, type SymNum } from '../interp/symbolic';
import { SOFTMAX_FLOPS } from './attention';
import type { LayerCost } from './types';

/** FLOPs per element: an activation 1, a softmax 5, dropout and reshapes 0. */
export const FLOPS_PER_ELEMENT = { activation: 1, softmax: SOFTMAX_FLOPS, none: 0 } as const;

/** Elementwise: FLOPs = perElement·numel(shape); MACs 0. */
export function elementwise(shape: readonly SymNum[], perElement: number): LayerCost {
  return { macs: 0, elementwise: symMul(perElement, symProduct(shape)) };
}

/** Embedding lookup: output = indices + [dim]; no MACs, no FLOPs (a gather). */
export function embedding(indices: readonly SymNum[], dim: SymNum): { output: SymNum[]; cost: LayerCost } {
  return { output: [...indices, dim], cost: { macs: 0, elementwise: 0 } };
}
