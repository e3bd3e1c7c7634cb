// After an edit that changed only the bodies of functions and methods, the module does not run
// again: each changed function object takes the new definition in place, so every reference to
// it (a class's dict, a bound method, a decorator's wrapper, a registry, a function kept on a
// model) runs the new code, as after a fresh run. Anything else (a constant, an import, a class
// attribute, a decorator line, a moved line, a function the module's own code called while it
// ran, e.g. a decorator or `WIDTHS = widths()`) is no such edit: the module runs again.
import type { Interpreter } from '../interp/interpreter';
import type { ModuleContext } from '../interp/moduleContext';
import { PyClass, PyFunction } from '../interp/values';
import type { Stmt } from '../python/ast';

type Def = Extract<Stmt, { k: 'def' }>;

interface Change {
  fn: PyFunction;
  stmt: Def;
  /**
   * Nothing the interpreter runs differs: only the docstring's text changed (a function's
   * `__doc__` is None to the interpreter), or only layout and comments (the same AST, rows included).
   */
  docOnly: boolean;
}

export interface DefinitionPatch {
  /** 0-based lines of the changed `def`s: the units whose code changed (a docstring, a comment, spacing are no code). */
  rows: Set<number>;
  /** Top-level statements of the last run replaced by ones that differ only in docstrings, comments or spacing. */
  sameCode: Map<Stmt, Stmt>;
  apply(): void;
}

/**
 * The patch that turns the last run's namespace into what running `body` would give, or
 * undefined when the edit changed more than function bodies. Statements are compared by
 * identity at the top level and by their text inside a class.
 */
export function planDefinitionPatch(
  lastBody: readonly Stmt[],
  body: readonly Stmt[],
  lastLines: readonly string[],
  lines: readonly string[],
  ctx: ModuleContext,
  it: Interpreter,
  /** Units (first lines) of the functions the module's code called while it ran. */
  moduleUnits: ReadonlySet<number>,
): DefinitionPatch | undefined {
  if (lastBody.length !== body.length) return undefined;
  const changes: Change[] = [];
  const classes: { cls: PyClass; stmt: Extract<Stmt, { k: 'class' }> }[] = [];
  const sameCode = new Map<Stmt, Stmt>();
  for (let i = 0; i < body.length; i++) {
    const was = lastBody[i];
    const now = body[i];
    if (was === now) continue;
    if (!samePlace(was, now) || was.k !== now.k) return undefined;
    if (was.k === 'def' && now.k === 'def') {
      // a decorated function: the function object its decorators received, with their lines unchanged
      const bound = ctx.scope.vars.get(now.name);
      const fn = was.decorators.length ? it.functionOf.get(was) : bound;
      if (now.name !== was.name || was.decorators.length !== now.decorators.length) return undefined;
      if (!sameText(lastLines, lines, firstLine(was), was.line - 1)) return undefined;
      if (!(fn instanceof PyFunction) || fn.def !== was || fn.closure !== ctx.scope) return undefined;
      const docOnly = docstringOnly(was, now, lastLines, lines) || sameAst(was, now);
      changes.push({ fn, stmt: now, docOnly });
      if (docOnly) sameCode.set(was, now);
      continue;
    }
    if (was.k !== 'class' || now.k !== 'class' || was.name !== now.name || was.decorators.length || now.decorators.length) return undefined;
    const cls = ctx.scope.vars.get(now.name);
    if (!(cls instanceof PyClass) || cls.def !== was || was.body.length !== now.body.length) return undefined;
    const changedRows = new Set<number>();
    let classDocOnly = true;
    for (let j = 0; j < now.body.length; j++) {
      const a = was.body[j];
      const b = now.body[j];
      if (!samePlace(a, b)) return undefined;
      if (sameText(lastLines, lines, a.line, endOf(a))) continue;
      if (a.k !== 'def' || b.k !== 'def' || a.name !== b.name || !plainDef(a) || !plainDef(b)) return undefined;
      const fn = cls.dict.get(b.name);
      if (!(fn instanceof PyFunction) || fn.def !== a) return undefined;
      const docOnly = docstringOnly(a, b, lastLines, lines) || sameAst(a, b);
      classDocOnly &&= docOnly;
      changes.push({ fn, stmt: b, docOnly });
      for (let r = a.line; r <= endOf(a); r++) changedRows.add(r);
    }
    // the class line, its bases, comments and blank lines between methods: all unchanged
    for (let r = now.line; r <= endOf(now); r++) if (!changedRows.has(r) && lastLines[r] !== lines[r]) return undefined;
    classes.push({ cls, stmt: now });
    if (classDocOnly) sameCode.set(was, now);
  }
  const code = changes.filter((c) => !c.docOnly);
  if (code.some((c) => moduleUnits.has(c.stmt.line))) return undefined;
  return {
    rows: new Set(code.map((c) => c.stmt.line)),
    sameCode,
    apply() {
      it.frames.push({ module: ctx, line: 0, name: '<module>' });
      try {
        for (const { fn, stmt } of changes) {
          const scope = fn.closure;
          const bound = scope.vars.get(stmt.name);
          // the decorators ran when the module ran; their result keeps the function object
          it.execBlock([{ ...stmt, decorators: [] }], scope);
          const fresh = scope.vars.get(stmt.name);
          if (bound === undefined) scope.vars.delete(stmt.name);
          else scope.vars.set(stmt.name, bound);
          if (!(fresh instanceof PyFunction)) throw new Error(`def ${stmt.name} did not make a function`);
          // the same object, the new definition (attributes set on it and its class stay); its body is read from `def`
          Object.assign(fn as unknown as Record<string, unknown>, {
            params: fresh.params,
            line: fresh.line,
            isGenerator: fresh.isGenerator,
            def: stmt,
            defaults: fresh.defaults,
          });
        }
        for (const { cls, stmt } of classes) cls.def = stmt;
        for (const { fn, stmt } of changes) if (stmt.decorators.length) it.functionOf.set(stmt, fn);
      } finally {
        it.frames.pop();
      }
    },
  };
}

/** The two definitions differ only inside a docstring at the same place (their text compared line by line). */
function docstringOnly(was: Def, now: Def, lastLines: readonly string[], lines: readonly string[]): boolean {
  const a = was.body[0];
  const b = now.body[0];
  if (!was.body.length || !now.body.length) return false;
  if (a.k !== 'expr' || b.k !== 'expr' || a.e.k !== 'str' || b.e.k !== 'str' || !samePlace(a, b)) return false;
  for (let r = firstLine(was); r <= endOf(was); r++) if ((r < a.line || r > endOf(a)) && lastLines[r] !== lines[r]) return false;
  return true;
}

/**
 * The same AST, rows included: the edit changed only spacing or comments inside the lines (the
 * AST holds no columns; `# wattlens:` comments are the directives, compared apart by the engine).
 */
export function sameAst(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameAst(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys)
    if (!Object.hasOwn(b, k) || !sameAst((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

function firstLine(s: Def): number {
  return Math.min(s.line, ...s.decorators.map((d) => d.line));
}

function endOf(s: Stmt): number {
  return s.endLine ?? s.line;
}

function samePlace(a: Stmt, b: Stmt): boolean {
  return a.line === b.line && endOf(a) === endOf(b);
}

function plainDef(s: Stmt): boolean {
  return s.k === 'def' && s.decorators.length === 0;
}

function sameText(a: readonly string[], b: readonly string[], from: number, to: number): boolean {
  for (let r = from; r <= to; r++) if (a[r] !== b[r]) return false;
  return true;
}
