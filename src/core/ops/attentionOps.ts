// F.multi_head_attention_forward, the function nn.MultiheadAttention runs: priced as the layer is
// (cost.multiheadAttention: the q, k, v projections, attention over all heads, the output projection).
import { PyTuple, type Value } from '../interp/values';
import * as cost from '../cost';
import { Tensor } from '../torch/tensor';
import { reasonOf, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { dimOf } from './shapes';

function truthy(v: Value | undefined, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : v === true || (typeof v === 'number' && v !== 0);
}

/** Inputs are (L, N, E) or unbatched (L, E); outputs (L, N, E) and the weights (N, L, S) or None. */
function multiHeadAttentionForward(a: Map<string, Value>): OpResult {
  const q = a.get('query');
  const k = a.get('key');
  const v = a.get('value');
  for (const [x, what] of [
    [q, 'query'],
    [k, 'key'],
    [v, 'value'],
  ] as const)
    if (!(x instanceof Tensor) || !x.shape || x.shape.length < 2) return unknownResult(reasonOf(x, what), true);
  const [qs, ks, vs] = [(q as Tensor).shape!, (k as Tensor).shape!, (v as Tensor).shape!];
  const batched = qs.length === 3;
  const T = qs[0];
  const S = ks[0];
  const B = batched ? qs[1] : 1;
  const e = dimOf(a.get('embed_dim_to_check'), 'embed_dim_to_check');
  const heads = dimOf(a.get('num_heads'), 'num_heads');
  const separate = truthy(a.get('use_separate_proj_weight'), false);
  const kw = a.get('k_proj_weight');
  const vw = a.get('v_proj_weight');
  const kdim = separate && kw instanceof Tensor && kw.shape ? kw.shape[kw.shape.length - 1] : ks[ks.length - 1];
  const vdim = separate && vw instanceof Tensor && vw.shape ? vw.shape[vw.shape.length - 1] : vs[vs.length - 1];
  const r = cost.multiheadAttention({ batch: B, queryLength: T, keyLength: S, embed: e, kdim, vdim, heads });
  const needWeights = truthy(a.get('need_weights'), true);
  const average = truthy(a.get('average_attn_weights'), true);
  const dtype = (q as Tensor).dtype;
  const weightShape = batched ? (average ? [B, T, S] : [B, heads, T, S]) : average ? [T, S] : [heads, T, S];
  return {
    ...r,
    output: new PyTuple([new Tensor(batched ? [T, B, e] : [T, e], dtype), needWeights ? new Tensor(weightShape, dtype) : null]),
  };
}

export const ATTENTION_OPS: Record<string, OpSpec> = {
  multi_head_attention_forward: {
    signature:
      'query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training=True, key_padding_mask=None, need_weights=True, attn_mask=None, use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None, v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True, is_causal=False',
    run: multiHeadAttentionForward,
    cost: 'MACs = B·(T·E² + S·E·kdim + S·E·vdim + 2·T·S·E + T·E²)',
  },
};
