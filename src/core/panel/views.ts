// The views of the report panel's sections, as zod/mini schemas: what the host sends for each
// section (src/core/panel/sections/) and the payloads of the webview's requests. Pure TypeScript
// (no vscode, no DOM): the host and the browser bundle both import it; protocol.ts builds the
// messages from these and the section registry.
import * as z from 'zod/mini';

export const count = z.nullable(z.number());
export const text = z.string();
export const int = z.int();

// ---------------------------------------------------------------------------------------------
// Host → webview: each section's view
// ---------------------------------------------------------------------------------------------

export const layerRowSchema = z.object({
  path: text,
  type: text,
  kind: z.enum(['layer', 'op']),
  /** 1-based line in the analyzed file; null when the layer comes from elsewhere. */
  line: z.nullable(int),
  /** The construction site in another file (a layer built by an imported helper). */
  site: z.optional(z.object({ file: text, line: int })),
  params: count,
  macs: count,
  activationBytes: count,
  outputShape: text,
  calls: z.number(),
  formula: z.optional(text),
  /** Why a figure of this row is unknown ("?" in the table). */
  unknown: z.optional(text),
});

const trainingMemoryRowSchema = z.object({
  precision: text,
  optimizer: text,
  batch: z.number(),
  checkpointing: z.boolean(),
  weightsBytes: count,
  gradientsBytes: count,
  optimizerBytes: count,
  activationsBytes: count,
  totalBytes: count,
});

const unknownSchema = z.object({ what: text, reason: text, line: z.optional(int) });

export const modelViewSchema = z.object({
  name: text,
  entry: text,
  line: z.nullable(int),
  input: z.object({ text, source: text, detail: text }),
  totals: z.object({
    params: count,
    uniqueParams: count,
    trainableParams: count,
    macs: count,
    flops: count,
    elementwiseFlops: count,
    trainingMacs: count,
    activationBytes: count,
    trainingMemoryBytes: count,
  }),
  macsFormula: z.optional(text),
  layers: z.array(layerRowSchema),
  trainingMemory: z.array(trainingMemoryRowSchema),
  /** The GPU training memory is checked against, or why there is none. */
  gpu: z.union([z.object({ name: text, memoryBytes: z.number(), source: text }), z.object({ reason: text })]),
  assumptions: z.array(text),
  unknowns: z.array(unknownSchema),
  /** The first blocking unknown, "torch.as_tensor at model.py:42 (not modelled)"; line: in the analyzed file. */
  blocking: z.optional(z.object({ text, line: z.optional(int) })),
});

export const reportViewSchema = z.object({
  status: z.enum(['ready', 'analyzing', 'no-editor', 'no-model', 'skipped', 'failed']),
  /** One line for the user: what the panel shows, or why it shows nothing. */
  statusText: text,
  /** Workspace-relative path of the analyzed file. */
  file: z.nullable(text),
  documentVersion: z.nullable(int),
  costUnit: z.enum(['macs', 'flops']),
  models: z.array(z.object({ name: text, line: z.nullable(int) })),
  model: z.nullable(modelViewSchema),
  /** True when the model follows the cursor; false after the user picked one. */
  followsCursor: z.boolean(),
  problems: z.array(text),
  /** The figures are from an older version of the file (the last analysis failed or is under way). */
  stale: z.boolean(),
});

const figuresSchema = z.object({
  params: count,
  macs: count,
  activationBytes: count,
  trainingMemoryBytes: z.optional(count),
  trainingMacs: z.optional(count),
});

export const suggestionViewSchema = z.object({
  /** Stable within one advice result: `${rule}@${line}#${index}`. */
  id: text,
  rule: text,
  line: int,
  endLine: z.optional(int),
  message: text,
  fixable: z.boolean(),
  model: z.nullable(text),
  before: figuresSchema,
  after: figuresSchema,
  afterSource: z.enum(['reanalysis', 'estimate', 'unchanged']),
  saving: z.number(),
  assumptions: z.array(text),
  docs: text,
});

