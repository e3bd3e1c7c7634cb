// The editor settings (`wattlens.*`) as one typed object, with the defaults package.json
// declares. Raw values from the user's settings.json are checked field by field: a wrong
// value falls back to its default instead of breaking a surface.
import type { AnalyzeOptions } from '../analysis/engine';
import type { CostConvention } from '../report/format';
import type { OptimizerKind, Precision } from '../report/types';

export type DiagnosticSeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface EditorSettings {
  hintsEnabled: boolean;
  codeLensEnabled: boolean;
  hoversEnabled: boolean;
  diagnosticsEnabled: boolean;
  statusBarEnabled: boolean;
  /** After a completed pilot of a model: its energy per step in the lens, per line in hints and hovers. */
  calibratedHints: boolean;
  costUnit: CostConvention;
  /** Batch size for training memory; null: the batch of the input shape. */
  batchSize: number | null;
  /** Value of the sequence-length symbol T when nothing in the file fixes it. */
  sequenceLength: number;
  precision: Precision;
  optimizer: OptimizerKind;
  /** A GPU profile name, 'auto' (nvidia-smi) or 'none'. */
  gpu: string;
  /** Overrides the GPU profile's memory; null: from the profile or nvidia-smi. */
  gpuMemoryGiB: number | null;
  /** A line is a MACs hot spot when it holds at least this share of its model's MACs (0-1). */
  macsShareThreshold: number;
  /** A line is a memory hot spot when it holds at least this share of its model's activation memory (0-1). */
  memoryShareThreshold: number;
  /** Attention score matrices (T×T) are flagged from this sequence length on. */
  attentionMinSequenceLength: number;
  diagnosticSeverity: DiagnosticSeverityName;
  /** Larger documents are not analyzed (the status bar says so). */
  maxFileSizeKB: number;
}

export const DEFAULT_SETTINGS: Readonly<EditorSettings> = Object.freeze({
  hintsEnabled: true,
  codeLensEnabled: true,
  hoversEnabled: true,
  diagnosticsEnabled: true,
  statusBarEnabled: true,
  calibratedHints: true,
  costUnit: 'macs',
  batchSize: null,
  sequenceLength: 1024,
  precision: 'fp32',
  optimizer: 'adamw',
  gpu: 'auto',
  gpuMemoryGiB: null,
  macsShareThreshold: 0.3,
  memoryShareThreshold: 0.3,
  attentionMinSequenceLength: 512,
  diagnosticSeverity: 'information',
  maxFileSizeKB: 512,
});

/** Setting keys under `wattlens.` for each field, as contributed in package.json. */
export const SETTING_KEYS: Readonly<Record<keyof EditorSettings, string>> = Object.freeze({
  hintsEnabled: 'hints.enabled',
  codeLensEnabled: 'codeLens.enabled',
  hoversEnabled: 'hovers.enabled',
  diagnosticsEnabled: 'diagnostics.enabled',
  statusBarEnabled: 'statusBar.enabled',
  calibratedHints: 'calibratedHints',
  costUnit: 'costUnit',
  batchSize: 'batchSize',
  sequenceLength: 'sequenceLength',
  precision: 'precision',
  optimizer: 'optimizer',
  gpu: 'gpu',
  gpuMemoryGiB: 'gpuMemoryGiB',
  macsShareThreshold: 'diagnostics.macsShareThreshold',
  memoryShareThreshold: 'diagnostics.memoryShareThreshold',
  attentionMinSequenceLength: 'diagnostics.attentionMinSequenceLength',
  diagnosticSeverity: 'diagnosticSeverity',
  maxFileSizeKB: 'maxFileSizeKB',
});

const PRECISIONS: readonly Precision[] = ['fp32', 'bf16-mixed', 'fp16-mixed'];
const OPTIMIZERS: readonly OptimizerKind[] = ['adamw', 'adam', 'sgd', 'sgd-momentum'];
const SEVERITIES: readonly DiagnosticSeverityName[] = ['error', 'warning', 'information', 'hint'];

/** Builds settings from raw values read by key (`get('costUnit')`); invalid values take the default. */
export function readSettings(get: (key: string) => unknown): EditorSettings {
  const d = DEFAULT_SETTINGS;
  const k = SETTING_KEYS;
  const bool = (key: string, fallback: boolean) => {
    const v = get(key);
    return typeof v === 'boolean' ? v : fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = get(key);
    return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
  };
  const positiveInt = (key: string, fallback: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
  };
  const share = (key: string, fallback: number) => {
    const v = get(key);
    return typeof v === 'number' && v > 0 && v <= 1 ? v : fallback;
  };
  const optionalPositive = (key: string, integer: boolean): number | null => {
    const v = get(key);
    return typeof v === 'number' && v > 0 && (!integer || Number.isInteger(v)) ? v : null;
  };
  const gpu = get(k.gpu);
  return {
    hintsEnabled: bool(k.hintsEnabled, d.hintsEnabled),
    codeLensEnabled: bool(k.codeLensEnabled, d.codeLensEnabled),
    hoversEnabled: bool(k.hoversEnabled, d.hoversEnabled),
    diagnosticsEnabled: bool(k.diagnosticsEnabled, d.diagnosticsEnabled),
    statusBarEnabled: bool(k.statusBarEnabled, d.statusBarEnabled),
    calibratedHints: bool(k.calibratedHints, d.calibratedHints),
    costUnit: oneOf(k.costUnit, ['macs', 'flops'], d.costUnit),
    batchSize: optionalPositive(k.batchSize, true),
    sequenceLength: positiveInt(k.sequenceLength, d.sequenceLength),
    precision: oneOf(k.precision, PRECISIONS, d.precision),
    optimizer: oneOf(k.optimizer, OPTIMIZERS, d.optimizer),
    gpu: typeof gpu === 'string' && gpu.trim() ? gpu.trim() : d.gpu,
    gpuMemoryGiB: optionalPositive(k.gpuMemoryGiB, false),
    macsShareThreshold: share(k.macsShareThreshold, d.macsShareThreshold),
    memoryShareThreshold: share(k.memoryShareThreshold, d.memoryShareThreshold),
    attentionMinSequenceLength: positiveInt(k.attentionMinSequenceLength, d.attentionMinSequenceLength),
    diagnosticSeverity: oneOf(k.diagnosticSeverity, SEVERITIES, d.diagnosticSeverity),
    maxFileSizeKB: positiveInt(k.maxFileSizeKB, d.maxFileSizeKB),
  };
}

/** The engine options these settings ask for (the figures every surface shows). */
export function analyzeOptionsFor(settings: EditorSettings): AnalyzeOptions {
  const options: AnalyzeOptions = { precision: settings.precision, optimizer: settings.optimizer, seqLen: settings.sequenceLength };
  if (settings.batchSize !== null) options.batch = settings.batchSize;
  return options;
}
