// The static training-step estimate on hand-built reports: compute-bound GEMMs follow the
// precision's peak, memory-bound ops the bandwidth, tiny ops their launches; unknowns and unknown
// GPUs say why; the GPU table keeps its sources and agrees with the harness's rated power.
import { describe, expect, it } from 'vitest';
import { gpuRatedPowerFor } from '../../../src/core/energy/hardwarePower';
import { staticStepFigures } from '../../../src/core/editor/stepFigures';
import { stepEstimateLines, stepEstimateText } from '../../../src/core/editor/stepLens';
import { GPU_PROFILES, gpuProfileFor, type GpuProfile } from '../../../src/core/gpu/gpuProfiles';
import { ASSUMED_LOSS, HOST_US_PER_OP, dataHostUs } from '../../../src/core/gpu/hostModel';
import { estimateStep, type StepEstimateResult } from '../../../src/core/gpu/stepEstimate';
import factors from '../../../src/core/gpu/stepModel.json';
import { stepGpu, withStepEstimate } from '../../../src/core/gpu/stepEstimates';
import type { LayerReport, ModelReport, StepEstimate } from '../../../src/core/report/types';

function layer(over: Partial<LayerReport>): LayerReport {
  return { path: 'fc', type: 'Linear', kind: 'layer', line: 3, params: 0, macs: 0, flops: 0, outputShape: null, calls: 1, ...over };
}

function model(layers: LayerReport[], over: Partial<ModelReport> = {}): ModelReport {
  const macs = layers.reduce((s, l) => s + (l.macs ?? 0), 0);
  const params = layers.reduce((s, l) => s + (l.params ?? 0), 0);
  return {
    name: 'Net',
    entry: 'Net()',
    line: 1,
    entryKind: 'class',
    input: { shapes: [[8, 4096]], text: '8x4096', source: 'cli', detail: 'given' },
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
    ...over,
  };
}

const profile = (name: string): GpuProfile => gpuProfileFor(name)!;
const ok = (r: StepEstimateResult): StepEstimate => {
  if (!r.ok) throw new Error(r.reason);
  return r.estimate;
};

// one large matmul, weights small against its work: 8192 × 8192 × 8192 MACs
const GEMM = model([layer({ macs: 8192 ** 3, params: 8192 * 8192, activationBytes: 8192 * 8192 * 4 })]);
// one elementwise op over 1 GiB, no MACs
const ELEMENTWISE = model([layer({ path: 'act', type: 'GELU', activationBytes: 2 ** 30, elementwiseFlops: 2 ** 28 })]);

