// Hostile TensorFlow.js files and imports: huge and deeply nested sources, endless loops and
// recursion, imports of absolute paths, `../` escapes, symlinks out of the workspace and FIFOs.
// The model beside the attack (Dense 10 → 5, 55 parameters) is still reported.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles, analyzeIn, expectModelParams, expectProblem, makeWorkspace, removeWorkspaces } from './support/analyzerWorkspace';
import { expectContained, expectOneLineError } from './support/contained';

let outside: string;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'wattlens-hostile-outside-'));
  writeFileSync(join(outside, 'secret.ts'), 'export const UNITS = 5;\n');
});

afterAll(() => {
  removeWorkspaces();
  rmSync(outside, { recursive: true, force: true });
});

/** A TF.js model of 55 parameters, with `head` at the top and `units` as the layer's units. */
const model = (head = '', units = '5'): string =>
  `import * as tf from '@tensorflow/tfjs';\n${head}\nexport function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ inputShape: [10], units: ${units} }));\n  return m;\n}\n`;

function survives(head: string, extra: Record<string, string | { symlink: string }> = {}): ReturnType<typeof analyzeFiles> {
  const r = analyzeFiles({ 'model.ts': model(head), ...extra }, 'model.ts');
  expectContained(r);
  expectModelParams(r);
  return r;
}

describe('huge and deep TF.js sources', () => {
  it('a 4.9 MB .ts file is refused in one line (it ran over 400 s)', () => {
    const line = 'export const table = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];\n';
    const r = analyzeFiles({ 'model.ts': model() + line.repeat(Math.floor(4.9e6 / line.length)) }, 'model.ts');
    expectOneLineError(r, /larger than 1 MiB/);
  });
  it('a 0.9 MB .js file of one minified line is bounded', () => {
    const r = analyzeFiles({ 'model.js': `${model()}var a=0;${'a=a+1;'.repeat(150_000)}` }, 'model.js');
    expectContained(r);
  });
  it('10,000 nested parentheses', () =>
    expectProblem(
      survives(`const x = ${'('.repeat(10_000)}0${')'.repeat(10_000)};`),
      /nested too deeply to parse at line \d+: not analyzed/,
    ));
  it('10,000 nested arrays', () =>
    expectProblem(
      survives(`const x = ${'['.repeat(10_000)}0${']'.repeat(10_000)};`),
      /nested too deeply to parse at line \d+: not analyzed/,
    ));
  it('10,000 nested objects', () =>
    expectProblem(
      survives(`const x = ${'{a: '.repeat(10_000)}0${'}'.repeat(10_000)};`),
      /nested too deeply to parse at line \d+: not analyzed/,
    ));
  it('10,000 nested arrow functions', () =>
    expectProblem(survives(`const f = ${'() => '.repeat(10_000)}0;`), /nested too deeply to parse at line \d+: not analyzed/));
  it('10,000 nested blocks', () =>
    expectProblem(survives(`${'{'.repeat(10_000)}${'}'.repeat(10_000)}`), /nested too deeply to parse at line \d+: not analyzed/));
  it('a left-deep chain of 50,000 +', () => survives(`const x = 0${' + 1'.repeat(50_000)};`));
  it('a chain of 50,000 member accesses', () => survives(`const o: any = {}; o.a = o;\nconst x = o${'.a'.repeat(50_000)};`));
  it('a chain of 20,000 ternaries', () =>
    expectProblem(
      survives(`const c = 1;\nconst x = ${'c ? 0 : '.repeat(20_000)}1;`),
      /nested too deeply to parse at line \d+: not analyzed/,
    ));
});

