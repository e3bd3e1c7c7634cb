// Rules for large dense layers (suggestions, no rewrite: both change the model):
// - `semi-structured-sparsity`: nn.Linear layers whose weights meet 2:4 sparsity's shape rules
//   (data/semiStructuredSparsity.json) — the MACs it removes, from the engine's per-layer figures.
// - `mixture-of-experts`: wide feed-forward blocks (Linear d→≥4d … Linear ≥4d→d) — an MoE
//   layout with the same MACs per token and its active-parameter ratio.
import type { LayerReport, ModelReport } from '../../report/types';
import { figuresOf } from '../figures';
import type { Finding, Rule } from '../types';
import SPARSITY from '../data/semiStructuredSparsity.json';

const MIN_FEATURES = 1024;
const MIN_SHARE = 0.1;

function linearShape(l: LayerReport): { in: number; out: number } | undefined {
  const i = l.config?.in_features;
  const o = l.config?.out_features;
  return typeof i === 'number' && typeof o === 'number' ? { in: i, out: o } : undefined;
}

export const sparsityRule: Rule = {
  id: 'semi-structured-sparsity',
  title: 'Large nn.Linear layers → 2:4 semi-structured sparsity',
  changesModel: true,
  find(ctx) {
    const findings: Finding[] = [];
    const { minRows, minCols } = SPARSITY.dtypes.bfloat16;
    for (const m of ctx.report.models) {
      if (!m.macs) continue;
      const eligible = m.layers.filter((l) => {
        const s = l.type === 'Linear' ? linearShape(l) : undefined;
        return s && s.in >= MIN_FEATURES && s.out >= MIN_FEATURES && s.out % minRows === 0 && s.in % minCols === 0 && (l.macs ?? 0) > 0;
      });
      const removed = eligible.reduce((s, l) => s + (l.macs ?? 0) * SPARSITY.macFraction, 0);
      if (!eligible.length || removed / m.macs < MIN_SHARE / 2) continue;
      const lines = [...new Set(eligible.map((l) => l.line).filter((x): x is number => x !== null))];
      findings.push({
        rule: 'semi-structured-sparsity',
        line: lines[0] ?? m.line ?? 1,
        message: `${eligible.length} nn.Linear layer${eligible.length > 1 ? 's' : ''} of ${m.name} (${[
          ...new Set(
            eligible.map((l) => {
              const s = linearShape(l)!;
              return `${s.in}→${s.out}`;
            }),
          ),
        ].join(
          ', ',
        )}) meet 2:4 semi-structured sparsity's shape rules: torch.sparse.to_sparse_semi_structured on their weights removes ${fmt(removed)} of ${fmt(m.macs)} MACs (${Math.round((100 * removed) / m.macs)}%).`,
        estimate: {
          model: m.name,
          after: { ...figuresOf(m), macs: Math.round(m.macs - removed) },
          assumptions: [
            `2:4 sparsity: half of each weight's multiply-accumulates are skipped by sparse Tensor Cores (compute capability ≥ ${SPARSITY.minComputeCapability}, fp16/bf16; weight rows multiple of ${minRows}, columns of ${minCols}) — ${SPARSITY.source}`,
            'a quality trade: pruning half the weights changes the model; accuracy must be recovered by fine-tuning; torch accelerates the forward (inference) of nn.Linear',
            `only layers of at least ${MIN_FEATURES} inputs and outputs are counted`,
          ],
        },
      });
    }
    return findings;
  },
};

const EXPERTS = 8;
const ACTIVE = 2;

/** Linear d→h (h ≥ 4d) followed later by Linear h→d in the same model: a feed-forward block. */
function feedForwardPairs(m: ModelReport): { up: LayerReport; down: LayerReport; d: number; h: number }[] {
  const linears = m.layers.filter((l) => l.type === 'Linear' && linearShape(l));
  const pairs: { up: LayerReport; down: LayerReport; d: number; h: number }[] = [];
  for (const up of linears) {
    const u = linearShape(up)!;
    if (u.out < 4 * u.in) continue;
    const prefix = up.path.replace(/[^.]+$/, '');
    const down = linears.find((l) => l !== up && l.path.startsWith(prefix) && linearShape(l)!.in === u.out && linearShape(l)!.out === u.in);
    if (down) pairs.push({ up, down, d: u.in, h: u.out });
  }
  return pairs;
}

export const moeRule: Rule = {
  id: 'mixture-of-experts',
  title: 'Wide feed-forward blocks → mixture of experts',
  changesModel: true,
  find(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.report.models) {
      const pairs = feedForwardPairs(m);
      if (pairs.length === 0 || !m.uniqueParams || m.macs === null) continue;
      const ffnParams = pairs.reduce((s, p) => s + (p.up.params ?? 0) + (p.down.params ?? 0), 0);
      // E experts of width h/k with top-k routing: MACs per token unchanged, parameters × E/k
      const after = m.uniqueParams - ffnParams + (ffnParams * EXPERTS) / ACTIVE;
      const activeRatio = ACTIVE / EXPERTS;
      findings.push({
        rule: 'mixture-of-experts',
        line: pairs[0].up.line ?? m.line ?? 1,
        message: `${pairs.length} feed-forward block${pairs.length > 1 ? 's' : ''} of ${m.name} (${pairs[0].d}→${pairs[0].h}→${pairs[0].d}). A mixture of ${EXPERTS} experts of width ${pairs[0].h / ACTIVE} with top-${ACTIVE} routing keeps the MACs per token and holds ${fmt(after)} parameters, of which ${Math.round(activeRatio * 100)}% of the expert parameters are active per token.`,
        estimate: {
          model: m.name,
          after: { ...figuresOf(m), params: Math.round(after) },
          assumptions: [
            'a capacity trade, not a saving: more parameters (memory, data to train them) at the same MACs per token',
            `${EXPERTS} experts of width ${pairs[0].h}/${ACTIVE}, top-${ACTIVE} routing: active-parameter ratio ${ACTIVE}/${EXPERTS} in the feed-forward layers; router cost (d·${EXPERTS} MACs per token) ignored`,
            'a different model that must be trained; more parameters to hold in memory; no automatic rewrite',
          ],
        },
      });
    }
    return findings;
  },
};

function fmt(n: number): string {
  for (const [v, s] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as [number, string][])
    if (n >= v) return `${(n / v).toFixed(2)}${s}`;
  return String(Math.round(n));
}
