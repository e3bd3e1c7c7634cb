// The engine against real torch: every model of the ground-truth fixtures (torchvision's
// classification builders, torchaudio models, nanoGPT/minGPT, our own files), counted by
// scripts/truth/make_truth.py with real torch and committed. Parameters must match exactly,
// MACs within 1% (torchvision's published convention), and each layer row must agree.
import { describe, expect, it } from 'vitest';
import type { LayerReport } from '../../../src/core/report/types';
import type { TruthLayer } from '../../fixtures/truth/truthSchema';
import { compareFile, truthFiles, type Comparison } from './truthCorpus';

const results = new Map<string, Promise<Comparison[]>>();
const compare = (file: string) => {
  if (!results.has(file)) results.set(file, compareFile(file));
  return results.get(file)!;
};

/** Truth rows that carry a cost (own parameters or MACs) — the rows the engine must reproduce. */
function costlyRows(layers: TruthLayer[]): TruthLayer[] {
  return layers.filter((l) => l.path !== '' && (l.params > 0 || l.macs > 0));
}

function rowFor(rows: LayerReport[], path: string): LayerReport | undefined {
  return rows.find((r) => r.kind === 'layer' && r.path === path);
}

describe.each(truthFiles())('%s', (file) => {
  it('totals match real torch', async () => {
    for (const c of await compare(file)) {
      const label = `${c.truth.name} (${c.truth.entry})`;
      expect(c.report, `${label} was not analyzed: ${c.problems.join('; ')}`).toBeDefined();
      const r = c.report!;
      expect(r.uniqueParams, `${label} unique params`).toBe(c.truth.uniqueParams);
      expect(r.params, `${label} per-layer params`).toBe(c.truth.params);
      expect(r.trainableParams, `${label} trainable params`).toBe(c.truth.trainableParams);
      expect(r.macs, `${label} MACs`).not.toBeNull();
      expect(Math.abs(r.macs! - c.truth.macs) / c.truth.macs, `${label} MACs ${r.macs} vs ${c.truth.macs}`).toBeLessThanOrEqual(0.01);
      expect(r.flops).toBe(2 * r.macs!);
    }
  });

  it('per-layer parameters, MACs and output shapes match real torch', async () => {
    for (const c of await compare(file)) {
      const r = c.report!;
      for (const t of costlyRows(c.truth.layers)) {
        const ours = rowFor(r.layers, t.path);
        // a module that runs a child's weights itself (F.linear(x, self.out_proj.weight)) is charged
        // by torch to the parent; our catalogue layers carry their children, so compare params only
        if (!t.leaf && !ours) continue;
        expect(ours, `${c.truth.name}: no row for ${t.path} (${t.type})`).toBeDefined();
        if (t.leaf) expect(ours!.params, `${c.truth.name} ${t.path} params`).toBe(t.params);
        if (t.leaf && t.calls > 0) {
          expect(ours!.calls, `${c.truth.name} ${t.path} calls`).toBe(t.calls);
          expect(ours!.outputShape, `${c.truth.name} ${t.path} output shape`).toEqual(t.outputShape);
        }
      }
    }
  });
});

// torchvision's builders analyzed as a user opens the file: no --model, no --input. The input
// comes from the builder's weights (the eval crop size of the weights with these parameters),
// so the figures are the ones torchvision publishes.
describe.each(truthFiles().filter((f) => f.includes('/torchvision/')))('%s, whole file with defaults', (file) => {
  it('every builder matches real torch at its published input size', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { REPO_ROOT, loadTruthFile } = await import('../../fixtures/truth/truthSchema');
    const { sharedEngine } = await import('./truthCorpus');
    const truth = loadTruthFile(file);
    const engine = await sharedEngine();
    const reports = new Map<string, ReturnType<typeof engine.analyze>>();
    for (const t of truth.models) {
      const path = join(REPO_ROOT, truth.sourceRoot, t.source);
      if (!reports.has(path)) reports.set(path, engine.analyze(path, readFileSync(path, 'utf8'), {}));
      const m = reports.get(path)!.models.find((x) => x.name === t.name);
      expect(m, `${t.name} not analyzed by default`).toBeDefined();
      expect(m!.input.text).toBe(t.inputText);
      expect(m!.uniqueParams).toBe(t.uniqueParams);
      expect(Math.abs(m!.macs! - t.macs) / t.macs).toBeLessThanOrEqual(0.01);
    }
  }, 300_000);
});
