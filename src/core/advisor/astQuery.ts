// Small queries over the AST that rules share: walking functions and statements, finding
// calls, reading names, recognising `self.x = nn.Dropout(p)` in a class's __init__.
import type { ClassDef, Expr, FunctionDef, Module, Stmt } from '../python/ast';

export interface MethodSite {
  cls: ClassDef | undefined;
  fn: FunctionDef;
}

/** Every function in the module, with the class that defines it (top-level and nested). */
export function functions(ast: Module): MethodSite[] {
  const out: MethodSite[] = [];
  const visit = (body: Stmt[], cls: ClassDef | undefined) => {
    for (const s of body) {
      if (s.k === 'def') {
        out.push({ cls, fn: s });
        visit(s.body, cls);
      } else if (s.k === 'class') visit(s.body, s);
      else for (const b of childBlocks(s)) visit(b, cls);
    }
  };
  visit(ast.body, undefined);
  return out;
}

export function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
    case 'for':
    case 'while':
      return [s.body, s.orelse];
    case 'with':
      return [s.body];
    case 'try':
      return [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finally];
    default:
      return [];
  }
}

/** Every statement, nested blocks, functions and classes included. */
export function forEachStmt(body: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of body) {
    visit(s);
    for (const b of s.k === 'def' || s.k === 'class' ? [s.body] : childBlocks(s)) forEachStmt(b, visit);
  }
}

/** Every statement list inside a function body (the body itself and nested blocks). */
export function blocks(body: Stmt[]): Stmt[][] {
  const out: Stmt[][] = [body];
  for (const s of body) for (const b of childBlocks(s)) out.push(...blocks(b));
  return out;
}

/** All sub-expressions of an expression, the expression first. */
export function walkExpr(e: Expr, visit: (x: Expr) => void): void {
  visit(e);
  switch (e.k) {
    case 'attr':
      walkExpr(e.obj, visit);
      break;
    case 'sub':
      walkExpr(e.obj, visit);
      walkExpr(e.index, visit);
      break;
    case 'slice':
      for (const x of [e.lo, e.hi, e.step]) if (x) walkExpr(x, visit);
      break;
    case 'call':
      walkExpr(e.fn, visit);
      for (const a of e.args) walkExpr(a.value, visit);
      break;
    case 'bin':
    case 'bool':
      walkExpr(e.l, visit);
      walkExpr(e.r, visit);
      break;
    case 'unary':
    case 'not':
    case 'star':
    case 'await':
      walkExpr(e.e, visit);
      break;
    case 'cmp':
      walkExpr(e.first, visit);
      for (const r of e.rest) walkExpr(r, visit);
      break;
    case 'ifexp':
      walkExpr(e.test, visit);
      walkExpr(e.body, visit);
      walkExpr(e.orelse, visit);
      break;
    case 'list':
    case 'tuple':
    case 'set':
      for (const x of e.items) walkExpr(x, visit);
      break;
    case 'dict':
      for (const i of e.items) {
        if ('spread' in i) walkExpr(i.spread, visit);
        else {
          walkExpr(i.key, visit);
          walkExpr(i.value, visit);
        }
      }
      break;
    case 'comp':
      walkExpr(e.elt, visit);
      if (e.value) walkExpr(e.value, visit);
      for (const c of e.clauses) {
        if ('if' in c) walkExpr(c.if, visit);
        else {
          walkExpr(c.for, visit);
          walkExpr(c.iter, visit);
        }
      }
      break;
    case 'walrus':
      walkExpr(e.value, visit);
      break;
    case 'fstr':
      for (const p of e.parts) if (typeof p !== 'string') walkExpr(p, visit);
      break;
    case 'yield':
      if (e.value) walkExpr(e.value, visit);
      break;
    case 'lambda':
      walkExpr(e.body, visit);
      break;
    default:
      break;
  }
}

