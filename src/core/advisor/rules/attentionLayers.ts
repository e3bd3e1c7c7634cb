// Rules for nn.MultiheadAttention and long sequences:
// - `mha-sdpa`: calls that discard the attention weights but still ask for them
//   (need_weights defaults to True) get need_weights=False, which lets torch take the SDPA
//   path and skips materialising the averaged T×S weights; batch_first=True is named as the
//   condition of the fused fast path (not rewritten: it changes the input layout).
// - `local-attention`: at long sequence lengths, what sliding-window and linear attention
//   would cost, from the engine's own attention figures (a suggestion, no rewrite).
import type { Expr, Stmt } from '../../python/ast';
import type { LayerReport, ModelReport } from '../../report/types';
import { blocks, dotted, functions, initAssignment, readsName, selfAttr, stmtExprs, walkExpr } from '../astQuery';
import { addKeywordArguments } from '../textEdits';
import type { Finding, Rule, RuleContext } from '../types';
import { figuresOf } from '../figures';

type Call = Extract<Expr, { k: 'call' }>;

/** `self.attn(...)` calls whose attribute is an nn.MultiheadAttention, and whether their weights are read. */
function mhaCalls(ctx: RuleContext): { row: number; attr: string; call: Call; weightsUsed: boolean }[] {
  const out: { row: number; attr: string; call: Call; weightsUsed: boolean }[] = [];
  for (const { cls, fn } of functions(ctx.ast)) {
    const isMha = (c: Expr): c is Call => {
      const attr = c.k === 'call' ? selfAttr(c.fn) : undefined;
      const init = attr ? initAssignment(cls, attr) : undefined;
      return !!attr && init?.k === 'call' && /(^|\.)MultiheadAttention$/.test(dotted(init.fn) ?? '');
    };
    for (const block of blocks(fn.body))
      block.forEach((s: Stmt, i) => {
        // `self.attn(...)[0]` anywhere in the statement: the weights are dropped
        const firstOnly = new Set<Expr>();
        for (const e of stmtExprs(s))
          walkExpr(e, (x) => void (x.k === 'sub' && x.index.k === 'num' && x.index.v === 0 && isMha(x.obj) && firstOnly.add(x.obj)));
        for (const e of stmtExprs(s))
          walkExpr(e, (x) => {
            if (!isMha(x)) return;
            let weightsUsed = !firstOnly.has(x);
            // h, _ = self.attn(...): used only when the second name is read later
            if (s.k === 'assign' && s.value === x && (s.targets[0].k === 'tuple' || s.targets[0].k === 'list')) {
              const w = s.targets[0].items[1];
              weightsUsed = !(w?.k === 'name' && (w.id === '_' || !readsName(block.slice(i + 1), w.id)));
            }
            out.push({ row: x.line, attr: selfAttr(x.fn)!, call: x, weightsUsed });
          });
      });
  }
  return out;
}

function kwarg(call: Extract<Expr, { k: 'call' }>, name: string): Expr | undefined {
  return call.args.find((a) => a.kind === 'kw' && a.name === name)?.value;
}

export const mhaSdpaRule: Rule = {
  id: 'mha-sdpa',
  title: 'nn.MultiheadAttention: skip the attention weights nobody reads (need_weights=False)',
  find(ctx) {
    const findings: Finding[] = [];
    for (const c of mhaCalls(ctx)) {
      const nw = kwarg(c.call, 'need_weights');
      if ((nw && !(nw.k === 'const' && nw.v === true)) || c.call.args.filter((a) => a.kind === 'pos').length > 4) continue;
      const edit = c.weightsUsed
        ? undefined
        : addKeywordArguments(ctx.lines, c.call.line, new RegExp(`self\\.${c.attr}`), 'need_weights=False');
      findings.push({
        rule: 'mha-sdpa',
        line: c.row + 1,
        message: c.weightsUsed
          ? `self.${c.attr} returns its attention weights and the code reads them; where they are not needed, need_weights=False lets nn.MultiheadAttention use scaled_dot_product_attention (and batch_first=True its fused fast path).`
          : `self.${c.attr}(...) computes attention weights that are discarded: need_weights=False lets nn.MultiheadAttention use scaled_dot_product_attention and skips the T×S weights (batch_first=True additionally enables its fused inference fast path; not changed here because it changes the input layout).`,
        edits: edit ? [edit] : undefined,
        assumptions: ['the second output (attention weights) is not used after the call'],
      });
    }
    return findings;
  },
};

const WINDOW = 256;
const LONG_SEQUENCE = 1024;

function attentionRows(m: ModelReport): LayerReport[] {
  return m.layers.filter((l) => l.attention && typeof l.attention.keyLength === 'number' && l.attention.scoreMacs !== null);
}

export const localAttentionRule: Rule = {
  id: 'local-attention',
  title: 'Long sequences: sliding-window or linear attention',
  find(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.report.models) {
      const rows = attentionRows(m).filter((l) => (l.attention!.keyLength as number) >= LONG_SEQUENCE);
      if (!rows.length || m.macs === null) continue;
      const S = rows[0].attention!.keyLength as number;
      const T = typeof rows[0].attention!.queryLength === 'number' ? rows[0].attention!.queryLength : S;
      const scoreMacs = rows.reduce((s, l) => s + (l.attention!.scoreMacs ?? 0), 0);
      const d = typeof rows[0].attention!.headDim === 'number' ? rows[0].attention!.headDim : undefined;
      const windowMacs = m.macs - scoreMacs + (scoreMacs * Math.min(WINDOW, S)) / S;
      const linearMacs = d === undefined ? null : m.macs - scoreMacs + (scoreMacs * d) / S;
      const share = Math.round((100 * scoreMacs) / m.macs);
      const line = rows[0].line ?? m.line ?? 1;
      findings.push({
        rule: 'local-attention',
        line,
        message: `At T=${T}, S=${S} the attention score products are ${share}% of ${m.name}'s MACs and grow with T·S. Sliding-window attention (window ${WINDOW}) would cost ${fmt(windowMacs)} MACs in total${linearMacs === null ? '' : `; linear attention (feature size ${d}) ${fmt(linearMacs)}`} (now ${fmt(m.macs)}).`,
        estimate: {
          model: m.name,
          after: { ...figuresOf(m), macs: Math.round(windowMacs) },
          assumptions: [
            `sliding window of ${WINDOW} keys per query: the q·kᵀ and weights·v products shrink by ${WINDOW}/${S}`,
            'projections and feed-forward layers unchanged; memory of the score matrix scales the same way',
            'a different model: accuracy must be re-validated; no automatic rewrite',
          ],
        },
      });
    }
    return findings;
  },
};

function fmt(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [v, s] of units) if (n >= v) return `${(n / v).toFixed(2)}${s}`;
  return String(Math.round(n));
}
