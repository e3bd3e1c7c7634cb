// Attention found by data flow rather than by spelling: a softmax whose input comes, through
// any chain of assignments in the same function, from a product of two tensors, and whose
// output flows into a product with a third. Used for the notes of attention that the sdpa
// rewrite cannot prove equivalent; each note names what blocks the fused kernel.
import type { ClassDef, Expr, FunctionDef, Stmt } from '../python/ast';
import { unparse } from '../python/unparse';
import { childBlocks, dotted, initAssignment, mentions, selfAttr, stmtExprs, walkExpr } from './astQuery';

export interface AttentionFlow {
  /** 0-based rows of the score product, the softmax and the product with the values. */
  scoresRow: number;
  softmaxRow: number;
  outputRow: number;
  /** What stands between this code and F.scaled_dot_product_attention, in words. */
  blockers: string[];
}

interface Located {
  stmt: Stmt;
  /** Ancestor statements (if / for / with …) inside the function. */
  within: Stmt[];
}

/** Every statement of a function body with the compound statements around it (nested defs excluded). */
function flatten(body: Stmt[], within: Stmt[] = [], out: Located[] = []): Located[] {
  for (const s of body) {
    out.push({ stmt: s, within });
    if (s.k !== 'def' && s.k !== 'class') for (const b of childBlocks(s)) flatten(b, [...within, s], out);
  }
  return out;
}

function targetNames(s: Stmt): string[] {
  const names: string[] = [];
  const add = (t: Expr) => walkExpr(t, (x) => void (x.k === 'name' && names.push(x.id)));
  if (s.k === 'assign') s.targets.forEach(add);
  else if (s.k === 'augassign' || s.k === 'annassign') add(s.target);
  else if (s.k === 'for') add(s.target);
  return names;
}

/** A product of two tensors: `@`, matmul, bmm, baddbmm, or an einsum of two operands. */
function productOperands(e: Expr): Expr[] | undefined {
  if (e.k === 'bin' && e.op === '@') return [e.l, e.r];
  if (e.k !== 'call') return undefined;
  const fn = dotted(e.fn) ?? '';
  const pos = e.args.filter((a) => a.kind === 'pos').map((a) => a.value);
  if (/(^|\.)einsum$/.test(fn) && pos.length === 3 && pos[0].k === 'str') return pos.slice(1);
  if (/^(torch|th)\.(matmul|bmm)$/.test(fn) && pos.length === 2) return pos;
  if (/^(torch|th)\.baddbmm$/.test(fn) && pos.length === 3) return pos.slice(1);
  if (e.fn.k === 'attr' && (e.fn.name === 'matmul' || e.fn.name === 'bmm') && pos.length === 1 && !/^(torch|th)\./.test(fn))
    return [e.fn.obj, pos[0]];
  return undefined;
}

function findIn(e: Expr, test: (x: Expr) => boolean): Expr | undefined {
  let found: Expr | undefined;
  walkExpr(e, (x) => void (!found && test(x) && (found = x)));
  return found;
}

/** A softmax call in any spelling: function, method, nn.Softmax module, or a Sequential holding one. */
function softmaxInput(e: Expr, cls: ClassDef | undefined): { input: Expr; dim: string } | undefined {
  if (e.k !== 'call' || e.args.length === 0) return undefined;
  const fn = dotted(e.fn) ?? '';
  const dimOf = (args: typeof e.args, pos: number) => {
    const d: Expr | undefined =
      args.find((a) => a.kind === 'kw' && a.name === 'dim')?.value ?? args.filter((a) => a.kind === 'pos').at(pos)?.value;
    return d ? unparse(d).replace(/\s/g, '') : '?';
  };
  const attr = selfAttr(e.fn);
  if (attr) {
    const init = initAssignment(cls, attr);
    if (init?.k !== 'call') return undefined;
    const isSoftmax = (c: Expr) => c.k === 'call' && /(^|\.)Softmax$/.test(dotted(c.fn) ?? '');
    const found = isSoftmax(init)
      ? init
      : /(^|\.)Sequential$/.test(dotted(init.fn) ?? '')
        ? init.args.map((a) => a.value).find(isSoftmax)
        : undefined;
    const inner = found as Extract<Expr, { k: 'call' }> | undefined;
    return inner ? { input: e.args[0].value, dim: dimOf(inner.args, 0) } : undefined;
  }
  if (/(^|\.)softmax$/.test(fn) && /^(F|torch|th|nn\.functional|torch\.nn\.functional|functional)\.softmax$/.test(fn))
    return { input: e.args[0].value, dim: dimOf(e.args, 1) };
  if (e.fn.k === 'attr' && e.fn.name === 'softmax') return { input: e.fn.obj, dim: dimOf(e.args, 0) };
  return undefined;
}

