// What one call of a layer or op costs: the one shape every front end reports in, the
// PyTorch catalogue (src/core/ops) and the TF.js layer table (src/core/tfjs/layers.ts) alike.
import type { SymNum } from '../interp/symbolic';

/** What an attention computation costs in its T×S part (for T² diagnostics and the advisor). */
export interface AttentionCost {
  /** Query length T and key length S. */
  queryLength: SymNum;
  keyLength: SymNum;
  /** Elements of the score matrix (batch·heads·T·S). */
  scoreElements: SymNum;
  /** MACs of q·kᵀ and weights·v together. */
  scoreMacs: SymNum;
  /** Per-head feature size (for linear-attention estimates). */
  headDim: SymNum;
}

/** The cost of one call, in torchvision's convention. N is SymNum for PyTorch, number for TF.js (whose E adds null). */
export interface LayerCost<N = SymNum, E = N> {
  /** Multiply-accumulates: convolutions, linear layers, matrix products (attention's two included), recurrent gates. */
  macs: N;
  /** Elementwise FLOPs, reported apart: activations, normalisation, pooling, softmax, merges (TF.js: null when an activation is not named). */
  elementwise: E;
  /** The cost formula with the actual numbers, e.g. "MACs = rows·in·out = 1·4096·4096". */
  formula?: string;
  attention?: AttentionCost;
}

/** Multiply-accumulates only (elementwise zero). */
export function macsOnly(macs: SymNum, formula?: string): LayerCost {
  return { macs, elementwise: 0, formula };
}
