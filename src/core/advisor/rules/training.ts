// Training-script rules:
// - `autocast-bf16`: no mixed precision → torch.autocast(bf16) around forward and loss
//   (the "after" training memory is the engine's at bf16-mixed precision);
// - `dataloader-workers`: DataLoader without worker processes / pinned memory;
// - `fused-optimizer`: optimizers without foreach=True (fused=True on CUDA);
// - `torch-compile`: no torch.compile;
// - `item-sync`: .item() in the training step forces a GPU→CPU sync every step.
import type { Expr, Stmt } from '../../python/ast';
import { dotted, stmtExprs, walkExpr } from '../astQuery';
import { addImport, addKeywordArguments, wrapInWith } from '../textEdits';
import { mentionsAnywhere, modelConstruction, optimizerCalls, trainingSteps } from '../trainingScript';
import type { Finding, Rule, RuleContext } from '../types';

/** The model variable the script optimizes (from its optimizer's parameters), and how it is built. */
function trainedModel(ctx: RuleContext): { name?: string; call?: string } {
  const opt = optimizerCalls(ctx.ast).find((o) => o.modelName);
  return { name: opt?.modelName, call: opt?.modelName ? modelConstruction(ctx.ast, opt.modelName) : undefined };
}

export const autocastRule: Rule = {
  id: 'autocast-bf16',
  title: 'Training without mixed precision → torch.autocast(bfloat16)',
  find(ctx) {
    if (mentionsAnywhere(ctx.ast, (n) => /(^|\.)(autocast|GradScaler)$/.test(n))) return [];
    const steps = trainingSteps(ctx.ast);
    if (!steps.length) return [];
    const model = trainedModel(ctx);
    const findings: Finding[] = [];
    for (const step of steps) {
      if (step.lossIndex === undefined) continue;
      // wrap from the first statement that calls the model (or the loss line) through the loss line
      let start = step.lossIndex;
      for (let j = step.lossIndex - 1; j >= 0; j--) {
        const s = step.block[j];
        const callsModel = model.name !== undefined && stmtExprs(s).some((e) => callsName(e, model.name!));
        if (!callsModel || s.k !== 'assign') break;
        start = j;
      }
      const first = step.block[start];
      const last = step.block[step.lossIndex];
      // guarded: a CPU-only torch raises on a cuda/bf16 autocast, and CPU runs keep fp32 results
      const wrap = wrapInWith(
        ctx.lines,
        first.line,
        last.endLine ?? last.line,
        '(torch.autocast(device_type="cuda", dtype=torch.bfloat16) if torch.cuda.is_available() else contextlib.nullcontext())',
      );
      const imp = addImport(ctx.ast, ctx.lines, 'import contextlib');
      findings.push({
        rule: 'autocast-bf16',
        line: first.line + 1,
        endLine: (last.endLine ?? last.line) + 1,
        message: `The training step runs in fp32: torch.autocast(device_type="cuda", dtype=torch.bfloat16) around the forward pass and the loss runs matmuls and convolutions on bf16 Tensor Cores and halves the activations kept for backward (no GradScaler needed for bf16; use one with fp16).`,
        edits: imp ? [wrap, imp] : [wrap],
        modelCall: model.call,
        afterOptions: { precision: 'bf16-mixed' },
        assumptions: [
          'Ampere or newer GPU for bf16 (torch.cuda.is_bf16_supported()); where CUDA is not available the step runs in fp32 as before',
          'weights, gradients and optimizer state stay fp32 (torch.autocast); MACs are unchanged',
          ...(model.call ? [] : ['the model the script trains could not be built statically: figures are unknown']),
        ],
      });
    }
    return findings;
  },
};

function callsName(e: Expr, name: string): boolean {
  let found = false;
  walkExpr(e, (x) => (found ||= x.k === 'call' && x.fn.k === 'name' && x.fn.id === name));
  return found;
}

/** Every DataLoader(...) call with the statement that holds it. */
function dataLoaderCalls(ctx: RuleContext): Extract<Expr, { k: 'call' }>[] {
  const out: Extract<Expr, { k: 'call' }>[] = [];
  const scan = (body: Stmt[]) => {
    for (const s of body) {
      for (const e of stmtExprs(s))
        walkExpr(e, (x) => void (x.k === 'call' && /(^|\.)DataLoader$/.test(dotted(x.fn) ?? '') && out.push(x)));
      if ('body' in s && Array.isArray(s.body)) scan(s.body as Stmt[]);
      if ('orelse' in s && Array.isArray(s.orelse)) scan(s.orelse as Stmt[]);
    }
  };
  scan(ctx.ast.body);
  return out;
}

function kw(call: Extract<Expr, { k: 'call' }>, name: string): Expr | undefined {
  return call.args.find((a) => a.kind === 'kw' && a.name === name)?.value;
}