describe('static step estimate', () => {
  it('a GEMM-heavy model is compute-bound and its time scales with the precision’s dense peak', () => {
    const h100 = profile('H100 SXM');
    const fp32 = ok(estimateStep(GEMM, h100, { precision: 'fp32' }));
    const bf16 = ok(estimateStep(GEMM, h100, { precision: 'bf16' }));
    // the loss's and optimizer's few launches take the rest: host-bound ops of their own
    expect(fp32.boundBy.computeS).toBeGreaterThan(0.98 * fp32.timeS.mid);
    // 3 × forward MACs × 2 FLOPs at 67 TFLOP/s × 0.6 (mid GEMM efficiency), plus the optimizer's traffic
    const compute = (3 * 2 * 8192 ** 3) / (67e12 * 0.6);
    expect(fp32.timeS.mid).toBeGreaterThan(compute);
    expect(fp32.timeS.mid).toBeLessThan(compute * 1.01);
    // the matmul part scales by 989.5 / 67: bf16 is about 14.8× faster
    expect(fp32.timeS.mid / bf16.timeS.mid).toBeGreaterThan(12);
    expect(fp32.timeS.mid / bf16.timeS.mid).toBeLessThan(989.5 / 67 + 0.01);
    // the band brackets the mid, in time and in energy, and energy lies between idle and TDP power
    for (const e of [fp32, bf16]) {
      expect(e.timeS.low).toBeLessThan(e.timeS.mid);
      expect(e.timeS.mid).toBeLessThan(e.timeS.high);
      expect(e.joules.low).toBeLessThan(e.joules.mid);
      expect(e.joules.mid).toBeLessThan(e.joules.high);
      expect(e.joules.mid).toBeGreaterThan(e.timeS.mid * h100.idleW);
      expect(e.joules.mid).toBeLessThan(e.timeS.mid * h100.tdpW);
      expect(e.label).toBe('estimated');
    }
    expect(bf16.basis.join('\n')).toMatch(/989.5 TFLOP\/s dense bf16 \(tensor cores\)/);
    expect(bf16.basis.join('\n')).toMatch(/backward = 2 × forward/);
  });

  it('a memory-bound op runs at the bandwidth: H200 over H100 SXM is the ratio of their bandwidths', () => {
    const onH100 = ok(estimateStep(ELEMENTWISE, profile('H100 SXM'), { precision: 'fp32' }));
    const onH200 = ok(estimateStep(ELEMENTWISE, profile('H200'), { precision: 'fp32' }));
    // the rest: the host rows of the loss, the optimizer and the batch, overlapped with the GPU's work
    expect(onH100.boundBy.memoryS).toBeGreaterThan(0.9 * onH100.timeS.mid);
    expect(onH100.boundBy.computeS).toBe(0);
    expect(onH100.timeS.mid / onH200.timeS.mid).toBeCloseTo(4800 / 3350, 6);
    // forward: output written + input read; backward twice that; at 3350 GB/s × 0.7
    expect(onH100.timeS.mid).toBeCloseTo((3 * 2 * 2 ** 30) / (3350e9 * 0.7), 9);
    // half precision halves the activation traffic
    const bf16 = ok(estimateStep(ELEMENTWISE, profile('H100 SXM'), { precision: 'bf16' }));
    expect(onH100.timeS.mid / bf16.timeS.mid).toBeCloseTo(2, 6);
  });

  it('fp32 convolutions run on TF32 tensor cores where the GPU has them, as PyTorch does by default', () => {
    const conv = model([layer({ type: 'Conv2d', macs: 4096 ** 3 })]);
    const a100 = ok(estimateStep(conv, profile('A100 80GB'), { precision: 'fp32' }));
    const v100 = ok(estimateStep(conv, profile('V100 32GB'), { precision: 'fp32' }));
    expect(a100.timeS.mid).toBeCloseTo((3 * 2 * 4096 ** 3) / (156e12 * 0.45), 9);
    expect(v100.timeS.mid).toBeCloseTo((3 * 2 * 4096 ** 3) / (15.7e12 * 0.45), 9);
    expect(a100.basis.join('\n')).toMatch(/TF32 tensor cores at 156 TFLOP\/s/);
  });

  it('many tiny ops are bound by the host: measured framework time per op plus CUDA’s launch, not overlapped away', () => {
    const tiny = model(Array.from({ length: 100 }, (_, i) => layer({ path: `l${i}`, macs: 64, params: 0, activationBytes: 256 })));
    const e = ok(estimateStep(tiny, profile('H100 SXM'), { precision: 'fp32' }));
    // 100 Linear calls × (1 forward + 3 backward launches, as measured: kernelCounts.json); the
    // optimizer has no parameters to step
    expect(e.kernels).toEqual({ forward: 100, backward: 300, optimizer: 0, hostOps: 0, total: 400, paramTensors: 0 });
    expect(stepEstimateLines(e)).toContain(
      '400 kernel launches per step (100 forward, 300 backward, 0 optimizer), as eager PyTorch runs each class of op',
    );
    // host: 400 launches + the assumed cross-entropy's 5, each at the measured framework µs per op
    // (× the GPU host scale) plus CUDA's launch, and the batch of 8 from a DataLoader (mid, high)
    const ops = 400 + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
    for (const end of ['low', 'mid', 'high'] as const) {
      const framework = ops * HOST_US_PER_OP[end] + dataHostUs(8)[end];
      const host = (framework * factors.gpuHostScale[end] + ops * factors.cudaLaunchUs[end]) * 1e-6;
      expect(e.host!.timeS[end]).toBeCloseTo(host, 12);
      // the GPU's work is negligible: the step is the host's
      expect(e.timeS[end]).toBeCloseTo(host, 7);
    }
    expect(e.host!.ops).toBe(ops);
    expect(e.boundBy.launchS).toBeCloseTo(e.timeS.mid, 12);
    // a GPU waiting for launches draws its idle power
    expect(e.joules.mid).toBeCloseTo(e.timeS.mid * 71, 3);
    expect(e.basis.join('\n')).toMatch(
      /host time [\d.]+–[\d.]+ µs \(mid [\d.]+\) of CPU time per kernel launch of forward, loss and backward/,
    );
  });

  it('says why when the MACs are unknown or the GPU has no such precision', () => {
    const unknown = model([layer({ macs: null })], {
      macs: null,
      unknowns: [{ what: 'forward', reason: 'torch.foo is not modelled', blocks: 'macs' }],
    });
    const r = withStepEstimate(unknown, profile('H100 SXM'), 'bf16');
    expect(r.stepEstimate).toBeNull();
    expect(r.stepEstimateReason).toBe("the model's MACs are unknown (forward: torch.foo is not modelled)");
    expect(estimateStep(GEMM, profile('T4'), { precision: 'bf16' })).toEqual({
      ok: false,
      reason: 'the T4 has no bf16 tensor cores (datasheet); choose fp32 or fp16',
    });
  });

  it('an unknown GPU name gets one message listing the known ones', () => {
    const r = stepGpu('Mystery 9000');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^no GPU profile matches "Mystery 9000"; known GPUs: H100 SXM, H100 PCIe, H200, /);
      for (const p of GPU_PROFILES) expect(r.message).toContain(p.name);
    }
    expect(stepGpu('NVIDIA H200')).toMatchObject({ ok: true, profile: { name: 'H200' } });
  });

  it('the lens text names time, energy, GPU, precision, batch and that it is estimated', () => {
    const e = ok(estimateStep(GEMM, profile('H100 SXM'), { precision: 'bf16' }));
    expect(stepEstimateText(e)).toMatch(/^≈ \d+(\.\d+)? ms · \d+(\.\d+)? J per step on H100 SXM \(bf16, batch 8, estimated\)$/);
  });

  it('the editor shows the estimate for models without a calibrated pilot figure, on a GPU with a profile', () => {
    const report = { file: 'net.py', language: 'python' as const, models: [GEMM, { ...ELEMENTWISE, name: 'Act', line: 9 }], problems: [] };
    const gpu = { name: 'NVIDIA H100 80GB HBM3', memoryBytes: 80 * 2 ** 30, source: 'nvidia-smi', profile: profile('H100 SXM') };
    const figures = staticStepFigures(report, gpu, 'bf16-mixed', new Set(['Net']));
    expect(figures.map((f) => f.model)).toEqual(['Act']);
    expect(figures[0]!.lens!.text).toMatch(/per step on H100 SXM \(bf16, batch 8, estimated\)$/);
    expect(figures[0]!.lens!.tooltip).toMatch(/Basis:/);
    expect(staticStepFigures(report, { ...gpu, profile: undefined }, 'fp32')).toEqual([]);
  });
});