/** Hand-written attention in one function, found by following its assignments. */
export function attentionFlows(fn: FunctionDef, cls: ClassDef | undefined): AttentionFlow[] {
  const stmts = flatten(fn.body);
  const writers = new Map<string, Located[]>();
  for (const l of stmts) for (const n of targetNames(l.stmt)) writers.set(n, [...(writers.get(n) ?? []), l]);
  const flows: AttentionFlow[] = [];
  for (const l of stmts) {
    for (const root of stmtExprs(l.stmt)) {
      walkExpr(root, (x) => {
        const sm = softmaxInput(x, cls);
        if (!sm) return;
        const scores = backToProduct(sm.input, l.stmt.line, writers);
        if (!scores) return;
        const output = forwardToProduct(x, l, stmts);
        if (!output) return;
        flows.push({
          scoresRow: scores.row,
          softmaxRow: l.stmt.line,
          outputRow: output.located.stmt.line,
          blockers: blockersOf(sm, x, scores, l, output, stmts),
        });
      });
    }
  }
  // one note per attention: a softmax in each branch of an if/else is still one attention
  return flows.filter((f, i) => flows.findIndex((g) => g.scoresRow === f.scoresRow && g.outputRow === f.outputRow) === i);
}

/** The nearest product the softmax input comes from, following assignments backwards. */
function backToProduct(
  input: Expr,
  row: number,
  writers: Map<string, Located[]>,
): { row: number; product: Expr; within: Stmt[] } | undefined {
  let frontier: { e: Expr; row: number; within: Stmt[] }[] = [{ e: input, row, within: [] }];
  const seen = new Set<Stmt>();
  for (let depth = 0; depth < 8 && frontier.length; depth++) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      const product = findIn(f.e, (x) => !!productOperands(x));
      if (product) return { row: f.row, product, within: f.within };
      walkExpr(f.e, (x) => {
        if (x.k !== 'name') return;
        for (const w of writers.get(x.id) ?? []) {
          if (w.stmt.line >= f.row || seen.has(w.stmt)) continue;
          seen.add(w.stmt);
          for (const v of valuesOf(w.stmt)) next.push({ e: v, row: w.stmt.line, within: w.within });
        }
      });
    }
    frontier = next;
  }
  return undefined;
}

function valuesOf(s: Stmt): Expr[] {
  if (s.k === 'assign') return [s.value];
  if (s.k === 'augassign') return [s.target, s.value];
  if (s.k === 'annassign' && s.value) return [s.value];
  return [];
}

/** The product the softmax output flows into, following assignments forwards. */
function forwardToProduct(
  softmax: Expr,
  at: Located,
  stmts: Located[],
): { located: Located; weights: Set<string>; passedThrough: Located[] } | undefined {
  const weights = new Set<string>();
  const isWeights = (e: Expr) => e === softmax || !!findIn(e, (x) => x === softmax || (x.k === 'name' && weights.has(x.id)));
  const passedThrough: Located[] = [];
  const start = stmts.indexOf(at);
  for (let i = start; i < stmts.length; i++) {
    const l = stmts[i];
    const exprs = i === start ? stmtExprs(l.stmt) : valuesOrReads(l.stmt);
    const product = exprs.map((e) => findIn(e, (x) => (productOperands(x) ?? []).some(isWeights))).find(Boolean);
    if (product) return { located: l, weights, passedThrough };
    if (exprs.some(isWeights)) {
      passedThrough.push(l);
      for (const n of targetNames(l.stmt)) weights.add(n);
    }
  }
  return undefined;
}

function specText(e: Expr): string {
  const spec = e.k === 'call' ? e.args[0]?.value : undefined;
  return spec?.k === 'str' ? spec.v : '?';
}

function valuesOrReads(s: Stmt): Expr[] {
  const v = valuesOf(s);
  return v.length ? v : stmtExprs(s);
}

