// Where a training script's training loop starts: the outermost `for` / `while` loop that calls
// an optimizer's `step()` (or `scaler.step(optimizer)`), or a `trainer.fit(...)` call. The
// forecast lens of a pilot of the script sits above it.
import { childBlocks, dotted, stmtExprs, walkExpr } from '../advisor/astQuery';
import { optimizerCalls } from '../advisor/trainingScript';
import type { Expr, Module, Stmt } from '../python/ast';

/** 1-based lines of the training loops of a script, in source order. */
export function trainingLoopLines(ast: Module): number[] {
  const out: number[] = [];
  // names bound to torch.optim constructions count whatever they are called
  const optimizers = new Set<string>();
  for (const o of optimizerCalls(ast))
    if (o.stmt.k === 'assign') for (const t of o.stmt.targets) if (t.k === 'name' || t.k === 'attr') optimizers.add(dotted(t) ?? '');
  const containsStep = (loop: Stmt) => loopSteps(loop, optimizers);
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      if ((s.k === 'for' || s.k === 'while') && containsStep(s)) out.push(s.line + 1);
      else if (s.k === 'expr' && isTrainerFit(s.e)) out.push(s.line + 1);
      else if (s.k === 'assign' && isTrainerFit(s.value)) out.push(s.line + 1);
      else {
        for (const b of childBlocks(s)) visit(b);
        if (s.k === 'def' || s.k === 'class') visit(s.body);
      }
    }
  };
  visit(ast.body);
  return out;
}

const OPTIMIZER = /(^|[._])(opt|optim|optimizer|optimiser)\w*$/i;

/** `optimizer.step()`, `self.opt.step()`, `scaler.step(optimizer)`: not a scheduler's step. */
function isOptimizerStep(e: Expr, optimizers: ReadonlySet<string>): boolean {
  if (e.k !== 'call' || e.fn.k !== 'attr' || e.fn.name !== 'step') return false;
  const owner = dotted(e.fn.obj);
  if (!owner) return false;
  const isOptimizer = (name: string) => optimizers.has(name) || OPTIMIZER.test(name);
  if (isOptimizer(owner)) return true;
  const arg = e.args.at(0)?.value;
  const argName = arg ? dotted(arg) : undefined;
  return /scaler$/i.test(owner) && argName !== undefined && isOptimizer(argName);
}

function isTrainerFit(e: Expr): boolean {
  if (e.k !== 'call' || e.fn.k !== 'attr' || e.fn.name !== 'fit') return false;
  const owner = dotted(e.fn.obj);
  return owner !== undefined && /trainer$/i.test(owner);
}

/** Whether a loop calls an optimizer step anywhere in its body (functions defined inside excluded). */
function loopSteps(loop: Stmt, optimizers: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      if (found) return;
      for (const e of stmtExprs(s)) walkExpr(e, (x) => (found ||= isOptimizerStep(x, optimizers)));
      for (const b of childBlocks(s)) visit(b);
    }
  };
  for (const b of childBlocks(loop)) visit(b);
  return found;
}
