// How many optimizer steps a training loop runs, when the script fixes it: `range(STEPS)` with a
// constant, `for epoch in range(EPOCHS): for batch in loader` (epochs × the loader's length, which
// the pilot measures), a generator of the script that yields `range(n)` times, a `while True` loop
// that counts up to a bound and breaks. argparse options count with their default, or with the
// value the pilot's command line gave. Anything else stays unknown, with the reason.
import { dotted, forEachStmt, stmtExprs, walkExpr } from '../advisor/astQuery';
import type { Expr, FunctionDef, Module, Stmt } from '../python/ast';
import { unparse } from '../python/unparse';

/** A count the script fixes: a number, an argparse option (its default unless the command line sets it), or arithmetic on them. */
export type CountExpr =
  number | { option: string; default: number | null } | { op: '+' | '-' | '*' | '//' | 'cdiv'; l: CountExpr; r: CountExpr };

export type LoopLength =
  /** Optimizer steps = count. */
  | { kind: 'steps'; count: CountExpr; basis: string }
  /** Optimizer steps = epochs × the length of `perEpoch` (a DataLoader: the pilot measures it). */
  | { kind: 'epochs'; epochs: CountExpr; perEpoch: string; basis: string }
  | { kind: 'unknown'; reason: string };

export type CountValue = { ok: true; value: number; options: string[] } | { ok: false; reason: string };

/** The value of a count with the script's command line (`--epochs 8`, `--epochs=8`); options not on it keep their default. */
export function evaluateCount(c: CountExpr, args: readonly string[] = []): CountValue {
  if (typeof c === 'number') return { ok: true, value: c, options: [] };
  if ('option' in c) {
    const given = optionValue(c.option, args);
    if (given !== undefined) return { ok: true, value: given, options: [`${c.option} ${given} (command line)`] };
    if (c.default === null) return { ok: false, reason: `${c.option} has no numeric default and the command line does not set it` };
    return { ok: true, value: c.default, options: [`${c.option} ${c.default} (default)`] };
  }
  const l = evaluateCount(c.l, args);
  if (!l.ok) return l;
  const r = evaluateCount(c.r, args);
  if (!r.ok) return r;
  const value =
    c.op === '+'
      ? l.value + r.value
      : c.op === '-'
        ? l.value - r.value
        : c.op === '*'
          ? l.value * r.value
          : r.value === 0
            ? NaN
            : c.op === '//'
              ? Math.floor(l.value / r.value)
              : Math.ceil(l.value / r.value);
  if (!Number.isFinite(value)) return { ok: false, reason: 'division by zero' };
  return { ok: true, value: Math.max(0, value), options: [...l.options, ...r.options] };
}

function optionValue(option: string, args: readonly string[]): number | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const text = a === option ? args[i + 1] : a.startsWith(`${option}=`) ? a.slice(option.length + 1) : undefined;
    if (text !== undefined && /^\d+$/.test(text.trim())) return Number(text);
  }
  return undefined;
}

type Count = { ok: true; count: CountExpr; text: string } | { ok: false; reason: string };

/** What the script's names and argparse options are bound to. */
export class ScriptConstants {
  private readonly assigned = new Map<string, { value: Expr; line: number; times: number }>();
  private readonly options = new Map<string, { option: string; default: number | null }>();
  private readonly generators = new Map<string, FunctionDef>();
  private readonly literals = new Map<string, Set<number>>();
  /** A call that can rebind any global (nanoGPT's `exec(open('configurator.py').read())`): no name is then constant. */
  private rebinder: { text: string; line: number } | undefined;

  constructor(ast: Module) {
    forEachStmt(ast.body, (s) => {
      if (!this.rebinder)
        for (const e of stmtExprs(s))
          walkExpr(e, (x) => {
            if (!this.rebinder && x.k === 'call' && (dotted(x.fn) === 'exec' || writesNamespace(x.fn)))
              this.rebinder = { text: `${unparse(x.fn)}(…)`, line: s.line };
          });
      if (s.k === 'assign')
        for (const t of s.targets) {
          const d = dotted(t);
          if (d !== undefined) this.bind(d, s.value, s.line);
          else if (t.k === 'tuple' || t.k === 'list') for (const x of t.items) this.reassign(x);
        }
      else if (s.k === 'augassign' || (s.k === 'annassign' && !s.value)) this.reassign(s.target);
      else if (s.k === 'annassign' && s.value) this.bind(dotted(s.target) ?? '', s.value, s.line);
      else if (s.k === 'for') this.reassign(s.target);
      else if (s.k === 'def' && s.isGenerator) this.generators.set(s.name, s);
      if (s.k === 'expr' || s.k === 'assign')
        walkExpr(s.k === 'expr' ? s.e : s.value, (x) => {
          if (x.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'add_argument') this.addOption(x);
        });
    });
  }

