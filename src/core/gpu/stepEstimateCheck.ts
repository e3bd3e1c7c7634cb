// A pilot on a GPU of the table measures what the static step estimate predicted: the run record
// keeps both and the error, so validation data accumulates with every pilot.
import type { RunSummary, TorchBuild } from '../pilot/summary';
import type { ModelReport, StepEstimate } from '../report/types';
import { cpuStepProfile, type CpuMachine } from './cpuProfile';
import { gpuProfileFor } from './gpuProfiles';
import { localCpuMachine } from './localCpu';
import type { BatchFeed } from './hostModel';
import { estimateStep } from './stepEstimate';

export interface StepEstimateCheck {
  gpu: string;
  precision: 'fp32' | 'tf32' | 'bf16' | 'fp16';
  batch: number | null;
  timeS: { low: number; mid: number; high: number };
  joules: { low: number; mid: number; high: number };
  measuredStepTimeS: number | null;
  /** GPU energy per step (the GPU components only: the estimate does not cover the CPU). */
  measuredGpuJoulesPerStep: number | null;
  /** mid ÷ measured − 1; null when not measured. */
  timeError: number | null;
  joulesError: number | null;
  timeInBand: boolean | null;
  joulesInBand: boolean | null;
  notes: string[];
}

export type StepEstimateCheckResult = { ok: true; check: StepEstimateCheck } | { ok: false; reason: string };

/**
 * The static estimate of `model` (analyzed at the pilot's real input) on the pilot's GPU, against
 * the pilot's step time and GPU energy. The pilot records no autocast state: fp32 is assumed.
 */
export function checkStepEstimate(
  summary: RunSummary,
  model: ModelReport,
  localCpu: () => CpuMachine | undefined = localCpuMachine,
): StepEstimateCheckResult {
  const cpuName = /^CPU: (.+)$/.exec(summary.device)?.[1];
  if (cpuName !== undefined) return checkOnCpu(summary, model, cpuName, localCpu());
  const m = /^GPU: (.+)$/.exec(summary.device);
  if (!m) return { ok: false, reason: `the pilot ran on ${summary.device}: the static step estimate covers GPUs and this machine's CPU` };
  const names = m[1]!.split(', ');
  if (names.length > 1 || summary.worldSize > 1)
    return { ok: false, reason: 'the pilot ran on several GPUs: the static step estimate covers one' };
  const profile = gpuProfileFor(names[0]!);
  if (!profile) return { ok: false, reason: `no GPU profile matches ${names[0]}` };
  const r = estimateStep(model, profile, { precision: 'fp32', batchFeed: batchFeedOf(summary) });
  if (!r.ok) return { ok: false, reason: r.reason };
  const e = r.estimate;
  const gpuComponents = summary.energy.components.filter((c) => c.device.startsWith('gpu:'));
  const gpuJoules = gpuComponents.length ? gpuComponents.reduce((s, c) => s + c.joulesPerStep, 0) : null;
  const time = summary.stepTimeS;
  return {
    ok: true,
    check: checkOf(e, time, gpuJoules, [
      'precision fp32 assumed: the pilot does not record autocast',
      `${e.gpu} profile for the device ${names[0]}`,
      feedNote(summary),
    ]),
  };
}

/**
 * A CPU pilot on this machine (the pilot's CPU is the one this process runs on): the estimate with
 * every usable vCPU as torch's threads (the pilot does not record a script's set_num_threads). The
 * pilot's CPU energy is itself an estimate (or RAPL's package, shared with other processes), so
 * only the time is compared.
 */
function checkOnCpu(summary: RunSummary, model: ModelReport, name: string, local: CpuMachine | undefined): StepEstimateCheckResult {
  if (!local || local.modelName !== name)
    return { ok: false, reason: `the pilot ran on CPU: ${name}, not on this machine's CPU${local ? ` (${local.modelName})` : ''}` };
  if (summary.worldSize > 1) return { ok: false, reason: 'the pilot ran several processes: the static step estimate covers one' };
  const recordedThreads = summary.torchThreads ?? null;
  const device = cpuStepProfile(local, recordedThreads ?? undefined);
  if (!device.ok) return { ok: false, reason: device.reason };
  const build = summary.torchBuild ?? null;
  const r = estimateStep(model, device.profile, {
    precision: 'fp32',
    cpuBlas: build?.blas === 'generic' ? 'reference' : undefined,
    batchFeed: batchFeedOf(summary),
  });
  if (!r.ok) return { ok: false, reason: r.reason };
  const threads = device.profile.cpu.threads;
  return {
    ok: true,
    check: checkOf(r.estimate, summary.stepTimeS, null, [
      'precision fp32 assumed: the pilot does not record autocast',
      recordedThreads !== null
        ? `${threads} thread${threads === 1 ? '' : 's'}: torch.get_num_threads() when the pilot's script ended`
        : `${threads} threads assumed (every usable vCPU, torch's default): this pilot did not record torch's threads`,
      blasNote(build),
      feedNote(summary),
      "energy not compared: the pilot's CPU energy is itself estimated or a package-wide RAPL reading",
    ]),
  };
}

/**
 * How the pilot's loop got its batches: a DataLoader the harness saw it iterate, or none in a run
 * that ended (a generator, tensors in memory); unknown when the run recorded no end.
 */
function batchFeedOf(summary: RunSummary): BatchFeed | undefined {
  if (summary.dataLoader) return 'dataloader';
  return summary.end ? 'none' : undefined;
}

function feedNote(summary: RunSummary): string {
  const feed = batchFeedOf(summary);
  if (feed === 'dataloader')
    return `the batch from the DataLoader the pilot iterated (batch size ${summary.dataLoader?.batchSize ?? 'unknown'}): its host time counted at every end of the band`;
  if (feed === 'none') return 'the pilot iterated no DataLoader: no host time for the batch';
  return "how the pilot got its batches is not recorded: the estimate's DataLoader band";
}

/** Which BLAS the pilot's torch ran its matmuls on: the estimate's matmul band assumes an optimized one. */
function blasNote(build: TorchBuild | null): string {
  if (!build) return "torch's BLAS unknown: this pilot did not record torch.__config__.show()";
  const onednn = build.mkldnn === null ? '' : `, oneDNN ${build.mkldnn ? 'available' : 'not available'}`;
  const built = `torch built with BLAS_INFO=${build.blas ?? 'unknown'}, LAPACK_INFO=${build.lapack ?? 'unknown'}${onednn}`;
  return build.blas === 'generic'
    ? `${built}: the reference BLAS, so the estimate's fp32 matmuls run at its measured efficiency (src/core/gpu/referenceBlas.json), on one thread`
    : built;
}

/** The estimate beside what the pilot measured: errors of the mid figures, and whether each band holds the measurement. */
function checkOf(e: StepEstimate, time: number | null, joules: number | null, notes: string[]): StepEstimateCheck {
  const within = (x: number | null, b: { low: number; high: number }) => (x === null ? null : x >= b.low && x <= b.high);
  return {
    gpu: e.gpu,
    precision: e.precision,
    batch: e.batch,
    timeS: e.timeS,
    joules: e.joules,
    measuredStepTimeS: time,
    measuredGpuJoulesPerStep: joules,
    timeError: time ? e.timeS.mid / time - 1 : null,
    joulesError: joules ? e.joules.mid / joules - 1 : null,
    timeInBand: within(time, e.timeS),
    joulesInBand: within(joules, e.joules),
    notes,
  };
}
