// Rule `sdpa`: hand-written attention — softmax(q·kᵀ·scale [+ mask]) [dropout] · v — becomes
// F.scaled_dot_product_attention, whose memory-efficient / flash kernels never keep the T×T
// score matrix. The rewrite keeps the scale, a causal mask as is_causal=True, other masks as
// attn_mask, and dropout as dropout_p (only while training, as nn.Dropout does).
import type { ClassDef, Expr, Stmt } from '../../python/ast';
import { unparse } from '../../python/unparse';
import { walkStatements } from '../../python/walk';
import {
  blocks,
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
import type { Finding, Rule, RuleContext } from '../types';

interface Scores {
  q: Expr;
  k: Expr;
  /** Multiplier applied to the scores, or the divisor (scores / d). */
  mul?: Expr;
  div?: Expr;
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

/** The softmax over the last dim of `scores`, in its spellings; `inner` is what it is applied to. */
function matchSoftmax(e: Expr): Expr | undefined {
  if (e.k !== 'call') return undefined;
  const fn = dotted(e.fn) ?? '';
  const dim =
    e.args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ??
    e.args.filter((a) => a.kind === 'pos')[
      fn.endsWith('.softmax') && e.fn.k === 'attr' && /^(F|torch|nn\.functional|torch\.nn\.functional)$/.test(dotted(e.fn.obj) ?? '')
        ? 1
        : 0
    ]?.value;
  const lastDim = dim && ((dim.k === 'unary' && dim.op === '-' && dim.e.k === 'num' && dim.e.v === 1) || (dim.k === 'num' && dim.v === 3));
  if (!lastDim) return undefined;
  if (/^(F|torch|torch\.nn\.functional|nn\.functional)\.softmax$/.test(fn) || /\.functional\.softmax$/.test(fn)) return e.args[0]?.value;
  if (e.fn.k === 'attr' && e.fn.name === 'softmax') return e.fn.obj;
  return undefined;
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
      for (const block of blocks(fn.body)) {
        for (let i = 0; i < block.length; i++) {
          const m = matchAttention(block, i, cls);
          if (!m) continue;
          const first = block[i];
          const last = block[m.lastIndex];
          const indent = indentOf(ctx.lines[first.line] ?? '');
          const later = block.slice(m.lastIndex + 1);
          const weightsUsed = m.intermediates.some((n) => n !== m.output && readsName(later, n));
          const scale = m.scores.mul ? unparse(m.scores.mul) : m.scores.div ? `1.0 / ${wrapText(unparse(m.scores.div))}` : '1.0';
          const kwargs = [
            m.mask && !m.causal ? `attn_mask=${m.mask}` : undefined,
            m.dropout ? `dropout_p=${m.dropout.p}` : undefined,
            m.causal ? 'is_causal=True' : undefined,
            `scale=${scale}`,
          ].filter(Boolean);
          const call = `${m.output ? `${m.output} =` : 'return'} ${sdpa}(${unparse(m.scores.q)}, ${unparse(m.scores.k)}, ${unparse(m.v)}, ${kwargs.join(', ')})`;
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
              : m.matched.map((idx) => ({
                  startLine: block[idx].line,
                  endLine: block[idx].endLine ?? block[idx].line,
                  lines: idx === m.lastIndex ? [`${indent}${call}`] : [],
                })),
            assumptions: [
              'F.scaled_dot_product_attention needs torch ≥ 2.0 (the scale= argument ≥ 2.1)',
              m.dropout
                ? 'dropout is applied only while training, as the original nn.Dropout / F.dropout did'
                : 'no dropout on the attention weights',
              ...(m.causal ? ['the masked buffer is lower-triangular (torch.tril), so is_causal=True is the same mask'] : []),
            ],
          });
          i = m.lastIndex;
        }
      }
    }
    return findings;
  },
};

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
  dropout?: Dropout;
  intermediates: string[];
}

/** Matches the statement sequence of hand-written attention starting at block[i]. */
function matchAttention(block: Stmt[], i: number, cls: ClassDef | undefined): AttentionMatch | undefined {
  const a0 = assigned(block[i]);
  if (!a0) return undefined;
  // the first statement: the scores, or the softmax of the scores written inline
  const inlineSoftmax = matchSoftmax(a0.value);
  const first = matchScores(inlineSoftmax ?? a0.value);
  if (!first) return undefined;
  const state = new AttentionState(first, a0.name, !!inlineSoftmax, cls);
  const matched = [i];
  const operandNames = new Set<string>();
  for (const e of [first.q, first.k]) walkExpr(e, (x) => void (x.k === 'name' && operandNames.add(x.id)));
  for (let j = i + 1; j < block.length; j++) {
    const s = block[j];
    const step = state.step(s);
    if (step === 'skip') {
      // an unrelated statement (a mask built in between) stays, unless it changes q or k
      const writes = s.k === 'assign' ? s.targets.flatMap((t) => (t.k === 'name' ? [t.id] : [])) : [];
      if (writes.some((w) => operandNames.has(w))) return undefined;
      continue;
    }
    if (step === 'stop') return undefined;
    matched.push(j);
    if (step === 'done') return { ...state.result!, lastIndex: j, matched };
  }
  return undefined;
}

/** The steps of hand-written attention, consumed one statement at a time. */
class AttentionState {
  mask?: string;
  causal = false;
  dropout?: Dropout;
  intermediates: string[];
  result?: Omit<AttentionMatch, 'lastIndex' | 'matched'>;

  constructor(
    private scores: Scores,
    private current: string,
    private softmaxDone: boolean,
    private readonly cls: ClassDef | undefined,
  ) {
    this.intermediates = [current];
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
        return this.advance(a?.name);
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
      const inner = matchSoftmax(a.value);
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
      const mm = matmulOperands(output);
      // y = att @ v, or with the dropout inline: y = self.attn_dropout(att) @ v
      const inlineDropout = mm && !this.dropout && mm[0].k === 'call' ? matchDropout(mm[0], current, this.cls) : undefined;
      if (mm && (isName(mm[0], current) || inlineDropout)) {
        this.result = {
          scores: this.scores,
          v: mm[1],
          output: a?.name,
          mask: this.mask,
          causal: this.causal,
          dropout: this.dropout ?? inlineDropout,
          intermediates: this.intermediates,
        };
        return 'done';
      }
    }
    // a statement that touches the scores but is none of the steps ends the match
    return stmtExprs(s).some((e) => mentions(e, current)) ? 'stop' : 'skip';
  }
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
