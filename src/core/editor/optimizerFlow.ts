// Which names of a training script hold an optimizer, by following assignments rather than by
// what a variable is called: a construction of a torch.optim class (or a known optimizer class, or
// a class of the script that subclasses one), the value of a function that returns an optimizer
// (in the script or in a workspace module it imports, e.g. minGPT's `configure_optimizers`), a
// wrapper given one (`hvd.DistributedOptimizer(opt)`), the matching element of a tuple unpacked
// from a call given one (`model, opt = accelerator.prepare(model, opt)`), and a function's
// parameter that a call in the script passes one to. A scheduler is none of these.
import { dotted, forEachStmt, walkExpr } from '../advisor/astQuery';
import type { Expr, FunctionDef, Module, Stmt } from '../python/ast';

/** torch.optim's classes and widely used ones outside it (bitsandbytes, apex, timm, transformers, lion-pytorch). */
const KNOWN_OPTIMIZERS = new Set([
  'Adam', 'AdamW', 'SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam', 'ASGD', 'Rprop', 'LBFGS',
  'SparseAdam', 'Adafactor', 'Lion', 'LAMB', 'Lamb', 'FusedAdam', 'FusedLAMB', 'FusedSGD', 'AdamW8bit', 'Adam8bit',
  'PagedAdamW', 'PagedAdamW8bit', 'ZeroRedundancyOptimizer', 'Optimizer',
]); // prettier-ignore
/** Factories that return an optimizer: timm's, transformers'. */
const KNOWN_FACTORIES = new Set(['create_optimizer', 'create_optimizer_v2']);

export interface OptimizerFlow {
  /** Whether an expression (a name, `self.opt`, a call) evaluates to an optimizer. */
  isOptimizer(e: Expr): boolean;
}

type Def = FunctionDef;

/**
 * The optimizer-valued names and attributes of `ast`. `imported` are the parsed workspace modules
 * the script imports: their functions that return an optimizer count when the script calls them.
 * Scopes are not separated (a name that holds an optimizer in one function is taken to hold one
 * everywhere): training scripts rarely reuse an optimizer's name for something else.
 */
export function optimizerFlow(ast: Module, imported: readonly Module[] = []): OptimizerFlow {
  const classes = optimizerClasses(ast);
  const names = new Set<string>();
  const returning = new Set<string>(KNOWN_FACTORIES);
  const defs = allDefs(ast);
  const importedDefs = imported.flatMap(allDefs);

  const isOpt = (e: Expr): boolean => {
    if (e.k === 'name' || e.k === 'attr') {
      const d = dotted(e);
      if (d !== undefined && names.has(d)) return true;
      // `self.opt` read through another receiver name (`trainer.opt`) is the same attribute
      return e.k === 'attr' && names.has(`self.${e.name}`) && dotted(e.obj) !== undefined;
    }
    if (e.k !== 'call') return false;
    const fn = dotted(e.fn);
    const last = e.fn.k === 'attr' ? e.fn.name : e.fn.k === 'name' ? e.fn.id : undefined;
    if (fn !== undefined && isOptimizerClass(fn, classes)) return true;
    if (last !== undefined && returning.has(last)) return true;
    // a wrapper that takes an optimizer and is one (DistributedOptimizer, Lookahead, SWA)
    return last !== undefined && /Optimi[sz]er$|^Lookahead$/.test(last) && e.args.length > 0 && isOpt(e.args[0]!.value);
  };

  // grow the sets until nothing changes: each pass may make more expressions optimizer-valued
  for (let pass = 0; pass < 6; pass++) {
    const before = names.size + returning.size;
    for (const d of [...defs, ...importedDefs]) if (!returning.has(d.name) && returnsOptimizer(d, isOpt, names)) returning.add(d.name);
    forEachStmt(ast.body, (s) => {
      if (s.k === 'assign') {
        for (const t of s.targets) bindTarget(t, s.value, isOpt, names);
      } else if (s.k === 'annassign' && s.value && isOpt(s.value)) addTarget(s.target, names);
      for (const call of callsIn(s)) bindParameters(call, defs, isOpt, names);
    });
    if (names.size + returning.size === before) break;
  }
  return { isOptimizer: isOpt };
}

function isOptimizerClass(fn: string, classes: ReadonlySet<string>): boolean {
  const last = fn.slice(fn.lastIndexOf('.') + 1);
  if (classes.has(fn) || classes.has(last)) return true;
  // torch.optim.X, optim.X, bnb.optim.X, apex.optimizers.X
  if (/(^|\.)optim(izers)?\.[A-Z]\w*$/.test(fn) && !/lr_scheduler|swa_utils/.test(fn)) return true;
  return KNOWN_OPTIMIZERS.has(last) && fn.split('.').length <= 3;
}

