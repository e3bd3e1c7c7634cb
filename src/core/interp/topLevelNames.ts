// The names a module's top level reads while it runs: everything outside function and lambda
// bodies (class bodies, decorators, default values and base classes run at import time). A
// name only a function body reads is needed after the module ran, when every import finished.
import type { Stmt } from '../python/ast';

export function namesReadAtTopLevel(body: readonly Stmt[]): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const node = v as { k?: string; id?: string; params?: { default?: unknown }[]; decorators?: unknown };
    if (node.k === 'name' && typeof node.id === 'string') out.add(node.id);
    if (node.k === 'def' || node.k === 'lambda') {
      visit(node.decorators);
      for (const p of node.params ?? []) visit(p.default);
      return;
    }
    for (const x of Object.values(v)) if (x && typeof x === 'object') visit(x);
  };
  visit(body);
  return out;
}
