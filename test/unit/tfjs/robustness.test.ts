// The TF.js analyzer never throws for bad input and always terminates: endless loops and
// recursion end in an unknown with a reason and a line, broken files still yield what parses,
// options it cannot honour raise one clear AnalysisError, and mutated fixture files
// (fast-check) always produce a report.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisError, type AnalyzeOptions } from '../../../src/core/analysis/engine';
import type { FileReport } from '../../../src/core/report/types';
import { analyzeTfjsFile } from '../../../src/core/tfjs/entry';
import { FIXTURES } from './truthCorpus';
import { tempDirsPerFile } from '../../support/tempDirs';

const HEAD = "import * as tf from '@tensorflow/tfjs';\n";
const dir = tempDirsPerFile()('wattlens-tfjs-robust-');

function analyze(source: string, options: AnalyzeOptions = {}, name = 'm.ts'): FileReport {
  const file = join(dir, name);
  writeFileSync(file, source);
  return analyzeTfjsFile(file, source, options);
}

const reasons = (r: FileReport, model?: string) => JSON.stringify(model ? r.models.find((m) => m.name === model)?.unknowns : r.problems);

describe('bounded evaluation', () => {
  it('`while (true) {}` in a builder ends in unknown totals that name the loop and its line', () => {
    const r = analyze(
      `${HEAD}export function spin() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));\n  while (true) {}\n  return m;\n}\n`,
    );
    const m = r.models.find((x) => x.name === 'spin')!;
    expect(m.params).toBeNull();
    expect(m.layers[0].params).toBe(16);
    expect(m.unknowns.some((u) => /loop at line 5 did not end/.test(u.reason) && u.line === 5)).toBe(true);
  });

  it('an endless loop at the top level does not stop the builders below it', () => {
    const r = analyze(
      `${HEAD}let n = 0;\nwhile (true) { n++; }\nexport function ok() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [5] })] });\n}\n`,
    );
    expect(r.models.find((m) => m.name === 'ok')!.params).toBe(12);
  });

  it('unbounded recursion ends in a problem with the builder and its line', () => {
    const r = analyze(
      `${HEAD}function deep(n: number): number { return deep(n + 1); }\nexport function rec() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: deep(0), inputShape: [3] })] });\n}\n`,
    );
    expect(r.models).toHaveLength(0);
    const p = r.problems.find((x) => x.what === 'rec')!;
    expect(p.reason).toMatch(/nested deeper than 200/);
    expect(p.line).toBe(2);
  });

  it('nested loops that exhaust the step budget end in a problem, not a hang', () => {
    const r = analyze(
      `${HEAD}export function heavy() {\n  let s = 0;\n  for (let i = 0; i < 1e6; i++) for (let j = 0; j < 1e6; j++) s += j;\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [s] })] });\n}\n`,
    );
    expect(r.problems.find((p) => p.what === 'heavy')?.reason).toMatch(/step budget/);
  });

  it('huge allocations become unknowns instead of exhausting memory', () => {
    const r = analyze(
      `${HEAD}const big = new Array(1e9);\nconst s = 'x'.repeat(1e9);\nlet grow = [1];\nfor (let i = 0; i < 40; i++) grow = [...grow, ...grow];\nexport function ok() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })] });\n}\n`,
    );
    expect(r.models.find((m) => m.name === 'ok')!.params).toBe(10);
  });

  it('circular imports between workspace files terminate', () => {
    mkdirSync(join(dir, 'cycle'), { recursive: true });
    writeFileSync(
      join(dir, 'cycle', 'a.ts'),
      `${HEAD}import { B } from './b';\nexport const A = 4;\nexport function build() { return tf.sequential({ layers: [tf.layers.dense({ units: A + B, inputShape: [2] })] }); }\n`,
    );
    writeFileSync(join(dir, 'cycle', 'b.ts'), "import { A } from './a';\nexport const B = 3;\nexport const AB = A;\n");
    const file = join(dir, 'cycle', 'a.ts');
    const r = analyzeTfjsFile(file, readFileSync(file, 'utf8'), {});
    expect(r.models.find((m) => m.name === 'build')!.params).toBe(7 * 2 + 7);
  });
});