describe('GPU table', () => {
  it('every row has dense peaks, bandwidth, TDP, idle power with its basis, and a source', () => {
    for (const names of [
      'H100 SXM',
      'H100 PCIe',
      'H200',
      'A100 40GB',
      'A100 80GB',
      'L40S',
      'L4',
      'A10',
      'V100 32GB',
      'T4',
      'RTX 4090',
      'RTX 3090',
      'RTX A6000',
      'MI300X',
    ])
      expect(
        GPU_PROFILES.some((p) => p.name === names),
        names,
      ).toBe(true);
    for (const p of GPU_PROFILES) {
      expect(p.peakTflops.fp32, p.name).toBeGreaterThan(0);
      expect(p.peakTflops.fp16, p.name).toBeGreaterThan(p.peakTflops.fp32);
      if (p.bf16) expect(p.peakTflops.bf16, p.name).toBe(p.peakTflops.fp16);
      else expect(p.peakTflops.bf16, p.name).toBeNull();
      expect(p.memoryBandwidthGBs, p.name).toBeGreaterThan(100);
      expect(p.idleW, p.name).toBeGreaterThan(0);
      expect(p.idleW, p.name).toBeLessThan(p.tdpW);
      expect(p.idleBasis, p.name).toMatch(/measured|assumption/);
      expect(p.source, p.name).toMatch(/https:\/\//);
    }
    expect(profile('H100 SXM').idleW).toBe(71);
    expect(profile('L4').idleW).toBeCloseTo(7.2, 9);
    expect(gpuProfileFor('NVIDIA A100 80GB PCIe')?.name).toBe('A100 80GB PCIe');
    expect(gpuProfileFor('NVIDIA A100-SXM4-80GB')?.name).toBe('A100 80GB');
    expect(gpuProfileFor('Tesla V100-PCIE-32GB')?.name).toBe('V100 PCIe 32GB');
    expect(gpuProfileFor('NVIDIA H200')?.name).toBe('H200');
    expect(gpuProfileFor('NVIDIA A10')?.name).toBe('A10');
  });

  it('TDP agrees with the rated power the harness uses for the same device', () => {
    for (const device of [
      'NVIDIA H100 80GB HBM3',
      'NVIDIA H100 PCIe',
      'NVIDIA H200',
      'NVIDIA A100-SXM4-80GB',
      'NVIDIA A100-SXM4-40GB',
      'NVIDIA A100 80GB PCIe',
      'NVIDIA A100-PCIE-40GB',
      'NVIDIA L40S',
      'Tesla V100-SXM2-32GB',
      'Tesla V100-PCIE-16GB',
      'NVIDIA GeForce RTX 4090',
      'NVIDIA GeForce RTX 3090',
      'NVIDIA RTX A6000',
      'NVIDIA A10',
      'NVIDIA L4',
      'Tesla T4',
    ])
      expect(gpuProfileFor(device)?.tdpW, device).toBe(gpuRatedPowerFor(device)?.watts);
  });
});

describe('launch-bound line shares', () => {
  it('at a small batch each line’s share follows its measured kernel count, not one per row', () => {
    const attention = layer({ path: 'attn', type: 'MultiheadAttention', line: 5, params: 0, macs: 64, activationBytes: 256 });
    const norm = layer({ path: 'ln', type: 'LayerNorm', line: 6, params: 0, activationBytes: 256 });
    const r = estimateStep(model([attention, norm]), profile('H100 SXM'), { precision: 'fp32' });
    if (!r.ok) throw new Error(r.reason);
    const share = (line: number) => r.rows.find((row) => row.line === line)!.timeS.mid;
    // nn.MultiheadAttention: 12 kernels forward + 16 backward (torch 1.13's path); LayerNorm 1 + 1
    expect(share(5) / share(6)).toBeCloseTo(28 / 2, 9);
    expect(r.estimate.kernels.total).toBe(30);
  });
});
