// `wattlens analyze` on TF.js files end to end through the built CLI (npm test builds first):
// the JSON contract the surfaces read, the readable table, options, and one-line errors.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { truthOf } from './truthCorpus';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
});

describe('analyze on a TF.js file', () => {
  it('--json prints the report contract for every model, with TF.js-exact parameters', () => {
    const r = run('analyze', 'test/fixtures/tfjs/mnist_cnn.ts', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.file).toMatch(/test\/fixtures\/tfjs\/mnist_cnn\.ts$/);
    expect(out.language).toBe('tfjs');
    expect(out.problems).toEqual([]);
    expect(out.models.map((m: { name: string }) => m.name)).toEqual(['createConvModel', 'createDenseModel']);
    const truth = truthOf('mnist_cnn.ts');
    for (const m of out.models) {
      for (const k of [
        'name',
        'entry',
        'line',
        'entryKind',
        'input',
        'params',
        'trainableParams',
        'uniqueParams',
        'macs',
        'flops',
        'elementwiseFlops',
        'activationBytes',
        'trainingMemoryBytes',
        'trainingMemory',
        'assumptions',
        'unknowns',
        'layers',
      ])
        expect(m, `model field ${k}`).toHaveProperty(k);
      expect(m.entryKind).toBe('tfjs');
      expect(m.params).toBe(truth[m.name].countParams);
      expect(m.flops).toBe(2 * m.macs);
      expect(m.input).toMatchObject({ source: 'config', text: '1x28x28x1' });
      expect(m.assumptions.some((a: string) => /batch 1/.test(a))).toBe(true);
      for (const l of m.layers) {
        for (const k of ['path', 'type', 'kind', 'line', 'params', 'macs', 'flops', 'outputShape', 'calls', 'activationBytes'])
          expect(l, `layer field ${k}`).toHaveProperty(k);
        expect(l.flops).toBe(2 * l.macs);
      }
    }
    // each layer on the line of its tf.layers call
    const conv = out.models[0].layers;
    expect(conv.map((l: { line: number }) => l.line)).toEqual([16, 23, 24, 25, 26, 27, 28, 29, 30]);
  });

  it('prints a readable table', () => {
    const r = run('analyze', 'test/fixtures/tfjs/text_classifier.ts');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/buildLstmClassifier/);
    expect(r.stdout).toMatch(/lstm_LSTM1\s+LSTM\s+\d+/);
  });

  it('--model, --input and --batch pick a model and its shapes', () => {
    const r = run('analyze', 'test/fixtures/tfjs/mnist_cnn.ts', '--model', 'createConvModel', '--input', '4x28x28x1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const [m] = JSON.parse(r.stdout).models;
    expect(m.input).toMatchObject({ source: 'cli', text: '4x28x28x1' });
    expect(m.layers[0].outputShape).toEqual([4, 26, 26, 16]);
    const one = JSON.parse(run('analyze', 'test/fixtures/tfjs/mnist_cnn.ts', '--model', 'createConvModel', '--json').stdout).models[0];
    expect(m.macs).toBe(4 * one.macs);
  });

  it('reads CommonJS and ES-module JavaScript files', () => {
    for (const f of ['test/fixtures/tfjs/cjs_model.js', 'test/fixtures/tfjs/named_imports.mjs']) {
      const r = run('analyze', f, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).models.length).toBeGreaterThan(0);
    }
  });

  it('an unknown --model is one line on stderr with exit code 2', () => {
    const r = run('analyze', 'test/fixtures/tfjs/mnist_cnn.ts', '--model', 'nothere');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no model named "nothere"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
