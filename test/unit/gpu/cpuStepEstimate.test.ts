// The static step estimate on a CPU: peak from threads × clock × FLOP per cycle of the
// microarchitecture's row, host time added (not hidden), power from the per-vCPU coefficients;
// `--gpu cpu:N`; and each line's share of the estimate for the editor's hints.
import { describe, expect, it } from 'vitest';
import { staticStepLines } from '../../../src/core/editor/stepFigures';
import { cpuRowFor, cpuStepProfile, parseCpuInfo } from '../../../src/core/gpu/cpuProfile';
import { gpuProfileFor } from '../../../src/core/gpu/gpuProfiles';
import { ASSUMED_LOSS, HOST_US_PER_OP, dataHostUs } from '../../../src/core/gpu/hostModel';
import { estimateStep } from '../../../src/core/gpu/stepEstimate';
import referenceBlas from '../../../src/core/gpu/referenceBlas.json';
import { checkStepEstimate } from '../../../src/core/gpu/stepEstimateCheck';
import { summarize } from '../../../src/core/pilot/summary';
import { stepGpu } from '../../../src/core/gpu/stepEstimates';
import type { FileReport, LayerReport, ModelReport } from '../../../src/core/report/types';

const CPUINFO = [
  'processor\t: 0',
  'vendor_id\t: AuthenticAMD',
  'cpu family\t: 26',
  'model\t\t: 2',
  'model name\t: AMD EPYC',
  'cpu MHz\t\t: 2096.009',
  '',
  'processor\t: 1',
  'vendor_id\t: AuthenticAMD',
  'cpu family\t: 26',
  'model name\t: AMD EPYC',
  '',
].join('\n');

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

const machine = parseCpuInfo(CPUINFO)!;

describe('CPU step estimate', () => {
  it('reads /proc/cpuinfo and finds the row by family when the hypervisor hides the model number', () => {
    expect(machine).toMatchObject({ modelName: 'AMD EPYC', vendor: 'AuthenticAMD', family: 26, mhz: 2096.009, logicalCpus: 2 });
    expect(cpuRowFor(machine).name).toBe('AMD Zen 5');
    expect(cpuRowFor({ modelName: 'AMD EPYC 7763 64-Core Processor', logicalCpus: 8 }).name).toBe('AMD Zen 2/3');
    expect(cpuRowFor({ modelName: 'Some CPU', logicalCpus: 8 }).name).toBe('x86-64 with AVX2 (generic)');
  });

  it('peak = threads × clock × FLOP per cycle; bandwidth the lesser of per-core × threads and the socket', () => {
    const r = cpuStepProfile(machine, 1);
    if (!r.ok) throw new Error(r.reason);
    // 1 × 2.096 GHz × 64 FP32 FLOP/cycle (Zen 5: two 512-bit FMA pipes)
    expect(r.profile.peakTflops.fp32).toBeCloseTo((2096.009e6 * 64) / 1e12, 9);
    expect(r.profile.peakTflops.bf16).toBeCloseTo((2096.009e6 * 128) / 1e12, 9);
    expect(r.profile.memoryBandwidthGBs).toBe(30);
    expect(r.profile.name).toBe('CPU: AMD EPYC (AMD Zen 5, 1 thread)');
    expect(cpuStepProfile({ ...machine, mhz: undefined })).toEqual({
      ok: false,
      reason: expect.stringMatching(/clock .* is not reported/),
    });
  });

  it('adds each op’s overhead to its work, and labels the estimate as estimated with its basis', () => {
    const r = cpuStepProfile(machine, 2);
    if (!r.ok) throw new Error(r.reason);
    // a Linear launches 1 kernel per call in forward, 3 in backward (kernelCounts.json), and the
    // assumed loss 5: no work, the step is all host time at the measured µs per op, and the batch's
    const tiny = model([layer({ macs: 1, calls: 10 })]);
    const e = estimateStep(tiny, r.profile, { precision: 'fp32' });
    if (!e.ok) throw new Error(e.reason);
    const ops = 40 + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
    const batch = e.estimate.batch;
    expect(batch).not.toBeNull();
    expect(e.estimate.host!.timeS.mid).toBeCloseTo((ops * HOST_US_PER_OP.mid + dataHostUs(batch).mid) * 1e-6, 12);
    expect(e.estimate.timeS.mid).toBeGreaterThan(e.estimate.host!.timeS.mid);
    expect(e.estimate.label).toBe('estimated');
    expect(e.estimate.gpu).toMatch(/^CPU: AMD EPYC/);
    expect(e.estimate.basis.join('\n')).toMatch(/2\.10 GHz .* 64 FP32 FLOP\/cycle/);
    expect(e.estimate.basis.join('\n')).toMatch(/µs \(mid [\d.]+\) of CPU time per kernel launch of forward, loss and backward/);
    // a GPU's launches add CUDA's part to the same ops' host time
    const gpu = estimateStep(tiny, gpuProfileFor('H100 SXM')!, { precision: 'fp32' });
    expect(gpu.ok && gpu.estimate.timeS.mid).toBeGreaterThan(e.estimate.host!.timeS.mid);
    // fp16 has no path on this CPU
    expect(estimateStep(tiny, r.profile, { precision: 'fp16' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no fp16 path/),
    });
  });

  it('--gpu cpu and cpu:N name this machine’s CPU', () => {
    const r = stepGpu('cpu:1', () => machine);
    expect(r.ok && r.profile.name).toBe('CPU: AMD EPYC (AMD Zen 5, 1 thread)');
    const all = stepGpu('CPU', () => machine);
    expect(all.ok && all.profile.name).toBe('CPU: AMD EPYC (AMD Zen 5, 2 threads)');
    expect(stepGpu('cpu', () => undefined)).toMatchObject({ ok: false });
    expect(stepGpu('TPU')).toMatchObject({ ok: false, message: expect.stringMatching(/or cpu, cpu:THREADS/) });
  });
});

