// Where a training script's training loop starts, and how long it runs when the script fixes it:
// the outermost `for` / `while` loop that calls `step()` on an optimizer (found by following
// assignments, optimizerFlow.ts; `scaler.step(optimizer)` counts, a scheduler's `step()` does not),
// or a `trainer.fit(...)` of a Lightning-style Trainer the script builds. The forecast lens of a
// pilot of the script sits above it.
import { childBlocks, dotted, forEachStmt, stmtExprs, walkExpr } from '../advisor/astQuery';
import type { Expr, Module, Stmt } from '../python/ast';
import { loopLength, ScriptConstants, type LoopLength, type LoopLike } from './loopLength';
import { optimizerFlow, type OptimizerFlow } from './optimizerFlow';

export interface TrainingLoop {
  /** 1-based line of the loop (or of the `fit` call). */
  line: number;
  length: LoopLength;
}

/** The training loops of a script, in source order. `imported`: parsed workspace modules it imports. */
export function trainingLoops(ast: Module, imported: readonly Module[] = []): TrainingLoop[] {
  const flow = optimizerFlow(ast, imported);
  const constants = new ScriptConstants(ast);
  const trainers = trainerNames(ast);
  const out: TrainingLoop[] = [];
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      const fit = s.k === 'expr' ? trainerFit(s.e, trainers) : s.k === 'assign' ? trainerFit(s.value, trainers) : undefined;
      if (fit) {
        out.push({ line: s.line + 1, length: fitLength(fit, constants) });
        continue;
      }
      if (s.k === 'for' || s.k === 'while') {
        const step = findStep(s, flow);
        if (step) {
          out.push({ line: s.line + 1, length: loopLength(step.chain, constants, step.conditional, step.line) });
          continue;
        }
      }
      for (const b of childBlocks(s)) visit(b);
      if (s.k === 'def' || s.k === 'class') visit(s.body);
    }
  };
  visit(ast.body);
  return out;
}

/** 1-based lines of the training loops of a script, in source order. */
export function trainingLoopLines(ast: Module, imported: readonly Module[] = []): number[] {
  return trainingLoops(ast, imported).map((l) => l.line);
}

/** `optimizer.step()`, `self.opt.step()`, `scaler.step(optimizer)`. */
function isOptimizerStep(e: Expr, flow: OptimizerFlow): boolean {
  if (e.k !== 'call' || e.fn.k !== 'attr' || e.fn.name !== 'step') return false;
  if (flow.isOptimizer(e.fn.obj)) return true;
  const arg = e.args.at(0)?.value;
  return arg !== undefined && flow.isOptimizer(arg);
}

/** The first optimizer step inside a loop: the loops from it down to the step, and whether an `if` guards the step. */
function findStep(loop: LoopLike, flow: OptimizerFlow): { chain: LoopLike[]; conditional: boolean; line: number } | undefined {
  const search = (body: Stmt[], chain: LoopLike[], conditional: boolean): ReturnType<typeof findStep> => {
    for (const s of body) {
      const seen = { step: false };
      for (const e of stmtExprs(s)) walkExpr(e, (x) => (seen.step ||= isOptimizerStep(x, flow)));
      if (seen.step && s.k !== 'for' && s.k !== 'while' && s.k !== 'if') return { chain, conditional, line: s.line + 1 };
      if (s.k === 'for' || s.k === 'while') {
        const r = search(s.body, [...chain, s], false);
        if (r) return r;
      } else if (s.k === 'if') {
        for (const b of [s.body, s.orelse]) {
          const r = search(b, chain, true);
          if (r) return r;
        }
      } else
        for (const b of childBlocks(s)) {
          const r = search(b, chain, conditional);
          if (r) return r;
        }
    }
    return undefined;
  };
  return search(loop.body, [loop], false);
}

/** Names bound to a Trainer built by a library (a Trainer class the script defines holds its own loop). */
function trainerNames(ast: Module): { names: Set<string>; calls: Map<string, Extract<Expr, { k: 'call' }>> } {
  const own = new Set<string>();
  forEachStmt(ast.body, (s) => {
    if (s.k === 'class') own.add(s.name);
  });
  const names = new Set<string>();
  const calls = new Map<string, Extract<Expr, { k: 'call' }>>();
  forEachStmt(ast.body, (s) => {
    if (s.k !== 'assign' || !isTrainerConstruction(s.value, own)) return;
    for (const t of s.targets) {
      const d = dotted(t);
      if (d === undefined) continue;
      names.add(d);
      calls.set(d, s.value as Extract<Expr, { k: 'call' }>);
    }
  });
  return { names, calls };
}

function isTrainerConstruction(e: Expr, own: ReadonlySet<string>): boolean {
  if (e.k !== 'call') return false;
  const fn = dotted(e.fn);
  const last = fn?.slice(fn.lastIndexOf('.') + 1);
  return last !== undefined && /Trainer$/.test(last) && !own.has(last);
}

function trainerFit(e: Expr, trainers: ReturnType<typeof trainerNames>): Extract<Expr, { k: 'call' }> | undefined {
  if (e.k !== 'call' || e.fn.k !== 'attr' || e.fn.name !== 'fit') return undefined;
  const owner = e.fn.obj;
  if (owner.k === 'call' && isTrainerConstruction(owner, new Set())) return owner;
  const d = dotted(owner);
  return d !== undefined && trainers.names.has(d) ? trainers.calls.get(d) : undefined;
}

/** A Trainer's run length: `max_steps=N`, else `max_epochs=E` × the training DataLoader's length. */
function fitLength(trainer: Extract<Expr, { k: 'call' }>, constants: ScriptConstants): LoopLength {
  const kw = (n: string) => trainer.args.find((a) => a.kind === 'kw' && a.name === n)?.value;
  const steps = kw('max_steps');
  if (steps && !(steps.k === 'unary' && steps.op === '-')) {
    const c = constants.count(steps);
    if (c.ok) return { kind: 'steps', count: c.count, basis: `Trainer(max_steps=${c.text})` };
    return { kind: 'unknown', reason: `Trainer(max_steps=…): ${c.reason}` };
  }
  const epochs = kw('max_epochs');
  if (epochs) {
    const c = constants.count(epochs);
    if (c.ok)
      return {
        kind: 'epochs',
        epochs: c.count,
        perEpoch: 'the training DataLoader',
        basis: `Trainer(max_epochs=${c.text}) × the training DataLoader's length, one optimizer step per batch (no gradient accumulation)`,
      };
    return { kind: 'unknown', reason: `Trainer(max_epochs=…): ${c.reason}` };
  }
  return { kind: 'unknown', reason: 'the Trainer sets neither max_steps nor max_epochs in the script' };
}
