// Parsing reuses work between versions of a file (TypeScript's incremental parse, statements
// converted once): after any sequence of edits, the tree must equal a fresh parse of the text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../../src/core/tfjs/parse';
import { FIXTURES } from './truthCorpus';

const base = readFileSync(join(FIXTURES, 'model_zoo.ts'), 'utf8');

function edit(text: string, at: number, remove: number, insert: string): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i + remove);
}

const snapshot = (r: ReturnType<typeof parseSource>) =>
  'error' in r ? { error: r.error.reason } : { body: r.program.body, errors: r.syntaxErrors.map((e) => [e.reason, e.line]) };
let fresh = 0;

describe('parse cache', () => {
  it('an edited file parses to the same tree as a fresh parse of its text', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(),
            remove: fc.nat({ max: 40 }),
            insert: fc.constantFrom('', '\n', 'x', '1', ' ', '{', '}', '(', ');', '// c\n', 'const k = 2;\n', 'units: 3, '),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (edits) => {
          let text = base;
          parseSource('/virtual/edited.ts', text);
          for (const e of edits) {
            text = edit(text, e.at, e.remove, e.insert);
            const incremental = parseSource('/virtual/edited.ts', text);
            const scratch = parseSource(`/virtual/fresh${fresh++}.ts`, text);
            expect(JSON.stringify(snapshot(incremental))).toBe(
              JSON.stringify(snapshot(scratch)).replaceAll(/\/virtual\/fresh\d+\.ts/g, '/virtual/edited.ts'),
            );
          }
        },
      ),
      { numRuns: 15, seed: 11 },
    );
  }, 120_000);
});
