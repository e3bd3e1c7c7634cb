// The harness's JSON-lines events (src/pilot/harness/wattlens_events.py), validated line by line.
// A line that does not parse is reported, never fatal: the rest of the stream stays usable.
import { z } from 'zod';

const EnergySourceKind = z.enum(['nvml-counter', 'nvml-power', 'rapl', 'estimated']);

export const EnergySourceInfo = z.object({
  source: EnergySourceKind,
  scope: z.enum(['node', 'process']),
  device: z.string(),
  detail: z.string(),
  assumptions: z.array(z.string()),
});

const base = { rank: z.number().int(), t: z.number() };

export const StartEvent = z.object({
  type: z.literal('start'),
  ...base,
  schemaVersion: z.number().int(),
  pid: z.number().int(),
  host: z.string(),
  /** perf_counter seconds when the harness started (the clock of steps and energy windows). */
  perf0: z.number(),
  cpuModel: z.string().nullable(),
  script: z.string(),
  argv: z.array(z.string()),
  cwd: z.string(),
  executable: z.string(),
  budget: z.object({ steps: z.number().nullable(), seconds: z.number().nullable() }),
  warmupSteps: z.number().int(),
  energySources: z.array(EnergySourceInfo),
  notes: z.array(z.string()),
  localRank: z.number().int(),
  worldSize: z.number().int(),
  localWorldSize: z.number().int(),
  python: z.string(),
  torch: z.string().nullable(),
  cuda: z.string().nullable(),
  /** The BLAS / LAPACK torch was built with (BLAS_INFO, LAPACK_INFO of torch.__config__.show()); absent before it was recorded. */
  torchBuild: z
    .object({ blas: z.string().nullable(), lapack: z.string().nullable(), mkl: z.boolean().nullable(), mkldnn: z.boolean().nullable() })
    .nullable()
    .optional(),
});

export const Phases = z.object({
  data: z.number(),
  forward: z.number().nullable(),
  backward: z.number(),
  optimizer: z.number(),
  other: z.number(),
});

export const StepEvent = z.object({
  type: z.literal('step'),
  ...base,
  step: z.number().int(),
  /** Seconds since the previous step ended (null for the first step). */
  dt: z.number().nullable(),
  /** perf_counter seconds at the end of the step (same clock as energy windows). */
  tEnd: z.number(),
  warmup: z.boolean(),
  /** Sum of the scalars `backward` was called on during the step; null when none or not finite. */
  loss: z.number().nullable(),
  backwardCalls: z.number().int(),
  lr: z.number().nullable(),
  loader: z.number().nullable(),
  phases: Phases.optional(),
});

export const EnergyReading = z.object({
  device: z.string(),
  source: EnergySourceKind,
  scope: z.enum(['node', 'process']),
  joules: z.number().nullable(),
  watts: z.number().nullable(),
});

export const EnergyEvent = z.object({
  type: z.literal('energy'),
  ...base,
  fromStep: z.number().int(),
  toStep: z.number().int(),
  t0: z.number(),
  t1: z.number(),
  seconds: z.number(),
  readings: z.array(EnergyReading),
});

export const DataLoaderEvent = z.object({
  type: z.literal('dataloader'),
  ...base,
  id: z.number(),
  length: z.number().int().nullable(),
  batchSize: z.number().int().nullable(),
  iteration: z.number().int(),
  atStep: z.number().int(),
});

export const LogEvent = z.object({
  type: z.literal('log'),
  ...base,
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});

export const LoaderSummary = z.object({
  id: z.number(),
  length: z.number().int().nullable(),
  batchSize: z.number().int().nullable(),
  iterations: z.number().int(),
  steps: z.number().int(),
});

export const EndEvent = z.object({
  type: z.literal('end'),
  ...base,
  status: z.enum(['budget-reached', 'script-finished', 'failed', 'cancelled']),
  steps: z.number().int(),
  stopReason: z.string().nullable(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string().nullable() }).nullable(),
  loaders: z.array(LoaderSummary),
  /** torch.get_num_threads() when the script ended: the threads it trained with; absent before it was recorded. */
  torchThreads: z.number().int().nullable().optional(),
});

/** One forward argument of the model as the pilot saw it: a tensor's shape and dtype, or another value's type. */
export const ModelInput = z.object({
  shape: z.array(z.number().int()).nullable(),
  dtype: z.string().nullable(),
  type: z.string(),
});

/**
 * The model the pilot trained (harness schema 2, wattlens_model.py): the module whose parameters
 * the optimizer holds, seen once near the end of warm-up. Constructor arguments are not known.
 */
export const ModelEvent = z.object({
  type: z.literal('model'),
  ...base,
  /** The step it was seen in; null when the probe could not run. */
  step: z.number().int().nullable(),
  /** null when no module holding the optimizer's parameters was called (note says why). */
  className: z.string().nullable(),
  qualName: z.string().nullable(),
  /** Python module of the class (`__main__` for the script itself). */
  pyModule: z.string().nullable(),
  /** inspect.getsourcefile of the class and the line of its `class` statement (1-based). */
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  /** Positional arguments of its first top-level forward call in that step (the real batch). */
  inputs: z.array(ModelInput),
  /** Top-level forward calls of the model in that step (> 1: gradient accumulation). */
  calls: z.number().int(),
  /** sum(p.numel() for p in model.parameters()). */
  params: z.number().int().nullable(),
  /** Wrappers taken off to reach it (DistributedDataParallel, OptimizedModule, ...). */
  wrappers: z.array(z.string()),
  note: z.string().nullable(),
});

export const HarnessEvent = z.discriminatedUnion('type', [
  StartEvent,
  StepEvent,
  EnergyEvent,
  DataLoaderEvent,
  LogEvent,
  EndEvent,
  ModelEvent,
]);

export type HarnessEvent = z.infer<typeof HarnessEvent>;
export type StartEvent = z.infer<typeof StartEvent>;
export type StepEvent = z.infer<typeof StepEvent>;
export type EnergyEvent = z.infer<typeof EnergyEvent>;
export type EnergyReading = z.infer<typeof EnergyReading>;
export type DataLoaderEvent = z.infer<typeof DataLoaderEvent>;
export type EndEvent = z.infer<typeof EndEvent>;
export type EnergySourceInfo = z.infer<typeof EnergySourceInfo>;
export type ModelEvent = z.infer<typeof ModelEvent>;
export type ModelInput = z.infer<typeof ModelInput>;

export type ParsedLine = { ok: true; event: HarnessEvent } | { ok: false; warning: string };

export function parseEventLine(line: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, warning: `unreadable event line: ${line.slice(0, 80)}` };
  }
  const parsed = HarnessEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues.at(0);
    return { ok: false, warning: `malformed event (${issue?.path.join('.') || 'type'}: ${issue?.message ?? 'invalid'})` };
  }
  return { ok: true, event: parsed.data };
}

/** Splits a growing text buffer into complete lines; the unfinished tail waits for more bytes. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '');
  }

  /** Whatever is left when the stream has ended (a last line without newline). */
  flush(): string[] {
    const tail = this.rest.trim();
    this.rest = '';
    return tail ? [tail] : [];
  }
}