describe('a CPU pilot against the CPU estimate', () => {
  const net = model([layer({ macs: 1024 * 1024 * 8, params: 1024 * 1024, activationBytes: 8 * 1024 * 4 })]);
  const pilot = { ...summarize([]), device: 'CPU: AMD EPYC', stepTimeS: 0.004, worldSize: 1 };

  it('compares the time of a pilot on this machine’s CPU, and says which threads it assumed', () => {
    const r = checkStepEstimate(pilot, net, () => machine);
    if (!r.ok) throw new Error(r.reason);
    expect(r.check.gpu).toBe('CPU: AMD EPYC (AMD Zen 5, 2 threads)');
    expect(r.check.timeError).toBeCloseTo(r.check.timeS.mid / 0.004 - 1, 12);
    expect(r.check.joulesError).toBeNull();
    expect(r.check.notes.join('\n')).toMatch(/2 threads assumed/);
  });

  it('a pilot’s DataLoader, or a run that ended without one, decides the batch’s host time', () => {
    const ended = { ...pilot, end: { status: 'script-finished' as const, stopReason: null, error: null } };
    const run = (s: typeof pilot) => {
      const r = checkStepEstimate(s, net, () => machine);
      if (!r.ok) throw new Error(r.reason);
      return r.check;
    };
    const unknown = run(pilot);
    const none = run(ended);
    const loader = run({ ...ended, dataLoader: { length: 100, batchSize: 8, iterations: 1 } });
    const batch = net.input.shapes[0]![0] as number;
    // a DataLoader seen: its fetch at every end, the low end included; none seen: no batch term
    for (const end of ['low', 'mid', 'high'] as const)
      expect(loader.timeS[end] - none.timeS[end]).toBeCloseTo(dataHostUs(batch, 'dataloader')[end] * 1e-6, 12);
    expect(dataHostUs(batch, 'dataloader').low).toBeGreaterThan(0);
    // not recorded: the static band (none at low, a DataLoader at mid and high)
    expect(unknown.timeS.low).toBeCloseTo(none.timeS.low, 12);
    expect(unknown.timeS.mid).toBeCloseTo(loader.timeS.mid, 12);
    expect(loader.notes.join('\n')).toMatch(/the batch from the DataLoader the pilot iterated \(batch size 8\)/);
    expect(none.notes.join('\n')).toMatch(/the pilot iterated no DataLoader: no host time for the batch/);
    expect(unknown.notes.join('\n')).toMatch(/how the pilot got its batches is not recorded/);
  });

  it('uses the threads the pilot recorded and says which BLAS its torch ran on', () => {
    const build = { blas: 'generic', lapack: 'generic', mkl: false, mkldnn: true };
    const r = checkStepEstimate({ ...pilot, torchThreads: 1, torchBuild: build }, net, () => machine);
    if (!r.ok) throw new Error(r.reason);
    const assumed = checkStepEstimate(pilot, net, () => machine);
    if (!assumed.ok) throw new Error(assumed.reason);
    // one thread's peak instead of two: the compute-bound estimate is longer
    expect(r.check.gpu).toBe('CPU: AMD EPYC (AMD Zen 5, 1 thread)');
    expect(r.check.timeS.mid).toBeGreaterThan(assumed.check.timeS.mid);
    const notes = r.check.notes.join('\n');
    expect(notes).toMatch(/1 thread: torch.get_num_threads\(\) when the pilot's script ended/);
    expect(notes).toMatch(/torch built with BLAS_INFO=generic, LAPACK_INFO=generic, oneDNN available: the reference BLAS/);
    const mkl = checkStepEstimate({ ...pilot, torchThreads: 2, torchBuild: { ...build, blas: 'mkl', lapack: 'mkl' } }, net, () => machine);
    expect(mkl.ok && mkl.check.notes.join('\n')).toMatch(/BLAS_INFO=mkl, LAPACK_INFO=mkl, oneDNN available$/m);
    expect(assumed.check.notes.join('\n')).toMatch(/torch's BLAS unknown/);
  });

  it('on the reference BLAS the matmuls run at its measured fraction of one thread’s peak, whatever the threads', () => {
    const build = { blas: 'generic', lapack: 'generic', mkl: false, mkldnn: true };
    const check = (threads: number, blas: string) => {
      const r = checkStepEstimate({ ...pilot, torchThreads: threads, torchBuild: { ...build, blas } }, net, () => machine);
      if (!r.ok) throw new Error(r.reason);
      return r.check;
    };
    const generic = check(1, 'generic');
    const mkl = check(1, 'mkl');
    // 3 × 2 × 8 M FLOPs at 2.096 GHz × 64 × the measured fraction (mid); host time and the optimizer's traffic on top
    const compute = (6 * 1024 * 1024 * 8) / (2096.009e6 * 64 * referenceBlas.gemmOfOneThreadPeak.mid);
    expect(generic.timeS.mid).toBeGreaterThan(compute);
    expect(generic.timeS.mid).toBeLessThan(compute * 1.2);
    expect(generic.timeS.mid / mkl.timeS.mid).toBeGreaterThan(5);
    // one thread does the reference BLAS's work: two threads do not halve it (only the optimizer's
    // memory traffic, 1 M parameters × 28 B, gets the second core's bandwidth)
    expect(check(2, 'generic').timeS.mid).toBeGreaterThan(compute);
    expect(generic.notes.join('\n')).toMatch(/the reference BLAS, so the estimate's fp32 matmuls run at its measured efficiency/);
  });

  it('does not compare a pilot of another machine’s CPU', () => {
    const r = checkStepEstimate({ ...pilot, device: 'CPU: Intel Xeon' }, net, () => machine);
    expect(r).toEqual({ ok: false, reason: "the pilot ran on CPU: Intel Xeon, not on this machine's CPU (AMD EPYC)" });
  });
});

describe('per-line shares of the static step estimate', () => {
  // big: compute-bound (3 × 2 × 4096² × 256 FLOPs ≈ 0.6 ms at the H100's fp32 mid), small: bound by its host time
  const big = layer({ path: 'big', line: 3, macs: 4096 * 4096 * 256, params: 4096 * 4096, activationBytes: 256 * 4096 * 4 });
  const small = layer({ path: 'small', line: 4, macs: 4096 * 8, params: 4096, activationBytes: 8 * 4 });
  const report: FileReport = { file: 'net.py', language: 'python', models: [model([big, small])], problems: [] } as unknown as FileReport;
  const h100 = gpuProfileFor('H100 SXM')!;
  const gpu = { name: h100.name, memoryBytes: 80 * 2 ** 30, source: 'test', profile: h100 };

  it('gives each costly line its rows’ share, labelled estimated, the lines summing to less than the step', () => {
    const lines = staticStepLines(report, gpu, 'fp32');
    expect([...lines.keys()].sort()).toEqual([3, 4]);
    expect(lines.get(3)!.hint.text).toMatch(/^est\. ≈[\d.]+ ms · [\d.]+ m?J\/step$/);
    expect(lines.get(3)!.hint.tooltip).toMatch(/on H100 SXM \(fp32, batch 8, estimated\).*% of Net's static step estimate/);
    const e = estimateStep(report.models[0]!, h100, { precision: 'fp32' });
    if (!e.ok) throw new Error(e.reason);
    const shares = e.rows.reduce((s, r) => s + r.timeS.mid, 0);
    // the optimizer step is not shared out
    expect(shares).toBeLessThan(e.estimate.timeS.mid);
    expect(e.rows.find((r) => r.line === 3)!.timeS.mid).toBeGreaterThan(e.rows.find((r) => r.line === 4)!.timeS.mid);
  });

  it('gives nothing for a calibrated model or without a GPU profile', () => {
    expect(staticStepLines(report, gpu, 'fp32', new Set(['Net'])).size).toBe(0);
    expect(staticStepLines(report, null, 'fp32').size).toBe(0);
  });
});