describe('endless TF.js evaluation', () => {
  it('while (true) {}', () => survives('while (true) {}'));
  it('for (;;) {} inside the builder', () => {
    const r = analyzeFiles(
      {
        'model.ts':
          model().replace('return m;', 'for (;;) {}\n  return m;') +
          model('', '5')
            .replace(/^import.*\n/, '')
            .replace('build', 'build2'),
      },
      'model.ts',
    );
    expectContained(r);
    expectModelParams(r);
  });
  it('function f() { return f(); }', () => survives('function f(): number { return f(); }\nconst x = f();'));
  it('mutual recursion', () =>
    survives('function f(n: number): number { return g(n + 1); }\nfunction g(n: number): number { return f(n + 1); }\nconst x = f(0);'));
  it("'x'.repeat(2**30) and new Array(2**32 - 1).fill(0)", () =>
    survives("const s = 'x'.repeat(2 ** 30);\nconst a = new Array(2 ** 32 - 1).fill(0);"));
  it('an array doubled by concat in a loop', () => survives('let a = [0];\nfor (let i = 0; i < 60; i++) a = a.concat(a);'));
  it('a string doubled in a loop', () => survives("let s = 'ab';\nfor (let i = 0; i < 60; i++) s = s + s;"));
});

describe('TF.js imports', () => {
  it('an absolute import of /etc/passwd is not read', () => {
    const r = survives("import * as p from '/etc/passwd';");
    expect(r.stdout).not.toMatch(/root:/);
    expectProblem(r, /outside the workspace/);
  });
  it('a ../ escape to /etc/passwd is not read', () => {
    const r = survives(`import * as p from '${'../'.repeat(30)}etc/passwd';`);
    expectProblem(r, /outside the workspace/);
  });
  it('an import of /proc/self/environ is not read', () => {
    const r = survives("import * as e from '/proc/self/environ';");
    expect(r.stdout).not.toMatch(/PATH=/);
    expectProblem(r, /outside the workspace/);
  });
  it('a require of an absolute path outside the workspace', () => {
    const r = analyzeFiles({ 'model.ts': model(`const s = require('${join(outside, 'secret.ts')}');`, 's.UNITS') }, 'model.ts');
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('a symlinked module pointing outside the workspace is not read', () => {
    const r = analyzeFiles(
      { 'model.ts': model("import { UNITS } from './secret';", 'UNITS'), 'secret.ts': { symlink: join(outside, 'secret.ts') } },
      'model.ts',
    );
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('a symlinked folder pointing outside the workspace is not read', () => {
    const r = analyzeFiles({ 'model.ts': model("import { UNITS } from './lib/secret';", 'UNITS'), lib: { symlink: outside } }, 'model.ts');
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('a FIFO named like a module is never opened', () => {
    const dir = makeWorkspace({ 'model.ts': model("import * as p from './pipe';") });
    execFileSync('mkfifo', [join(dir, 'pipe.ts')]);
    const r = analyzeIn(dir, 'model.ts');
    expectContained(r);
    expectModelParams(r);
  });
  it('a module symlinked to /dev/zero is never opened', () =>
    survives("import * as z from './zero';", { 'zero.ts': { symlink: '/dev/zero' } }));
  it('a 3 MB imported module is not read', () => {
    const r = survives("import * as big from './big';", { 'big.ts': `export const X = 1;\n//${'x'.repeat(3e6)}\n` });
    expectProblem(r, /over the 1 MB limit/);
  });
  it('an import cycle', () =>
    survives("import * as a from './a';", {
      'a.ts': "import * as b from './b';\nexport const A = 1;\n",
      'b.ts': "import * as a from './a';\nexport const B = 1;\n",
    }));
  it('an imported module with an endless loop', () =>
    survives("import * as s from './spin';", { 'spin.ts': 'while (true) {}\nexport const X = 1;\n' }));
  it('an imported module nested 10,000 deep', () =>
    survives("import * as d from './deep';", { 'deep.ts': `export const X = ${'('.repeat(10_000)}0${')'.repeat(10_000)};\n` }));
  it('a legitimate relative import still gives its constant', () => {
    const r = analyzeFiles(
      { 'model.ts': model("import { UNITS } from './conf';", 'UNITS'), 'conf.ts': 'export const UNITS = 5;\n' },
      'model.ts',
    );
    expectContained(r);
    expectModelParams(r);
  });
});
