// Rule `checkpointing`: when activations dominate a model's training memory, run each of its
// repeated blocks under torch.utils.checkpoint — keep only block inputs, recompute the rest
// in backward. The rewrite wraps the call in the forward loop; the engine re-analyzes it and
// reports the training memory saved and the recompute MACs it costs.
import type { ClassDef, Expr, Stmt } from '../../python/ast';
import { unparse } from '../../python/unparse';
import { blocks, dotted, functions, indentOf, initAssignment, isName, selfAttr, walkExpr } from '../astQuery';
import { addImport } from '../textEdits';
import type { Finding, LineEdit, Rule } from '../types';

/** Activations at least this share of training memory make checkpointing worth offering. */
const ACTIVATION_SHARE = 0.3;

/** What `self.a.b…` is built from in __init__, through ModuleDict(dict(b=…)) / ModuleDict({'b': …}) levels. */
function containerInit(cls: ClassDef | undefined, e: Expr): Expr | undefined {
  const chain: string[] = [];
  let x = e;
  while (x.k === 'attr' && !isName(x.obj, 'self')) {
    chain.unshift(x.name);
    x = x.obj;
  }
  const attr = selfAttr(x);
  if (!attr) return undefined;
  let init = initAssignment(cls, attr);
  for (const key of chain) {
    if (init?.k !== 'call' || !/(^|\.)ModuleDict$/.test(dotted(init.fn) ?? '')) return undefined;
    const arg = init.args.at(0)?.value;
    if (arg?.k === 'call' && dotted(arg.fn) === 'dict') init = arg.args.find((a) => a.kind === 'kw' && a.name === key)?.value;
    else if (arg?.k === 'dict') {
      const item = arg.items.find((i) => !('spread' in i) && i.key.k === 'str' && i.key.v === key);
      init = item && !('spread' in item) ? item.value : undefined;
    } else return undefined;
  }
  return init;
}

/** A container of repeated blocks: ModuleList or Sequential (directly or nested in ModuleDicts), iterated by a for loop. */
function isContainer(cls: ClassDef | undefined, iter: Expr): boolean {
  // for block in self.blocks.values(): a ModuleDict of blocks
  const values = iter.k === 'call' && iter.fn.k === 'attr' && iter.fn.name === 'values' && iter.args.length === 0;
  const init = containerInit(cls, values ? (iter.fn as Extract<Expr, { k: 'attr' }>).obj : iter);
  return init?.k === 'call' && (values ? /(^|\.)ModuleDict$/ : /(^|\.)(ModuleList|Sequential)$/).test(dotted(init.fn) ?? '');
}

/** Loop names bound to blocks: `block`, `(attn, ff)`, `i, block` of enumerate(…). */
function loopTargets(s: Extract<Stmt, { k: 'for' }>): { names: string[]; iter: Expr } | undefined {
  const names = (t: Expr) =>
    t.k === 'name'
      ? [t.id]
      : t.k === 'tuple' || t.k === 'list'
        ? t.items.filter((i) => i.k === 'name').map((i) => (i as { id: string }).id)
        : [];
  if (
    s.iter.k === 'call' &&
    dotted(s.iter.fn) === 'enumerate' &&
    s.iter.args.length === 1 &&
    (s.target.k === 'tuple' || s.target.k === 'list') &&
    s.target.items.length === 2
  )
    return { names: names(s.target.items[1]), iter: s.iter.args[0].value };
  const n = names(s.target);
  return n.length ? { names: n, iter: s.iter } : undefined;
}

/** `x = block(x)`, `x = attn(x) + x`: the block calls of one statement, to run under checkpoint. */
function blockCalls(stmt: Stmt, names: string[]): Extract<Expr, { k: 'call' }>[] | undefined {
  if (stmt.k !== 'assign' || stmt.targets.length !== 1 || stmt.targets[0].k !== 'name') return undefined;
  const calls: Extract<Expr, { k: 'call' }>[] = [];
  // torch 1.13's checkpoint takes no keyword arguments for the block
  const withKeywords: Expr[] = [];
  walkExpr(stmt.value, (x) => {
    if (x.k !== 'call' || x.fn.k !== 'name' || !names.includes(x.fn.id)) return;
    (x.args.some((a) => a.kind !== 'pos') ? withKeywords : calls).push(x);
  });
  return calls.length && !withKeywords.length ? calls : undefined;
}

