// The host-time part of the static step estimate: every kernel launch of forward, backward and
// the loss at the measured µs per op, the optimizer and zero_grad per step and per parameter
// tensor, the batch from a DataLoader; a GPU overlaps it with its work, a CPU adds it; a CPU's
// convolutions cost their own measured band; the calibration set names none of the validated models.
import { describe, expect, it } from 'vitest';
import { stepEstimateLines } from '../../../src/core/editor/stepLens';
import { cpuStepProfile, parseCpuInfo } from '../../../src/core/gpu/cpuProfile';
import { gpuProfileFor } from '../../../src/core/gpu/gpuProfiles';
import {
  ASSUMED_LOSS,
  CPU_CONV_US,
  HOST_US_PER_OP,
  NO_FIXED_US,
  dataHostUs,
  hostSeconds,
  optimizerHostUs,
  zeroGradHostUs,
} from '../../../src/core/gpu/hostModel';
import kernelTable from '../../../src/core/gpu/kernelCounts.json';
import table from '../../../src/core/gpu/hostCosts.json';
import { estimateStep } from '../../../src/core/gpu/stepEstimate';
import factors from '../../../src/core/gpu/stepModel.json';
import type { LayerReport, ModelReport, StepEstimate } from '../../../src/core/report/types';

function layer(over: Partial<LayerReport>): LayerReport {
  return { path: 'fc', type: 'Linear', kind: 'layer', line: 3, params: 0, macs: 0, flops: 0, outputShape: null, calls: 1, ...over };
}

function model(layers: LayerReport[]): ModelReport {
  const macs = layers.reduce((s, l) => s + (l.macs ?? 0), 0);
  const params = layers.reduce((s, l) => s + (l.params ?? 0), 0);
  return {
    name: 'Net',
    entry: 'Net()',
    line: 1,
    entryKind: 'class',
    input: { shapes: [[8, 1024]], text: '8x1024', source: 'cli', detail: 'given' },
    params,
    trainableParams: params,
    uniqueParams: params,
    macs,
    flops: 2 * macs,
    activationBytes: 0,
    trainingMemoryBytes: null,
    assumptions: [],
    unknowns: [],
    layers,
  };
}

const machine = parseCpuInfo(
  ['processor\t: 0', 'vendor_id\t: AuthenticAMD', 'cpu family\t: 26', 'model name\t: AMD EPYC', 'cpu MHz\t\t: 2096.009', ''].join('\n'),
)!;
const cpu = (() => {
  const r = cpuStepProfile(machine, 1);
  if (!r.ok) throw new Error(r.reason);
  return r.profile;
})();
const h100 = gpuProfileFor('H100 SXM')!;

function estimate(
  m: ModelReport,
  device: Parameters<typeof estimateStep>[1],
  optimizer: 'adam' | 'adamw' | 'sgd' = 'adam',
  optimizerImpl?: 'foreach' | 'forloop',
): StepEstimate {
  const r = estimateStep(m, device, { precision: 'fp32', optimizer, optimizerImpl });
  if (!r.ok) throw new Error(r.reason);
  return r.estimate;
}

const ENDS = ['low', 'mid', 'high'] as const;

