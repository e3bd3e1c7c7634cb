// Models written with einops (functions and layers) and with numpy-built constants, analysed
// through the native einops and numpy modules and measured with real torch 1.13 (+ the einops
// 0.9 in the corpus' site-packages) by scripts/truth/torch_macs.py, torchvision's MAC convention.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../src/core/report/types';
import { torchTruth, type TorchResult } from '../../support/torchTruth';
import { sharedEngine } from '../engine/truthCorpus';

const MODELS = join(__dirname, 'models');
const SITE_PACKAGES = resolve(__dirname, '../../fixtures/realworld/workspace/.venv/lib/python3.11/site-packages');

// Figures printed by real torch for these cases (torchTruth below recomputes them)
const CASES = [
  { module: 'einops_vit', entry: 'EinopsViT', input: [2, 3, 32, 32], params: 46_602, macs: 1_672_320 },
  { module: 'numpy_constants', entry: 'NumpyConstants', input: [2, 3, 32, 32], params: 19_392, macs: 614_400 },
];

const reports = new Map<string, ModelReport>();
let truth: TorchResult[] = [];

beforeAll(async () => {
  const engine = await sharedEngine();
  for (const c of CASES) {
    const file = join(MODELS, `${c.module}.py`);
    reports.set(c.module, engine.analyze(file, readFileSync(file, 'utf8'), { model: c.entry, input: c.input.join('x') }).models[0]);
  }
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = SITE_PACKAGES;
  try {
    truth = torchTruth(CASES.map((c) => ({ root: MODELS, module: c.module, entry: `${c.entry}()`, inputs: [{ shape: c.input }] })));
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
}, 90_000);

describe('einops and numpy models against real torch', () => {
  it.each(CASES.map((c, i) => [c.module, i] as const))('%s: params and MACs exact', (module, i) => {
    const c = CASES[i];
    const t = truth[i];
    expect(t.error).toBeUndefined();
    expect([t.params, t.macs]).toEqual([c.params, c.macs]);
    const model = reports.get(module)!;
    expect(model.unknowns).toEqual([]);
    expect(model.uniqueParams).toBe(t.params);
    expect(model.macs).toBe(t.macs);
  });
});
