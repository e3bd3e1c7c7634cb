// A static estimate of one training step on a GPU, before any pilot: a roofline per op of the
// per-layer table (compute-bound at the precision's dense peak, or memory-bound at the bandwidth)
// scaled by an achievable efficiency per class of op; backward from forward by a stated ratio; the
// optimizer as memory traffic; the host's time (hostModel.ts: per launch of forward, loss and
// backward, the optimizer per parameter tensor, zero_grad, the batch), which a GPU overlaps
// with its work and a CPU adds to it; energy from time × board power between idle and TDP. Every
// factor is a low / mid / high band (stepModel.json, hostCosts.json), every assumption is named in
// `basis`.
import type { Band, ModelReport, OptimizerKind, Precision, StepEstimate } from '../report/types';
import { firstBlocking } from '../report/format';
import type { CpuDevice } from './cpuProfile';
import type { GpuProfile, StepPrecision } from './gpuProfiles';
import factors from './stepModel.json';
import referenceBlas from './referenceBlas.json';
import { forwardWork, type OpClass } from './stepWork';
import { cpuLayerBasis, cpuLayerSeconds, pageFaultSeconds } from './cpuLayerCosts';
import { KERNEL_TABLE_BASIS, KERNEL_TABLE_NOTES, stepKernels, type OptimizerImpl, type StepKernels } from './kernelModel';
import { ASSUMED_LOSS, HOST_US_PER_OP, NO_FIXED_US, hostBasis, hostParts, hostSeconds, modelLaunchesOf, type BatchFeed } from './hostModel';

/** One row of the layer table's part of the step (forward, backward), for per-line shares. */
export interface StepRowShare {
  path: string;
  line: number | null;
  timeS: Band;
  joules: Band;
}

export type StepEstimateResult = { ok: true; estimate: StepEstimate; rows: StepRowShare[] } | { ok: false; reason: string };

/** A device the estimate can run on: a GPU profile, or a CPU (cpuProfile.ts). */
export type StepDevice = GpuProfile & { cpu?: CpuDevice };

type End = keyof Band;
/** Which part of the step's host time a row's host work is (StepEstimate.host.partsS). */
type HostPart = 'model' | 'optimizer' | 'data';
const zeroBand = (): Band => ({ low: 0, mid: 0, high: 0 });
const ENDS: readonly End[] = ['low', 'mid', 'high'];
/** The efficiency / power end that gives each end of the time band: the shortest step is the most efficient. */
const FLIP: Record<End, End> = { low: 'high', mid: 'mid', high: 'low' };

/** One op record of the step: a row of the layer table, or a part of the step outside it. */
interface StepOp {
  path: string | null;
  line: number | null;
  /** The layer type of the per-layer table ('' outside it): a CPU prices some types by measured time per element. */
  type: string;
  outputElements: number;
  opClass: OpClass;
  flops: number;
  vectorFlops: number;
  bytes: number;
  launches: number;
  modelLaunches: number;
  convLaunches: number;
  fixedUs: Readonly<Band>;
  part: HostPart;
}

/** A part of the step outside the layer table (optimizer, loss, batch): no FLOPs, no line; zero unless given. */
function hostOnlyRecord(part: HostPart, fields: Partial<Pick<StepOp, 'bytes' | 'launches' | 'modelLaunches' | 'fixedUs'>>): StepOp {
  return {
    path: null,
    line: null,
    type: '',
    outputElements: 0,
    opClass: 'memory',
    flops: 0,
    vectorFlops: 0,
    bytes: 0,
    launches: 0,
    modelLaunches: 0,
    convLaunches: 0,
    fixedUs: NO_FIXED_US,
    part,
    ...fields,
  };
}

/** The step precision of the training-memory setting: mixed precision runs its matmuls in half precision. */
export function stepPrecisionOf(p: Precision): StepPrecision {
  return p === 'bf16-mixed' ? 'bf16' : p === 'fp16-mixed' ? 'fp16' : 'fp32';
}

