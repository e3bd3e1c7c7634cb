// Folds a run's harness events (all ranks) into the figures a pilot reports.
import type { EnergySourceKind } from '../energy/energySource';
import { dominantSource } from '../energy/energySource';
import { mean, median, medianOfBlockMeans, quantile } from '../energy/stats';
import type { EndEvent, EnergyEvent, EnergySourceInfo, HarnessEvent, ModelEvent, StartEvent, StepEvent } from './events';
import { auditPhases, type PhaseAudit } from './phaseAudit';

export interface EnergyComponent {
  device: string;
  source: EnergySourceKind;
  scope: 'node' | 'process';
  rank: number;
  joulesPerStep: number;
  wattsMean: number | null;
}

export interface EnergySummary {
  /** The source that holds most of the joules; every component keeps its own label. */
  source: EnergySourceKind | null;
  /**
   * Energy of one steady-state step (after warm-up), all counted devices, in J: each device's mean
   * power over the measured windows × the typical step time (stepTimeS), so that energy and time
   * forecasts rest on the same steps.
   */
  joulesPerStep: number | null;
  /** Mean power over the measured (post-warm-up) windows, in W. */
  wattsMean: number | null;
  components: EnergyComponent[];
  /** How each device was metered, with the assumptions of estimates. */
  sources: (EnergySourceInfo & { rank: number })[];
  /** Why joulesPerStep is null, when it is. */
  reason?: string;
}

export interface DataLoaderSummary {
  /** len(DataLoader) of the loader the optimizer steps came from: steps per epoch. */
  length: number | null;
  batchSize: number | null;
  /** How many times the script started iterating it (epochs begun in the pilot). */
  iterations: number;
}

/** The model the pilot trained, as the harness saw it (its `model` event, rank 0). */
export type PilotModel = Omit<ModelEvent, 'type' | 'rank' | 't' | 'className'> & { className: string };

export type TorchBuild = NonNullable<StartEvent['torchBuild']>;

export interface RunSummary {
  /** Optimizer steps taken (rank 0). */
  steps: number;
  warmupSteps: number;
  /** Steps after warm-up whose time was measured. */
  measuredSteps: number;
  /** One loss per step (rank 0): the scalar backward was called on; null when unknown. */
  losses: (number | null)[];
  learningRates: (number | null)[];
  /**
   * Seconds per step after warm-up that the forecast multiplies by the full run's steps: the
   * median of `stepTimeBlocks` block means (robust to a burst of load from other processes during
   * a short pilot; work recurring within a block stays in), or the plain mean of a pilot too short
   * for 3 blocks of 20 steps.
   */
  stepTimeS: number | null;
  /** Plain mean seconds per step after warm-up. */
  stepTimeMeanS: number | null;
  /** Blocks behind stepTimeS (1: the plain mean). */
  stepTimeBlocks: number;
  stepTimeMedianS: number | null;
  stepTimeP90S: number | null;
  /** Seconds from harness start to the end of step 1: imports, data and model setup. */
  setupS: number | null;
  /** Seconds from the end of step 1 to the end of the last step. */
  loopS: number | null;
  energy: EnergySummary;
  phases: PhaseAudit | null;
  dataLoader: DataLoaderSummary | null;
  worldSize: number;
  ranksReporting: number;
  /** e.g. "CPU: AMD EPYC" or "GPU: NVIDIA H100 80GB HBM3". */
  device: string;
  torch: string | null;
  /** The BLAS and LAPACK torch was built with; null when not recorded. Optional for summaries built by hand. */
  torchBuild?: TorchBuild | null;
  /** torch's intra-op threads when the script ended; null when not recorded. */
  torchThreads?: number | null;
  python: string | null;
  notes: string[];
  end: Pick<EndEvent, 'status' | 'stopReason' | 'error'> | null;
  /**
   * The model it trained (class, source, real input shapes); null when the harness did not see it
   * (a record from before run-record schema 2, fewer than 2 steps, or no module held the
   * optimizer's parameters: then a note says why). Optional for summaries built by hand.
   */
  model?: PilotModel | null;
}