describe('unknowns with reasons', () => {
  it('an import it cannot resolve makes the figures that need it unknown, with the reason', () => {
    const r = analyze(
      `${HEAD}import { WIDTH } from './not-there';\nexport function build() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), tf.layers.dense({ units: WIDTH })] });\n}\n`,
    );
    const m = r.models[0];
    expect(m.layers[0].params).toBe(40);
    expect(m.layers[1].params).toBeNull();
    expect(m.params).toBeNull();
    expect(reasons(r, 'build')).toMatch(/cannot find the module \\"\.\/not-there\\"/);
    expect(r.problems.some((p) => p.what === 'import' && p.line === 2)).toBe(true);
  });

  it('a package it does not evaluate is unknown, not a failure', () => {
    const r = analyze(
      `${HEAD}import { settings } from 'my-settings';\nexport function build() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: settings.units, inputShape: [4] })] });\n}\n`,
    );
    expect(reasons(r, 'build')).toMatch(/\\"my-settings\\" is a package WattLens does not evaluate/);
  });

  it('a branch on an unknown condition makes the totals unknown and names the line', () => {
    const r = analyze(
      `${HEAD}const BIG = process.env.BIG === '1';\nexport function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));\n  if (BIG) m.add(tf.layers.dense({ units: 512 }));\n  m.add(tf.layers.dense({ units: 2 }));\n  return m;\n}\n`,
    );
    const m = r.models[0];
    expect(m.params).toBeNull();
    expect(m.unknowns.find((u) => u.line === 6)?.reason).toMatch(
      /branch at line 6 depends on an unknown condition \(process belongs to the running program/,
    );
  });

  it('a branch whose skipped side cannot build layers leaves the totals known', () => {
    const r = analyze(
      `${HEAD}const DEBUG = process.env.DEBUG;\nexport function build() {\n  if (DEBUG) console.log('building');\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });\n}\n`,
    );
    expect(r.models[0].params).toBe(8);
  });

  it('tf.layers.multiHeadAttention (absent from TF.js 4.22) is an unknown layer; the rest of the graph is still analyzed', () => {
    const r = analyze(
      `${HEAD}export function build() {\n  const x = tf.input({ shape: [10, 16] });\n  const a = tf.layers.multiHeadAttention({ numHeads: 2, keyDim: 8 }).apply([x, x]);\n  const side = tf.layers.dense({ units: 3 }).apply(x);\n  return tf.model({ inputs: x, outputs: [tf.layers.dense({ units: 3 }).apply(a), side] });\n}\n`,
    );
    const m = r.models[0];
    expect(m.params).toBeNull();
    expect(m.layers.find((l) => l.type === 'Dense' && l.params !== null)?.params).toBe(51);
    expect(reasons(r, 'build')).toMatch(/multiHeadAttention does not exist in @tensorflow\/tfjs 4\.22/);
  });

  it('a custom layer class without build() or computeOutputShape() has no weights, passes shapes through, and has unknown MACs', () => {
    const r = analyze(
      `${HEAD}class Scale extends tf.layers.Layer {\n  constructor() { super({}); }\n  static get className() { return 'Scale'; }\n}\nexport function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));\n  m.add(new Scale());\n  return m;\n}\n`,
    );
    const m = r.models[0];
    expect(m.layers.map((l) => l.type)).toEqual(['Dense', 'Scale']);
    expect(m.layers[1].line).toBe(9);
    expect(m.layers[1]).toMatchObject({ params: 0, outputShape: [1, 4], macs: null });
    expect(m.params).toBe(16);
    expect(m.macs).toBeNull();
    expect(reasons(r, 'build')).toMatch(/custom layer class Scale: its call\(\) is not costed/);
  });

  it('a Sequential model whose first layer has no input shape says so, and --input makes it analyzable', () => {
    const src = `${HEAD}export function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 4 }));\n  m.add(tf.layers.dense({ units: 2 }));\n  return m;\n}\n`;
    const r = analyze(src);
    expect(r.models[0].input.source).toBe('none');
    expect(r.models[0].input.detail).toMatch(/has no inputShape or batchInputShape.*--input/);
    expect(r.models[0].macs).toBeNull();
    const fixed = analyze(src, { input: '8x3' });
    expect(fixed.models[0].input).toMatchObject({ source: 'cli', text: '8x3' });
    expect(fixed.models[0].params).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(fixed.models[0].macs).toBe(8 * (3 * 4 + 4 * 2));
  });

  it('a variable-length input leaves MACs unknown with the remedy; --seq-len and --batch fill it in', () => {
    const src = `${HEAD}export function build() {\n  return tf.sequential({ layers: [tf.layers.lstm({ units: 8, inputShape: [null, 5] }), tf.layers.dense({ units: 1 })] });\n}\n`;
    const r = analyze(src);
    expect(r.models[0].params).toBe(4 * (8 * (5 + 8) + 8) + 9);
    expect(r.models[0].macs).toBeNull();
    expect(reasons(r, 'build')).toMatch(/null in TF\.js \(variable length\): give --input or --seq-len/);
    const filled = analyze(src, { seqLen: 20, batch: 4 });
    expect(filled.models[0].macs).toBe(4 * 20 * 4 * 8 * (5 + 8) + 4 * 8);
    expect(filled.models[0].input.text).toBe('4x20x5');
  });

  it('sizes that are not positive integers are unknowns with the reason, never NaN figures', () => {
    const r = analyze(
      `${HEAD}export function build() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2.5, inputShape: [0 / 0] }), tf.layers.dense({ units: -3 })] });\n}\n`,
    );
    const m = r.models[0];
    expect(m.params).toBeNull();
    for (const l of m.layers) expect(l.params === null || Number.isInteger(l.params)).toBe(true);
    expect(m.input.detail).toMatch(/inputShape\[0\] of dense_Dense1 is NaN, not an integer/);
    const again = analyze(
      `${HEAD}export function build() {\n  return tf.sequential({ layers: [tf.layers.dense({ units: 2.5, inputShape: [4] }), tf.layers.dense({ units: -3 })] });\n}\n`,
    );
    expect(reasons(again, 'build')).toMatch(/units of dense_Dense1 is 2\.5, not an integer/);
    expect(again.models[0].params).toBeNull();
  });

  it('a shape TF.js rejects makes the totals unknown with the reason', () => {
    const r = analyze(
      `${HEAD}export function build() {\n  const a = tf.input({ shape: [4] });\n  const b = tf.input({ shape: [5] });\n  return tf.model({ inputs: [a, b], outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });\n}\n`,
    );
    expect(r.models[0].params).toBeNull();
    expect(reasons(r, 'build')).toMatch(/could not be broadcast together .*TF\.js throws/);
  });
});

describe('broken files', () => {
  it('a syntax error is a problem with its line; the statements that parse are still analyzed', () => {
    const r = analyze(
      `${HEAD}export function ok() { return tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] }); }\nexport function broken() { const x = (; return x; }\nexport function ok2() { return tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3] })] }); }\n`,
    );
    expect(r.problems.find((p) => p.what === 'syntax')).toMatchObject({ line: 3 });
    expect(r.models.map((m) => [m.name, m.params])).toEqual([
      ['ok', 8],
      ['ok2', 20],
    ]);
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '// nothing here\n/* at all */\n'],
    ['binary-looking text', '\u0001\u0002\u00ff\ufffd{{{[[[((('],
    ['deep nesting', `const x = ${'['.repeat(3000)}${']'.repeat(3000)};\n`],
    ['a runaway expression', `const x = ${'1 + '.repeat(20000)}1;\n`],
  ])('%s gives a report without models, never an exception', (_name, text) => {
    const r = analyze(text);
    expect(r.language).toBe('tfjs');
    expect(r.models).toEqual([]);
  });
});

