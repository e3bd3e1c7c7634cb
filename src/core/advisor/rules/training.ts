// Training-script rules:
// - `autocast-bf16`: no mixed precision → torch.autocast(bf16) around forward and loss
//   (the "after" training memory is the engine's at bf16-mixed precision);
// - `dataloader-workers`: DataLoader without worker processes / pinned memory;
// - `fused-optimizer`: optimizers without foreach=True (fused=True on CUDA);
// - `torch-compile`: no torch.compile;
// - `item-sync`: .item() in the training step forces a GPU→CPU sync every step.
import type { Expr, Stmt } from '../../python/ast';
import { blocks, childBlocks, dotted, stmtExprs, walkExpr } from '../astQuery';
import { unparse } from '../../python/unparse';
import { addImport, addKeywordArguments, wrapInWith } from '../textEdits';
import { mentionsAnywhere, modelConstruction, optimizerCalls, trainingSteps } from '../trainingScript';
import type { Finding, Rule, RuleContext } from '../types';

/** The model variable the script optimizes (from its optimizer's parameters), and how it is built. */
function trainedModel(ctx: RuleContext): { name?: string; call?: string } {
  const opt = optimizerCalls(ctx.ast).find((o) => o.modelName);
  return { name: opt?.modelName, call: opt?.modelName ? modelConstruction(ctx.ast, opt.modelName) : undefined };
}

/** Calls that only move or reshape data: outside the forward pass autocast is meant for. */
const DATA_MOVES = new Set([
  'to',
  'cuda',
  'cpu',
  'float',
  'long',
  'int',
  'view',
  'reshape',
  'squeeze',
  'unsqueeze',
  'size',
  'flatten',
  'zero_grad',
  'train',
  'eval',
]);

function isDataMove(s: Stmt): boolean {
  let compute = false;
  for (const e of stmtExprs(s)) walkExpr(e, (x) => void (compute ||= x.k === 'call' && !(x.fn.k === 'attr' && DATA_MOVES.has(x.fn.name))));
  return !compute;
}

function writtenNames(s: Stmt): string[] {
  const out: string[] = [];
  const targets = s.k === 'assign' ? s.targets : s.k === 'augassign' || s.k === 'annassign' ? [s.target] : [];
  for (const t of targets) walkExpr(t, (x) => void (x.k === 'name' && out.push(x.id)));
  return out;
}

/**
 * The first statement of the forward pass that feeds the loss, by data flow: the loss statement's
 * backward slice in its block, earliest statement that computes (not a .to(device) move).
 */
function forwardStart(block: Stmt[], lossIndex: number, modelName: string | undefined): number {
  const needed = new Set<string>();
  const reads = (s: Stmt) => stmtExprs(s).filter((e) => !(s.k === 'assign' && s.targets.includes(e)));
  const addReads = (s: Stmt) => reads(s).forEach((e) => walkExpr(e, (x) => void (x.k === 'name' && needed.add(x.id))));
  addReads(block[lossIndex]);
  let start = lossIndex;
  for (let j = lossIndex - 1; j >= 0; j--) {
    const s = block[j];
    if (!writtenNames(s).some((n) => needed.has(n))) continue;
    addReads(s);
    const callsModel = modelName !== undefined && stmtExprs(s).some((e) => callsName(e, modelName));
    if (callsModel || !isDataMove(s)) start = j;
  }
  return start;
}

/** The script's own device for this step: the name its tensors are moved to (`.to(device)`). */
function stepDevice(block: Stmt[]): string | undefined {
  let name: string | undefined;
  for (const s of block)
    for (const e of stmtExprs(s))
      walkExpr(e, (x) => {
        if (!name && x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'to' && x.args[0]?.kind === 'pos' && x.args[0].value.k === 'name')
          name = x.args[0].value.id;
      });
  return name && /dev/i.test(name) ? name : undefined;
}

/** `optimizer.step()` after backward in the same block: the call GradScaler takes over. */
function optimizerStepIndex(block: Stmt[], after: number): number | undefined {
  for (let j = after + 1; j < block.length; j++) {
    const s = block[j];
    if (
      s.k === 'expr' &&
      s.e.k === 'call' &&
      s.e.fn.k === 'attr' &&
      s.e.fn.name === 'step' &&
      s.e.args.length === 0 &&
      s.e.fn.obj.k === 'name'
    )
      return j;
  }
  return undefined;
}

