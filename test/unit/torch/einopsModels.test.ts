// A ViT written with einops (functions and layers), analysed through the native einops module
// and measured with real torch 1.13 + the einops 0.9 in the corpus' site-packages
// (scripts/truth/torch_macs.py, torchvision's MAC convention).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torchTruth } from '../../support/torchTruth';
import { sharedEngine } from '../engine/truthCorpus';

const MODELS = join(__dirname, 'models');
const SITE_PACKAGES = resolve(__dirname, '../../fixtures/realworld/workspace/.venv/lib/python3.11/site-packages');

describe('einops models against real torch', () => {
  it('EinopsViT: params and MACs exact', async () => {
    const file = join(MODELS, 'einops_vit.py');
    const report = (await sharedEngine()).analyze(file, readFileSync(file, 'utf8'), { model: 'EinopsViT', input: '2x3x32x32' });
    const model = report.models[0];
    expect(model.unknowns).toEqual([]);
    // torch 1.13 + einops 0.9 (run by torchTruth below) say 46,602 params and 1,672,320 MACs
    expect(model.uniqueParams).toBe(46_602);
    expect(model.macs).toBe(1_672_320);
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = SITE_PACKAGES;
    try {
      const [t] = torchTruth([{ root: MODELS, module: 'einops_vit', entry: 'EinopsViT()', inputs: [{ shape: [2, 3, 32, 32] }] }]);
      expect(t.error).toBeUndefined();
      expect(model.uniqueParams).toBe(t.params);
      expect(model.macs).toBe(t.macs);
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
  }, 60_000);
});
