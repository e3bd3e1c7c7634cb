// What the training-script rules need to know about a script: its training loop (the block
// with `loss.backward()`), the optimizer and the model it trains, and how the model is built.
import type { Expr, Module, Stmt } from '../python/ast';
import { unparse } from '../python/unparse';
import { blocks, childBlocks, dotted, stmtExprs, walkExpr } from './astQuery';

export interface TrainingStep {
  /** The statement list that holds `loss.backward()`. */
  block: Stmt[];
  backwardIndex: number;
  lossName: string;
  /** Index of the statement that assigns the loss, if found before backward. */
  lossIndex?: number;
}

function backwardOf(s: Stmt): string | undefined {
  if (s.k !== 'expr' || s.e.k !== 'call' || s.e.fn.k !== 'attr' || s.e.fn.name !== 'backward') return undefined;
  const obj = s.e.fn.obj;
  // scaler.scale(loss).backward()
  if (obj.k === 'call' && obj.fn.k === 'attr' && obj.fn.name === 'scale' && obj.args[0]?.value.k === 'name') return obj.args[0].value.id;
  return obj.k === 'name' ? obj.id : undefined;
}

/** Every `X.backward()` in the file with the block around it. */
export function trainingSteps(ast: Module): TrainingStep[] {
  const out: TrainingStep[] = [];
  const visit = (body: Stmt[]) => {
    body.forEach((s, i) => {
      const loss = backwardOf(s);
      if (loss) {
        let lossIndex: number | undefined;
        for (let j = i - 1; j >= 0; j--) {
          const t = body[j];
          if (t.k === 'assign' && t.targets.some((x) => x.k === 'name' && x.id === loss)) {
            lossIndex = j;
            break;
          }
        }
        out.push({ block: body, backwardIndex: i, lossName: loss, lossIndex });
      }
      for (const b of childBlocks(s)) visit(b);
      if (s.k === 'def') visit(s.body);
      if (s.k === 'class') visit(s.body);
    });
  };
  visit(ast.body);
  return out;
}

/** Optimizer constructions: torch.optim.AdamW(model.parameters(), ...) and `from torch.optim import AdamW` forms. */
export function optimizerCalls(ast: Module): { call: Extract<Expr, { k: 'call' }>; kind: string; modelName?: string; stmt: Stmt }[] {
  const aliases = new Map<string, string>();
  for (const s of ast.body)
    if (s.k === 'importfrom' && s.module === 'torch.optim' && s.names !== '*')
      for (const n of s.names) aliases.set(n.alias ?? n.name, n.name);
  const out: { call: Extract<Expr, { k: 'call' }>; kind: string; modelName?: string; stmt: Stmt }[] = [];
  for (const block of blocks(ast.body).concat(allFunctionBlocks(ast)))
    for (const s of block)
      for (const e of stmtExprs(s))
        walkExpr(e, (x) => {
          if (x.k !== 'call') return;
          const name = dotted(x.fn) ?? '';
          const kind = /^(torch\.)?optim\.(\w+)$/.exec(name)?.[2] ?? aliases.get(name);
          if (!kind || !/^(Adam|AdamW|SGD|RMSprop|Adagrad|Adadelta|Adamax|NAdam|RAdam|ASGD|Rprop)$/.test(kind)) return;
          const first = x.args[0]?.value;
          const modelName =
            first?.k === 'call' && first.fn.k === 'attr' && first.fn.name === 'parameters' && first.fn.obj.k === 'name'
              ? first.fn.obj.id
              : undefined;
          out.push({ call: x, kind, modelName, stmt: s });
        });
  return dedupe(out);
}

function dedupe<T extends { call: unknown }>(xs: T[]): T[] {
  return xs.filter((x, i) => xs.findIndex((y) => y.call === x.call) === i);
}

function allFunctionBlocks(ast: Module): Stmt[][] {
  const out: Stmt[][] = [];
  const visit = (body: Stmt[]) => {
    for (const s of body) {
      if (s.k === 'def' || s.k === 'class') {
        out.push(...blocks(s.body));
        visit(s.body);
      } else for (const b of childBlocks(s)) visit(b);
    }
  };
  visit(ast.body);
  return out;
}

/**
 * How the script builds `modelName`: the constructor call of `model = Net(...).to(device)`,
 * as text the engine can evaluate in the module (`--model 'Net(width=32)'`).
 */
export function modelConstruction(ast: Module, modelName: string): string | undefined {
  for (const block of [ast.body, ...allFunctionBlocks(ast), ...blocks(ast.body)])
    for (const s of block) {
      if (s.k !== 'assign' || !s.targets.some((t) => t.k === 'name' && t.id === modelName)) continue;
      let e: Expr = s.value;
      // strip .to(device) / .cuda() / .train() chains
      while (e.k === 'call' && e.fn.k === 'attr' && ['to', 'cuda', 'cpu', 'train', 'float', 'half', 'bfloat16'].includes(e.fn.name))
        e = e.fn.obj;
      if (e.k === 'call' && (e.fn.k === 'name' || e.fn.k === 'attr') && e.args.every((a) => isLiteral(a.value))) return unparse(e);
    }
  return undefined;
}

function isLiteral(e: Expr): boolean {
  switch (e.k) {
    case 'num':
    case 'str':
    case 'const':
      return true;
    case 'unary':
      return isLiteral(e.e);
    case 'tuple':
    case 'list':
      return e.items.every(isLiteral);
    default:
      return false;
  }
}

/** Whether any expression in the file mentions a dotted name (e.g. torch.compile, autocast). */
export function mentionsAnywhere(ast: Module, test: (dottedName: string) => boolean): boolean {
  let found = false;
  const scan = (body: Stmt[]) => {
    for (const s of body) {
      if (s.k === 'importfrom' && s.names !== '*' && s.names.some((n) => test(`${s.module}.${n.name}`))) found = true;
      for (const e of stmtExprs(s)) walkExpr(e, (x) => (found ||= (x.k === 'attr' || x.k === 'name') && test(dotted(x) ?? '')));
      for (const b of childBlocks(s)) scan(b);
      if (s.k === 'def' || s.k === 'class') scan(s.body);
    }
  };
  scan(ast.body);
  return found;
}
