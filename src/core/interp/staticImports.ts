// The modules a file's text imports, read without parsing it (any indentation, also inside
// functions): an over-approximation of the modules its code can reach by name. A line in a
// docstring that looks like an import adds a module too, which only makes the set larger.

const FROM = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import\b/gm;
const IMPORT = /^[ \t]*import[ \t]+([\w. \t,]+)/gm;

/**
 * Absolute names of the modules `text` imports; relative names are resolved against `packageName`
 * (the module's own name when the file is a package `__init__`, else its parent's).
 */
export function importedModules(text: string, packageName: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(FROM)) {
    const spec = m[1];
    const level = spec.length - spec.replace(/^\.+/, '').length;
    if (!level) {
      if (spec) out.add(spec);
      continue;
    }
    const parts = packageName.split('.').filter(Boolean);
    const base = parts.slice(0, Math.max(0, parts.length - (level - 1)));
    const rest = spec.slice(level);
    const name = [...base, ...(rest ? rest.split('.') : [])].join('.');
    if (name) out.add(name);
  }
  for (const m of text.matchAll(IMPORT))
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/[ \t]+/)[0];
      if (name) out.add(name);
    }
  return out;
}

/** Whether importing `ref` can reach module `target` by name: `ref` is `target` or one of its packages. */
export function reaches(ref: string, target: string): boolean {
  return ref === target || target.startsWith(`${ref}.`);
}
