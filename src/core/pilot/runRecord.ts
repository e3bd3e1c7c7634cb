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

const Phases = z.object({ data: z.number(), forward: z.number(), backward: z.number(), optimizer: z.number(), other: z.number() });

const PilotModelSchema = z.object({
  step: Nullable(z.number().int()),
  className: z.string(),
  qualName: Nullable(z.string()),
  pyModule: Nullable(z.string()),
  file: Nullable(z.string()),
  line: Nullable(z.number().int()),
  inputs: z.array(z.object({ shape: Nullable(z.array(z.number().int())), dtype: Nullable(z.string()), type: z.string() })),
  calls: z.number().int(),
  params: Nullable(z.number().int()),
  wrappers: z.array(z.string()),
  note: Nullable(z.string()),
});

/** MACs of a pilot's training step by static analysis of the model it trained, and J per MAC (see pilotMacs.ts). */
export const PilotMacsSchema = z.object({
  computedAt: z.string(),
  /** Multiply-accumulates of one optimizer step, all ranks (estimated by static analysis); null when unknown. */
  macsPerStep: Nullable(z.number()),
  /** How macsPerStep was obtained, or why it is unknown. */
  macsSource: z.string(),
  /** Measured or estimated J per step ÷ macsPerStep; null when either is unknown. */
  joulesPerMac: Nullable(z.number()),
  /** "energy measured (RAPL energy counter) ÷ MACs estimated by static analysis", or why unknown. */
  joulesPerMacBasis: z.string(),
  /** What the engine analyzed: file, --model and --input. */
  analyzed: Nullable(z.object({ file: z.string(), model: z.string(), input: z.string() })),
  assumptions: z.array(z.string()),
});
export type PilotMacs = z.infer<typeof PilotMacsSchema>;

/** The measured summary (see summary.ts); validated loosely where it only adds detail. */
const Summary = z.object({
  steps: z.number().int(),
  warmupSteps: z.number().int(),
  measuredSteps: z.number().int(),
  losses: z.array(Nullable(z.number())),
  learningRates: z.array(Nullable(z.number())),
  stepTimeS: Nullable(z.number()),
  // added after schema version 1 shipped: records written before read as unknown
  stepTimeMeanS: Nullable(z.number()).default(null),
  stepTimeBlocks: z.number().int().default(1),
  stepTimeMedianS: Nullable(z.number()),
  stepTimeP90S: Nullable(z.number()),
  setupS: Nullable(z.number()),
  loopS: Nullable(z.number()),
  energy: z.object({
    source: Nullable(z.enum(['nvml-counter', 'nvml-power', 'rapl', 'estimated'])),
    joulesPerStep: Nullable(z.number()),
    wattsMean: Nullable(z.number()),
    components: z.array(z.object({
      device: z.string(), source: z.enum(['nvml-counter', 'nvml-power', 'rapl', 'estimated']),
      scope: z.enum(['node', 'process']), rank: z.number().int(), joulesPerStep: z.number(), wattsMean: Nullable(z.number()),
    })),
    sources: z.array(z.object({
      source: z.string(), scope: z.string(), device: z.string(), detail: z.string(),
      assumptions: z.array(z.string()), rank: z.number().int(),
    })),
    reason: z.string().optional(),
  }),
  phases: Nullable(z.object({ meanS: Phases, shares: Phases, auditedSteps: z.number().int(), bottleneck: Nullable(z.string()) })),
  dataLoader: Nullable(z.object({ length: Nullable(z.number().int()), batchSize: Nullable(z.number().int()), iterations: z.number().int() })),
  worldSize: z.number().int(),
  ranksReporting: z.number().int(),
  device: z.string(),
  torch: Nullable(z.string()),
  python: Nullable(z.string()),
  notes: z.array(z.string()),
  end: Nullable(z.object({
    status: z.enum(['budget-reached', 'script-finished', 'failed', 'cancelled']),
    stopReason: Nullable(z.string()),
    error: Nullable(z.object({ type: z.string(), message: z.string(), traceback: Nullable(z.string()) })),
  })),
  model: Nullable(PilotModelSchema).default(null),
});

export const RunRecordSchema = z.object({
  schemaVersion: z.literal(RUN_RECORD_VERSION),
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  state: RunState,
  /** Why a completed run stopped: the budget, or the script ended first (it is then a full run). */
  completion: z.enum(['budget-reached', 'script-finished']).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  script: z.string(),
  args: z.array(z.string()),
  cwd: z.string(),
  python: z.string(),
  gpus: z.number().int(),
  budget: z.object({ steps: z.number().nullable(), seconds: z.number().nullable() }),
  host: z.string(),
  runnerPid: z.number().int(),
  harnessPid: z.number().int().nullable(),
  /** Folder of the event streams and the script's output, relative to the runs folder. */
  runDir: z.string(),
  /** True when the run did not end cleanly (no end event from the harness, or a damaged event
   *  file): the summary holds what was written before. Absent on clean records. */
  partial: z.boolean().optional(),
  /** One line for people: why it failed, what to do. */
  message: z.string().nullable(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string().nullable() }).nullable(),
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
    const summary = typeof record.summary === 'object' && record.summary !== null ? { model: null, ...(record.summary as object) } : record.summary;
    return { ok: true, json: { ...record, schemaVersion: RUN_RECORD_VERSION, summary, macs: null } };
  }
  return { ok: false, reason: typeof version === 'number' ? `record schema version ${version} is not supported by this WattLens` : 'no schemaVersion' };
}
