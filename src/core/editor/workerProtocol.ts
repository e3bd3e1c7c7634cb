// Messages between the extension host and the analysis worker, validated on both sides.
// Documents are mirrored with version numbers; every analysis answer names the document
// version it was computed for, so a stale answer never lands on a newer text.
// zod/mini: the extension host loads this at activation, and full zod costs ~100 ms there
import * as z from 'zod/mini';
import type { FileReport } from '../report/types';
import type { Suggestion } from '../advisor/types';
import type { LoopLength } from './loopLength';

const count = z.nullable(z.number());
const unknown = z.looseObject({ what: z.string(), reason: z.string(), file: z.optional(z.string()), line: z.optional(z.number()) });
const dim = z.union([z.number(), z.string()]);

const layerReport = z.looseObject({
  path: z.string(),
  type: z.string(),
  kind: z.enum(['layer', 'op']),
  line: z.nullable(z.int()),
  params: count,
  macs: count,
  flops: count,
  outputShape: z.nullable(z.array(dim)),
  activationBytes: z.optional(count),
  calls: z.number(),
  formula: z.optional(z.string()),
  unknowns: z.optional(z.array(unknown)),
});

const trainingMemory = z.looseObject({
  precision: z.enum(['fp32', 'bf16-mixed', 'fp16-mixed']),
  optimizer: z.enum(['sgd', 'sgd-momentum', 'adam', 'adamw']),
  batch: z.number(),
  checkpointing: z.boolean(),
  weightsBytes: count,
  gradientsBytes: count,
  optimizerBytes: count,
  activationsBytes: count,
  totalBytes: count,
});

const modelReport = z.looseObject({
  name: z.string(),
  entry: z.string(),
  line: z.nullable(z.int()),
  entryKind: z.enum(['class', 'builder', 'call', 'tfjs']),
  input: z.looseObject({
    shapes: z.array(z.array(dim)),
    text: z.string(),
    source: z.enum(['cli', 'comment', 'call', 'default', 'config', 'none']),
    detail: z.string(),
    bindings: z.optional(z.record(z.string(), z.number())),
  }),
  params: count,
  trainableParams: count,
  uniqueParams: count,
  macs: count,
  flops: count,
  elementwiseFlops: z.optional(count),
  macsFormula: z.optional(z.string()),
  trainingMacs: z.optional(count),
  activationBytes: count,
  trainingMemoryBytes: count,
  trainingMemory: z.optional(z.array(trainingMemory)),
  assumptions: z.array(z.string()),
  unknowns: z.array(unknown),
  layers: z.array(layerReport),
});

export const fileReportSchema = z.looseObject({
  file: z.string(),
  language: z.enum(['python', 'tfjs']),
  models: z.array(modelReport),
  problems: z.array(unknown),
});

const analyzeOptions = z.object({
  model: z.optional(z.string()),
  input: z.optional(z.string()),
  set: z.optional(z.record(z.string(), z.string())),
  batch: z.optional(z.int().check(z.positive())),
  precision: z.optional(z.enum(['fp32', 'bf16-mixed', 'fp16-mixed'])),
  optimizer: z.optional(z.enum(['adamw', 'adam', 'sgd', 'sgd-momentum'])),
  seqLen: z.optional(z.int().check(z.positive())),
  budget: z.optional(z.int().check(z.positive())),
});

const language = z.enum(['python', 'tfjs']);

/** The advisor's text edits: rows [startLine, endLine] (0-based) replaced by `lines`; an insertion when endLine = startLine − 1. */
const lineEdit = z.object({ startLine: z.int().check(z.nonnegative()), endLine: z.int().check(z.gte(-1)), lines: z.array(z.string()) });

const figures = z.looseObject({
  params: count,
  macs: count,
  activationBytes: count,
  trainingMemoryBytes: z.optional(count),
  trainingMacs: z.optional(count),
});

/** An advisor Suggestion (src/core/advisor/types.ts), checked field by field. */
const suggestion = z.looseObject({
  rule: z.string(),
  line: z.int(),
  endLine: z.optional(z.int()),
  message: z.string(),
  fixable: z.boolean(),
  model: z.optional(z.string()),
  before: figures,
  after: figures,
  afterSource: z.enum(['reanalysis', 'estimate', 'unchanged']),
  saving: z.number(),
  assumptions: z.array(z.string()),
  docs: z.string(),
  edits: z.optional(z.array(lineEdit)),
});
const uri = z.string().check(z.minLength(1));
const version = z.int();

export const toWorkerSchema = z.discriminatedUnion('type', [
  /**
   * `environment`: where the user's Python environment is looked for (the chosen interpreter,
   * wattlens.extraPaths, the host's VIRTUAL_ENV / CONDA_PREFIX); files only, nothing runs.
   */
  /**
   * `changedModelsOnly`: results hold only the models that differ from the last result sent for
   * the document, with `modelsFrom` (the host merges them, resultDelta.ts). `parseCacheDir`: the
   * folder of the parse cache (the extension's global storage); read when the engine loads.
   * `partialResults`: a document's first analysis also sends, as soon as its first model is done
   * (of two or more), a `result` with `partial: true` holding that model; the full result follows.
   */
  z.object({
    type: z.literal('configure'),
    workspaceRoots: z.array(z.string()),
    changedModelsOnly: z.optional(z.boolean()),
    partialResults: z.optional(z.boolean()),
    parseCacheDir: z.optional(z.string()),
    environment: z.optional(
      z.object({
        interpreter: z.optional(z.string()),
        extraPaths: z.optional(z.array(z.string())),
        virtualEnv: z.optional(z.string()),
        condaPrefix: z.optional(z.string()),
      }),
    ),
  }),
  /** `path` is the file the engine analyzes as (imports resolve from it); a notebook uses its own path. */
  z.object({ type: z.literal('open'), uri, path: z.string().check(z.minLength(1)), language, version, text: z.string() }),
  z.object({ type: z.literal('change'), uri, version, text: z.string() }),
  z.object({ type: z.literal('close'), uri }),
  /** A workspace file changed on disk or in an editor: imported modules are evaluated again. */
  z.object({ type: z.literal('invalidateImports') }),
  z.object({ type: z.literal('analyze'), seq: z.int(), uri, version, options: analyzeOptions }),
  /** Load the parser and the torch model now (a spare worker, ready to take over at once). */
  z.object({ type: z.literal('warmup') }),
  /** The advisor's suggestions for a version of an open Python document, with the options of its analysis. */
  z.object({ type: z.literal('advise'), seq: z.int(), uri, version, options: analyzeOptions }),
  /** Does `text` with `edits` applied parse with no more syntax errors than `text`? (before a fix of `uri` at `version` is applied) */
  z.object({ type: z.literal('parseCheck'), seq: z.int(), uri, version, text: z.string(), edits: z.array(lineEdit) }),
]);

