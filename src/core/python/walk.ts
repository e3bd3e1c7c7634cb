// Visits every expression under a list of statements (nested blocks and definitions included).
import type { Expr, Stmt } from './ast';

export function walkStatements(body: Stmt[], visit: (e: Expr) => void): void {
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    visit(e);
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) for (const x of v) child(x);
      else child(v);
    }
  };
  const child = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if ('k' in x && typeof (x as { k: unknown }).k === 'string' && 'line' in x) {
      if (isStmt(x as Stmt)) walkStatements([x as Stmt], visit);
      else expr(x as Expr);
    } else for (const v of Object.values(x)) (Array.isArray(v) ? v : [v]).forEach(child);
  };
  for (const s of body) for (const v of Object.values(s)) (Array.isArray(v) ? v : [v]).forEach(child);
}

const STMT_KINDS = new Set([
  'expr',
  'assign',
  'augassign',
  'annassign',
  'return',
  'if',
  'for',
  'while',
  'break',
  'continue',
  'pass',
  'def',
  'class',
  'import',
  'importfrom',
  'raise',
  'try',
  'with',
  'assert',
  'del',
  'global',
  'nonlocal',
]);

function isStmt(x: { k: string }): boolean {
  return STMT_KINDS.has(x.k);
}
