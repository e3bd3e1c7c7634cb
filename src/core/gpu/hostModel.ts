// Host time of an eager PyTorch training step, from terms measured on real torch
// (hostCosts.json, scripts/truth/host_overhead.py, none on a validated model):
// - every kernel launch of forward, loss and backward carries the host work around it (Python
//   module calls, the dispatcher, autograd's bookkeeping, views, the backward engine): µs per op;
//   a CPU's convolution launches cost more (its oneDNN or reference kernels' fixed cost per call);
// - the optimizer step: µs per step and per parameter tensor, by optimizer and implementation;
// - zero_grad(set_to_none=True): µs per step and per parameter tensor;
// - the batch: a DataLoader in the main process, µs per batch and per sample (assumed at mid and
//   high; the low end assumes the batch costs the training loop nothing);
// on a GPU each kernel launch adds the CUDA launch (stepModel.json, an assumption) and the
// framework work scales by gpuHostScale (an assumption: measured on a CPU machine).
import type { Band, OptimizerKind } from '../report/types';
import table from './hostCosts.json';
import factors from './stepModel.json';
import { LOSS_KERNELS, type OptimizerImpl, type StepKernels } from './kernelModel';

type End = keyof Band;
const ENDS: readonly End[] = ['low', 'mid', 'high'];

/** Host µs per kernel launch of forward, loss and backward, measured on a CPU (the band of hostCosts.json). */
export const HOST_US_PER_OP: Readonly<Band> = table.usPerOp;
/** Host µs per convolution launch on a CPU (measured; a GPU's convolutions count as any op). */
export const CPU_CONV_US: Readonly<Band> = table.cpuConvLaunchUs;

/** The loss the estimate assumes (the report does not know the script's): cross-entropy, measured. */
export const ASSUMED_LOSS = LOSS_KERNELS.cross_entropy;

interface OptimizerTerm {
  perStepUs: Band;
  perTensorUs: Band;
  perTensorUsBesideForeachOps?: Band;
}

const OPTIMIZER_US = table.optimizerUs as Record<string, OptimizerTerm>;

/** The host ops of a row of the step: launches at the per-op cost (convolutions among them), and fixed host µs. */
export interface OpCounts {
  /** Kernel launches; on a GPU each adds CUDA's launch cost. */
  launches: number;
  /** Of `launches`, those of forward, loss and backward, each carrying the per-op host work. */
  modelLaunches: number;
  /** Of `modelLaunches`, those of convolutions (their bias adds and gradients included). */
  convLaunches: number;
  /** Host work measured as a whole (optimizer, zero_grad, data loading), µs at each end. */
  fixedUs: Band;
}

export const NO_FIXED_US: Readonly<Band> = { low: 0, mid: 0, high: 0 };

/** Host seconds of a row's ops at one end of the band, on a GPU (launches add CUDA's part) or a CPU. */
export function hostSeconds(ops: OpCounts, end: End, gpu: boolean): number {
  const perOp = HOST_US_PER_OP[end];
  if (gpu) {
    const framework = ops.modelLaunches * perOp + ops.fixedUs[end];
    return (framework * factors.gpuHostScale[end] + ops.launches * factors.cudaLaunchUs[end]) * 1e-6;
  }
  const conv = Math.min(ops.convLaunches, ops.modelLaunches);
  return ((ops.modelLaunches - conv) * perOp + conv * CPU_CONV_US[end] + ops.fixedUs[end]) * 1e-6;
}

/**
 * The optimizer step's host µs over `tensors` parameter tensors. On a GPU a foreach op launches
 * once per group of tensors: its host keeps the per-tensor work beside the foreach ops (a CPU runs
 * them tensor by tensor).
 */
export function optimizerHostUs(kind: OptimizerKind, impl: OptimizerImpl, tensors: number, gpu: boolean): Band {
  if (tensors === 0) return { ...NO_FIXED_US };
  const t = OPTIMIZER_US[`${kind}.${impl}`]!;
  const perTensor = gpu && impl === 'foreach' && t.perTensorUsBesideForeachOps ? t.perTensorUsBesideForeachOps : t.perTensorUs;
  return bandOf((end) => t.perStepUs[end] + perTensor[end] * tensors);
}

/** zero_grad(set_to_none=True)'s host µs over `tensors` parameter tensors. */
export function zeroGradHostUs(tensors: number): Band {
  const z = table.zeroGradUs;
  return bandOf((end) => (tensors > 0 ? z.perStep[end] + z.perTensor[end] * tensors : 0));
}

/**
 * How the training loop gets its batch, when known (a pilot records the DataLoader it iterated):
 * 'dataloader' (its fetch on the host at every end), 'none' (no DataLoader: no batch term).
 * Unknown (the static estimate): none at low, a DataLoader at mid and high.
 */
export type BatchFeed = 'dataloader' | 'none';

/**
 * The batch's host µs: a DataLoader in the main process (num_workers=0) fetching `batch` samples,
 * at mid and high; none at low (a batch already in memory, or prepared by loader workers) unless
 * the feed is known.
 */