/** A count the script fixes (loopLength.ts CountExpr): checked for shape, then typed. */
const countExpr = z.union([
  z.number(),
  z.object({ option: z.string(), default: z.nullable(z.number()) }),
  z.object({ op: z.enum(['+', '-', '*', '//', 'cdiv']), l: z.unknown(), r: z.unknown() }),
]);
const loopLength = z.union([
  z.object({ kind: z.literal('steps'), count: countExpr, basis: z.string() }),
  z.object({ kind: z.literal('epochs'), epochs: countExpr, perEpoch: z.string(), basis: z.string() }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
]);

/** A top-level class or function of the analyzed text (1-based lines). */
const outlineEntry = z.object({
  name: z.string(),
  kind: z.enum(['class', 'def']),
  /** The `class` / `def` line. */
  line: z.int(),
  /** The first decorator's line, or `line`. */
  firstLine: z.int(),
  endLine: z.int(),
});

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    /**
     * With `partialResults`: the models done so far (all of them sent, no `modelsFrom`), while the
     * analysis goes on; the answer to the request is the full result with the same seq that follows.
     */
    partial: z.optional(z.literal(true)),
    seq: z.int(),
    uri,
    version,
    // checked field by field, then typed as the engine's FileReport (the schema mirrors it)
    report: z.pipe(
      fileReportSchema,
      z.transform((r) => r as unknown as FileReport),
    ),
    /**
     * With `changedModelsOnly`: per model of the full list, its index in the last result sent for
     * the document, or null for the next model of `report.models` (which then holds only those).
     */
    modelsFrom: z.optional(z.array(z.nullable(z.int()))),
    outline: z.array(outlineEntry),
    /** 1-based lines of the training loops (the loop calling optimizer.step(), trainer.fit(...)). */
    trainingLoops: z.optional(z.array(z.int())),
    /** For each training loop, its run length when the script fixes it (loopLength.ts), else the reason it is unknown. */
    trainingLoopLengths: z.optional(
      z.pipe(
        z.array(loopLength),
        z.transform((l) => l as LoopLength[]),
      ),
    ),
    /** Workspace files evaluated through imports (dependents are re-analyzed when they change). */
    imports: z.array(z.string()),
    timings: z.object({ parseMs: z.number(), analyzeMs: z.number(), engineLoadMs: z.optional(z.number()) }),
  }),
  /** The request was not run: a newer version of the document is there, or the document is not open. */
  z.object({ type: z.literal('skipped'), seq: z.int(), uri, version, reason: z.string() }),
  z.object({ type: z.literal('failed'), seq: z.int(), uri, version, message: z.string() }),
  z.object({ type: z.literal('log'), message: z.string() }),
  /** Answer to warmup: the engine is loaded. */
  z.object({ type: z.literal('ready'), engineLoadMs: z.number() }),
  /** Answer to advise: the suggestions for that version, ranked by saving (fixable ones were checked to parse and re-analyzed). */
  z.object({
    type: z.literal('advice'),
    seq: z.int(),
    uri,
    version,
    suggestions: z.pipe(
      z.array(suggestion),
      z.transform((s) => s as unknown as Suggestion[]),
    ),
    problems: z.array(z.string()),
    timings: z.object({ adviseMs: z.number() }),
  }),
  /** Answer to parseCheck; `firstNewError` is the 1-based line of the first syntax error the edits would add. */
  z.object({
    type: z.literal('parseChecked'),
    seq: z.int(),
    uri,
    version,
    parses: z.boolean(),
    syntaxErrorsBefore: z.int(),
    syntaxErrorsAfter: z.int(),
    firstNewError: z.optional(z.int()),
  }),
]);

export type ToWorker = z.infer<typeof toWorkerSchema>;
export type FromWorker = z.infer<typeof fromWorkerSchema>;
export type OutlineEntry = z.infer<typeof outlineEntry>;
export type AnalysisResult = Extract<FromWorker, { type: 'result' }>;
export type AdviceMessage = Extract<FromWorker, { type: 'advice' }>;
export type ParseCheckMessage = Extract<FromWorker, { type: 'parseChecked' }>;

/** Parses a message; undefined (and the reason) when it does not fit the protocol. */
export function parseToWorker(data: unknown): { ok: true; message: ToWorker } | { ok: false; error: string } {
  const r = toWorkerSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

export function parseFromWorker(data: unknown): { ok: true; message: FromWorker } | { ok: false; error: string } {
  const r = fromWorkerSchema.safeParse(data);
  return r.success ? { ok: true, message: r.data } : { ok: false, error: z.prettifyError(r.error) };
}