export const adviceViewSchema = z.object({
  state: z.enum(['idle', 'running', 'ready', 'failed', 'unsupported']),
  /** The document version the suggestions were computed for (Apply checks it is still current). */
  documentVersion: z.nullable(int),
  file: z.nullable(text),
  suggestions: z.array(suggestionViewSchema),
  problems: z.array(text),
  message: z.nullable(text),
});

/** [step, loss]; loss null where the harness could not read it. */
export const lossPoint = z.tuple([z.number(), z.nullable(z.number())]);
/** Seconds since the first energy window, then one wattage per device (null: no reading). */
export const powerPoint = z.object({ t: z.number(), watts: z.array(z.nullable(z.number())) });

export const estimateFigureSchema = z.object({
  key: text,
  label: text,
  value: text,
  /** "90% interval 1.2–1.9 kWh", or null when the figure has none. */
  interval: z.nullable(text),
  provenance: z.enum(['measured', 'estimated', 'unknown']),
  /** What it rests on, or why it is unknown. */
  basis: text,
});

export const fitViewSchema = z.object({
  /** Label such as "power law L = 0.12 + 2.3·step^−0.41, fitted to steps 101–200". */
  label: text,
  /** Points of the fitted curve from the fit window to the end of the extrapolation. */
  points: z.array(z.tuple([z.number(), z.number()])),
  targetLoss: z.nullable(z.number()),
  /** Where the extrapolation ends: the full run's last step, or the steps to the target. */
  endStep: z.number(),
});

const isoTime = z.iso.datetime();
const grams = z.number().check(z.minimum(0));

/** Carbon-aware start (opt-in, wattlens.carbonAware.*): the lowest-carbon start of the full run
 *  in the next 48 h by a live intensity forecast, or why there is none. */
export const carbonStartViewSchema = z.object({
  state: z.enum(['fetching', 'ready', 'unavailable']),
  /** "UK Carbon Intensity API" or "Electricity Maps". */
  provider: text,
  /** The postcode outward code or zone asked for; null: Great Britain as a whole. */
  area: z.nullable(text),
  /** When the forecast was fetched; null until an answer came. */
  fetchedAt: z.nullable(isoTime),
  window: z.nullable(
    z.object({
      start: isoTime,
      end: isoTime,
      /** Mean forecast intensity over the run started then and started now, gCO2e/kWh. */
      gramsPerKWh: grams,
      nowGramsPerKWh: grams,
      /** The forecast run's gCO2e started then and started now, and the difference. */
      co2eGrams: grams,
      nowCo2eGrams: grams,
      savingGrams: z.number(),
      /** The forecast run's energy (kWh) and wall time (s) the window was chosen for. */
      energyKWh: z.number().check(z.minimum(0)),
      durationS: z.number().check(z.positive()),
    }),
  ),
  /** Why there is no window (no answer, no token, a run longer than the forecast, …). */
  reason: z.nullable(text),
});

export const pilotViewSchema = z.object({
  state: z.enum(['idle', 'running', 'finished', 'failed', 'cancelled']),
  runId: z.nullable(text),
  script: z.nullable(text),
  step: int,
  budgetSteps: z.nullable(int),
  budgetSeconds: z.nullable(z.number()),
  lastLoss: count,
  lastWatts: count,
  powerSource: z.nullable(text),
  message: z.nullable(text),
  devices: z.array(text),
  loss: z.array(lossPoint),
  power: z.array(powerPoint),
  fit: z.nullable(fitViewSchema),
  estimate: z.array(estimateFigureSchema),
  assumptions: z.array(text),
  /** Null when carbon-aware start is off (the default) or the run has no estimate. */
  carbonStart: z.nullable(carbonStartViewSchema),
  /** Scripts of the workspace that look like training scripts (call backward), for the form. */
  scripts: z.array(text),
  /** Pilots run the user's code: only in a trusted workspace. */
  canRun: z.boolean(),
  cannotRunReason: z.nullable(text),
});

