// The host-time part of the static step estimate: every counted op (kernels of forward, backward,
// the loss and the optimizer, and the host ops) at the measured µs per op; a GPU overlaps it with
// its work, a CPU adds it; a CPU's convolutions cost their own measured band; the calibration set
// names none of the validated models.
import { describe, expect, it } from 'vitest';
import { cpuStepProfile, parseCpuInfo } from '../../../src/core/gpu/cpuProfile';
import { gpuProfileFor } from '../../../src/core/gpu/gpuProfiles';
import { ASSUMED_LOSS, CPU_CONV_US, HOST_US_PER_OP, hostSeconds } from '../../../src/core/gpu/hostModel';
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

function estimate(m: ModelReport, device: Parameters<typeof estimateStep>[1], optimizer: 'adam' | 'sgd' = 'adam'): StepEstimate {
  const r = estimateStep(m, device, { precision: 'fp32', optimizer });
  if (!r.ok) throw new Error(r.reason);
  return r.estimate;
}

const ENDS = ['low', 'mid', 'high'] as const;

describe('host time of a training step', () => {
  it('counts the loss and the optimizer’s launches and host ops, each at the measured µs per op', () => {
    // one Linear with weight and bias: 1 + 3 launches; Adam for-loop: 8 launches and 2 host ops
    // (step counters) per parameter tensor; the assumed cross-entropy 2 + 3
    const e = estimate(model([layer({ macs: 1, params: 2, config: { in_features: 1, out_features: 1 } })]), cpu);
    const ops = 4 + 2 * (8 + 2) + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
    expect(e.host!.ops).toBe(ops);
    for (const end of ENDS) expect(e.host!.timeS[end]).toBeCloseTo(ops * HOST_US_PER_OP[end] * 1e-6, 12);
    expect(e.host!.usPerOp).toEqual(HOST_US_PER_OP);
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
    const ops = { launches: 10, convLaunches: 4, hostOnly: 2 };
    for (const end of ENDS) {
      expect(hostSeconds(ops, end, false)).toBeCloseTo((8 * HOST_US_PER_OP[end] + 4 * CPU_CONV_US[end]) * 1e-6, 15);
      expect(hostSeconds(ops, end, true)).toBeCloseTo(
        (12 * HOST_US_PER_OP[end] * factors.gpuHostScale[end] + 10 * factors.cudaLaunchUs[end]) * 1e-6,
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
    expect(conv.host!.timeS.mid).toBeCloseTo((5 * CPU_CONV_US.mid + loss * HOST_US_PER_OP.mid) * 1e-6, 12);
  });

  it('the table is ordered and measured on calibration models, none of them a validated case', () => {
    for (const b of [table.usPerOp, table.cpuConvLaunchUs]) {
      expect(b.low).toBeGreaterThan(0);
      expect(b.low).toBeLessThanOrEqual(b.mid);
      expect(b.mid).toBeLessThanOrEqual(b.high);
    }
    expect(table.calibration.length).toBeGreaterThanOrEqual(4);
    // docs/validation.md's rows: the tiny GPT, CifarCNN and the MLP regression (64 → 128 → 128 → 1)
    for (const c of table.calibration) expect(c.case).not.toMatch(/TinyGPT|tiny GPT|CifarCNN|Linear\(64, 128\)|regression/i);
    expect(table.madeWith).toMatch(/^scripts\/truth\/host_overhead\.py on torch /);
  });
});