  private bind(name: string, value: Expr, line: number): void {
    if (value.k === 'num' && !value.float) this.literals.set(name, (this.literals.get(name) ?? new Set()).add(value.v));
    const before = this.assigned.get(name);
    this.assigned.set(name, { value, line, times: (before?.times ?? 0) + 1 });
  }

  private reassign(t: Expr): void {
    const d = dotted(t);
    if (d !== undefined) this.bind(d, { k: 'const', v: null, line: 0 }, 0);
    else if (t.k === 'tuple' || t.k === 'list') for (const x of t.items) this.reassign(x);
  }

  private addOption(call: Extract<Expr, { k: 'call' }>): void {
    const flag = call.args.map((a) => (a.kind === 'pos' && a.value.k === 'str' ? a.value.v : '')).find((v) => v.startsWith('--'));
    if (!flag) return;
    const kw = (n: string) => call.args.find((a) => a.kind === 'kw' && a.name === n)?.value;
    const destExpr = kw('dest');
    const dest = destExpr?.k === 'str' ? destExpr.v : flag.slice(2).replace(/-/g, '_');
    const dflt = kw('default');
    this.options.set(dest, { option: flag, default: dflt?.k === 'num' && !dflt.float ? dflt.v : null });
  }

  /** The integer literal a counter starts from, when all its literal assignments agree (a resume from a checkpoint is not). */
  /** Why no global is constant, if something can rebind them all. */
  get rebound(): string | undefined {
    return this.rebinder && `any global may be rebound by ${this.rebinder.text} at line ${this.rebinder.line + 1}`;
  }

  initial(name: string): number | undefined {
    if (this.rebinder) return undefined;
    const values = this.literals.get(name);
    return values?.size === 1 ? [...values][0] : undefined;
  }

  /** A count for an expression: literals, names assigned once, argparse options, + − × //. */
  count(e: Expr, depth = 0): Count {
    const text = unparse(e);
    if (depth > 8) return { ok: false, reason: `${text}: too deep to follow` };
    switch (e.k) {
      case 'num':
        return e.float || !Number.isInteger(e.v) ? { ok: false, reason: `${text} is not an integer` } : { ok: true, count: e.v, text };
      case 'call': {
        // int(x), min/max of counts
        const fn = dotted(e.fn);
        if (fn === 'int' && e.args.length === 1) return this.count(e.args[0]!.value, depth + 1);
        return { ok: false, reason: `${text}: known only when the script runs` };
      }
      case 'bin': {
        const ops: Partial<Record<string, '+' | '-' | '*' | '//'>> = { '+': '+', '-': '-', '*': '*', '//': '//' };
        const op = ops[e.op];
        if (op === undefined) return { ok: false, reason: `${text}: ${e.op} is not followed` };
        const l = this.count(e.l, depth + 1);
        if (!l.ok) return l;
        const r = this.count(e.r, depth + 1);
        if (!r.ok) return r;
        return { ok: true, count: fold({ op, l: l.count, r: r.count }), text: `${l.text} ${e.op} ${r.text}` };
      }
      case 'name':
      case 'attr': {
        const name = dotted(e);
        if (name === undefined) return { ok: false, reason: `${text}: known only when the script runs` };
        const bound = this.assigned.get(name);
        if (bound && this.rebinder) return { ok: false, reason: `${name}: ${this.rebound}` };
        if (bound && bound.times === 1) {
          const inner = this.count(bound.value, depth + 1);
          if (inner.ok) return { ok: true, count: inner.count, text: `${name} = ${inner.text} (line ${bound.line + 1})` };
          return { ok: false, reason: `${name} (line ${bound.line + 1}): ${inner.reason}` };
        }
        if (bound && bound.times > 1) return { ok: false, reason: `${name} is assigned more than once` };
        const option = e.k === 'attr' ? this.options.get(e.name) : undefined;
        if (option)
          return { ok: true, count: { ...option }, text: `${name} (argparse ${option.option}, default ${option.default ?? 'none'})` };
        return { ok: false, reason: `${name} is set at run time (no constant or argparse default in the script)` };
      }
      default:
        return { ok: false, reason: `${text}: known only when the script runs` };
    }
  }

