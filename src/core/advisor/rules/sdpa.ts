// Rule `sdpa`: hand-written attention — softmax(q·kᵀ·scale [+ mask]) [dropout] · v — becomes
// F.scaled_dot_product_attention, whose memory-efficient / flash kernels never keep the T×T
// score matrix. The rewrite keeps the scale, a causal mask as is_causal=True, other masks as
// attn_mask, and dropout as dropout_p (only while training, as nn.Dropout does).
import type { ClassDef, Expr, Stmt } from '../../python/ast';
import { unparse } from '../../python/unparse';
import { walkStatements } from '../../python/walk';
import {
  blocks,
  childBlocks,
  dotted,
  functionalAlias,
  functions,
  indentOf,
  initAssignment,
  isName,
  mentions,
  readsName,
  registeredBuffer,
  selfAttr,
  stmtExprs,
  walkExpr,
} from '../astQuery';
import { attentionFlows, einsumScores, einsumValues } from '../attentionFlow';
import type { Finding, LineEdit, Rule, RuleContext } from '../types';

interface Scores {
  q: Expr;
  k: Expr;
  /** Multiplier applied to the scores, or the divisor (scores / d). */
  mul?: Expr;
  div?: Expr;
  /** An additive bias added inside the product (torch.baddbmm's input with beta=1). */
  bias?: Expr;
}

/** k.transpose(-2, -1), k.transpose(2, 3), k.mT, torch.transpose(k, -2, -1) → k. */
function transposedKey(e: Expr): Expr | undefined {
  if (e.k === 'attr' && e.name === 'mT') return e.obj;
  if (e.k !== 'call') return undefined;
  const nums = e.args.map((a) =>
    a.value.k === 'num' ? a.value.v : a.value.k === 'unary' && a.value.op === '-' && a.value.e.k === 'num' ? -a.value.e.v : NaN,
  );
  const lastTwo = (a: number, b: number) => ['-2,-1', '2,3', '1,2'].includes([a, b].sort((x, y) => x - y).join());
  if (e.fn.k === 'attr' && e.fn.name === 'transpose' && e.args.length === 2 && lastTwo(nums[0], nums[1])) return e.fn.obj;
  if (dotted(e.fn) === 'torch.transpose' && e.args.length === 3 && lastTwo(nums[1], nums[2])) return e.args[0].value;
  // k.permute(0, 1, 3, 2): every dim in place but the last two, swapped
  if (e.fn.k === 'attr' && e.fn.name === 'permute' && e.args.length >= 2 && e.args.every((a) => a.kind === 'pos')) {
    const n = nums.length;
    if (nums.every((d, i) => (i < n - 2 ? d === i : i === n - 2 ? d === n - 1 : d === n - 2))) return e.fn.obj;
  }
  return undefined;
}

/** q @ kᵀ, torch.matmul(q, kᵀ), torch.bmm(q, kᵀ), q.matmul(kᵀ). */
function matmulOperands(e: Expr): [Expr, Expr] | undefined {
  if (e.k === 'bin' && e.op === '@') return [e.l, e.r];
  if (e.k !== 'call' || e.args.some((a) => a.kind !== 'pos')) return undefined;
  const fn = dotted(e.fn);
  if ((fn === 'torch.matmul' || fn === 'torch.bmm') && e.args.length === 2) return [e.args[0].value, e.args[1].value];
  if (e.fn.k === 'attr' && (e.fn.name === 'matmul' || e.fn.name === 'bmm') && e.args.length === 1 && !fn?.startsWith('torch.'))
    return [e.fn.obj, e.args[0].value];
  return undefined;
}

function matchScores(e: Expr): Scores | undefined {
  const direct = (x: Expr): Scores | undefined => {
    const es = einsumScores(x);
    if (es) return { q: es[0], k: es[1] };
    const bad = baddbmmScores(x);
    if (bad) return bad;
    const mm = matmulOperands(x);
    if (!mm) return undefined;
    const k = transposedKey(mm[1]);
    return k ? { q: mm[0], k } : undefined;
  };
  if (e.k === 'bin' && e.op === '*') {
    const l = direct(e.l);
    if (l) return { ...l, mul: e.r };
    const r = direct(e.r);
    if (r) return { ...r, mul: e.l };
  }
  if (e.k === 'bin' && e.op === '/') {
    const l = direct(e.l);
    if (l) return { ...l, div: e.r };
  }
  return direct(e);
}

