// The launch model's per-step kernel count for real models against the counts measured on real
// torch (test/fixtures/kernels/steps.json, made by scripts/truth/kernel_counts.py): the engine's
// layer table × the measured per-op-class table (src/core/gpu/kernelCounts.json) must give the
// kernels real torch dispatched in forward, backward and the optimizer step.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { stepKernels } from '../../../src/core/gpu/kernelModel';
import type { OptimizerKind } from '../../../src/core/report/types';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';

interface MeasuredStep {
  kernels: { forward: number; backward: number; optimizer: number; zero_grad: number };
  total: number;
  paramTensors: number;
}
interface StepCase {
  name: string;
  file: string;
  model: string;
  input: string;
  optimizer: OptimizerKind;
  forloop: MeasuredStep;
  foreach: MeasuredStep;
}

const fixture = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'kernels', 'steps.json'), 'utf8')) as { steps: StepCase[] };
let engine: AnalysisEngine;

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
});

describe('kernel launches per training step against real torch', () => {
  for (const c of fixture.steps) {
    it(`${c.name}: forward, backward, optimizer (for-loop and foreach) as measured`, { timeout: 60_000 }, () => {
      const file = join(REPO_ROOT, c.file);
      const report = engine.analyze(file, readFileSync(file, 'utf8'), { model: c.model, input: c.input });
      const model = report.models[0]!;
      expect(model.macs).not.toBeNull();
      for (const impl of ['forloop', 'foreach'] as const) {
        const measured = c[impl];
        const k = stepKernels(model, c.optimizer, impl);
        expect(k.assumedTypes).toEqual([]);
        expect(k.paramTensors).toBe(measured.paramTensors);
        expect(k.forward).toBe(measured.kernels.forward);
        // backward: the table counts a layer in a network's middle; the first layer, whose input (the
        // data) needs no gradient, launches one kernel fewer (resnet18's conv1, the MLP's first Linear)
        expect(k.backward - measured.kernels.backward).toBeGreaterThanOrEqual(0);
        expect(k.backward - measured.kernels.backward).toBeLessThanOrEqual(1);
        expect(k.optimizer).toBe(measured.kernels.optimizer);
        expect(k.zeroGrad).toBe(measured.kernels.zero_grad);
        expect(k.total - measured.total).toBeLessThanOrEqual(1);
      }
    });
  }
});
