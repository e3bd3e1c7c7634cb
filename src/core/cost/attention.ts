// Attention: scaled dot product (q·kᵀ and weights·v) and multi-head attention built on it.
import { symAdd, symMul, symProduct, symSum, type SymNum } from '../interp/symbolic';
import { floorDiv, fmt, fmtProduct } from './dims';
import { linear } from './linear';
import type { LayerCost } from './types';

/** Softmax over the scores: FLOPs per score element. */
export const SOFTMAX_FLOPS = 5;

export interface AttentionShape {
  /** Batch dims in front of (L, E); heads may be among them (F.scaled_dot_product_attention) or apart (`heads`). */
  batch: readonly SymNum[];
  queryLength: SymNum;
  keyLength: SymNum;
  /** Width of q and k, and of v, summed over `heads` when they are given apart. */
  qkDim: SymNum;
  vDim: SymNum;
  /** Heads not among the batch dims (nn.MultiheadAttention): they split the widths, not the MACs. */
  heads?: SymNum;
}

/** Scaled dot-product attention: MACs = batch·L·S·(E + Ev); softmax 5·batch·heads·L·S elementwise. */
export function attention(a: AttentionShape): LayerCost {
  const heads = a.heads ?? 1;
  const L = a.queryLength;
  const S = a.keyLength;
  const macs = symAdd(symProduct([...a.batch, L, S, a.qkDim]), symProduct([...a.batch, L, S, a.vDim]));
  const scoreElements = symProduct([...a.batch, heads, L, S]);
  const headDim = a.heads === undefined ? a.qkDim : floorDiv(a.qkDim, heads, 'embed_dim / num_heads');
  return {
    attention: { queryLength: L, keyLength: S, scoreElements, scoreMacs: macs, headDim },
    macs,
    elementwise: symMul(SOFTMAX_FLOPS, scoreElements),
    formula: `MACs = batch·L·S·(E + Ev) = ${fmtProduct(a.batch)}·${fmt(L)}·${fmt(S)}·(${fmt(a.qkDim)} + ${fmt(a.vDim)})`,
  };
}

/**
 * nn.MultiheadAttention: MACs = B·(T·E² + S·E·kdim + S·E·vdim + 2·T·S·E + T·E²): the q, k, v
 * projections, attention over all heads, the output projection.
 */
export function multiheadAttention(m: {
  batch: SymNum;
  queryLength: SymNum;
  keyLength: SymNum;
  embed: SymNum;
  kdim: SymNum;
  vdim: SymNum;
  heads: SymNum;
}): LayerCost {
  const { batch: B, queryLength: T, keyLength: S, embed: E } = m;
  const scores = attention({ batch: [B], queryLength: T, keyLength: S, qkDim: E, vDim: E, heads: m.heads });
  const macs = symSum([
    linear([B, T, E], E, E).cost.macs, // q projection
    linear([B, S, m.kdim], m.kdim, E).cost.macs, // k projection
    linear([B, S, m.vdim], m.vdim, E).cost.macs, // v projection
    scores.macs,
    linear([B, T, E], E, E).cost.macs, // output projection
  ]);
  return {
    attention: scores.attention,
    macs,
    elementwise: scores.elementwise,
    formula: `MACs = B·(T·E² + S·E·kdim + S·E·vdim + 2·T·S·E + T·E²) with B=${fmt(B)}, T=${fmt(T)}, S=${fmt(S)}, E=${fmt(E)}`,
  };
}
