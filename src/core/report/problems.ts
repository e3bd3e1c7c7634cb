// A file's problems as the surfaces list them (the JSON form keeps every one).
import type { Unknown } from './types';

/**
 * Import problems, one line per package that had several ("27 imports under timm.models had
 * problems; first: …"); the JSON form keeps every one.
 */
export function collapseImportProblems(problems: Unknown[]): Unknown[] {
  const packageOf = (p: Unknown) => {
    const mod = p.what.startsWith('import ') ? p.what.slice('import '.length) : undefined;
    return mod === undefined ? undefined : mod.includes('.') ? mod.slice(0, mod.lastIndexOf('.')) : mod;
  };
  const counts = new Map<string, number>();
  for (const p of problems) {
    const pkg = packageOf(p);
    if (pkg !== undefined) counts.set(pkg, (counts.get(pkg) ?? 0) + 1);
  }
  const out: Unknown[] = [];
  const shown = new Set<string>();
  for (const p of problems) {
    const pkg = packageOf(p);
    if (pkg === undefined || counts.get(pkg)! < 2) out.push(p);
    else if (!shown.has(pkg)) {
      shown.add(pkg);
      out.push({ what: `imports under ${pkg}`, reason: `${counts.get(pkg)} had problems; first: ${p.what.slice(7)}: ${p.reason}` });
    }
  }
  return out;
}