describe('host time of a training step', () => {
  it('counts the model’s and the loss’s launches at the per-op cost, the optimizer, zero_grad and the batch as measured', () => {
    // one Linear with weight and bias: 1 + 3 launches and 2 parameter tensors; the assumed
    // cross-entropy 2 + 3; Adam for-loop on 2 tensors; a batch of 8 (the input's first dimension)
    const e = estimate(model([layer({ macs: 1, params: 2, config: { in_features: 1, out_features: 1 } })]), cpu);
    const ops = 4 + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
    expect(e.host!.ops).toBe(ops);
    expect(e.kernels.paramTensors).toBe(2);
    const optimizer = optimizerHostUs('adam', 'forloop', 2, false);
    const zero = zeroGradHostUs(2);
    const data = dataHostUs(8);
    for (const end of ENDS) {
      const us = ops * HOST_US_PER_OP[end] + optimizer[end] + zero[end] + data[end];
      expect(e.host!.timeS[end]).toBeCloseTo(us * 1e-6, 12);
      // the parts add up to the host time
      const p = e.host!.partsS!;
      expect(p.model[end] + p.optimizer[end] + p.data[end]).toBeCloseTo(e.host!.timeS[end], 15);
      expect(p.optimizer[end]).toBeCloseTo((optimizer[end] + zero[end]) * 1e-6, 15);
      expect(p.data[end]).toBeCloseTo(data[end] * 1e-6, 15);
    }
    expect(e.host!.usPerOp).toEqual(HOST_US_PER_OP);
    // the hover's host line names the optimizer's and the batch's part
    expect(stepEstimateLines(e).join('\n')).toMatch(
      /host time .*: 9 ops of forward, loss and backward at [\d.]+–[\d.]+ µs each, optimizer and zero_grad [\d.]+ ms, the batch [\d.]+ ms \(mid\)/,
    );
  });

  it('the optimizer costs per step and per parameter tensor; on a GPU a foreach step keeps the work beside its foreach ops', () => {
    const t = table.optimizerUs['adamw.foreach'];
    for (const end of ENDS) {
      expect(optimizerHostUs('adamw', 'forloop', 10, false)[end]).toBeCloseTo(
        table.optimizerUs['adamw.forloop'].perStepUs[end] + 10 * table.optimizerUs['adamw.forloop'].perTensorUs[end],
        9,
      );
      expect(optimizerHostUs('adamw', 'foreach', 10, false)[end]).toBeCloseTo(t.perStepUs[end] + 10 * t.perTensorUs[end], 9);
      expect(optimizerHostUs('adamw', 'foreach', 10, true)[end]).toBeCloseTo(t.perStepUs[end] + 10 * t.perTensorUsBesideForeachOps[end], 9);
    }
    expect(optimizerHostUs('sgd', 'forloop', 0, false)).toEqual(NO_FIXED_US);
    // the same elements in 40 parameter tensors instead of 2: the same foreach launches, 38 tensors'
    // host work more (the optimizer's beside its foreach ops, and zero_grad's)
    const many = model(
      Array.from({ length: 20 }, (_, i) => layer({ path: `l${i}`, macs: 1, params: 2, config: { in_features: 1, out_features: 1 } })),
    );
    const few = model([layer({ macs: 20, params: 40, config: { in_features: 3, out_features: 10 } })]);
    const [m, f] = [estimate(many, h100, 'adamw'), estimate(few, h100, 'adamw')];
    expect([m.kernels.paramTensors, f.kernels.paramTensors]).toEqual([40, 2]);
    expect(m.kernels.optimizer).toBe(f.kernels.optimizer);
    expect(m.host!.partsS!.optimizer.mid - f.host!.partsS!.optimizer.mid).toBeCloseTo(
      38 * (t.perTensorUsBesideForeachOps.mid + table.zeroGradUs.perTensor.mid) * factors.gpuHostScale.mid * 1e-6,
      12,
    );
  });

  it('the batch: none at the low end, a DataLoader’s per-batch and per-sample cost at mid and high, none without a batch size', () => {
    const d = table.dataLoaderUs;
    expect(dataHostUs(32)).toEqual({ low: 0, mid: d.perBatch.mid + 32 * d.perSample.mid, high: d.perBatch.high + 32 * d.perSample.high });
    expect(dataHostUs(null)).toEqual(NO_FIXED_US);
    const m = model([layer({ macs: 1, params: 2, config: { in_features: 1, out_features: 1 } })]);
    const unbatched = { ...m, input: { ...m.input, shapes: [['B', 1024]] as (number | string)[][] } };
    const e = estimate(unbatched, cpu);
    expect(e.batch).toBeNull();
    expect(e.host!.partsS!.data).toEqual(NO_FIXED_US);
    expect(e.basis.join('\n')).toMatch(/the batch: not counted/);
    expect(estimate(m, cpu).basis.join('\n')).toMatch(/DataLoader in the main process .* fetching 8 samples/);
  });

  it('a CPU adds the host time to the arithmetic; a GPU overlaps them, except at the high end', () => {
    // 200 Linear calls whose GPU work is about as long as their host time on an H100
    const macs = 1024 * 1024 * 384;
    const layers = Array.from({ length: 200 }, (_, i) => layer({ path: `l${i}`, macs, params: 0, activationBytes: 1024 * 4 }));
    const onCpu = estimate(model(layers), cpu);
    const onGpu = estimate(model(layers), h100);
    // CPU: time = host + work, so strictly more than the host alone by the arithmetic
    expect(onCpu.timeS.mid).toBeGreaterThan(onCpu.host!.timeS.mid * 1.5);
    // GPU, low and mid: the longer of host and GPU work, under their sum (the GPU's compute alone,
    // 3 × 2 FLOPs per MAC at 67 TFLOP/s × 0.6, is a lower bound of its work)
    const compute = (200 * 6 * macs) / (67e12 * 0.6);
    expect(compute / onGpu.host!.timeS.mid).toBeGreaterThan(0.5);
    expect(compute / onGpu.host!.timeS.mid).toBeLessThan(2);
    expect(onGpu.timeS.mid).toBeGreaterThanOrEqual(Math.max(onGpu.host!.timeS.mid, compute) - 1e-12);
    expect(onGpu.timeS.mid).toBeLessThan(0.8 * (onGpu.host!.timeS.mid + compute));
    // GPU, high: op by op (no overlap across ops), at least the host time
    expect(onGpu.timeS.high).toBeGreaterThanOrEqual(onGpu.host!.timeS.high);
    for (const e of [onCpu, onGpu]) {
      expect(e.timeS.low).toBeLessThanOrEqual(e.timeS.mid);
      expect(e.timeS.mid).toBeLessThanOrEqual(e.timeS.high);
    }
  });

  it('a CPU’s convolution launches cost the measured convolution band; a GPU’s count as any op', () => {
    const ops = { launches: 10, modelLaunches: 8, convLaunches: 4, fixedUs: { low: 1, mid: 2, high: 3 } };
    for (const end of ENDS) {
      const fixed = ops.fixedUs[end];
      expect(hostSeconds(ops, end, false)).toBeCloseTo((4 * HOST_US_PER_OP[end] + 4 * CPU_CONV_US[end] + fixed) * 1e-6, 15);
      expect(hostSeconds(ops, end, true)).toBeCloseTo(
        ((8 * HOST_US_PER_OP[end] + fixed) * factors.gpuHostScale[end] + 10 * factors.cudaLaunchUs[end]) * 1e-6,
        15,
      );
    }
    // through the estimate: a Conv2d row's launches (conv + bias add forward, 3 backward) at the conv band
    const conv = estimate(
      model([layer({ type: 'Conv2d', macs: 1, params: 0, config: { in_channels: 1, out_channels: 1, kernel_size: [1, 1] } })]),
      cpu,
      'sgd',
    );
    const loss = ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
    expect(conv.host!.partsS!.model.mid).toBeCloseTo((5 * CPU_CONV_US.mid + loss * HOST_US_PER_OP.mid) * 1e-6, 12);
  });

  it('the table is ordered and measured on calibration models, none of them a validated case', () => {
    for (const b of [table.usPerOp, table.cpuConvLaunchUs]) {
      expect(b.low).toBeGreaterThan(0);
      expect(b.low).toBeLessThanOrEqual(b.mid);
      expect(b.mid).toBeLessThanOrEqual(b.high);
    }
    // every optimizer of the kernel table has its host term, for-loop and foreach
    const optimizers = Object.keys(kernelTable.optimizers).filter((k) => k !== 'zero_grad');
    expect(Object.keys(table.optimizerUs).sort()).toEqual(optimizers.sort());
    for (const [key, t] of Object.entries(table.optimizerUs) as [string, Record<string, Record<string, number>>][]) {
      for (const end of ENDS) {
        expect(t['perStepUs']![end]).toBeGreaterThanOrEqual(0);
        expect(t['perTensorUs']![end]).toBeGreaterThan(0);
      }
      if (key.endsWith('.foreach')) expect(t['perTensorUsBesideForeachOps']!.mid).toBeLessThan(t['perTensorUs']!.mid);
    }
    expect(table.dataLoaderUs.perSample.mid).toBeGreaterThan(0);
    expect(table.calibration.length).toBeGreaterThanOrEqual(4);
    // docs/validation.md's rows: the tiny GPT, CifarCNN and the MLP regression (64 → 128 → 128 → 1)
    for (const c of table.calibration) expect(c.case).not.toMatch(/TinyGPT|tiny GPT|CifarCNN|Linear\(64, 128\)|regression/i);
    for (const c of Object.keys(table.dataLoaderUs.cases)) expect(c).not.toMatch(/64|32, 32|CharWindows/);
    expect(table.madeWith).toMatch(/^scripts\/truth\/host_overhead\.py on torch /);
  });
});