export function dataHostUs(batch: number | null, feed?: BatchFeed): Band {
  const d = table.dataLoaderUs;
  if (batch === null || feed === 'none') return { ...NO_FIXED_US };
  return bandOf((end) => (end === 'low' && feed !== 'dataloader' ? 0 : d.perBatch[end] + d.perSample[end] * batch));
}

/** The host parts of a step, in µs, before a GPU's scale: what `host.partsS` reports. */
export interface HostParts {
  optimizer: Band;
  zeroGrad: Band;
  data: Band;
}

export function hostParts(
  k: StepKernels,
  optimizer: OptimizerKind,
  impl: OptimizerImpl,
  batch: number | null,
  gpu: boolean,
  feed?: BatchFeed,
): HostParts {
  return {
    optimizer: optimizerHostUs(optimizer, impl, k.paramTensors, gpu),
    zeroGrad: zeroGradHostUs(k.paramTensors),
    data: dataHostUs(batch, feed),
  };
}

/** Launches of forward, backward and the assumed loss: the ops at the per-op host cost. */
export function modelLaunchesOf(k: StepKernels): number {
  return k.forward + k.backward + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward;
}

function bandOf(f: (end: End) => number): Band {
  const b = {} as Band;
  for (const end of ENDS) b[end] = f(end);
  return b;
}

const fmt = (x: number) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));

/** One sentence each on where the host figures come from, for an estimate's basis. */
export function hostBasis(gpu: boolean, optimizer: OptimizerKind, impl: OptimizerImpl, batch: number | null, feed?: BatchFeed): string[] {
  const u = HOST_US_PER_OP;
  const c = factors.cudaLaunchUs;
  const g = factors.gpuHostScale;
  const v = CPU_CONV_US;
  const o = OPTIMIZER_US[`${optimizer}.${impl}`]!;
  const perTensor = gpu && impl === 'foreach' && o.perTensorUsBesideForeachOps ? o.perTensorUsBesideForeachOps : o.perTensorUs;
  const z = table.zeroGradUs;
  const d = table.dataLoaderUs;
  return [
    `host time ${u.low}–${u.high} µs (mid ${u.mid}) of CPU time per kernel launch of forward, loss and backward (with the Python module calls, dispatcher, autograd bookkeeping, views and backward engine around it), measured on the forward and backward of ${table.calibration.length} tiny calibration models, none of them a validated case (${table.madeWith}; src/core/gpu/hostCosts.json): ${table.band}`,
    `optimizer ${optimizer} (${impl}) on the host: ${fmt(o.perStepUs.low)}–${fmt(o.perStepUs.high)} µs per step + ${fmt(perTensor.low)}–${fmt(perTensor.high)} µs per parameter tensor${gpu && impl === 'foreach' ? ' beside its foreach ops (a GPU launches each foreach op once per group of tensors; a CPU runs them per tensor)' : ''}, step counters included (measured on tiny tensors, same table)`,
    `zero_grad(set_to_none=True) ${fmt(z.perStep.mid)} µs per step + ${z.perTensor.mid} µs per parameter tensor (measured)`,
    batch === null
      ? 'the batch: not counted (the input has no known batch size)'
      : feed === 'none'
        ? 'the batch: not counted (the pilot iterated no DataLoader)'
        : feed === 'dataloader'
          ? `the batch: the pilot's DataLoader, in the main process as assumed (num_workers not recorded), fetching ${batch} samples at ${fmt(d.perBatch.low)}–${fmt(d.perBatch.high)} µs per batch + ${d.perSample.low}–${d.perSample.high} µs per sample (measured on two calibration datasets)`
          : `the batch: none at the low end (a batch already in memory or prepared by DataLoader workers); at mid and high a DataLoader in the main process (num_workers=0, torch's default) fetching ${batch} samples at ${fmt(d.perBatch.mid)}–${fmt(d.perBatch.high)} µs per batch + ${d.perSample.mid}–${d.perSample.high} µs per sample (measured on two calibration datasets; a dataset that decodes or augments costs more)`,
    `the loss assumed cross-entropy (${ASSUMED_LOSS.forward} kernels forward, ${ASSUMED_LOSS.backward} backward): the report does not know the script's`,
    ...(gpu
      ? [
          `each kernel launch adds ${c.low}–${c.high} µs on the host: ${c.basis}`,
          `the framework work (per op, optimizer, zero_grad, batch) × ${g.low}–${g.high}: ${g.basis}`,
          'not counted: copying the batch to the GPU (a pageable copy also waits for the GPU to finish the previous step, which the overlap below allows for)',
          'host and GPU overlap (launches are asynchronous): low and mid step = the longer of the host time and the GPU time; high = op by op, the longer of its launches and its GPU work (no overlap across ops)',
        ]
      : [
          `a convolution launch ${v.low}–${v.high} µs (mid ${v.mid}) on a CPU (measured the same way: oneDNN's or the reference kernels' fixed cost per call)`,
          'a CPU runs the host work and the arithmetic one after the other: step = host time + the roofline time of the ops',
          'an unloaded machine: other processes sharing the cores lengthen the wall time of a step, not its CPU time',
        ]),
  ];
}
