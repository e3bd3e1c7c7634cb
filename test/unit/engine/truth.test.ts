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
