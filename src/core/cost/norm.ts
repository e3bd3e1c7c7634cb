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

/** torch's check of a layer norm's input: its trailing dims must be normalized_shape (null when they match or are not known). */
export function layerNormInputError(input: readonly SymNum[], normalized: readonly SymNum[]): string | null {
  const tail = input.slice(input.length - normalized.length);
  const mismatch =
    input.length < normalized.length || normalized.some((d, i) => typeof d === 'number' && typeof tail[i] === 'number' && d !== tail[i]);
  if (!mismatch) return null;
  const list = (dims: readonly SymNum[]) => dims.map(String).join(', ');
  return `Given normalized_shape=[${list(normalized)}], expected input with shape [*, ${list(normalized)}], but got input of size[${list(input)}]`;
}
