// PythonDocument keeps one tree per document, reparses incrementally and reuses the converted
// statements that did not change: after any sequence of edits its AST must equal a fresh parse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeEdit, loadPythonParser, PythonDocument, type PythonParser } from '../../../src/core/python/parser';
import type { Module } from '../../../src/core/python/ast';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';

const source = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'models', 'third_party', 'nanogpt_model.py'), 'utf8');
const plain = (m: Module) => JSON.stringify({ body: m.body, errors: m.syntaxErrors, directives: [...m.directives] });
let parser: PythonParser;

beforeAll(async () => {
  parser = await loadPythonParser();
});

/** The edit as the plain definition says: longest common prefix, then longest common suffix after it. */
function naiveEdit(before: string, after: string) {
  let start = 0;
  while (start < Math.min(before.length, after.length) && before[start] === after[start]) start++;
  let b = before.length;
  let a = after.length;
  while (b > start && a > start && before[b - 1] === after[a - 1]) {
    b--;
    a--;
  }
  const at = (text: string, i: number) => {
    const head = text.slice(0, i).split('\n');
    return { row: head.length - 1, column: head[head.length - 1].length };
  };
  return {
    startIndex: start,
    oldEndIndex: b,
    newEndIndex: a,
    startPosition: at(before, start),
    oldEndPosition: at(before, b),
    newEndPosition: at(after, a),
  };
}

describe('computeEdit', () => {
  it('finds the span a plain character comparison finds, with its rows and columns', () => {
    const line = fc.stringMatching(/^[ a-z=()0-9]{0,80}$/);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.nat(), fc.nat({ max: 3 }), line, (lines, at, removed, inserted) => {
        const before = lines.join('\n');
        const i = lines.length ? at % lines.length : 0;
        const next = [...lines];
        next.splice(i, removed, ...(inserted ? [inserted] : []));
        const after = next.join('\n');
        expect(computeEdit(before, after)).toEqual(naiveEdit(before, after));
      }),
      { numRuns: 300, seed: 11 },
    );
    // long runs of the same characters: the common prefix and suffix compete for the same text
    const run = fc.tuple(fc.constantFrom('a', '\n', 'a\n'), fc.nat({ max: 1200 })).map(([c, n]) => c.repeat(n));
    fc.assert(
      fc.property(run, run, run, (head, removed, inserted) => {
        const before = head + removed + head;
        const after = head + inserted + head;
        expect(computeEdit(before, after)).toEqual(naiveEdit(before, after));
      }),
      { numRuns: 300, seed: 5 },
    );
    // a character typed again beside itself, with a chunk's length or so after it: either end may take it
    for (let n = 505; n <= 520; n++) {
      const once = `zx${'y'.repeat(n)}`;
      const twice = `zzx${'y'.repeat(n)}`;
      expect(computeEdit(once, twice)).toEqual(naiveEdit(once, twice));
      expect(computeEdit(twice, once)).toEqual(naiveEdit(twice, once));
    }
    // a one-line edit of a long file: past whole chunks at both ends
    const long = source.repeat(3);
    const edited = long.replace('n_layer', 'n_layers');
    expect(computeEdit(long, edited)).toEqual(naiveEdit(long, edited));
    expect(computeEdit(long, long + 'x')).toEqual(naiveEdit(long, long + 'x'));
    expect(computeEdit('x' + long, long)).toEqual(naiveEdit('x' + long, long));
  });
});

describe('PythonDocument', () => {
  it('matches a fresh parse after edits that change, insert and delete lines', () => {
    const edit = fc.record({ line: fc.nat(), kind: fc.constantFrom('change', 'insert', 'delete', 'directive'), n: fc.nat({ max: 999 }) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const doc = new PythonDocument(parser, source);
        const lines = source.split('\n');
        for (const e of edits) {
          const i = e.line % lines.length;
          if (e.kind === 'change') lines[i] = lines[i].replace(/\d+/, String(e.n));
          else if (e.kind === 'insert') lines.splice(i, 0, '');
          else if (e.kind === 'delete') lines.splice(i, 1);
          else lines.splice(i, 0, `# wattlens: input=1x${e.n}`);
          doc.update(lines.join('\n'));
          expect(plain(doc.ast)).toBe(plain(parser.parseModule(doc.source)));
        }
        doc.dispose();
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('keeps the statements of a cached AST that an edit does not touch', () => {
    // the editor opens a document from the parse cache; the engine reuses built models by the
    // identity of the statements that define them, so the first edit must keep that identity
    const cached = parser.parseModule(source);
    const doc = new PythonDocument(parser, source, cached);
    expect(doc.ast).toBe(cached);
    const lines = source.split('\n');
    const edited = lines.findIndex((l) => /n_embd: int = \d+/.test(l));
    lines[edited] = lines[edited]!.replace(/\d+/, '640');
    doc.update(lines.join('\n'));
    expect(plain(doc.ast)).toBe(plain(parser.parseModule(doc.source)));
    const changed = doc.ast.body.filter((s, i) => s !== cached.body[i]);
    expect(changed.map((s) => s.line)).toEqual([cached.body.find((s) => s.line <= edited && (s.endLine ?? s.line) >= edited)!.line]);
    doc.dispose();
  });

  it('keeps the text it was given and reports syntax errors with their rows', () => {
    const doc = new PythonDocument(parser, 'import torch\nx = (1,\n');
    expect(doc.ast.syntaxErrors.length).toBeGreaterThan(0);
    doc.update('import torch\nx = (1,)\n');
    expect(doc.ast.syntaxErrors).toEqual([]);
    expect(doc.source).toBe('import torch\nx = (1,)\n');
    doc.dispose();
  });
});
