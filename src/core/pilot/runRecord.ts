// The stored record of one pilot run: .wattlens/runs/<id>.json, versioned and validated on read.
import { z } from 'zod';
import type { RunSummary } from './summary';

/**
 * 1: the first format. 2: `summary.model` (the model the pilot trained, from the harness's
 * `model` event) and `macs` (its MACs per step by static analysis and J per MAC). Older records
 * are migrated on read (migrateRecord); records are always written at the current version.
 */
export const RUN_RECORD_VERSION = 2;

export const RunState = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunState = z.infer<typeof RunState>;

const Nullable = <T extends z.ZodType>(t: T) => t.nullable();

// A record can come from a cloned repository: every figure has its range, every text and list a bound.
/** A count (steps, calls, ranks): a whole number ≥ 0. */
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Seconds, joules, watts: finite (zod 4 numbers refuse ±Infinity) and ≥ 0. */
const NonNegative = z.number().nonnegative();
/** A figure that may be negative (a loss), but finite. */
const Finite = z.number();
const Text = z.string().max(10_000);
const Name = z.string().max(1_000);
/** A long text: a traceback, a message. */
const LongText = z.string().max(100_000);
/** An ISO time between 2000 and 2200. */
const Timestamp = z
  .string()
  .max(40)
  .refine((t) => {
    const ms = Date.parse(t);
    return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(2200, 0, 1);
  }, 'not a time between 2000 and 2200');
const List = <T extends z.ZodType>(t: T, max = 1_000) => z.array(t).max(max);
/** Per-step series (losses, learning rates). */
const SERIES_MAX = 1_000_000;

const Phases = z.object({ data: NonNegative, forward: NonNegative, backward: NonNegative, optimizer: NonNegative, other: NonNegative });

const PilotModelSchema = z.object({
  step: Nullable(Count),
  className: Name,
  qualName: Nullable(Name),
  pyModule: Nullable(Name),
  file: Nullable(Text),
  line: Nullable(Count),
  inputs: List(z.object({ shape: Nullable(List(Count, 64)), dtype: Nullable(Name), type: Name }), 100),
  calls: Count,
  params: Nullable(Count),
  wrappers: List(Name, 100),
  note: Nullable(Text),
});

const Band = z.object({ low: NonNegative, mid: NonNegative, high: NonNegative });

/** MACs of a pilot's training step by static analysis of the model it trained, and J per MAC (see pilotMacs.ts). */
export const PilotMacsSchema = z.object({
  computedAt: Name,
  /** Multiply-accumulates of one optimizer step, all ranks (estimated by static analysis); null when unknown. */
  macsPerStep: Nullable(NonNegative),
  /** How macsPerStep was obtained, or why it is unknown. */
  macsSource: Text,
  /** Measured or estimated J per step ÷ macsPerStep; null when either is unknown. */
  joulesPerMac: Nullable(NonNegative),
  /** "energy measured (RAPL energy counter) ÷ MACs estimated by static analysis", or why unknown. */
  joulesPerMacBasis: Text,
  /** What the engine analyzed: file, --model and --input. */
  analyzed: Nullable(z.object({ file: Text, model: Name, input: Name })),
  assumptions: List(Text),
  /** The static step estimate on the pilot's GPU against what the pilot measured (see stepEstimateCheck.ts). */
  stepEstimate: Nullable(
    z.object({
      gpu: Name,
      precision: z.enum(['fp32', 'tf32', 'bf16', 'fp16']),
      batch: Nullable(Count),
      timeS: Band,
      joules: Band,
      measuredStepTimeS: Nullable(NonNegative),
      measuredGpuJoulesPerStep: Nullable(NonNegative),
      timeError: Nullable(Finite),
      joulesError: Nullable(Finite),
      timeInBand: Nullable(z.boolean()),
      joulesInBand: Nullable(z.boolean()),
      notes: List(Text, 100),
    }),
  ).optional(),
  /** Why there is no step estimate to compare (a CPU pilot, MACs unknown, a GPU not in the table). */
  stepEstimateReason: Text.optional(),
});
export type PilotMacs = z.infer<typeof PilotMacsSchema>;