export interface StepEstimateOptions {
  precision: StepPrecision;
  /** Optimizer of the step (default: the model's training-memory row, else AdamW). */
  optimizer?: OptimizerKind;
  /** How the optimizer steps its tensors (default: torch >= 2.0's, foreach on a GPU, for-loop on a CPU). */
  optimizerImpl?: OptimizerImpl;
  /**
   * A CPU's BLAS: 'reference' where torch is known to run its fp32 matmuls on the reference BLAS
   * (a pilot recorded BLAS_INFO=generic): the measured band of referenceBlas.json on one thread.
   * Default: an optimized BLAS (the CPU efficiency band of stepModel.json).
   */
  cpuBlas?: 'reference';
  /** How the loop gets its batch, when a pilot recorded it (default: unknown, hostModel.ts's band). */
  batchFeed?: BatchFeed;
}

export function estimateStep(model: ModelReport, gpu: StepDevice, options: StepEstimateOptions): StepEstimateResult {
  const { precision } = options;
  if (model.macs === null) {
    const u = firstBlocking(model) ?? model.unknowns.at(0);
    return { ok: false, reason: `the model's MACs are unknown${u ? ` (${u.what}: ${u.reason})` : ''}` };
  }
  const matrixPeak = gpu.peakTflops[precision];
  if (matrixPeak === null)
    return {
      ok: false,
      reason: gpu.cpu
        ? `${gpu.name} has no ${precision} path in the table; choose ${availablePrecisions(gpu).join(' or ')}`
        : `the ${gpu.name} has no ${precision} tensor cores (datasheet); choose ${availablePrecisions(gpu).join(' or ')}`,
    };
  const cpu = gpu.cpu;
  const referenceBlas = cpu !== undefined && options.cpuBlas === 'reference' && precision === 'fp32';
  const eff = cpu ? cpuEfficiency(referenceBlas ? cpu.threads : null) : factors.efficiency;
  // PyTorch's defaults: cuDNN may use TF32 for fp32 convolutions, fp32 matmuls stay fp32
  const convTf32 = precision === 'fp32' && gpu.peakTflops.tf32 !== null;
  const peakOf = (c: OpClass): number => (c === 'conv' && convTf32 ? (gpu.peakTflops.tf32 as number) : matrixPeak) * 1e12;
  const vectorPeak = gpu.peakTflops.fp32 * 1e12;
  const bandwidth = gpu.memoryBandwidthGBs * 1e9;
  const half = precision === 'bf16' || precision === 'fp16';
  const work = forwardWork(model.layers, half ? 2 : 4);
  const bw = factors.backward;
  const optimizer = options.optimizer ?? model.trainingMemory?.[0]?.optimizer ?? 'adamw';
  const params = model.trainableParams ?? model.uniqueParams ?? 0;
  const impl = options.optimizerImpl ?? (cpu ? 'forloop' : 'foreach');
  const kernels = stepKernels(model, optimizer, impl);
  const batch = batchOf(model);
  const parts = hostParts(kernels, optimizer, impl, batch, !cpu, options.batchFeed);
  const sumBands = (a: Band, b: Band): Band => ({ low: a.low + b.low, mid: a.mid + b.mid, high: a.high + b.high });
  const ops: StepOp[] = [
    ...work.map((w) => ({
      path: w.path,
      line: w.line,
      type: w.type,
      outputElements: w.outputElements,
      opClass: w.opClass,
      flops: w.matrixFlops * (1 + bw.computeRatio),
      vectorFlops: w.vectorFlops * (1 + bw.computeRatio),
      bytes: w.bytes * (1 + bw.trafficRatio),
      launches: w.kernels + w.backwardKernels,
      modelLaunches: w.kernels + w.backwardKernels,
      convLaunches: w.opClass === 'conv' ? w.kernels + w.backwardKernels : 0,
      fixedUs: NO_FIXED_US,
      part: 'model' as const,
    })),
    // the optimizer step and zero_grad: pure memory traffic; launches from the kernel table, host work as measured
    hostOnlyRecord('optimizer', {
      bytes: params * factors.optimizerTraffic[optimizer],
      launches: kernels.optimizer + kernels.zeroGrad,
      fixedUs: sumBands(parts.optimizer, parts.zeroGrad),
    }),
    // the loss (assumed cross-entropy): its launches; its arithmetic is negligible beside the model's
    hostOnlyRecord('model', {
      launches: ASSUMED_LOSS.forward + ASSUMED_LOSS.backward,
      modelLaunches: ASSUMED_LOSS.forward + ASSUMED_LOSS.backward,
    }),
    // the batch: host work only (a DataLoader in the main process, assumed at mid and high)
    hostOnlyRecord('data', { fixedUs: parts.data }),
  ];

  const idle = gpu.idleW;
  const timeS = {} as Band;
  const joules = {} as Band;
  const hostS = {} as Band;
  const faultsS = {} as Band;
  const activationBytes = work.reduce((s, w) => s + w.outputElements * 4, 0);
  const partsS: Record<HostPart, Band> = { model: zeroBand(), optimizer: zeroBand(), data: zeroBand() };
  const boundBy = { computeS: 0, memoryS: 0, launchS: 0 };
  const rows = new Map<string, StepRowShare>();
  for (const end of ENDS) {
    const f = FLIP[end];
    // op by op: its work on the device, its host time, and (GPU) the longer of the two
    const perOp = ops.map((op) => {
      const compute = op.flops / (peakOf(op.opClass) * eff[op.opClass][f]) + op.vectorFlops / (vectorPeak * eff.gemm[f]);
      // a CPU's kernel for this layer may be slower than the bandwidth allows (measured per element)
      const roofMemory = op.bytes / (bandwidth * eff.memory[f]);
      const memory = cpu ? Math.max(roofMemory, cpuLayerSeconds(op.type, op.outputElements, end, cpu.threads)) : roofMemory;
      const work = Math.max(compute, memory);
      const host = hostSeconds(op, end, !cpu);
      // a CPU runs an op's host work and its arithmetic one after the other (every thread busy
      // during the arithmetic, one during the host work); a GPU computes while the host launches
      const busy = compute >= memory ? factors.busyPower.compute[end] : factors.busyPower.memory[end];
      return {
        op,
        compute,
        memory,
        work,
        host,
        time: cpu ? work + host : Math.max(work, host),
        workJoules: cpu ? work * gpu.tdpW : work * (idle + (gpu.tdpW - idle) * busy),
        hostJoules: cpu ? host * (idle + cpu.busyWPerThread) : 0,
      };
    });
    // a CPU's first-touch page faults of the step's fresh activations: on one thread, every thread waiting
    const faults = cpu ? pageFaultSeconds(activationBytes, end) : 0;
    const sum = (g: (x: (typeof perOp)[number]) => number) => perOp.reduce((s, x) => s + g(x), 0);
    const opByOp = sum((x) => x.time) + faults;
    const host = sum((x) => x.host);
    for (const x of perOp) partsS[x.op.part][end] += x.host;
    const work = sum((x) => x.work);
    // a GPU overlaps the host's launches with its work across ops (the launch queue): the step
    // is the longer of the two; the high end takes no overlap across ops
    const t = cpu || end === 'high' ? opByOp : Math.max(host, work);
    const faultJoules = cpu ? faults * (idle + cpu.busyWPerThread) : 0;
    const e = cpu ? sum((x) => x.workJoules + x.hostJoules) + faultJoules : sum((x) => x.workJoules) + (t - work) * idle;
    const opByOpJoules = cpu ? e : sum((x) => x.workJoules) + (opByOp - work) * idle;
    timeS[end] = t;
    joules[end] = e;
    hostS[end] = host;
    faultsS[end] = faults;
    // rows and bound-by shares: op by op, scaled to the step
    const timeScale = opByOp > 0 ? t / opByOp : 0;
    const joulesScale = opByOpJoules > 0 ? e / opByOpJoules : 0;
    for (const x of perOp) {
      const opJoules = cpu ? x.workJoules + x.hostJoules : x.workJoules + (x.time - x.work) * idle;
      if (x.op.path !== null) {
        const key = `${x.op.path}\u0000${x.op.line}`;
        const row = rows.get(key) ?? {
          path: x.op.path,
          line: x.op.line,
          timeS: { low: 0, mid: 0, high: 0 },
          joules: { low: 0, mid: 0, high: 0 },
        };
        row.timeS[end] += x.time * timeScale;
        row.joules[end] += opJoules * joulesScale;
        rows.set(key, row);
      }
      if (end === 'mid') {
        const share = x.time * timeScale;
        // (the page faults, below, are memory-bound time of no row)
        if (x.host > x.work) boundBy.launchS += share;
        else if (x.compute >= x.memory) boundBy.computeS += share;
        else boundBy.memoryS += share;
      }
    }
    if (end === 'mid') boundBy.memoryS += faults * timeScale;
  }
  return {
    ok: true,
    estimate: {
      gpu: gpu.name,
      precision,
      batch,
      timeS,
      joules,
      boundBy,
      kernels: {
        forward: kernels.forward,
        backward: kernels.backward,
        optimizer: kernels.optimizer + kernels.zeroGrad,
        hostOps: kernels.hostOps,
        total: kernels.total,
        paramTensors: kernels.paramTensors,
      },
      host: { timeS: hostS, ops: modelLaunchesOf(kernels), usPerOp: { ...HOST_US_PER_OP }, partsS },
      ...(cpu ? { cpuPageFaultsS: faultsS } : {}),
      basis: [
        ...(cpu ? cpuBasis(cpu, precision, optimizer, half, referenceBlas) : basis(gpu, precision, convTf32, optimizer, half)),
        ...kernelBasis(kernels, optimizer, impl),
        ...hostBasis(!cpu, optimizer, impl, batch, options.batchFeed),
      ],
      label: 'estimated',
    },
    rows: [...rows.values()],
  };
}

