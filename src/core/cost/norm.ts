// Normalisation layers: the parameters they create and their elementwise FLOPs (no MACs).
import { symMul, symProduct, type SymNum } from '../interp/symbolic';
import type { LayerCost } from './types';

/** FLOPs per element of each normalisation. */
export const NORM_FLOPS = {
  /** torch at inference: running statistics folded into one scale and shift. */
  batch: 2,
  /** TF.js's batchNorm kernel: (x − mean)·rsqrt(var + ε)·γ + β, not folded. */
  batchUnfolded: 5,
  instance: 5,
  group: 5,
  layer: 5,
  rms: 4,
  localResponse: 5,
} as const;

export type NormKind = keyof typeof NORM_FLOPS;

/** Norm: elementwise = flops(kind)·numel(input); MACs 0. */
export function norm(kind: NormKind, input: readonly SymNum[]): LayerCost {
  return { macs: 0, elementwise: symMul(NORM_FLOPS[kind], symProduct(input)) };
}

/**
 * Norm parameters: a scale (weight, γ) and a shift (bias, β) over the normalised features when
 * enabled (RMSNorm: scale only); batch norms add running mean and variance as buffers.
 */
export function normParams(
  features: readonly SymNum[],
  opts: { scale: boolean; shift: boolean },
): { scale: SymNum[] | null; shift: SymNum[] | null } {
  return { scale: opts.scale ? [...features] : null, shift: opts.shift ? [...features] : null };
}