export function summarize(events: readonly HarnessEvent[]): RunSummary {
  const byRank = new Map<number, HarnessEvent[]>();
  for (const e of events) {
    const list = byRank.get(e.rank) ?? [];
    list.push(e);
    byRank.set(e.rank, list);
  }
  const ranks = [...byRank.keys()].sort((a, b) => a - b);
  const lead = byRank.get(ranks[0] ?? 0) ?? [];
  const start = lead.find((e): e is StartEvent => e.type === 'start') ?? null;
  const warmup = start?.warmupSteps ?? 0;
  const steps = dedupeSteps(lead.filter((e): e is StepEvent => e.type === 'step'));
  const end = lead.find((e): e is EndEvent => e.type === 'end') ?? null;
  const modelEvent = lead.find((e): e is ModelEvent => e.type === 'model') ?? null;

  const measured = steps.filter((s) => !s.warmup && s.dt !== null).map((s) => s.dt!);
  const typical = typicalStepTime(measured);
  const first = steps[0];
  const last = steps[steps.length - 1];

  const notes = new Set<string>();
  for (const e of events) if (e.type === 'start') e.notes.forEach((n) => notes.add(n));
  if (steps.length === 0) notes.add('no optimizer steps were seen (torch.optim.Optimizer.step was never called)');
  if (modelEvent && modelEvent.className === null && modelEvent.note) notes.add(`the trained model was not identified: ${modelEvent.note}`);
  const failedEnd = [...byRank.values()].flat().find((e): e is EndEvent => e.type === 'end' && e.status === 'failed');

  return {
    steps: steps.length,
    warmupSteps: Math.min(warmup, steps.length),
    measuredSteps: measured.length,
    losses: steps.map((s) => s.loss),
    learningRates: steps.map((s) => s.lr),
    stepTimeS: typical.seconds,
    stepTimeMeanS: mean(measured),
    stepTimeBlocks: typical.blocks,
    stepTimeMedianS: median(measured),
    stepTimeP90S: quantile(measured, 0.9),
    setupS: start && first ? first.tEnd - start.perf0 : null,
    loopS: first && last && last !== first ? last.tEnd - first.tEnd : null,
    energy: summarizeEnergy(byRank, warmup, typical.seconds),
    phases: auditPhases(steps),
    dataLoader: trainingLoader(end),
    worldSize: start?.worldSize ?? 1,
    ranksReporting: ranks.length,
    device: describeDevice(events),
    torch: start?.torch ?? null,
    torchBuild: start?.torchBuild ?? null,
    torchThreads: end?.torchThreads ?? null,
    python: start?.python ?? null,
    notes: [...notes],
    model: pilotModel(modelEvent),
    end:
      (failedEnd ?? end)
        ? { status: (failedEnd ?? end)!.status, stopReason: (failedEnd ?? end)!.stopReason, error: (failedEnd ?? end)!.error }
        : null,
  };
}

function pilotModel(e: ModelEvent | null): PilotModel | null {
  if (!e || e.className === null) return null;
  const { type: _type, rank: _rank, t: _t, className, ...rest } = e;
  return { ...rest, className };
}

/** At least this many steps per block, and at most this many blocks, for the typical step time. */
const MIN_BLOCK_STEPS = 20;
const MAX_BLOCKS = 9;

/** The typical step time: median of block means when there are 3 blocks of 20 steps or more. */
export function typicalStepTime(dts: readonly number[]): { seconds: number | null; blocks: number } {
  const blocks = Math.min(MAX_BLOCKS, Math.floor(dts.length / MIN_BLOCK_STEPS));
  if (blocks < 3) return { seconds: mean(dts), blocks: 1 };
  return { seconds: medianOfBlockMeans(dts, blocks), blocks };
}

