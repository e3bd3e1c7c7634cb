// Rules for nn.MultiheadAttention and long sequences:
// - `mha-sdpa`: calls that discard the attention weights but still ask for them
//   (need_weights defaults to True) get need_weights=False, which lets torch take the SDPA
//   path and skips materialising the averaged T×S weights; batch_first=True is named as the
//   condition of the fused fast path (not rewritten: it changes the input layout).
// - `local-attention`: at long sequence lengths, what sliding-window and linear attention
//   would cost, from the engine's own attention figures (a suggestion, no rewrite).
import type { ClassDef, Expr, Stmt } from '../../python/ast';
import { unparse } from '../../python/unparse';
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

/** A function of the file that builds a causal −inf square mask (CLIP's build_attention_mask), or torch's own helper. */
function causalMaskBuilder(ctx: RuleContext): string | undefined {
  for (const { fn } of functions(ctx.ast)) {
    const text =
      fn.body.flatMap((s) => stmtExprs(s).map(unparse)).join('\n') +
      blocks(fn.body)
        .flat()
        .flatMap((s) => stmtExprs(s).map(unparse))
        .join('\n');
    if (/inf/.test(text) && /triu_?\(/.test(text) && /(fill_|full)\(/.test(text)) return fn.name;
  }
  return /generate_square_subsequent_mask/.test(ctx.text) ? 'generate_square_subsequent_mask' : undefined;
}

/** Whether a module built by `init` was given batch_first=True. */
function batchFirst(init: Expr | undefined): boolean {
  const b = init?.k === 'call' ? kwarg(init, 'batch_first') : undefined;
  return b?.k === 'const' && b.v === true;
}

/**
 * nn.MultiheadAttention calls that already skip the weights, and nn.TransformerEncoder(Layer)s:
 * a note naming what still keeps them off the fused path (batch_first=False, a causal mask
 * passed as a −inf square tensor instead of is_causal=True).
 */
function fastPathNotes(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const builder = causalMaskBuilder(ctx);
  for (const { cls, fn } of functions(ctx.ast)) {
    for (const block of blocks(fn.body))
      for (const s of block)
        for (const e of stmtExprs(s))
          walkExpr(e, (x) => {
            if (x.k !== 'call') return;
            const attr = selfAttr(x.fn);
            const init = attr ? initAssignment(cls, attr) : undefined;
            const kind =
              init?.k === 'call'
                ? /(?:^|\.)(MultiheadAttention|TransformerEncoder|TransformerEncoderLayer|TransformerDecoderLayer)$/.exec(
                    dotted(init.fn) ?? '',
                  )?.[1]
                : undefined;
            if (!kind || !attr) return;
            const nw = kwarg(x, 'need_weights');
            // calls that still return weights are mha-sdpa's finding (one cause, one finding)
            if (kind === 'MultiheadAttention' && !(nw?.k === 'const' && nw.v === false)) return;
            const layerInit = kind === 'TransformerEncoder' && init?.k === 'call' ? resolveLayer(cls, init) : init;
            const blockers: string[] = [];
            if (!batchFirst(layerInit))
              blockers.push(
                'batch_first=False: the fused fast path needs batch_first=True (inputs as (batch, seq, feature); not rewritten: it changes the input layout)',
              );
            const mask = kwarg(x, kind === 'MultiheadAttention' ? 'attn_mask' : 'mask');
            if (mask && builder && !(mask.k === 'const' && mask.v === null))
              blockers.push(
                `the mask is a float −inf square mask (causal, built by ${builder}): where it is the causal mask, is_causal=True (torch ≥ 2.0) lets the kernel skip the masked half instead of adding a T×T tensor`,
              );
            if (!blockers.length) return;
            out.push({
              rule: 'mha-sdpa',
              line: x.line + 1,
              message: `self.${attr} (nn.${kind}) does not take the fused attention path: ${blockers.join('; ')}.`,
              assumptions: ['a note: no automatic rewrite'],
            });
          });
  }
  return out;
}

/** The layer an nn.TransformerEncoder repeats: its first argument, or the name it was assigned to in __init__. */
function resolveLayer(cls: ClassDef | undefined, encoder: Extract<Expr, { k: 'call' }>): Expr | undefined {
  const first = encoder.args[0]?.value as Expr | undefined;
  if (first?.k === 'call') return first;
  const init = cls?.body.find((s) => s.k === 'def' && s.name === '__init__');
  if (first?.k !== 'name' || init?.k !== 'def') return undefined;
  for (const b of blocks(init.body))
    for (const s of b) if (s.k === 'assign' && s.targets.some((t) => t.k === 'name' && t.id === first.id)) return s.value;
  return undefined;
}

export const mhaSdpaRule: Rule = {
  id: 'mha-sdpa',
  title: 'nn.MultiheadAttention: skip the attention weights nobody reads (need_weights=False)',
  find(ctx) {
    const findings: Finding[] = fastPathNotes(ctx);
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
      // causal attention: flash-style kernels already skip the masked half of the T×S products, so
      // the saving is measured from ≈ half of them (the figures keep the engine's dense count otherwise)
      const causal = /is_causal\s*=\s*True/.test(ctx.text) || /torch\.tril\(/.test(ctx.text);
      const baseline = causal ? scoreMacs / 2 : scoreMacs;
      const windowMacs = m.macs - baseline + (scoreMacs * Math.min(WINDOW, S)) / S;
      const linearMacs = d === undefined ? null : m.macs - baseline + (scoreMacs * d) / S;
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
            ...(causal
              ? [
                  `causal attention: a flash-style kernel with is_causal=True already skips the masked half (≈ T²/2 score products), so the saving is counted from ${fmt(scoreMacs / 2)} score MACs, not ${fmt(scoreMacs)}`,
                ]
              : []),
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