describe('options it cannot honour raise one clear AnalysisError', () => {
  const src = `${HEAD}export const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });\nexport function build(units = 4) { return tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [3] })] }); }\nexport const N = 3;\n`;
  it.each<[string, AnalyzeOptions, RegExp]>([
    ['an unknown --model', { model: 'nothere' }, /no model named "nothere" in .*m\.ts \(models, builders and classes: model, build\)/],
    ['--model that is not a model', { model: 'N' }, /N does not build a TensorFlow\.js model/],
    ['--model that is not an expression', { model: 'build((' }, /--model "build\(\(" is not a JavaScript expression/],
    ['a malformed --input', { input: '1x?x3' }, /malformed input shape/],
    [
      'an --input of the wrong rank',
      { model: 'model', input: '1x3x3' },
      /--input 1x3x3 has rank 3, but the model's input 1 .* is \[null, 3\]/,
    ],
    ['a --set value that is not JavaScript', { set: { N: '(((' } }, /--set value "\(\(\(" is not a JavaScript value/],
  ])('%s', (_name, options, message) => {
    expect(() => analyze(src, options)).toThrow(AnalysisError);
    expect(() => analyze(src, options)).toThrow(message);
  });

  it('--model takes a call with arguments, and --set overrides constants and builder defaults', () => {
    expect(analyze(src, { model: 'build(10)' }).models[0].params).toBe(3 * 10 + 10);
    expect(analyze(src, { model: 'build', set: { units: '6' } }).models[0].params).toBe(3 * 6 + 6);
    const setConst = `${HEAD}const WIDTH = 4;\nexport function build() { return tf.sequential({ layers: [tf.layers.dense({ units: WIDTH, inputShape: [3] })] }); }\n`;
    expect(analyze(setConst, { set: { WIDTH: '9' } }).models[0].params).toBe(3 * 9 + 9);
  });
});