/** The measured summary (see summary.ts); validated loosely where it only adds detail. */
const Summary = z.object({
  steps: Count,
  warmupSteps: Count,
  measuredSteps: Count,
  losses: List(Nullable(Finite), SERIES_MAX),
  learningRates: List(Nullable(Finite), SERIES_MAX),
  stepTimeS: Nullable(NonNegative),
  // added after schema version 1 shipped: records written before read as unknown
  stepTimeMeanS: Nullable(NonNegative).default(null),
  stepTimeBlocks: Count.default(1),
  stepTimeMedianS: Nullable(NonNegative),
  stepTimeP90S: Nullable(NonNegative),
  setupS: Nullable(NonNegative),
  loopS: Nullable(NonNegative),
  energy: z.object({
    source: Nullable(z.enum(['nvml-counter', 'nvml-power', 'rapl', 'estimated'])),
    joulesPerStep: Nullable(NonNegative),
    wattsMean: Nullable(NonNegative),
    components: List(
      z.object({
        device: Name,
        source: z.enum(['nvml-counter', 'nvml-power', 'rapl', 'estimated']),
        scope: z.enum(['node', 'process']),
        rank: Count,
        joulesPerStep: NonNegative,
        wattsMean: Nullable(NonNegative),
      }),
    ),
    sources: List(
      z.object({
        source: Name,
        scope: Name,
        device: Name,
        detail: Text,
        assumptions: List(Text),
        rank: Count,
      }),
    ),
    reason: Text.optional(),
  }),
  phases: Nullable(z.object({ meanS: Phases, shares: Phases, auditedSteps: Count, bottleneck: Nullable(Name) })),
  dataLoader: Nullable(z.object({ length: Nullable(Count), batchSize: Nullable(Count), iterations: Count })),
  worldSize: Count,
  ranksReporting: Count,
  device: Name,
  torch: Nullable(Name),
  // added later: records written before read as unknown
  torchBuild: Nullable(
    z.object({ blas: Nullable(Name), lapack: Nullable(Name), mkl: Nullable(z.boolean()), mkldnn: Nullable(z.boolean()) }),
  ).default(null),
  torchThreads: Nullable(Count).default(null),
  python: Nullable(Name),
  notes: List(Text),
  end: Nullable(
    z.object({
      status: z.enum(['budget-reached', 'script-finished', 'failed', 'cancelled']),
      stopReason: Nullable(Text),
      error: Nullable(z.object({ type: Name, message: LongText, traceback: Nullable(LongText) })),
    }),
  ),
  model: Nullable(PilotModelSchema).default(null),
});

export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_VERSION),
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/)
    .refine((id) => id !== '.' && id !== '..', 'not a run id'),
  state: RunState,
  /** Why a completed run stopped: the budget, or the script ended first (it is then a full run). */
  completion: z.enum(['budget-reached', 'script-finished']).nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  script: Text,
  args: List(Text),
  cwd: Text,
  python: Text,
  gpus: Count,
  budget: z.object({ steps: Count.nullable(), seconds: NonNegative.nullable() }),
  host: Name,
  runnerPid: Count,
  harnessPid: Count.nullable(),
  /** Folder of the event streams and the script's output, relative to the runs folder. */
  runDir: Name,
  /** True when the run did not end cleanly (no end event from the harness, or a damaged event
   *  file): the summary holds what was written before. Absent on clean records. */
  partial: z.boolean().optional(),
  /** One line for people: why it failed, what to do. */
  message: LongText.nullable(),
  error: z.object({ type: Name, message: LongText, traceback: LongText.nullable() }).nullable(),
  summary: Summary,
  /** J per MAC against the static analysis of the model, attached after the run; null until then. */
  macs: Nullable(PilotMacsSchema).default(null),
});

/**
 * The summary is validated by the schema above and typed by summary.ts, its producer; `macs` is
 * optional for records built in memory (the runner's), null or present in every stored one.
 */
export type RunRecord = Omit<z.infer<typeof RunRecordSchema>, 'summary' | 'macs'> & { summary: RunSummary; macs?: PilotMacs | null };

export type Migrated = { ok: true; json: Record<string, unknown> } | { ok: false; reason: string };

/** A stored record of any known version, brought to RUN_RECORD_VERSION (before validation). */
export function migrateRecord(json: unknown): Migrated {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'not a JSON object' };
  const record = json as Record<string, unknown>;
  const version = record.schemaVersion;
  if (version === RUN_RECORD_VERSION) return { ok: true, json: record };
  if (version === 1) {
    // version 1 had no model and no MACs: both unknown, not guessed
    const summary =
      typeof record.summary === 'object' && record.summary !== null ? { model: null, ...(record.summary as object) } : record.summary;
    return { ok: true, json: { ...record, schemaVersion: RUN_RECORD_VERSION, summary, macs: null } };
  }
  return {
    ok: false,
    reason: typeof version === 'number' ? `record schema version ${version} is not supported by this WattLens` : 'no schemaVersion',
  };
}
