// Each scripts/**/*.d.mts describes its .mjs: every export is declared, and what the module
// re-exports from another script is re-exported, not declared a second time (two declarations
// of one function can drift apart).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPTS = join(__dirname, '..', '..', '..', 'scripts');

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? declarationFiles(join(dir, e.name)) : e.name.endsWith('.d.mts') ? [join(dir, e.name)] : [],
  );
}

/** Names declared here (`export const|function|interface|type|class NAME`) and names re-exported (`export { … } from`). */
function exportsOf(text: string): { declared: Set<string>; reexported: Set<string> } {
  const declared = new Set(
    [...text.matchAll(/^export\s+(?:async\s+)?(?:const|let|function|interface|type|class)\s+(\w+)/gm)].map((m) => m[1]!),
  );
  const reexported = new Set(
    [...text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s/gm)].flatMap((m) =>
      m[1]!.split(',').map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      ),
    ),
  );
  reexported.delete('');
  return { declared, reexported };
}

describe('declaration files of the scripts', () => {
  for (const dts of declarationFiles(SCRIPTS)) {
    it(relative(SCRIPTS, dts), () => {
      const mjs = exportsOf(readFileSync(dts.replace(/\.d\.mts$/, '.mjs'), 'utf8'));
      const types = exportsOf(readFileSync(dts, 'utf8'));
      for (const name of mjs.declared) expect(types.declared, `${name} declared`).toContain(name);
      for (const name of mjs.reexported) {
        expect(types.reexported, `${name} re-exported`).toContain(name);
        expect(types.declared, `${name} declared again`).not.toContain(name);
      }
    });
  }
});