// ───────────── mutated fixtures ─────────────

function fixtureFiles(d: string): string[] {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    if (statSync(p).isDirectory()) return name === 'truth' ? [] : fixtureFiles(p);
    return /\.(ts|js|mjs)$/.test(name) ? [p] : [];
  });
}

type Mutation = { kind: 'delete' | 'duplicate' | 'swap' | 'truncate' | 'dropToken'; a: number; b: number };

function mutate(text: string, muts: Mutation[]): string {
  let lines = text.split('\n');
  for (const m of muts) {
    const i = m.a % lines.length;
    const j = m.b % lines.length;
    if (m.kind === 'delete') lines.splice(i, 1);
    else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i]);
    else if (m.kind === 'swap') [lines[i], lines[j]] = [lines[j], lines[i]];
    else if (m.kind === 'truncate') lines = lines.slice(0, Math.max(1, i));
    else {
      const tokens = lines[i].split(/(\W)/);
      tokens.splice(j % Math.max(1, tokens.length), 1);
      lines[i] = tokens.join('');
    }
    if (lines.length === 0) lines = [''];
  }
  return lines.join('\n');
}

describe('mutated fixture files', () => {
  const sources = fixtureFiles(FIXTURES).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
  const mutation = fc.record({
    kind: fc.constantFrom('delete', 'duplicate', 'swap', 'truncate', 'dropToken'),
    a: fc.nat(),
    b: fc.nat(),
  }) as fc.Arbitrary<Mutation>;

  it('always give a report: never an exception, always finished', () => {
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        const { path, text } = sources[which];
        const mutated = mutate(text, muts);
        // analyzed in place, so relative imports of the fixture still resolve
        const report = analyzeTfjsFile(path, mutated, {});
        expect(report.language).toBe('tfjs');
        for (const m of report.models) {
          expect(m.entryKind).toBe('tfjs');
          if (m.params !== null) expect(Number.isInteger(m.params) && m.params >= 0).toBe(true);
          for (const l of m.layers) expect(l.line === null || (Number.isInteger(l.line) && l.line >= 1)).toBe(true);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  }, 120_000);
});