/** The precisions the GPU has a path for. */
export function availablePrecisions(gpu: GpuProfile): StepPrecision[] {
  return (Object.keys(gpu.peakTflops) as StepPrecision[]).filter((p) => gpu.peakTflops[p] !== null);
}

/** The first dimension of the first input, numeric or bound to a number. */
export function batchOf(model: ModelReport): number | null {
  const first = model.input.shapes[0]?.[0];
  if (typeof first === 'number') return first;
  if (typeof first === 'string') return model.input.bindings?.[first] ?? null;
  return null;
}

function basis(gpu: GpuProfile, precision: StepPrecision, convTf32: boolean, optimizer: OptimizerKind, half: boolean): string[] {
  const e = factors.efficiency;
  const peak = gpu.peakTflops[precision] as number;
  return [
    `${gpu.name}: ${peak} TFLOP/s dense ${precision}${precision === 'fp32' ? ' (CUDA cores)' : ' (tensor cores)'}, ${gpu.peakTflops.fp32} TFLOP/s fp32 for elementwise work, ${gpu.memoryBandwidthGBs} GB/s, TDP ${gpu.tdpW} W (${gpu.source})`,
    `idle ${round(gpu.idleW)} W: ${gpu.idleBasis}`,
    ...(convTf32
      ? [
          `fp32 convolutions on TF32 tensor cores at ${gpu.peakTflops.tf32} TFLOP/s (PyTorch's default torch.backends.cudnn.allow_tf32 = True); fp32 matmuls stay fp32`,
        ]
      : []),
    'roofline per row of the layer table: the longer of its FLOPs at the peak × efficiency and its bytes at the bandwidth × efficiency',
    `efficiency, matmul/linear/attention ${e.gemm.low}–${e.gemm.high} of peak: ${e.gemm.basis}`,
    `efficiency, convolution ${e.conv.low}–${e.conv.high}: ${e.conv.basis}`,
    `efficiency, memory-bound ops ${e.memory.low}–${e.memory.high} of the bandwidth: ${e.memory.basis}`,
    factors.backward.basis,
    `${factors.weightTraffic.basis}; activations at ${half ? 2 : 4} bytes per element${half ? ' (autocast keeps some in fp32: the traffic may be higher)' : ''}`,
    `optimizer ${optimizer}: ${factors.optimizerTraffic[optimizer]} bytes per parameter; ${factors.optimizerTraffic.basis}`,
    `power: ${factors.busyPower.basis}`,
    'not counted: communication between GPUs',
  ];
}