export const autocastRule: Rule = {
  id: 'autocast-bf16',
  title: 'Training without mixed precision → torch.autocast(bfloat16; float16 with a GradScaler)',
  find(ctx) {
    if (mentionsAnywhere(ctx.ast, (n) => /(^|\.)(autocast|GradScaler)$/.test(n))) return [];
    const steps = trainingSteps(ctx.ast);
    if (!steps.length) return [];
    const model = trainedModel(ctx);
    const fp16 = ctx.options.precision === 'fp16-mixed';
    const findings: Finding[] = [];
    for (const step of steps) {
      if (step.lossIndex === undefined) continue;
      // the forward call and the loss, found by data flow; backward() stays outside
      const start = forwardStart(step.block, step.lossIndex, model.name);
      const first = step.block[start];
      const last = step.block[step.lossIndex];
      const device = stepDevice(step.block);
      // torch.device(x) accepts a torch.device and a string alike
      const onCuda = device ? `torch.device(${device}).type == "cuda"` : 'torch.cuda.is_available()';
      const dtype = fp16 ? 'torch.float16' : 'torch.bfloat16';
      // enabled only where the script runs on CUDA: CPU runs keep their fp32 results
      const wrap = wrapInWith(
        ctx.lines,
        first.line,
        last.endLine ?? last.line,
        `(torch.autocast(device_type="cuda", dtype=${dtype}) if ${onCuda} else contextlib.nullcontext())`,
      );
      const imp = addImport(ctx.ast, ctx.lines, 'import contextlib');
      const edits = [wrap, ...(imp ? [imp] : [])];
      let scalerNote: string | undefined;
      if (fp16) {
        const stepIndex = optimizerStepIndex(step.block, step.backwardIndex);
        const bw = step.block[step.backwardIndex];
        if (stepIndex === undefined || (bw.endLine !== undefined && bw.endLine !== bw.line)) continue;
        const opt = (step.block[stepIndex] as Extract<Stmt, { k: 'expr' }>).e as Extract<Expr, { k: 'call' }>;
        const optName = dotted((opt.fn as Extract<Expr, { k: 'attr' }>).obj)!;
        const indent = /^\s*/.exec(ctx.lines[bw.line])![0];
        const loop = enclosingLoopStart(ctx.ast.body, step.block);
        if (!loop) continue;
        const loopIndent = /^\s*/.exec(ctx.lines[loop.line])![0];
        edits.push(
          { startLine: loop.line, endLine: loop.line - 1, lines: [`${loopIndent}scaler = torch.cuda.amp.GradScaler(enabled=${onCuda})`] },
          {
            startLine: bw.line,
            endLine: bw.line,
            lines: [ctx.lines[bw.line].replace(`${step.lossName}.backward(`, `scaler.scale(${step.lossName}).backward(`)],
          },
          {
            startLine: step.block[stepIndex].line,
            endLine: step.block[stepIndex].line,
            lines: [`${indent}scaler.step(${optName})`, `${indent}scaler.update()`],
          },
        );
        scalerNote =
          'fp16 needs loss scaling: a GradScaler (enabled with the autocast) scales the loss, unscales the gradients in scaler.step and skips steps with inf/NaN gradients; it is created before the loop, so a function called once per epoch restarts its scale';
      }
      findings.push({
        rule: 'autocast-bf16',
        line: first.line + 1,
        endLine: (last.endLine ?? last.line) + 1,
        message: fp16
          ? `The training step runs in fp32: torch.autocast(device_type="cuda", dtype=torch.float16) around the forward pass and the loss (backward stays outside) runs matmuls and convolutions on fp16 Tensor Cores and halves the activations kept for backward; a GradScaler keeps small fp16 gradients from underflowing.`
          : `The training step runs in fp32: torch.autocast(device_type="cuda", dtype=torch.bfloat16) around the forward pass and the loss (backward stays outside) runs matmuls and convolutions on bf16 Tensor Cores and halves the activations kept for backward (no GradScaler needed for bf16; use one with fp16).`,
        edits,
        modelCall: model.call,
        // the script has no autocast, so it trains in fp32 whatever precision the advice targets
        beforeOptions: { precision: 'fp32' },
        afterOptions: { precision: fp16 ? 'fp16-mixed' : 'bf16-mixed' },
        assumptions: [
          device
            ? `enabled when the script's own device (${device}) is CUDA; elsewhere the step runs in fp32 as before`
            : 'enabled where CUDA is available; where it is not the step runs in fp32 as before',
          ...(fp16 ? [scalerNote!] : ['Ampere or newer GPU for bf16 (torch.cuda.is_bf16_supported())']),
          'weights, gradients and optimizer state stay fp32 (torch.autocast); MACs are unchanged',
          ...(model.call ? [] : ['the model the script trains could not be built statically: figures are unknown']),
        ],
      });
    }
    return findings;
  },
};

