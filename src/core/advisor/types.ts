// The advisor's vocabulary: what a rule finds, how a fix edits the text, and the Suggestion
// the CLI (`advise --json`) and the editor show. Suggestion field names are a contract.
import type { Module } from '../python/ast';
import type { FileReport, ModelReport } from '../report/types';
import type { AnalyzeOptions } from '../analysis/engine';

/** Stable, short rule ids (CLI --fix, diagnostic codes, docs anchors). */
export type RuleId =
  | 'sdpa'
  | 'mha-sdpa'
  | 'local-attention'
  | 'semi-structured-sparsity'
  | 'mixture-of-experts'
  | 'autocast-bf16'
  | 'checkpointing'
  | 'alignment'
  | 'vocab-padding'
  | 'channels-last'
  | 'dataloader-workers'
  | 'fused-optimizer'
  | 'torch-compile'
  | 'item-sync';

/** Replace rows [startLine, endLine] (0-based, inclusive) with `lines`; an insertion when endLine = startLine − 1. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  lines: string[];
}

export interface Figures {
  params: number | null;
  macs: number | null;
  activationBytes: number | null;
  /** Training memory at the analysis' batch, precision and optimizer (added field). */
  trainingMemoryBytes?: number | null;
  /** MACs of one training step, recomputation included (added field). */
  trainingMacs?: number | null;
}

export interface Suggestion {
  rule: RuleId;
  /** 1-based line the suggestion is about. */
  line: number;
  endLine?: number;
  message: string;
  /** An automatic rewrite exists and was checked to parse and to re-analyze. */
  fixable: boolean;
  /** The model whose figures are shown. */
  model?: string;
  before: Figures;
  /** After the rewrite (fixable) or the estimated effect (suggestions); null fields are unknown. */
  after: Figures;
  /** How `after` was obtained: re-analysis of the rewritten code, or an estimate from the engine's per-layer figures. */
  afterSource: 'reanalysis' | 'estimate' | 'unchanged';
  /** Ranking key: the larger of the relative MAC and memory saving, 0 when unknown. */
  saving: number;
  /** Why the figures are unknown (the model could not be built): its first unknown or the file's first problem. */
  figuresUnknown?: string;
  assumptions: string[];
  /** Link to the rule's explanation (docs/advisor.md#<rule>). */
  docs: string;
  edits?: LineEdit[];
}

export interface Finding {
  rule: RuleId;
  line: number;
  endLine?: number;
  message: string;
  /** Text edits that perform the rewrite; absent for suggestions without an automatic fix. */
  edits?: LineEdit[];
  /** A change not offered as a fix (it alters the model) whose figures the engine computes on a copy. */
  hypotheticalEdits?: LineEdit[];
  /** For suggestions without a rewrite: the estimated figures and what they rest on. */
  estimate?: { model: string; after: Figures; assumptions: string[] };
  /** The model to show figures for, as a call the engine builds (training scripts: `Net(width=32)`). */
  modelCall?: string;
  /** Options the "after" analysis runs with (e.g. bf16-mixed precision for autocast). */
  afterOptions?: Partial<AnalyzeOptions>;
  /** Options the "before" analysis runs with where the script itself decides them (no autocast: fp32). */
  beforeOptions?: Partial<AnalyzeOptions>;
  assumptions?: string[];
}

export interface RuleContext {
  file: string;
  text: string;
  lines: string[];
  ast: Module;
  report: FileReport;
  options: AnalyzeOptions;
  /** The model report whose module tree contains an instance of `className`, if any. */
  modelUsing(className: string): ModelReport | undefined;
}

export interface Rule {
  id: RuleId;
  /** One line for the rule list and docs. */
  title: string;
  /**
   * A different model, not a cheaper way to run this one (mixture of experts, 2:4 sparsity): it
   * trades quality or capacity, so it runs only when asked for (AdviseOptions.modelChanges or by name).
   */
  changesModel?: boolean;
  find(ctx: RuleContext): Finding[];
}