/**
 * The CPU efficiency band: convolutions at oneDNN's measured fraction of the peak (one thread's,
 * assumed to hold per thread), and, given the threads of a reference-BLAS build, matmuls at the
 * reference BLAS's measured fraction of one thread's peak.
 */
function cpuEfficiency(referenceBlasThreads: number | null): Record<OpClass, Band> {
  const c = referenceBlas.convOfOneThreadPeak;
  const conv = { low: c.low, mid: c.mid, high: c.high };
  if (referenceBlasThreads === null) return { ...factors.cpu.efficiency, conv };
  const r = referenceBlas.gemmOfOneThreadPeak;
  const n = referenceBlasThreads;
  return { ...factors.cpu.efficiency, conv, gemm: { low: r.low / n, mid: r.mid / n, high: r.high / n } };
}

function cpuBasis(cpu: CpuDevice, precision: StepPrecision, optimizer: OptimizerKind, half: boolean, refBlas: boolean): string[] {
  const e = factors.cpu.efficiency;
  const r = referenceBlas.gemmOfOneThreadPeak;
  const c = referenceBlas.convOfOneThreadPeak;
  return [
    ...cpu.basis,
    `precision ${precision}`,
    'roofline per row of the layer table: the longer of its FLOPs at the peak × efficiency and its bytes at the bandwidth × efficiency, plus its ops’ host time',
    refBlas
      ? `matmul/linear/attention on the reference BLAS (torch built with BLAS_INFO=generic): ${r.low}–${r.high} of one thread's fp32 peak, on one thread whatever torch's thread count (measured: ${referenceBlas.madeWith}; src/core/gpu/referenceBlas.json)`
      : `efficiency, matmul/linear/attention ${e.gemm.low}–${e.gemm.high} of peak: ${e.gemm.basis}`,
    `convolutions (oneDNN) at ${c.low}–${c.high} of the peak: measured on one thread (${referenceBlas.madeWith}; src/core/gpu/referenceBlas.json), assumed to hold per thread`,
    `efficiency, memory-bound ops ${e.memory.low}–${e.memory.high} of the bandwidth: ${e.memory.basis}`,
    ...cpuLayerBasis(),
    factors.backward.basis,
    `${factors.weightTraffic.basis}; activations at ${half ? 2 : 4} bytes per element`,
    `optimizer ${optimizer}: ${factors.optimizerTraffic[optimizer]} bytes per parameter; ${factors.optimizerTraffic.basis}`,
    `power: ${factors.cpu.power.basis}`,
    'not counted: other processes on the machine',
  ];
}

function kernelBasis(k: StepKernels, optimizer: OptimizerKind, impl: OptimizerImpl): string[] {
  return [
    `${k.total} kernel launches per step: ${k.forward} forward, ${k.backward} backward, ${k.optimizer + k.zeroGrad} optimizer (${optimizer}, ${impl === 'foreach' ? "foreach, torch >= 2.0's default on a GPU" : "for-loop, torch's default on a CPU"}, ${k.paramTensors} parameter tensors; zero_grad(set_to_none=True) launches none)${k.hostOps ? `, and ${k.hostOps} host ops on the optimizer's step counters` : ''}`,
    KERNEL_TABLE_BASIS,
    ...(k.assumedTypes.length
      ? [`not in the kernel table, assumed 1 kernel forward and 1 backward (2 with MACs) per call: ${k.assumedTypes.join(', ')}`]
      : []),
    ...KERNEL_TABLE_NOTES.map((n) => `kernel counts: ${n}`),
  ];
}

function round(x: number): string {
  return x >= 10 ? x.toFixed(0) : x.toPrecision(2);
}