/** The outermost loop (for / while) of the function or module that holds `block`. */
function enclosingLoopStart(body: Stmt[], block: Stmt[]): Stmt | undefined {
  const search = (stmts: Stmt[], outer: Stmt | undefined): Stmt | undefined => {
    if (stmts === block) return outer;
    for (const s of stmts) {
      const loop = outer ?? (s.k === 'for' || s.k === 'while' ? s : undefined);
      if (s.k === 'def' || s.k === 'class') {
        const r = search(s.body, undefined);
        if (r) return r;
      } else
        for (const b of childBlocks(s)) {
          const r = search(b, loop);
          if (r) return r;
        }
    }
    return undefined;
  };
  return search(body, undefined);
}

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
        // every optimizer torch gives a foreach= argument (all but LBFGS and SparseAdam)
        message: `torch.optim.${o.kind} updates each parameter with its own kernel launches: foreach=True updates them in batched kernels${/^(Adam|AdamW)$/.test(o.kind) ? ' (fused=True, on CUDA with torch ≥ 2.0, in one kernel)' : ''}, the same arithmetic.`,
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

function firstItemCall(s: Stmt): boolean {
  let item = false;
  for (const e of stmtExprs(s))
    walkExpr(e, (x) => void (item ||= x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'item' && x.args.length === 0));
  return item;
}

/** Loops over batches without backward (evaluation): `for … in <loader>` under the script's own code. */
function evaluationLoops(ctx: RuleContext, stepBlocks: Set<Stmt[]>): Extract<Stmt, { k: 'for' }>[] {
  const out: Extract<Stmt, { k: 'for' }>[] = [];
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      if (s.k === 'for' && !blocks(s.body).some((b) => stepBlocks.has(b)) && /loader|batches/i.test(unparse(s.iter))) out.push(s);
      for (const b of childBlocks(s)) visit(b);
      if (s.k === 'def' || s.k === 'class') visit(s.body);
    }
  };
  visit(ctx.ast.body);
  return out;
}

export const itemSyncRule: Rule = {
  id: 'item-sync',
  title: '.item() in every training or evaluation step',
  find(ctx) {
    const findings: Finding[] = [];
    const steps = trainingSteps(ctx.ast);
    const modelCall = trainedModel(ctx).call;
    for (const step of steps) {
      const s = step.block.find(firstItemCall);
      if (!s) continue;
      findings.push({
        rule: 'item-sync',
        modelCall,
        line: s.line + 1,
        message: `.item() on a GPU tensor waits for the GPU every step (a device synchronisation). Accumulate on the GPU (running = running + loss.detach()) and read it every N steps.`,
        assumptions: ['the cost is idle GPU time per step, which a pilot run measures; results are unchanged'],
      });
    }
    // evaluation loops: the same synchronisation once per batch (e.g. test_loss += loss.item())
    for (const loop of evaluationLoops(ctx, new Set(steps.map((st) => st.block)))) {
      const s = blocks(loop.body).flat().find(firstItemCall);
      if (!s) continue;
      findings.push({
        rule: 'item-sync',
        modelCall,
        line: s.line + 1,
        message: `.item() in this evaluation loop waits for the GPU once per batch (a device synchronisation). Sum on the GPU (total = total + loss.detach(), correct = correct + pred.eq(target).sum()) and call .item() once after the loop.`,
        assumptions: ['the cost is idle GPU time per batch, which a pilot run measures; results are unchanged'],
      });
    }
    return findings;
  },
};