/** Names of classes the script defines or imports that are optimizers. */
function optimizerClasses(ast: Module): Set<string> {
  const out = new Set<string>();
  forEachStmt(ast.body, (s) => {
    if (s.k === 'importfrom' && s.names !== '*' && /(^|\.)optim(izers)?$|^torch\.optim\./.test(s.module))
      for (const n of s.names) if (/^[A-Z]/.test(n.name) && !/LR|Scheduler/.test(n.name)) out.add(n.alias ?? n.name);
    if (s.k === 'importfrom' && s.names !== '*') for (const n of s.names) if (KNOWN_OPTIMIZERS.has(n.name)) out.add(n.alias ?? n.name);
  });
  // a class of the script that subclasses an optimizer
  forEachStmt(ast.body, (s) => {
    if (s.k !== 'class') return;
    if (s.bases.some((b) => b.kind === 'pos' && (dotted(b.value) ?? '').match(/(^|\.)(Optimizer|optim\.\w+)$/) !== null)) out.add(s.name);
  });
  return out;
}

function addTarget(t: Expr, names: Set<string>): void {
  const d = dotted(t);
  if (d !== undefined) names.add(d);
}

function bindTarget(t: Expr, value: Expr, isOpt: (e: Expr) => boolean, names: Set<string>): void {
  if (t.k === 'name' || t.k === 'attr') {
    if (isOpt(value)) addTarget(t, names);
    return;
  }
  if (t.k !== 'tuple' && t.k !== 'list') return;
  // a, b = c, d: element by element
  if ((value.k === 'tuple' || value.k === 'list') && value.items.length === t.items.length) {
    t.items.forEach((x, i) => bindTarget(x, value.items[i]!, isOpt, names));
    return;
  }
  // model, opt, loader = accelerator.prepare(model, opt, loader): the element in the position of the optimizer
  if (value.k === 'call' && value.args.length === t.items.length && value.args.every((a) => a.kind === 'pos'))
    value.args.forEach((a, i) => {
      if (isOpt(a.value)) addTarget(t.items[i]!, names);
    });
}

/** A call of a function of the script that passes an optimizer: the parameter receiving it holds one. */
function bindParameters(call: Extract<Expr, { k: 'call' }>, defs: readonly Def[], isOpt: (e: Expr) => boolean, names: Set<string>) {
  const callee = call.fn.k === 'name' ? call.fn.id : call.fn.k === 'attr' ? call.fn.name : undefined;
  if (callee === undefined) return;
  for (const d of defs) {
    if (d.name !== callee) continue;
    const params = d.params.filter((p) => p.kind === 'pos' || p.kind === 'posonly' || p.kind === 'kwonly');
    const positional = params[0]?.name === 'self' && call.fn.k === 'attr' ? params.slice(1) : params;
    call.args.forEach((a, i) => {
      if (!isOpt(a.value)) return;
      const p = a.kind === 'kw' ? params.find((x) => x.name === a.name) : a.kind === 'pos' ? positional[i] : undefined;
      if (p) names.add(p.name);
    });
  }
}

/** Whether a function returns an optimizer: a `return` of an optimizer-valued expression, after local assignments. */
function returnsOptimizer(d: Def, isOpt: (e: Expr) => boolean, names: Set<string>): boolean {
  let found = false;
  forEachStmt(d.body, (s) => {
    if (s.k === 'assign') for (const t of s.targets) bindTarget(t, s.value, isOpt, names);
    if (s.k === 'return' && s.value) {
      const v = s.value;
      found ||= isOpt(v) || ((v.k === 'tuple' || v.k === 'list') && v.items.some(isOpt));
    }
  });
  return found;
}

function allDefs(ast: Module): Def[] {
  const out: Def[] = [];
  forEachStmt(ast.body, (s) => {
    if (s.k === 'def') out.push(s);
  });
  return out;
}

function callsIn(s: Stmt): Extract<Expr, { k: 'call' }>[] {
  const out: Extract<Expr, { k: 'call' }>[] = [];
  const exprs: Expr[] =
    s.k === 'expr' ? [s.e] : s.k === 'assign' ? [s.value] : s.k === 'return' && s.value ? [s.value] : s.k === 'for' ? [s.iter] : [];
  for (const e of exprs)
    walkExpr(e, (x) => {
      if (x.k === 'call') out.push(x);
    });
  return out;
}