/** A step event read twice (tailing) counts once. */
function dedupeSteps(steps: StepEvent[]): StepEvent[] {
  const seen = new Map<number, StepEvent>();
  for (const s of steps) seen.set(s.step, s);
  return [...seen.values()].sort((a, b) => a.step - b.step);
}

function summarizeEnergy(byRank: Map<number, HarnessEvent[]>, warmup: number, stepTimeS: number | null): EnergySummary {
  const components: EnergyComponent[] = [];
  const sources: EnergySummary['sources'] = [];
  let reason: string | undefined;
  for (const [rank, events] of byRank) {
    const start = events.find((e): e is StartEvent => e.type === 'start');
    start?.energySources.forEach((s) => sources.push({ ...s, rank }));
    const windows = events.filter((e): e is EnergyEvent => e.type === 'energy' && e.fromStep > warmup && e.toStep >= e.fromStep);
    const steps = windows.reduce((n, w) => n + (w.toStep - w.fromStep + 1), 0);
    const seconds = windows.reduce((n, w) => n + w.seconds, 0);
    if (steps === 0) {
      reason = `no energy window after the ${warmup} warm-up steps: the pilot is too short`;
      continue;
    }
    const byDevice = new Map<
      string,
      { device: string; source: EnergySourceKind; scope: 'node' | 'process'; joules: number; unknown: boolean }
    >();
    for (const w of windows) {
      for (const r of w.readings) {
        const key = `${r.device}|${r.source}`;
        const acc = byDevice.get(key) ?? { device: r.device, source: r.source, scope: r.scope, joules: 0, unknown: false };
        if (r.joules === null) acc.unknown = true;
        else acc.joules += r.joules;
        byDevice.set(key, acc);
      }
    }
    for (const acc of byDevice.values()) {
      if (acc.unknown) {
        reason = `${acc.device}: some energy readings failed, its energy is unknown`;
        continue;
      }
      const wattsMean = seconds > 0 ? acc.joules / seconds : null;
      // power × typical step time; the plain ratio when either is unknown
      const joulesPerStep = wattsMean !== null && stepTimeS !== null ? wattsMean * stepTimeS : acc.joules / steps;
      components.push({ device: acc.device, source: acc.source, scope: acc.scope, rank, joulesPerStep, wattsMean });
    }
  }
  if (components.length === 0) {
    return {
      source: null,
      joulesPerStep: null,
      wattsMean: null,
      components,
      sources,
      reason: reason ?? 'no energy source was readable and none could be estimated',
    };
  }
  const joulesPerStep = components.reduce((s, c) => s + c.joulesPerStep, 0);
  // components run at the same time (devices, ranks): their mean powers add up
  const watts = components.every((c) => c.wattsMean !== null) ? components.reduce((s, c) => s + c.wattsMean!, 0) : null;
  return {
    source: dominantSource(components.map((c) => ({ source: c.source, joules: c.joulesPerStep }))),
    joulesPerStep,
    wattsMean: watts,
    components,
    sources,
  };
}

function trainingLoader(end: EndEvent | null): DataLoaderSummary | null {
  const loaders = end?.loaders ?? [];
  const best = [...loaders].sort((a, b) => b.steps - a.steps)[0];
  if (!best || best.steps === 0) return null;
  return { length: best.length, batchSize: best.batchSize, iterations: best.iterations };
}

function describeDevice(events: readonly HarnessEvent[]): string {
  const gpus = new Set<string>();
  let cpu: string | null = null;
  for (const e of events) {
    if (e.type !== 'start') continue;
    cpu = cpu ?? e.cpuModel;
    for (const s of e.energySources) if (s.device.startsWith('gpu:')) gpus.add(s.detail.split(':')[0]!);
  }
  if (gpus.size > 0) return `GPU: ${[...gpus].join(', ')}`;
  return `CPU: ${cpu ?? 'unknown model'}`;
}