function blockersOf(
  sm: { input: Expr; dim: string },
  softmaxCall: Expr,
  scores: { row: number; product: Expr; within: Stmt[] },
  at: Located,
  output: { located: Located; weights: Set<string>; passedThrough: Located[] },
  stmts: Located[],
): string[] {
  const out: string[] = [];
  if (sm.dim !== '-1') out.push(`the softmax runs over dim ${sm.dim}, not over the keys (the last dim)`);
  const call = softmaxCall as Extract<Expr, { k: 'call' }>;
  if (call.args.some((a) => a.kind === 'kw' && a.name === 'dtype') || /\.float\(\)$/.test(unparse(sm.input)))
    out.push('the softmax is computed in fp32 (an upcast SDPA does inside its kernels, but not provably the same in fp16)');
  const isEinsum = (p: Expr) => p.k === 'call' && /(^|\.)einsum$/.test(dotted(p.fn) ?? '');
  if (isEinsum(scores.product) && !einsumScores(scores.product))
    out.push(`the score einsum '${specText(scores.product)}' is not (…, L, E)·(…, S, E)`);
  const valueProduct = stmtExprs(output.located.stmt)
    .map((e) => findIn(e, (x) => !!productOperands(x)))
    .find(Boolean);
  if (valueProduct && isEinsum(valueProduct) && !einsumValues(valueProduct))
    out.push(`the value einsum '${specText(valueProduct)}' is not (…, L, S)·(…, S, E)`);
  for (const l of output.passedThrough) {
    const text = stmtExprs(l.stmt).map(unparse).join(' ');
    if (/head_mask/.test(text)) out.push(`head_mask multiplies the attention weights (line ${l.stmt.line + 1})`);
  }
  // weights that leave the function or are stored
  const weightNames = output.weights;
  for (const l of stmts) {
    if (l.stmt.line <= at.stmt.line) continue;
    const reads = (e: Expr) => [...weightNames].some((n) => mentions(e, n));
    if (l.stmt.k === 'return' && l.stmt.value && reads(l.stmt.value))
      out.push(`the attention weights are returned (line ${l.stmt.line + 1})`);
    else if (l.stmt.k === 'assign' && l.stmt.targets.some((t) => t.k === 'attr' || t.k === 'sub') && reads(l.stmt.value))
      out.push(`the attention weights are stored (line ${l.stmt.line + 1})`);
    else if (l.stmt.k === 'expr' && reads(l.stmt.e) && l.stmt !== output.located.stmt)
      out.push(`the attention weights are read (line ${l.stmt.line + 1})`);
  }
  const same = (a: Stmt[], b: Stmt[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  if (!same(scores.within, at.within) || !same(at.within, output.located.within))
    out.push('the steps run in different branches (a mask or scale under a condition)');
  return [...new Set(out)];
}

/** An einsum spec `A,B->O` split into its operands (spaces dropped, `...` as one symbol `…`). */
function einsumSpec(e: Expr): { a: string[]; b: string[]; out: string[]; x: Expr; y: Expr } | undefined {
  if (e.k !== 'call' || !/(^|\.)einsum$/.test(dotted(e.fn) ?? '') || e.args.length !== 3) return undefined;
  const [spec, x, y] = e.args.map((a) => a.value);
  if (spec.k !== 'str' || e.args.some((a) => a.kind !== 'pos')) return undefined;
  const m = /^([^,]+),([^,]+)->(.+)$/.exec(spec.v.replace(/\s/g, '').replace(/\.\.\./g, '…'));
  return m ? { a: [...m[1]], b: [...m[2]], out: [...m[3]], x, y } : undefined;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/** einsum('…id,…jd->…ij', q, k): the scores, keys not transposed. */
export function einsumScores(e: Expr): [Expr, Expr] | undefined {
  const s = einsumSpec(e);
  if (!s || s.a.length < 2 || s.a.length !== s.b.length || s.out.length !== s.a.length) return undefined;
  const p = s.a.slice(0, -2);
  const [i, d] = s.a.slice(-2);
  const [j, d2] = s.b.slice(-2);
  const distinct = new Set([i, j, d]).size === 3 && !p.includes(i) && !p.includes(j) && !p.includes(d);
  return distinct && d === d2 && same(s.b.slice(0, -2), p) && same(s.out, [...p, i, j]) ? [s.x, s.y] : undefined;
}

/** einsum('…ij,…jd->…id', weights, v): the weighted sum of values. */
export function einsumValues(e: Expr): [Expr, Expr] | undefined {
  const s = einsumSpec(e);
  if (!s || s.a.length < 2 || s.a.length !== s.b.length || s.out.length !== s.a.length) return undefined;
  const p = s.a.slice(0, -2);
  const [i, j] = s.a.slice(-2);
  const [j2, d] = s.b.slice(-2);
  const distinct = new Set([i, j, d]).size === 3 && ![i, j, d].some((c) => p.includes(c));
  return distinct && j === j2 && same(s.b.slice(0, -2), p) && same(s.out, [...p, i, d]) ? [s.x, s.y] : undefined;
}