function replaceCalls(e: Expr, calls: Set<Expr>): Expr {
  if (calls.has(e) && e.k === 'call') {
    const name: Expr = { k: 'name', id: 'checkpoint', line: e.line };
    const no: Expr = { k: 'const', v: false, line: e.line };
    return { ...e, fn: name, args: [{ kind: 'pos', value: e.fn }, ...e.args, { kind: 'kw', name: 'use_reentrant', value: no }] };
  }
  const out: Record<string, unknown> = { ...e };
  const child = (x: unknown): unknown => {
    if (typeof x !== 'object' || x === null) return x;
    if ('k' in x) return replaceCalls(x as Expr, calls);
    // call arguments and dict items hold their expression in `value`
    if ('value' in x) return { ...x, value: replaceCalls((x as { value: Expr }).value, calls) };
    return x;
  };
  for (const [k, v] of Object.entries(e) as [string, unknown][]) out[k] = Array.isArray(v) ? (v as unknown[]).map(child) : child(v);
  return out as unknown as Expr;
}

export const checkpointingRule: Rule = {
  id: 'checkpointing',
  title: 'Activation checkpointing of repeated blocks',
  find(ctx) {
    const findings: Finding[] = [];
    for (const { cls, fn } of functions(ctx.ast)) {
      if (fn.name !== 'forward' || !cls) continue;
      const model = ctx.modelUsing(cls.name);
      const memory = model?.trainingMemory?.[0];
      if (!model || !memory?.totalBytes || !memory.activationsBytes || memory.activationsBytes / memory.totalBytes < ACTIVATION_SHARE)
        continue;
      for (const block of blocks(fn.body))
        for (const s of block) {
          // for block in self.blocks: x = block(x) — ModuleList, Sequential, nested in ModuleDicts
          if (s.k !== 'for') continue;
          const loop = loopTargets(s);
          if (!loop || !isContainer(cls, loop.iter)) continue;
          const calls = s.body.map((b) => blockCalls(b, loop.names));
          // every statement of the loop body is a block call (anything else may depend on the block's internals)
          if (!calls.length || calls.some((c) => !c) || s.body.some((b) => b.line !== (b.endLine ?? b.line))) continue;
          const edits: LineEdit[] = s.body.map((b, i) => {
            const value = replaceCalls((b as Extract<Stmt, { k: 'assign' }>).value, new Set(calls[i]));
            const line = ctx.lines[b.line] ?? '';
            const comment = /\s+#.*$/.exec(line)?.[0] ?? '';
            const target = unparse((b as Extract<Stmt, { k: 'assign' }>).targets[0]);
            return { startLine: b.line, endLine: b.line, lines: [`${indentOf(line)}${target} = ${unparse(value)}${comment}`] };
          });
          const imp = addImport(ctx.ast, ctx.lines, 'from torch.utils.checkpoint import checkpoint');
          const share = Math.round((100 * memory.activationsBytes) / memory.totalBytes);
          const container = unparse(loop.iter);
          findings.push({
            rule: 'checkpointing',
            line: s.body[0].line + 1,
            endLine: (s.body[s.body.length - 1].endLine ?? s.body[s.body.length - 1].line) + 1,
            message: `Activations are ${share}% of ${model.name}'s training memory (${memory.precision}, ${memory.optimizer}, batch ${memory.batch}). Running each block of ${container} under torch.utils.checkpoint keeps only the block inputs and recomputes the rest during backward.`,
            edits: [...edits, ...(imp ? [imp] : [])],
            assumptions: [
              'non-reentrant checkpointing (use_reentrant=False): same results; in eval / no_grad it simply runs the block',
              'costs one extra forward of each block per training step (recompute MACs in the after figures)',
              'blocks with dropout recompute with the same random state (checkpoint preserves the RNG state by default)',
            ],
          });
        }
    }
    return findings;
  },
};
