// statementAt maps a row to the statement of a block that holds it (decorators included), as a
// scan of the block does: the engine maps every row of a construction's dependency trace this
// way, to decide which models an edit leaves reusable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stmt } from '../../../src/core/python/ast';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';
import { statementAt } from '../../../src/core/analysis/statementAt';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';

let parser: PythonParser;

beforeAll(async () => {
  parser = await loadPythonParser();
});

/** The plain definition: the first statement whose rows hold the row. */
function scan(body: readonly Stmt[], row: number): Stmt | undefined {
  return body.find(
    (s) =>
      row >= Math.min(s.line, ...(s.k === 'def' || s.k === 'class' ? s.decorators.map((d) => d.line) : [])) && row <= (s.endLine ?? s.line),
  );
}

function expectSameAsScan(body: readonly Stmt[], rows: number): void {
  for (let row = -1; row <= rows + 1; row++) expect(statementAt(body, row), `row ${row}`).toBe(scan(body, row));
}

describe('statementAt', () => {
  it('finds the statement a scan finds for every row of a file and of its class bodies', () => {
    const text = readFileSync(
      join(REPO_ROOT, 'test', 'fixtures', 'models', 'third_party', 'torchvision-0.14.1a0', 'torchvision', 'models', 'regnet.py'),
      'utf8',
    );
    const ast = parser.parseModule(text);
    const rows = text.split('\n').length;
    expectSameAsScan(ast.body, rows);
    const classes = ast.body.filter((s) => s.k === 'class');
    expect(classes.length).toBeGreaterThan(3);
    for (const c of classes) expectSameAsScan(c.body, rows);
  });

  it('takes the first of statements sharing a row, a decorator row, and no statement between statements', () => {
    const text = [
      'import a; import b',
      '',
      '@decorate(',
      '    1)',
      'def f():',
      '    return 1',
      '',
      '# a comment',
      'class C:',
      '    x = 1; y = 2',
      '    @property',
      '    def p(self):',
      '        return 2',
      '',
    ].join('\n');
    const ast = parser.parseModule(text);
    expectSameAsScan(ast.body, 14);
    const imports = ast.body.filter((s) => s.line === 0);
    expect(imports.length).toBe(2);
    expect(statementAt(ast.body, 0)).toBe(imports[0]);
    expect(statementAt(ast.body, 2)?.k).toBe('def');
    expect(statementAt(ast.body, 1)).toBeUndefined();
    expect(statementAt(ast.body, 7)).toBeUndefined();
    const cls = ast.body.find((s) => s.k === 'class')!;
    expect(cls.k === 'class' && statementAt(cls.body, 10)?.k).toBe('def');
    expect(cls.k === 'class' && statementAt(cls.body, 9)).toBe(cls.k === 'class' && cls.body[0]);
  });

  it('answers for a block whose statements are out of source order', () => {
    const ast = parser.parseModule('a = 1\nb = 2\nc = 3\n');
    const shuffled = [ast.body[2], ast.body[0], ast.body[1]];
    expectSameAsScan(shuffled, 4);
  });
});
