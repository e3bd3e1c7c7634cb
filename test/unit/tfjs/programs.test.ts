// The evaluator's JavaScript and the layer rules against real TensorFlow.js: each small
// program (programs.ts) is analyzed statically and built by @tensorflow/tfjs in a child
// process; parameter counts, trainable counts and every layer's class, countParams() and
// output shape must agree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeTfjsFile } from '../../../src/core/tfjs/entry';
import { CUSTOM_LAYER_PROGRAMS, INVALID_PROGRAMS, PROGRAMS } from './programs';
import { buildWithRealTfjs, tfjsAvailable, type RealModel } from './realTfjs';
import { expectedShapes } from './truthCorpus';
import { tempDirsPerFile } from '../../support/tempDirs';

const dir = tempDirsPerFile()('wattlens-tfjs-programs-');
const files: Record<string, string> = {};
for (const [name, source] of Object.entries({ ...PROGRAMS, ...INVALID_PROGRAMS, ...CUSTOM_LAYER_PROGRAMS })) {
  files[name] = join(dir, `${name}.ts`);
  writeFileSync(files[name], source);
}

let real: Record<string, RealModel | { error: string }> = {};
beforeAll(() => {
  real = buildWithRealTfjs(files, dir);
}, 120_000);

describe.skipIf(!tfjsAvailable())('programs against real TF.js', () => {
  it.each(Object.keys(PROGRAMS))('%s', (name) => {
    const truth = real[name];
    expect('error' in truth ? truth.error : '').toBe('');
    const t = truth as RealModel;
    const report = analyzeTfjsFile(files[name], readFileSync(files[name], 'utf8'), { model: 'build' });
    expect(report.problems).toEqual([]);
    const m = report.models[0];
    expect(m.unknowns).toEqual([]);
    expect(m.params).toBe(t.countParams);
    expect(m.trainableParams).toBe(t.trainableParams);
    const batch = m.input.shapes[0][0] as number;
    const shapes = expectedShapes(t.layers as never, batch);
    expect(m.layers.map((l) => ({ className: l.type, params: l.params, outputShape: l.outputShape }))).toEqual(
      t.layers.map((l, i) => ({ className: l.className, params: l.params, outputShape: shapes[i] })),
    );
  });
});

describe.skipIf(!tfjsAvailable())('programs TF.js refuses to build', () => {
  it.each(Object.keys(INVALID_PROGRAMS))('%s: TF.js throws; the totals are unknown with the reason', (name) => {
    expect(real[name]).toHaveProperty('error');
    const report = analyzeTfjsFile(files[name], readFileSync(files[name], 'utf8'), { model: 'build' });
    const m = report.models[0];
    expect(m.params).toBeNull();
    expect(m.unknowns.length).toBeGreaterThan(0);
    expect(JSON.stringify(m.unknowns)).toMatch(/TF\.js throws|does not exist in @tensorflow\/tfjs|no inputShape/);
  });
});

describe.skipIf(!tfjsAvailable())('custom layers (classes extending tf.layers.Layer)', () => {
  it.each(Object.keys(CUSTOM_LAYER_PROGRAMS))(
    '%s: weights from its build(), shapes from its computeOutputShape(); its call() is not costed',
    (name) => {
      const t = real[name] as RealModel;
      expect('error' in t ? (t as { error: string }).error : '').toBe('');
      const m = analyzeTfjsFile(files[name], readFileSync(files[name], 'utf8'), { model: 'build' }).models[0];
      expect(m.params).toBe(t.countParams);
      expect(m.trainableParams).toBe(t.trainableParams);
      const shapes = expectedShapes(t.layers as never, 1);
      expect(m.layers.map((l) => [l.type, l.params, l.outputShape])).toEqual(t.layers.map((l, i) => [l.className, l.params, shapes[i]]));
      expect(m.macs).toBeNull();
      expect(JSON.stringify(m.unknowns)).toMatch(/its call\(\) is not costed/);
    },
  );
});
