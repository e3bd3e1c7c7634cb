// Pooling: output sizes and elementwise FLOPs (no MACs).
import { symMul, symProduct, type SymNum } from '../interp/symbolic';
import { convOutput, samePaddingOutput } from './dims';
import type { LayerCost } from './types';

export interface PoolWindow {
  kernel: readonly SymNum[];
  stride: readonly SymNum[];
  /** Per spatial dim, or 'same' / 'valid' (TF.js). */
  padding: readonly SymNum[] | 'same' | 'valid';
  dilation?: readonly SymNum[];
  ceilMode?: boolean;
}

/** Max/avg pool output sizes: the conv rule ⌊(in + 2p − d·(k − 1) − 1)/s⌋ + 1, ⌈·⌉ in ceil mode; 'same': ⌈in/s⌉. */
export function poolSpatial(spatialIn: readonly SymNum[], w: PoolWindow): SymNum[] {
  const pad = w.padding;
  if (pad === 'same') return spatialIn.map((h, i) => samePaddingOutput(h, w.stride[i]));
  return spatialIn.map((h, i) =>
    convOutput(h, w.kernel[i], w.stride[i], pad === 'valid' ? 0 : pad[i], w.dilation?.[i] ?? 1, w.ceilMode ?? false),
  );
}

/** Max/avg pool: elementwise = numel(output)·∏k. */
export function pool(output: readonly SymNum[], kernel: readonly SymNum[]): LayerCost {
  return { macs: 0, elementwise: symMul(symProduct(output), symProduct(kernel)) };
}

/** Adaptive and global pools: elementwise = numel(input) (every input element is read once). */
export function adaptivePool(input: readonly SymNum[]): LayerCost {
  return { macs: 0, elementwise: symProduct(input) };
}
