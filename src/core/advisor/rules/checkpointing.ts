// Rule `checkpointing`: when activations dominate a model's training memory, run each of its
// repeated blocks under torch.utils.checkpoint — keep only block inputs, recompute the rest
// in backward. The rewrite wraps the call in the forward loop; the engine re-analyzes it and
// reports the training memory saved and the recompute MACs it costs.
import type { ClassDef, Expr } from '../../python/ast';
import { unparse } from '../../python/unparse';
import { blocks, dotted, functions, indentOf, initAssignment, isName, selfAttr } from '../astQuery';
import { addImport } from '../textEdits';
import type { Finding, Rule } from '../types';

/** Activations at least this share of training memory make checkpointing worth offering. */
const ACTIVATION_SHARE = 0.3;

function isContainer(cls: ClassDef | undefined, attr: string): boolean {
  const init = initAssignment(cls, attr);
  return init?.k === 'call' && /(^|\.)(ModuleList|Sequential)$/.test(dotted(init.fn) ?? '');
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
          // for block in self.blocks: x = block(x)
          if (s.k !== 'for' || s.target.k !== 'name') continue;
          const container = selfAttr(s.iter);
          if (!container || !isContainer(cls, container) || s.body.length !== 1) continue;
          const body = s.body[0];
          if (body.k !== 'assign' || body.targets.length !== 1 || body.targets[0].k !== 'name') continue;
          const call: Expr = body.value;
          if (call.k !== 'call' || !isName(call.fn, s.target.id) || call.args.some((a) => a.kind !== 'pos')) continue;
          const args = call.args.map((a) => unparse(a.value)).join(', ');
          const replacement = `${indentOf(ctx.lines[body.line] ?? '')}${body.targets[0].id} = checkpoint(${s.target.id}, ${args}, use_reentrant=False)`;
          const imp = addImport(ctx.ast, ctx.lines, 'from torch.utils.checkpoint import checkpoint');
          const share = Math.round((100 * memory.activationsBytes) / memory.totalBytes);
          findings.push({
            rule: 'checkpointing',
            line: body.line + 1,
            message: `Activations are ${share}% of ${model.name}'s training memory (${memory.precision}, ${memory.optimizer}, batch ${memory.batch}). Running each block of self.${container} under torch.utils.checkpoint keeps only the block inputs and recomputes the rest during backward.`,
            edits: [{ startLine: body.line, endLine: body.endLine ?? body.line, lines: [replacement] }, ...(imp ? [imp] : [])],
            assumptions: [
              'non-reentrant checkpointing (use_reentrant=False): same results; in eval / no_grad it simply runs the block',
              'costs one extra forward of each block per training step (recompute MACs in the after figures)',
            ],
          });
        }
    }
    return findings;
  },
};
