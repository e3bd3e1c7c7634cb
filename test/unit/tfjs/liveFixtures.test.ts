// The fixture models built live by @tensorflow/tfjs (one process for all of them) against the
// analyzer: parameter counts and every layer's class, countParams() and output shape. The
// committed truth files add the layer names (which need a fresh process per model).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWithRealTfjs, tfjsAvailable, type ModelSource, type RealModel } from './realTfjs';
import { FIXTURES, MANIFEST, analyzeFixture, expectedShapes } from './truthCorpus';
import { tempDirsPerFile } from '../../support/tempDirs';

const sources: Record<string, ModelSource> = {};
for (const [fixture, entries] of Object.entries(MANIFEST))
  for (const entry of entries) sources[`${fixture}:${entry}`] = { file: join(FIXTURES, fixture), entry };

const fileTempDir = tempDirsPerFile();
let real: Record<string, RealModel | { error: string }> = {};
beforeAll(() => {
  if (tfjsAvailable()) real = buildWithRealTfjs(sources, fileTempDir('wattlens-tfjs-live-'));
}, 300_000);

describe.skipIf(!tfjsAvailable())('fixture models built by TF.js now', () => {
  const reports = new Map<string, ReturnType<typeof analyzeFixture>>();
  it.each(Object.keys(sources))('%s', (id) => {
    const [fixture, entry] = id.split(':');
    if (!reports.has(fixture)) reports.set(fixture, analyzeFixture(fixture));
    const truth = real[id];
    expect('error' in truth ? truth.error : '').toBe('');
    const t = truth as RealModel;
    const m = reports.get(fixture)!.models.find((x) => x.name === entry)!;
    expect(m.params).toBe(t.countParams);
    expect(m.trainableParams).toBe(t.trainableParams);
    const shapes = expectedShapes(t.layers as never);
    expect(m.layers.map((l) => [l.type, l.params, l.outputShape])).toEqual(t.layers.map((l, i) => [l.className, l.params, shapes[i]]));
  });
});