/** Appended to the live chart while a run is going (the host batches events, ~10 per second). */
export const pilotProgressSchema = z.object({
  runId: text,
  step: int,
  lastLoss: count,
  lastWatts: count,
  powerSource: z.nullable(text),
  devices: z.array(text),
  loss: z.array(lossPoint),
  power: z.array(powerPoint),
});

export const runRowSchema = z.object({
  id: text,
  createdAt: text,
  script: text,
  state: text,
  steps: int,
  device: text,
  joulesPerStep: count,
  stepTimeS: count,
  energySource: z.nullable(text),
  model: z.nullable(text),
  macsPerStep: count,
});

export const comparisonRowSchema = z.object({
  label: text,
  a: text,
  b: text,
  /** "−23%" (b against a), or null when either side is unknown. */
  change: z.nullable(text),
  provenance: z.enum(['measured', 'estimated', 'unknown']),
  basis: text,
});

export const comparisonViewSchema = z.object({
  a: runRowSchema,
  b: runRowSchema,
  rows: z.array(comparisonRowSchema),
  lossA: z.array(lossPoint),
  lossB: z.array(lossPoint),
  notes: z.array(text),
});

export const historyViewSchema = z.object({
  runs: z.array(runRowSchema),
  warnings: z.array(text),
  comparison: z.nullable(comparisonViewSchema),
});

// ---------------------------------------------------------------------------------------------
// Payloads of the webview's requests
// ---------------------------------------------------------------------------------------------

// The webview is not trusted with paths or long texts: names are bounded, ids are plain names.
export const runId = z.string().check(z.regex(/^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,200}$/));
/** A model's name or a layer's path as the host sent it (the host looks it up, never opens it). */
export const shownName = z.string().check(z.maxLength(2000));
/** A PNG as a data URL, at most ~8 MB. */
export const pngDataUrl = z.string().check(z.regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/), z.maxLength(8_000_000));

export const pilotRequestSchema = z.object({
  /** Workspace-relative path, one of the pilot view's `scripts` (or any .py inside the workspace). */
  script: z.string().check(z.minLength(1), z.maxLength(1000)),
  args: z.array(z.string().check(z.maxLength(1000))).check(z.maxLength(100)),
  steps: z.optional(z.int().check(z.positive(), z.maximum(10_000_000))),
  seconds: z.optional(z.number().check(z.positive(), z.maximum(86_400))),
  totalSteps: z.optional(z.int().check(z.positive())),
  epochs: z.optional(z.int().check(z.positive())),
  targetLoss: z.optional(z.number()),
  gpus: z.optional(z.int().check(z.minimum(0), z.maximum(64))),
});

export type LayerRow = z.infer<typeof layerRowSchema>;
export type ModelView = z.infer<typeof modelViewSchema>;
export type ReportView = z.infer<typeof reportViewSchema>;
export type SuggestionView = z.infer<typeof suggestionViewSchema>;
export type AdviceView = z.infer<typeof adviceViewSchema>;
export type EstimateFigure = z.infer<typeof estimateFigureSchema>;
export type FitView = z.infer<typeof fitViewSchema>;
export type CarbonStartView = z.infer<typeof carbonStartViewSchema>;
export type PilotView = z.infer<typeof pilotViewSchema>;
export type PilotProgress = z.infer<typeof pilotProgressSchema>;
export type RunRow = z.infer<typeof runRowSchema>;
export type ComparisonRow = z.infer<typeof comparisonRowSchema>;
export type ComparisonView = z.infer<typeof comparisonViewSchema>;
export type HistoryView = z.infer<typeof historyViewSchema>;
export type PilotRequest = z.infer<typeof pilotRequestSchema>;
export type LossPoint = z.infer<typeof lossPoint>;
export type PowerPoint = z.infer<typeof powerPoint>;
