// The stored record of one pilot run: .wattlens/runs/<id>.json, versioned and validated on read.
import { z } from 'zod';
import type { RunSummary } from './summary';

export const RUN_RECORD_VERSION = 1;

export const RunState = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type RunState = z.infer<typeof RunState>;

const Nullable = <T extends z.ZodTypeAny>(t: T) => t.nullable();

const Phases = z.object({ data: z.number(), forward: z.number(), backward: z.number(), optimizer: z.number(), other: z.number() });

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
  /** One line for people: why it failed, what to do. */
  message: z.string().nullable(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string().nullable() }).nullable(),
  summary: Summary,
});

/** The summary is validated by the schema above and typed by summary.ts, its producer. */
export type RunRecord = Omit<z.infer<typeof RunRecordSchema>, 'summary'> & { summary: RunSummary };