  /** The number of items an iterable yields, when the script fixes it. */
  iterations(iter: Expr, depth = 0): Count {
    if (depth > 4) return { ok: false, reason: 'too deep to follow' };
    if (iter.k !== 'call') return { ok: false, reason: `len(${unparse(iter)}) — its size is known only when the script runs` };
    const fn = dotted(iter.fn);
    const args = iter.args.filter((a) => a.kind === 'pos').map((a) => a.value);
    if (fn === 'range' && args.length >= 1 && args.length <= 3) {
      const counts = args.map((a) => this.count(a));
      const bad = counts.find((c): c is Extract<Count, { ok: false }> => !c.ok);
      if (bad) return bad;
      const known = counts as Extract<Count, { ok: true }>[];
      const text = `range(${known.map((c) => c.text).join(', ')})`;
      if (known.length === 1) return { ok: true, count: known[0]!.count, text };
      const span = fold({ op: '-', l: known[1]!.count, r: known[0]!.count });
      return { ok: true, count: known.length === 3 ? fold({ op: 'cdiv', l: span, r: known[2]!.count }) : span, text };
    }
    if ((fn === 'enumerate' || fn === 'tqdm' || fn === 'tqdm.tqdm' || fn === 'iter') && args[0]) return this.iterations(args[0], depth + 1);
    const gen = fn !== undefined ? this.generators.get(fn) : undefined;
    if (gen) return this.generatorCount(gen, iter, depth);
    return { ok: false, reason: `len(${unparse(iter)}) — its size is known only when the script runs` };
  }

  /** A generator whose body is `for _ in range(n): … yield …` (one yield per iteration), called with constants. */
  private generatorCount(gen: FunctionDef, call: Extract<Expr, { k: 'call' }>, depth: number): Count {
    const loops = gen.body.filter((s): s is Extract<Stmt, { k: 'for' }> => s.k === 'for');
    const loop = loops.length === 1 ? loops[0]! : undefined;
    const yields = loop ? loop.body.filter((s) => s.k === 'expr' && s.e.k === 'yield').length : 0;
    if (!loop || yields !== 1 || loop.iter.k !== 'call' || dotted(loop.iter.fn) !== 'range')
      return { ok: false, reason: `${gen.name}(): yields a number of items known only when the script runs` };
    // bind the parameters to the call's arguments, by position or keyword
    const sub = (e: Expr): Expr => {
      if (e.k === 'name') {
        const i = gen.params.findIndex((p) => p.name === e.id);
        if (i >= 0) {
          const arg =
            call.args.find((a) => a.kind === 'kw' && a.name === e.id)?.value ??
            (call.args[i]?.kind === 'pos' ? call.args[i]!.value : gen.params[i]!.default);
          if (arg) return arg;
        }
      }
      if (e.k === 'bin') return { ...e, l: sub(e.l), r: sub(e.r) };
      return e;
    };
    const inner = this.iterations({ ...loop.iter, args: loop.iter.args.map((a) => ({ ...a, value: sub(a.value) })) }, depth + 1);
    return inner.ok ? { ...inner, text: `${gen.name}(): ${inner.text}` } : inner;
  }
}

function fold(c: CountExpr): CountExpr {
  if (typeof c === 'number' || 'option' in c) return c;
  if (typeof c.l === 'number' && typeof c.r === 'number') {
    const v = evaluateCount(c);
    return v.ok ? v.value : c;
  }
  return c;
}

/** One loop of the chain from the training loop down to the optimizer step. */
export type LoopLike = Extract<Stmt, { k: 'for' | 'while' }>;

/**
 * The optimizer steps of a chain of nested loops (outermost first) whose innermost one calls the
 * step once per iteration: the product of their counts, or epochs × a loader when exactly the
 * innermost is an iterable of unknown length. `stepIsConditional`: the step sits under an `if`.
 */
