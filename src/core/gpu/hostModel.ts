// Host time of an eager PyTorch training step: every op the kernel table counts (kernel launches
// in forward, backward, the loss and the optimizer, and the host ops on the optimizer's step
// counters) carries the host work around it — Python module calls, the dispatcher, autograd's
// bookkeeping, views, the backward engine, the optimizer's loop. The cost per op is measured on
// whole steps of tiny calibration models (hostCosts.json, scripts/truth/host_overhead.py); a CPU's
// convolution launches cost more (its oneDNN or reference kernels' fixed cost per call); on a GPU
// each kernel launch adds the CUDA launch (stepModel.json, an assumption).
import type { Band } from '../report/types';
import table from './hostCosts.json';
import factors from './stepModel.json';
import { LOSS_KERNELS, type StepKernels } from './kernelModel';

type End = keyof Band;

/** Host µs per counted op, measured on a CPU (the band of hostCosts.json). */
export const HOST_US_PER_OP: Readonly<Band> = table.usPerOp;
/** Host µs per convolution launch on a CPU (measured; a GPU's convolutions count as any op). */
export const CPU_CONV_US: Readonly<Band> = table.cpuConvLaunchUs;

/** The loss the estimate assumes (the report does not know the script's): cross-entropy, measured. */
export const ASSUMED_LOSS = LOSS_KERNELS.cross_entropy;

export interface HostOps {
  /** Kernel launches: the model's (forward, backward, optimizer) and the loss's. */
  launches: number;
  /** Ops that launch nothing (the optimizer's step counters). */
  hostOnly: number;
}

/** The step's ops as the host sees them: the model's kernels, the assumed loss's, the host ops. */
export function hostOpsOf(k: StepKernels): HostOps {
  return { launches: k.total + ASSUMED_LOSS.forward + ASSUMED_LOSS.backward, hostOnly: k.hostOps };
}

/** The ops of one row of the step: kernel launches (convolutions among them) and host-only ops. */
export interface OpCounts {
  launches: number;
  /** Of `launches`, those of convolutions (their bias adds and gradients included). */
  convLaunches: number;
  hostOnly: number;
}

/** Host seconds of a row's ops at one end of the band, on a GPU (launches add CUDA's part) or a CPU. */
export function hostSeconds(ops: OpCounts, end: End, gpu: boolean): number {
  const perOp = HOST_US_PER_OP[end];
  if (gpu) return ((ops.launches + ops.hostOnly) * perOp * factors.gpuHostScale[end] + ops.launches * factors.cudaLaunchUs[end]) * 1e-6;
  const conv = Math.min(ops.convLaunches, ops.launches);
  return ((ops.launches - conv + ops.hostOnly) * perOp + conv * CPU_CONV_US[end]) * 1e-6;
}

/** One sentence each on where the host figures come from, for an estimate's basis. */
export function hostBasis(gpu: boolean): string[] {
  const u = HOST_US_PER_OP;
  const c = factors.cudaLaunchUs;
  const g = factors.gpuHostScale;
  const v = CPU_CONV_US;
  return [
    `host time ${u.low}–${u.high} µs (mid ${u.mid}) of CPU time per counted op (each kernel launch and host op, with the Python module calls, dispatcher, autograd bookkeeping, views and optimizer loop around it), measured on whole training steps of ${table.calibration.length} tiny calibration models, none of them a validated case (${table.madeWith}; src/core/gpu/hostCosts.json): ${table.band}`,
    `the loss assumed cross-entropy (${ASSUMED_LOSS.forward} kernels forward, ${ASSUMED_LOSS.backward} backward): the report does not know the script's`,
    ...(gpu
      ? [
          `each kernel launch adds ${c.low}–${c.high} µs on the host: ${c.basis}`,
          `the framework work per op × ${g.low}–${g.high}: ${g.basis}`,
          'host and GPU overlap (launches are asynchronous): low and mid step = the longer of the host time and the GPU time; high = op by op, the longer of its launches and its GPU work (no overlap across ops)',
        ]
      : [
          `a convolution launch ${v.low}–${v.high} µs (mid ${v.mid}) on a CPU (measured the same way: oneDNN's or the reference kernels' fixed cost per call)`,
          'a CPU runs the host work and the arithmetic one after the other: step = host time + the roofline time of the ops',
          'an unloaded machine: other processes sharing the cores lengthen the wall time of a step, not its CPU time',
        ]),
  ];
}