export const dataLoaderRule: Rule = {
  id: 'dataloader-workers',
  title: 'DataLoader without worker processes or pinned memory',
  find(ctx) {
    if (!trainingSteps(ctx.ast).length) return [];
    const findings: Finding[] = [];
    for (const call of dataLoaderCalls(ctx)) {
      if (call.args.some((a) => a.kind === 'kwstar')) continue;
      const workers = kw(call, 'num_workers');
      const pin = kw(call, 'pin_memory');
      const noWorkers = !workers || (workers.k === 'num' && workers.v === 0);
      const noPin = !pin || (pin.k === 'const' && pin.v === false);
      if (!noWorkers && !noPin) continue;
      const add = [!workers ? 'num_workers=4' : undefined, !pin ? 'pin_memory=True' : undefined].filter(Boolean).join(', ');
      const edit = add ? addKeywordArguments(ctx.lines, call.line, /(?:[\w.]*\.)?DataLoader/, add) : undefined;
      findings.push({
        rule: 'dataloader-workers',
        modelCall: trainedModel(ctx).call,
        line: call.line + 1,
        message: `This DataLoader loads batches in the training process${noPin ? ' into pageable memory' : ''}: ${noWorkers ? 'worker processes (num_workers) prepare the next batches while the GPU computes' : ''}${noWorkers && noPin ? ', and ' : ''}${noPin ? 'pin_memory=True makes host→GPU copies asynchronous (with .to(device, non_blocking=True))' : ''}.`,
        edits: edit && (!workers || !pin) ? [edit] : undefined,
        assumptions: [
          'MACs and model memory are unchanged; the gain is time spent waiting for data — a pilot run measures the data-loading share of each step',
          "num_workers=4: tune to the machine's cores; the dataset must be picklable; a random augmentation seeds per worker",
        ],
      });
    }
    return findings;
  },
};

export const fusedOptimizerRule: Rule = {
  id: 'fused-optimizer',
  title: 'Optimizer without foreach / fused kernels',
  find(ctx) {
    const findings: Finding[] = [];
    for (const o of optimizerCalls(ctx.ast)) {
      // **kwargs may already carry fused / foreach (nanoGPT passes fused=True that way)
      if (kw(o.call, 'foreach') || kw(o.call, 'fused') || o.call.args.some((a) => a.kind === 'kwstar')) continue;
      const edit = addKeywordArguments(ctx.lines, o.call.line, new RegExp(`(?:[\\w.]*\\.)?${o.kind}`), 'foreach=True');
      findings.push({
        rule: 'fused-optimizer',
        modelCall: o.modelName ? modelConstruction(ctx.ast, o.modelName) : undefined,
        line: o.call.line + 1,
        message: `torch.optim.${o.kind} updates each parameter with its own kernel launches: foreach=True updates them in batched kernels${/^(Adam|AdamW|SGD)$/.test(o.kind) ? ' (fused=True, on CUDA with torch ≥ 2.0, in one kernel)' : ''}, the same arithmetic.`,
        edits: edit ? [edit] : undefined,
        assumptions: ['same update rule and results; the gain is optimizer-step time (a pilot run measures its share of each step)'],
      });
    }
    return findings;
  },
};

export const torchCompileRule: Rule = {
  id: 'torch-compile',
  title: 'Training without torch.compile',
  find(ctx) {
    const steps = trainingSteps(ctx.ast);
    if (!steps.length || mentionsAnywhere(ctx.ast, (n) => /(^|\.)compile$/.test(n))) return [];
    const model = trainedModel(ctx);
    const assign = model.name ? findAssignment(ctx.ast.body, model.name) : undefined;
    return [
      {
        rule: 'torch-compile',
        modelCall: model.call,
        line: (assign?.line ?? steps[0].block[steps[0].backwardIndex].line) + 1,
        message: `${model.name ?? 'The model'} is not compiled: ${model.name ?? 'model'} = torch.compile(${model.name ?? 'model'}) (torch ≥ 2.0) fuses elementwise work (norms, activations, residual adds) into fewer kernels.`,
        assumptions: [
          'MACs unchanged; fusion saves memory traffic of elementwise ops; the first steps pay compilation time — measure with a pilot run',
          'needs torch ≥ 2.0 and a supported platform: not applied automatically',
        ],
      },
    ];
  },
};

function findAssignment(body: Stmt[], name: string): Stmt | undefined {
  for (const s of body) {
    if (s.k === 'assign' && s.targets.some((t) => t.k === 'name' && t.id === name)) return s;
    const nested = 'body' in s && Array.isArray(s.body) ? findAssignment(s.body as Stmt[], name) : undefined;
    if (nested) return nested;
  }
  return undefined;
}

export const itemSyncRule: Rule = {
  id: 'item-sync',
  title: '.item() in every training step',
  find(ctx) {
    const findings: Finding[] = [];
    for (const step of trainingSteps(ctx.ast)) {
      for (const s of step.block) {
        let item: Expr | undefined;
        for (const e of stmtExprs(s))
          walkExpr(
            e,
            (x) => void (!item && x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'item' && x.args.length === 0 && (item = x)),
          );
        if (!item) continue;
        findings.push({
          rule: 'item-sync',
          modelCall: trainedModel(ctx).call,
          line: s.line + 1,
          message: `.item() on a GPU tensor waits for the GPU every step (a device synchronisation). Accumulate on the GPU (running = running + loss.detach()) and read it every N steps.`,
          assumptions: ['the cost is idle GPU time per step, which a pilot run measures; results are unchanged'],
        });
        break;
      }
    }
    return findings;
  },
};