/** Expressions directly held by a statement (not those of nested blocks). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'expr':
      return [s.e];
    case 'assign':
      return [...s.targets, s.value];
    case 'augassign':
      return [s.target, s.value];
    case 'annassign':
      return s.value ? [s.target, s.value] : [s.target];
    case 'return':
      return s.value ? [s.value] : [];
    case 'if':
    case 'while':
      return [s.test];
    case 'for':
      return [s.target, s.iter];
    case 'with':
      return s.items.flatMap((i) => (i.target ? [i.ctx, i.target] : [i.ctx]));
    case 'assert':
      return s.msg ? [s.test, s.msg] : [s.test];
    case 'raise':
      return [s.exc, s.cause].filter((x): x is Expr => !!x);
    case 'del':
      return s.targets;
    default:
      return [];
  }
}

/** Whether `name` is read anywhere in these statements (nested blocks and closures included). */
export function readsName(body: Stmt[], name: string): boolean {
  for (const s of body) {
    // a plain `name = ...` writes the name; its value may still read it
    const exprs = s.k === 'assign' ? [...s.targets.filter((t) => t.k !== 'name'), s.value] : stmtExprs(s);
    if (exprs.some((e) => mentions(e, name))) return true;
    for (const b of childBlocks(s)) if (readsName(b, name)) return true;
    if (s.k === 'def' && readsName(s.body, name)) return true;
  }
  return false;
}

export function mentions(e: Expr, name: string): boolean {
  let found = false;
  walkExpr(e, (x) => (found ||= x.k === 'name' && x.id === name));
  return found;
}

export function isName(e: Expr | undefined, id?: string): e is Extract<Expr, { k: 'name' }> {
  return !!e && e.k === 'name' && (id === undefined || e.id === id);
}

/** `self.<name>` → name. */
export function selfAttr(e: Expr | undefined): string | undefined {
  return e && e.k === 'attr' && isName(e.obj, 'self') ? e.name : undefined;
}

/** The dotted text of a name or attribute chain (`torch.nn.functional.softmax`), else undefined. */
export function dotted(e: Expr): string | undefined {
  if (e.k === 'name') return e.id;
  if (e.k === 'attr') {
    const base = dotted(e.obj);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  return undefined;
}

/** What `self.<attr> = <call>` assigns in a class's __init__ (e.g. nn.Dropout(0.1)). */
export function initAssignment(cls: ClassDef | undefined, attr: string): Expr | undefined {
  const init = cls?.body.find((s): s is FunctionDef => s.k === 'def' && s.name === '__init__');
  if (!init) return undefined;
  for (const b of blocks(init.body)) for (const s of b) if (s.k === 'assign' && s.targets.some((t) => selfAttr(t) === attr)) return s.value;
  return undefined;
}

/** The buffer registered as `self.register_buffer("<name>", <expr>)` in __init__. */
export function registeredBuffer(cls: ClassDef | undefined, name: string): Expr | undefined {
  const init = cls?.body.find((s): s is FunctionDef => s.k === 'def' && s.name === '__init__');
  if (!init) return undefined;
  for (const b of blocks(init.body))
    for (const s of b) {
      if (s.k !== 'expr' || s.e.k !== 'call') continue;
      const c = s.e;
      if (c.fn.k === 'attr' && c.fn.name === 'register_buffer' && c.args[0]?.value.k === 'str' && c.args[0].value.v === name)
        return c.args[1]?.value;
    }
  return undefined;
}

/** The local name bound to torch.nn.functional by the module's imports, if any. */
export function functionalAlias(ast: Module): string | undefined {
  for (const s of ast.body) {
    if (s.k === 'import') for (const n of s.names) if (n.module === 'torch.nn.functional' && n.alias) return n.alias;
    if (s.k === 'importfrom' && s.module === 'torch.nn' && s.names !== '*')
      for (const n of s.names) if (n.name === 'functional') return n.alias ?? 'functional';
  }
  return undefined;
}

/** The indentation of a source line. */
export function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}