export function loopLength(
  chain: readonly LoopLike[],
  constants: ScriptConstants,
  stepIsConditional: boolean,
  stepLine: number,
): LoopLength {
  if (stepIsConditional)
    return { kind: 'unknown', reason: `the optimizer step (line ${stepLine}) runs under a condition: steps per iteration unknown` };
  const known: { count: CountExpr; text: string }[] = [];
  let perEpoch: string | undefined;
  for (const [i, loop] of chain.entries()) {
    const c = loop.k === 'for' ? constants.iterations(loop.iter) : whileCount(loop, constants, stepLine);
    if (c.ok) {
      known.push(c);
      continue;
    }
    const innermost = i === chain.length - 1;
    if (innermost && loop.k === 'for' && perEpoch === undefined && known.length > 0) {
      perEpoch = unparse(loop.iter);
      continue;
    }
    const why = loop.k === 'for' ? `${c.reason} (line ${loop.line + 1})` : c.reason;
    return { kind: 'unknown', reason: known.length > 0 ? `${known.map((k) => k.text).join(' × ')} × ${why}` : why };
  }
  const product = known.map((k) => k.count).reduce<CountExpr>((a, b) => fold({ op: '*', l: a, r: b }), 1);
  const basis = known.map((k) => k.text).join(' × ');
  if (perEpoch !== undefined)
    return { kind: 'epochs', epochs: product, perEpoch, basis: `${basis} epochs × len(${perEpoch}), one optimizer step per batch` };
  return { kind: 'steps', count: product, basis: `${basis}, one optimizer step per iteration` };
}

/**
 * `while True:` (or `while i < N`) with a counter: `i += 1` once at the top level of the body and
 * `if i > N: break` (or `>=`), `i` starting from a constant.
 */
function whileCount(loop: Extract<Stmt, { k: 'while' }>, constants: ScriptConstants, stepLine: number): Count {
  const where = `the while loop (line ${loop.line + 1})`;
  const body = loop.body;
  const incIndex = body.findIndex((s) => s.k === 'augassign' && s.op === '+=' && s.value.k === 'num' && s.value.v === 1);
  const inc = incIndex >= 0 ? (body[incIndex] as Extract<Stmt, { k: 'augassign' }>) : undefined;
  const counter = inc ? dotted(inc.target) : undefined;
  const stepIndex = body.findIndex((s) => s.line + 1 <= stepLine && stepLine <= (s.endLine ?? s.line) + 1);
  if (!counter) return { ok: false, reason: `${where} has no counter it breaks on` };
  const start = constants.initial(counter);
  if (start === undefined)
    return { ok: false, reason: `${where}: ${counter} has no constant start${constants.rebound ? ` (${constants.rebound})` : ''}` };
  // while i < N / i <= N
  if (!(loop.test.k === 'const' && loop.test.v === true)) {
    const t = loop.test;
    if (t.k !== 'cmp' || t.ops.length !== 1 || dotted(t.first) !== counter || !['<', '<='].includes(t.ops[0]!))
      return { ok: false, reason: `${where}: its condition ${unparse(loop.test)} is not a bound on a counter` };
    const bound = constants.count(t.rest[0]!);
    if (!bound.ok) return bound;
    const n = fold({ op: '-', l: t.ops[0] === '<=' ? fold({ op: '+', l: bound.count, r: 1 }) : bound.count, r: start });
    return { ok: true, count: n, text: `${unparse(loop.test)} from ${counter} = ${start} (${bound.text})` };
  }
  // while True: … if i > N: break
  for (const [i, s] of body.entries()) {
    if (s.k !== 'if' || !s.body.some((b) => b.k === 'break') || s.orelse.length) continue;
    const t = s.test;
    if (t.k !== 'cmp' || t.ops.length !== 1 || dotted(t.first) !== counter || !['>', '>='].includes(t.ops[0]!)) continue;
    const bound = constants.count(t.rest[0]!);
    if (!bound.ok) return { ok: false, reason: `${where} breaks at ${unparse(t)}: ${bound.reason}` };
    // the counter's value at the check of iteration k is start + k (increment before) or start + k − 1
    const target = t.ops[0] === '>' ? fold({ op: '+', l: bound.count, r: 1 }) : bound.count;
    const kBreak = fold({ op: '+', l: fold({ op: '-', l: target, r: start }), r: incIndex < i ? 0 : 1 });
    const steps = stepIndex >= 0 && stepIndex < i ? kBreak : fold({ op: '-', l: kBreak, r: 1 });
    return { ok: true, count: steps, text: `while True until ${unparse(t)} from ${counter} = ${start} (${bound.text})` };
  }
  return { ok: false, reason: `${where} has no \`if ${counter} > N: break\`` };
}

/** `globals().update`, `vars().setdefault`, …: a call that writes the module's namespace. */
function writesNamespace(fn: Expr): boolean {
  if (fn.k !== 'attr' || !['update', 'setdefault', '__setitem__'].includes(fn.name)) return false;
  const owner = fn.obj.k === 'call' ? dotted(fn.obj.fn) : undefined;
  return owner === 'globals' || (owner === 'vars' && fn.obj.k === 'call' && fn.obj.args.length === 0);
}