/** torch.baddbmm(bias, q, kᵀ, beta=0|1, alpha=s): scores scaled by alpha, plus the bias unless beta=0. */
function baddbmmScores(e: Expr): Scores | undefined {
  if (e.k !== 'call' || dotted(e.fn) !== 'torch.baddbmm') return undefined;
  const pos = e.args.filter((a) => a.kind === 'pos').map((a) => a.value);
  const kw = (n: string) => e.args.find((a) => a.kind === 'kw' && a.name === n)?.value;
  if (pos.length !== 3 || e.args.length > 5 || e.args.some((a) => a.kind === 'kw' && a.name !== 'alpha' && a.name !== 'beta'))
    return undefined;
  const k = transposedKey(pos[2]);
  const beta = kw('beta');
  const betaValue = beta === undefined ? 1 : beta.k === 'num' ? beta.v : NaN;
  if (!k || (betaValue !== 0 && betaValue !== 1)) return undefined;
  return { q: pos[1], k, mul: kw('alpha'), bias: betaValue === 1 ? pos[0] : undefined };
}

function assigned(s: Stmt): { name: string; value: Expr } | undefined {
  if (s.k === 'assign' && s.targets.length === 1 && s.targets[0].k === 'name') return { name: s.targets[0].id, value: s.value };
  return undefined;
}

const NEG_INF = new Set([
  "float('-inf')",
  "-float('inf')",
  'float("-inf")',
  '-float("inf")',
  '-math.inf',
  '-torch.inf',
  '-np.inf',
  '-numpy.inf',
]);

/** -inf, a very negative number, or torch.finfo(...).min: what masked_fill uses to drop a position. */
function isNegInf(e: Expr): boolean {
  const text = unparse(e).replace(/\s/g, '');
  if (NEG_INF.has(text) || NEG_INF.has(text.replace(/"/g, "'")) || /torch\.finfo\(.*\)\.min$/.test(text)) return true;
  const n = e.k === 'unary' && e.op === '-' && e.e.k === 'num' ? -e.e.v : e.k === 'num' ? e.v : NaN;
  return n <= -1e4;
}

/** The softmax over the last dim of `scores`, in its spellings; returns what it is applied to. */
export function matchSoftmax(e: Expr, cls: ClassDef | undefined, anyDim = false): Expr | undefined {
  if (e.k !== 'call') return undefined;
  // a module: self.attend = nn.Softmax(dim=-1) … self.attend(dots)
  const attr = selfAttr(e.fn);
  if (attr) {
    const init = initAssignment(cls, attr);
    if (init?.k !== 'call' || !/(^|\.)Softmax$/.test(dotted(init.fn) ?? '') || e.args.length !== 1 || e.args[0].kind !== 'pos')
      return undefined;
    const dim = init.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? init.args.find((a) => a.kind === 'pos')?.value;
    return anyDim || isLastDim(dim) ? e.args[0].value : undefined;
  }
  const fn = dotted(e.fn) ?? '';
  // a dtype= upcast returns another dtype than SDPA would: not this pattern
  if (!anyDim && e.args.some((a) => a.kind === 'kwstar' || (a.kind === 'kw' && a.name !== 'dim'))) return undefined;
  const functional = /^(F|torch|nn\.functional|torch\.nn\.functional)\.softmax$/.test(fn) || /\.functional\.softmax$/.test(fn);
  const pos = e.args.filter((a) => a.kind === 'pos');
  const dim = e.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? pos[functional ? 1 : 0]?.value;
  if (!anyDim && !isLastDim(dim)) return undefined;
  if (functional) return e.args[0]?.value;
  if (e.fn.k === 'attr' && e.fn.name === 'softmax') return e.fn.obj;
  return undefined;
}

function isLastDim(dim: Expr | undefined): boolean {
  return !!dim && ((dim.k === 'unary' && dim.op === '-' && dim.e.k === 'num' && dim.e.v === 1) || (dim.k === 'num' && dim.v === 3));
}

interface Dropout {
  /** Python text of dropout_p. */
  p: string;
}

function matchDropout(e: Expr, input: string, cls: ClassDef | undefined): Dropout | undefined {
  if (e.k !== 'call') return undefined;
  const attr = selfAttr(e.fn);
  if (attr && e.args.length === 1 && isName(e.args[0].value, input)) {
    const init = initAssignment(cls, attr);
    if (init?.k === 'call' && /(^|\.)Dropout$/.test(dotted(init.fn) ?? '')) return { p: `self.${attr}.p if self.training else 0.0` };
    return undefined;
  }
  const fn = dotted(e.fn) ?? '';
  if (/(^F|functional)\.dropout$/.test(fn) && isName(e.args[0]?.value, input)) {
    const p = e.args.find((a) => a.kind === 'kw' && a.name === 'p')?.value ?? e.args[1]?.value;
    const training = e.args.find((a) => a.kind === 'kw' && a.name === 'training')?.value ?? e.args[2]?.value;
    const pText = p ? unparse(p) : '0.5';
    // F.dropout defaults to training=True
    return { p: training ? `${pText} if ${unparse(training)} else 0.0` : pText };
  }
  return undefined;
}

/** True when `mask` selects the strictly-upper triangle of a tril buffer: the usual causal mask. */
function isCausalMask(mask: Expr, cls: ClassDef | undefined): boolean {
  // self.bias[:, :, :T, :T] == 0, with bias = torch.tril(torch.ones(n, n)).view(...)
  if (mask.k === 'cmp' && mask.ops.length === 1 && mask.ops[0] === '==' && mask.rest[0].k === 'num' && mask.rest[0].v === 0)
    return isTrilSource(mask.first, cls);
  if (mask.k === 'unary' && mask.op === '~') return isTrilSource(mask.e, cls);
  if (mask.k === 'call' && mask.fn.k === 'attr' && mask.fn.name === 'logical_not') return isTrilSource(mask.fn.obj, cls);
  return false;
}

/** scores.to(dtype) / .type_as(x) around the scores in torch.where (HF casts them to their own dtype). */
function stripCast(e: Expr): Expr {
  return e.k === 'call' && e.fn.k === 'attr' && (e.fn.name === 'to' || e.fn.name === 'type_as') ? e.fn.obj : e;
}

/**
 * A keep-mask that is the causal lower triangle for a square T×T: a tril buffer sliced `[..., :T, :T]`
 * (directly or through a name). Slices from key_length − query_length (a kv cache) stay attn_mask.
 */
function isCausalKeep(keep: Expr, cls: ClassDef | undefined, body: Stmt[]): boolean {
  let e = keep;
  if (e.k === 'name') {
    const id = e.id;
    const values: Expr[] = [];
    for (const b of blocks(body)) for (const s of b) if (s.k === 'assign' && s.targets.some((t) => isName(t, id))) values.push(s.value);
    if (values.length !== 1) return false;
    e = values[0];
  }
  while (e.k === 'call' && e.fn.k === 'attr' && ['bool', 'to'].includes(e.fn.name)) e = e.fn.obj;
  if (e.k !== 'sub' || !isSquarePrefix(e.index)) return false;
  return isTrilSource(e.obj, cls);
}

/** `[:, :, :T, :T]` (or `[..., :T, :T]`): the last two slices equal prefixes. */
function isSquarePrefix(index: Expr): boolean {
  const items = index.k === 'tuple' ? index.items : [index];
  if (items.length < 2) return false;
  const [a, b] = items.slice(-2);
  const prefix = (x: Expr) => x.k === 'slice' && !x.lo && !x.step && !!x.hi;
  if (!prefix(a) || !prefix(b)) return false;
  const hi = (x: Expr) => unparse((x as Extract<Expr, { k: 'slice' }>).hi!);
  const rest = items.slice(0, -2).every((x) => (x.k === 'slice' && !x.lo && !x.hi && !x.step) || (x.k === 'const' && x.v === 'ellipsis'));
  return rest && hi(a) === hi(b);
}

function isTrilSource(e: Expr, cls: ClassDef | undefined): boolean {
  let base = e;
  while (base.k === 'sub' || (base.k === 'call' && base.fn.k === 'attr' && ['bool', 'to', 'view', 'type_as'].includes(base.fn.name)))
    base = base.k === 'sub' ? base.obj : (base.fn as Extract<Expr, { k: 'attr' }>).obj;
  const attr = selfAttr(base);
  const source = attr ? (registeredBuffer(cls, attr) ?? initAssignment(cls, attr)) : base;
  return !!source && /torch\.tril\(/.test(unparse(source));
}

export const sdpaRule: Rule = {
  id: 'sdpa',
  title: 'Hand-written attention → F.scaled_dot_product_attention',
  find(ctx: RuleContext): Finding[] {
    const findings: Finding[] = [];
    const fAlias = functionalAlias(ctx.ast);
    const sdpa = fAlias ? `${fAlias}.scaled_dot_product_attention` : 'torch.nn.functional.scaled_dot_product_attention';
    for (const { cls, fn } of functions(ctx.ast)) {
      // a manual fallback next to an existing scaled_dot_product_attention path is left alone
      let hasSdpa = false;
      walkStatements(fn.body, (e) => (hasSdpa ||= e.k === 'attr' && e.name === 'scaled_dot_product_attention'));
      if (hasSdpa) continue;
      const covered: [number, number][] = [];
      for (const block of blocks(fn.body)) {
        for (let i = 0; i < block.length; i++) {
          const m = matchAttention(block, i, cls, fn.body);
          if (!m) continue;
          const first = block[i];
          const last = block[m.lastIndex];
          const indent = indentOf(ctx.lines[first.line] ?? '');
          const later = block.slice(m.lastIndex + 1);
          const weightsUsed = m.intermediates.some((n) => n !== m.output && readsName(later, n));
          const scale = m.scores.mul ? unparse(m.scores.mul) : m.scores.div ? `1.0 / ${wrapText(unparse(m.scores.div))}` : '1.0';
          // SDPA's default scale is 1/√(q.size(-1)): written out only when it differs (scale= needs torch ≥ 2.1)
          const defaultScale = isDefaultScale(m.scores, fn.body);
          const kwargs = [
            m.mask && !m.causal ? `attn_mask=${m.mask}` : undefined,
            m.dropout ? `dropout_p=${m.dropout.p}` : undefined,
            m.causal ? 'is_causal=True' : undefined,
            defaultScale ? undefined : `scale=${scale}`,
          ].filter(Boolean);
          const args = [unparse(m.scores.q), unparse(m.scores.k), unparse(m.v), ...kwargs].join(', ');
          const sdpaCall = `${sdpa}(${args})`;
          const value = m.within ? unparse(replaceNode(m.within.whole, m.within.product, { k: 'name', id: sdpaCall, line: 0 })) : sdpaCall;
          const call = `${m.output ? `${m.output} =` : 'return'} ${value}`;
          const where = cls ? `${cls.name}.${fn.name}` : fn.name;
          findings.push({
            rule: 'sdpa',
            line: first.line + 1,
            endLine: (last.endLine ?? last.line) + 1,
            message: weightsUsed
              ? `Hand-written attention in ${where} keeps the T×T attention weights, which later code reads; F.scaled_dot_product_attention would not materialise them (no automatic rewrite while the weights are used).`
              : `Hand-written attention in ${where}: F.scaled_dot_product_attention computes the same result with memory-efficient / flash kernels that never keep the T×T scores${m.causal ? ' (causal mask → is_causal=True)' : ''}.`,
            // the matched statements go; unrelated ones between them stay; the call takes the last one's place
            edits: weightsUsed
              ? undefined
              : withoutBlankDebris(
                  ctx.lines,
                  m.matched.map((idx) => ({
                    startLine: block[idx].line,
                    endLine: block[idx].endLine ?? block[idx].line,
                    lines: idx === m.lastIndex ? [`${indent}${call}`] : [],
                  })),
                ),
            assumptions: [
              defaultScale
                ? 'F.scaled_dot_product_attention needs torch ≥ 2.0; the scale is its default 1/√(head size)'
                : 'F.scaled_dot_product_attention needs torch ≥ 2.0 (the scale= argument ≥ 2.1)',
              ...(m.finfoMask
                ? ['the mask fills with torch.finfo(dtype).min, SDPA with −inf: the same unless a query row is masked entirely']
                : []),
              m.dropout
                ? 'dropout is applied only while training, as the original nn.Dropout / F.dropout did'
                : 'no dropout on the attention weights',
              ...(m.causal
                ? [
                    'the masked buffer is lower-triangular (torch.tril), so is_causal=True is the same mask',
                    'MACs keep the dense count; with is_causal=True flash-style kernels skip the masked half of the score products (≈ T²/2 per head)',
                  ]
                : []),
            ],
          });
          covered.push([first.line, last.endLine ?? last.line]);
          i = m.lastIndex;
        }
      }
      // attention the rewrite does not prove equivalent: found by data flow, a note naming what blocks it
      const where = cls ? `${cls.name}.${fn.name}` : fn.name;
      for (const flow of attentionFlows(fn, cls)) {
        if (covered.some(([a, b]) => a <= flow.softmaxRow && flow.softmaxRow <= b)) continue;
        const first = Math.min(flow.scoresRow, flow.softmaxRow);
        const blockers = flow.blockers.length ? flow.blockers : ['its steps are written in a form the rewrite does not prove equivalent'];
        findings.push({
          rule: 'sdpa',
          line: first + 1,
          endLine: Math.max(flow.softmaxRow, flow.outputRow) + 1,
          message: `Hand-written attention in ${where} (scores line ${flow.scoresRow + 1}, softmax line ${flow.softmaxRow + 1}, values line ${flow.outputRow + 1}) keeps the T×T attention weights; F.scaled_dot_product_attention would not. No automatic rewrite: ${blockers.join('; ')}.`,
          assumptions: [
            'a note: rewriting by hand (F.scaled_dot_product_attention for the common path, the current code where the blockers apply) needs torch ≥ 2.0',
          ],
        });
      }
    }
    return findings;
  },
};

/** The head size of q or k: `k.size(-1)`, `q.shape[-1]`, or a name unpacked from / assigned to one. */
function isHeadSize(e: Expr, scores: Scores, body: Stmt[]): boolean {
  const operand = (x: Expr) => [scores.q, scores.k].some((o) => unparse(o) === unparse(x));
  const minusOne = (x: Expr | undefined) => !!x && x.k === 'unary' && x.op === '-' && x.e.k === 'num' && x.e.v === 1;
  if (e.k === 'call' && e.fn.k === 'attr' && e.fn.name === 'size' && e.args.length === 1 && minusOne(e.args[0].value))
    return operand(e.fn.obj);
  if (e.k === 'sub' && e.obj.k === 'attr' && e.obj.name === 'shape' && minusOne(e.index)) return operand(e.obj.obj);
  if (e.k !== 'name') return false;
  // `_, _, _, c = q.shape` or `c = q.size(-1)`, assigned once in the function
  const writes: Stmt[] = [];
  for (const b of blocks(body))
    for (const s of b)
      if (s.k === 'assign' && s.targets.some((t) => mentions(t, e.id)) && (s.targets[0].k === 'name' || s.targets[0].k === 'tuple'))
        writes.push(s);
  if (writes.length !== 1 || writes[0].k !== 'assign') return false;
  const w = writes[0];
  const t = w.targets[0];
  if (t.k === 'name') return isHeadSize(w.value, scores, []);
  const last = t.k === 'tuple' ? t.items[t.items.length - 1] : undefined;
  return isName(last, e.id) && w.value.k === 'attr' && w.value.name === 'shape' && operand(w.value.obj);
}

/** True when the written scale is provably SDPA's default 1/√(head size). */
function isDefaultScale(scores: Scores, body: Stmt[]): boolean {
  const sqrtOf = (x: Expr): Expr | undefined =>
    x.k === 'call' && /^(math|np|numpy)\.sqrt$/.test(dotted(x.fn) ?? '') && x.args.length === 1
      ? x.args[0].value
      : x.k === 'bin' && x.op === '**' && x.r.k === 'num' && x.r.v === 0.5
        ? x.l
        : undefined;
  if (scores.div) {
    const inner = sqrtOf(scores.div);
    return !!inner && isHeadSize(inner, scores, body);
  }
  if (scores.mul) {
    const m = scores.mul;
    // 1 / sqrt(d), 1.0 / math.sqrt(d), d ** -0.5
    if (m.k === 'bin' && m.op === '/' && m.l.k === 'num' && m.l.v === 1) {
      const inner = sqrtOf(m.r);
      return !!inner && isHeadSize(inner, scores, body);
    }
    if (m.k === 'bin' && m.op === '**' && m.r.k === 'unary' && m.r.op === '-' && m.r.e.k === 'num' && m.r.e.v === 0.5)
      return isHeadSize(m.l, scores, body);
  }
  return false;
}

/**
 * Statements removed from between blank lines would leave blank lines in a row: the rewrite
 * also removes each blank line that would follow another one, so the file keeps its spacing.
 */
function withoutBlankDebris(lines: string[], edits: LineEdit[]): LineEdit[] {
  const removed = new Set<number>();
  for (const e of edits) if (e.lines.length === 0) for (let r = e.startLine; r <= e.endLine; r++) removed.add(r);
  const first = Math.min(...edits.map((e) => e.startLine));
  const last = Math.max(...edits.map((e) => e.endLine));
  const blank = (r: number) => (lines[r] ?? '').trim() === '';
  const out = [...edits];
  let previousBlank = first === 0 || blank(first - 1);
  for (let r = first; r <= last; r++) {
    if (removed.has(r)) continue;
    const replaced = edits.find((e) => e.startLine <= r && r <= e.endLine && e.lines.length > 0);
    if (!replaced && blank(r)) {
      if (previousBlank) out.push({ startLine: r, endLine: r, lines: [] });
      previousBlank = true;
    } else previousBlank = false;
  }
  return out;
}

function wrapText(t: string): string {
  return /^[\w.]+(\(.*\))?$/.test(t) ? t : `(${t})`;
}

interface AttentionMatch {
  lastIndex: number;
  /** Indices of the statements that make up the attention (others in between are kept). */
  matched: number[];
  scores: Scores;
  v: Expr;
  /** The variable the result is assigned to; undefined when it is returned directly. */
  output: string | undefined;
  mask?: string;
  causal: boolean;
  finfoMask: boolean;
  dropout?: Dropout;
  intermediates: string[];
  /** The product sits inside a larger expression of the last statement: the call replaces it there. */
  within?: { whole: Expr; product: Expr };
}

/** Matches the statement sequence of hand-written attention starting at block[i]. */
function matchAttention(block: Stmt[], i: number, cls: ClassDef | undefined, fnBody: Stmt[]): AttentionMatch | undefined {
  const a0 = assigned(block[i]);
  if (!a0) return undefined;
  // the first statement: the scores, or the softmax of the scores written inline
  const inlineSoftmax = matchSoftmax(a0.value, cls);
  const first = matchScores(inlineSoftmax ?? a0.value);
  if (!first) return undefined;
  const state = new AttentionState(first, a0.name, !!inlineSoftmax, cls, fnBody);
  if (first.bias) state.mask = unparse(first.bias);
  const matched = [i];
  const operandNames = new Set<string>();
  for (const e of [first.q, first.k]) walkExpr(e, (x) => void (x.k === 'name' && operandNames.add(x.id)));
  for (let j = i + 1; j < block.length; j++) {
    const s = block[j];
    const step = state.step(s);
    if (step === 'skip') {
      // a nested block that touches the attention (if head_mask is not None: attn = attn * head_mask) is a step the rewrite would lose
      if (childBlocks(s).some((b) => state.names().some((n) => readsName(b, n)))) return undefined;
      // an unrelated statement (a mask built in between) stays, unless it changes q or k
      const writes = s.k === 'assign' ? s.targets.flatMap((t) => (t.k === 'name' ? [t.id] : [])) : [];
      if (writes.some((w) => operandNames.has(w))) return undefined;
      continue;
    }
    if (step === 'stop') return undefined;
    matched.push(j);
    if (step === 'done') {
      const withDependents = removeDependents(block, i, j, matched, state.result!);
      return withDependents && { ...state.result!, lastIndex: j, matched: withDependents };
    }
  }
  return undefined;
}

/** The steps of hand-written attention, consumed one statement at a time. */
class AttentionState {
  mask?: string;
  causal = false;
  finfoMask = false;
  dropout?: Dropout;
  intermediates: string[];
  result?: Omit<AttentionMatch, 'lastIndex' | 'matched'>;

  constructor(
    private scores: Scores,
    private current: string,
    private softmaxDone: boolean,
    private readonly cls: ClassDef | undefined,
    private readonly fnBody: Stmt[],
  ) {
    this.intermediates = [current];
  }

  private finfoName = false;

  /** The names the attention's intermediates have had so far. */
  names(): string[] {
    return [...this.intermediates];
  }

  /** −inf / finfo.min, or a name of this function assigned only such values (HF: mask_value = torch.full([], finfo.min)). */
  private isFillValue(e: Expr): boolean {
    if (isNegInf(e)) return true;
    if (e.k !== 'name') return false;
    const values: Expr[] = [];
    for (const b of blocks(this.fnBody))
      for (const s of b) if (s.k === 'assign' && s.targets.some((t) => isName(t, e.id))) values.push(s.value);
    const ok = (v: Expr): boolean =>
      isNegInf(v) ||
      isName(v, e.id) ||
      (v.k === 'call' && /(^|\.)(full|tensor)$/.test(dotted(v.fn) ?? '') && v.args.some((x) => ok(x.value) && x.kind === 'pos'));
    const fill = values.length > 0 && values.every(ok);
    if (fill) this.finfoName = values.some((v) => /finfo/.test(unparse(v)));
    return fill;
  }

  private advance(name: string | undefined): 'next' {
    if (name) {
      this.current = name;
      this.intermediates.push(name);
    }
    return 'next';
  }

  step(s: Stmt): 'next' | 'done' | 'skip' | 'stop' {
    const a = assigned(s);
    const current = this.current;
    if (!this.softmaxDone && !this.scores.mul && !this.scores.div) {
      // scale applied afterwards: att = att * s, att *= s, att /= d
      if (s.k === 'augassign' && isName(s.target, current) && (s.op === '*=' || s.op === '/=')) {
        this.scores = s.op === '*=' ? { ...this.scores, mul: s.value } : { ...this.scores, div: s.value };
        return 'next';
      }
      if (a && a.value.k === 'bin' && (a.value.op === '*' || a.value.op === '/') && isName(a.value.l, current)) {
        this.scores = a.value.op === '*' ? { ...this.scores, mul: a.value.r } : { ...this.scores, div: a.value.r };
        return this.advance(a.name);
      }
    }
    if (!this.softmaxDone && !this.mask) {
      // masks: masked_fill(M, -inf), masked_fill_, or an additive mask
      const fill = (e: Expr) =>
        e.k === 'call' &&
        e.fn.k === 'attr' &&
        (e.fn.name === 'masked_fill' || e.fn.name === 'masked_fill_') &&
        isName(e.fn.obj, current) &&
        e.args.length === 2 &&
        isNegInf(e.args[1].value)
          ? e.args[0].value
          : undefined;
      const m = a ? fill(a.value) : s.k === 'expr' ? fill(s.e) : undefined;
      if (m) {
        this.causal = isCausalMask(m, this.cls);
        this.mask = this.causal ? undefined : invertMask(m);
        this.finfoMask = stmtExprs(s).some((x) => /finfo/.test(unparse(x)));
        return this.advance(a?.name);
      }
      // torch.where(keep, scores, mask_value): mask_value −inf or finfo.min, directly or through a name
      const w = a?.value;
      if (
        w?.k === 'call' &&
        dotted(w.fn) === 'torch.where' &&
        w.args.length === 3 &&
        w.args.every((x) => x.kind === 'pos') &&
        isName(stripCast(w.args[1].value), current) &&
        this.isFillValue(w.args[2].value)
      ) {
        const keep = w.args[0].value;
        this.causal = isCausalKeep(keep, this.cls, this.fnBody);
        this.mask = this.causal ? undefined : unparse(keep);
        this.finfoMask = !/inf/.test(unparse(w.args[2].value)) || this.finfoName;
        return this.advance(a!.name);
      }
      const additive =
        a && a.value.k === 'bin' && a.value.op === '+' && isName(a.value.l, current)
          ? a.value.r
          : s.k === 'augassign' && s.op === '+=' && isName(s.target, current)
            ? s.value
            : undefined;
      if (additive) {
        this.mask = unparse(additive);
        return this.advance(a?.name);
      }
    }
    if (!this.softmaxDone && a) {
      const inner = matchSoftmax(a.value, this.cls);
      if (inner && isName(inner, current)) {
        this.softmaxDone = true;
        return this.advance(a.name);
      }
    }
    if (this.softmaxDone && !this.dropout && a) {
      const d = matchDropout(a.value, current, this.cls);
      if (d) {
        this.dropout = d;
        return this.advance(a.name);
      }
    }
    const output = a?.value ?? (s.k === 'return' ? s.value : undefined);
    if (this.softmaxDone && output) {
      // the product alone, or inside a larger expression: x = (attn @ v).transpose(1, 2).reshape(B, N, C)
      let product: Expr = output;
      if (!matmulOperands(output) && !einsumValues(output))
        walkExpr(output, (x) => {
          const ops = matmulOperands(x) ?? einsumValues(x);
          if (product === output && ops && isName(ops[0], current)) product = x;
        });
      const mm = matmulOperands(product) ?? einsumValues(product);
      // y = att @ v, or with the dropout inline: y = self.attn_dropout(att) @ v
      const inlineDropout = mm && !this.dropout && mm[0].k === 'call' ? matchDropout(mm[0], current, this.cls) : undefined;
      if (mm && (isName(mm[0], current) || inlineDropout)) {
        this.result = {
          scores: this.scores,
          v: mm[1],
          output: a?.name,
          mask: this.mask,
          causal: this.causal,
          finfoMask: this.finfoMask,
          dropout: this.dropout ?? inlineDropout,
          intermediates: this.intermediates,
          within: product === output ? undefined : { whole: output, product },
        };
        return 'done';
      }
    }
    // a statement that touches the scores but is none of the steps ends the match
    return stmtExprs(s).some((e) => readsValue(e, current)) ? 'stop' : 'skip';
  }
}

/**
 * Statements between the matched ones that read an intermediate's metadata (HF: mask_value =
 * torch.full([], finfo.min, dtype=attn_weights.dtype)) would lose that name: they go too, when
 * nothing kept reads what they write; otherwise there is no rewrite.
 */
function removeDependents(
  block: Stmt[],
  first: number,
  last: number,
  matched: number[],
  result: Omit<AttentionMatch, 'lastIndex' | 'matched'>,
): number[] | undefined {
  const removed = new Set(matched);
  const gone = new Set(result.intermediates.filter((n) => n !== result.output));
  for (let j = last - 1; j > first; j--) {
    if (removed.has(j) || !stmtExprs(block[j]).some((e) => [...gone].some((n) => mentions(e, n)))) continue;
    const s = block[j];
    const writes = s.k === 'assign' ? s.targets.flatMap((t) => (t.k === 'name' ? [t.id] : [])) : [];
    if (s.k !== 'assign' || writes.length !== s.targets.length) return undefined;
    const keptLater = block.filter((_, k) => k > j && !removed.has(k));
    if (writes.some((w) => readsName(keptLater, w))) return undefined;
    removed.add(j);
    for (const w of writes) gone.add(w);
  }
  return [...removed].sort((a, b) => a - b);
}

/** `e` with the node `target` replaced (by identity). */
function replaceNode(e: Expr, target: Expr, replacement: Expr): Expr {
  if (e === target) return replacement;
  const child = (x: unknown): unknown => {
    if (typeof x !== 'object' || x === null) return x;
    if ('k' in x) return replaceNode(x as Expr, target, replacement);
    if ('value' in x) return { ...x, value: replaceNode((x as { value: Expr }).value, target, replacement) };
    return x;
  };
  const out: Record<string, unknown> = { ...e };
  for (const [k, v] of Object.entries(e) as [string, unknown][]) out[k] = Array.isArray(v) ? (v as unknown[]).map(child) : child(v);
  return out as unknown as Expr;
}

/** Whether `e` reads the tensor `name` itself, not only its metadata (`name.dtype`, `.device`, `.shape`, `.size(…)`). */
function readsValue(e: Expr, name: string): boolean {
  const meta = new Set<Expr>();
  walkExpr(e, (x) => {
    if (x.k === 'attr' && isName(x.obj, name) && ['dtype', 'device', 'shape', 'ndim', 'size'].includes(x.name)) meta.add(x.obj);
  });
  let found = false;
  walkExpr(e, (x) => (found ||= isName(x, name) && !meta.has(x)));
  return found;
}

/** masked_fill(M, -inf) keeps where M is False: SDPA's boolean attn_mask keeps where True. */
function invertMask(m: Expr): string {
  if (m.k === 'cmp' && m.ops.length === 1) {
    const flip: Record<string, string> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
    if (flip[m.ops[0]]) return unparse({ ...m, ops: [flip[m.ops[0]]] });
  }
  if (m.k === 'unary' && m.op === '~') return unparse(m.e);
  return `~(${unparse(m)})`;
}
