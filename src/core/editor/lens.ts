// CodeLens texts above each model class or builder: totals (params, MACs, activation and
// training memory at the configured batch and precision) and where the input shape came from.
import { firstBlocking, formatBytes, formatCost, formatCount, unknownText, type CostConvention } from '../report/format';
import type { FileReport, InputSpec, ModelReport, TrainingMemoryBreakdown, Unknown } from '../report/types';
import { forwardUnknownReason } from './lineCosts';
import { plainText, shortReason } from './text';

export interface ModelLens {
  /** 1-based line of the class or builder definition. */
  line: number;
  model: string;
  /** "621K params · 86.8 MMACs · activations 5.71 MiB · training 15.2 MiB (fp32, adamw, batch 8) · estimated" */
  totals: string;
  /** "input 8x3x32x32 from the call at line 33" */
  input: string;
  /** Plain-text tooltip with the assumptions. */
  tooltip: string;
}

/** A definition that is no model report: why it was not analyzed (e.g. needs constructor arguments). */
export interface ProblemLens {
  line: number;
  text: string;
  tooltip: string;
}

export function modelLenses(report: FileReport, unit: CostConvention): ModelLens[] {
  return report.models
    .filter((m): m is ModelReport & { line: number } => m.line !== null)
    .map((m) => ({
      line: m.line,
      model: m.name,
      totals: plainText(totalsText(m, unit), 300),
      input: plainText(inputText(m.input), 300),
      tooltip: [
        `${plainText(m.name)}: estimated by static analysis of the source, not measured.`,
        ...m.assumptions.map((a) => `• ${plainText(a)}`),
      ].join('\n'),
    }));
}

/** Lenses for problems reported on a definition line that has no model (not built, build failed). */
export function problemLenses(report: FileReport): ProblemLens[] {
  const modelLines = new Set(report.models.map((m) => m.line));
  const out: ProblemLens[] = [];
  for (const p of report.problems) {
    if (p.line === undefined || modelLines.has(p.line) || p.what === 'syntax' || p.what === 'module' || p.what.startsWith('import '))
      continue;
    if (out.some((l) => l.line === p.line)) continue;
    out.push({
      line: p.line,
      text: plainText(`WattLens: ${p.what} ${shortReason(p.reason, 90)}`, 200),
      tooltip: plainText(`${p.what}: ${p.reason}`),
    });
  }
  return out;
}

export function totalsText(m: ModelReport, unit: CostConvention): string {
  const parts = [`${formatCount(m.uniqueParams)} params`];
  // a figure left unknown names the first unknown that blocked it, right after the figures
  parts.push(`${formatCost(m.macs, unit)}${blockedSuffix(m)}`);
  if (m.activationBytes !== null) parts.push(`activations ${formatBytes(m.activationBytes)}`);
  const training = trainingRow(m);
  if (training && training.totalBytes !== null) parts.push(`training ${formatBytes(training.totalBytes)} (${trainingLabel(training)})`);
  parts.push('estimated');
  return parts.join(' · ');
}

/** The training-memory row the settings ask for (without activation checkpointing). */
export function trainingRow(m: ModelReport): TrainingMemoryBreakdown | undefined {
  return m.trainingMemory?.find((t) => !t.checkpointing) ?? m.trainingMemory?.[0];
}

export function trainingLabel(t: TrainingMemoryBreakdown): string {
  return `${t.precision}, ${t.optimizer}, batch ${t.batch}`;
}

export function inputText(input: InputSpec): string {
  switch (input.source) {
    case 'none':
      return `no input shape: ${shortReason(input.detail, 60)}`;
    case 'comment':
      return `input ${input.text} from the # wattlens comment`;
    case 'cli':
      return `input ${input.text} (given)`;
    case 'default':
      return `input ${input.text} assumed (${shortReason(input.detail, 60)})`;
    default:
      return `input ${input.text} from ${shortReason(input.detail, 60)}`;
  }
}

/** Totals as lines, for hovers, the status bar tooltip and the output channel. */
export function modelTotalsLines(m: ModelReport, unit: CostConvention): string[] {
  const other: CostConvention = unit === 'macs' ? 'flops' : 'macs';
  const lines = [
    ...(blockedSuffix(m) ? [`first blocking unknown: ${blockingText(m)}`] : []),
    `parameters: ${formatCount(m.uniqueParams)}${m.uniqueParams !== null ? ` (${m.uniqueParams.toLocaleString('en-US')})` : ''}${m.params !== null && m.params !== m.uniqueParams ? `, ${formatCount(m.params)} counting tied weights in each layer` : ''}`,
    `forward: ${m.macs === null ? `${formatCost(null, unit)}${reasonSuffix(forwardUnknownReason(m) ?? firstReason(m.unknowns))}` : `${formatCost(m.macs, unit)} (= ${formatCost(m.macs, other)})`}${m.macsFormula ? `; MACs = ${m.macsFormula}` : ''}`,
    `activations: ${formatBytes(m.activationBytes)} per forward pass`,
  ];
  const t = trainingRow(m);
  if (t)
    lines.push(
      `training memory: ${formatBytes(t.totalBytes)} (${trainingLabel(t)}: weights ${formatBytes(t.weightsBytes)}, gradients ${formatBytes(t.gradientsBytes)}, optimizer ${formatBytes(t.optimizerBytes)}, activations ${formatBytes(t.activationsBytes)})`,
    );
  lines.push(inputText(m.input));
  return lines;
}

function reasonSuffix(reason: string | undefined): string {
  return reason ? ` — ${shortReason(reason)}` : '';
}

/** " — blocked: torch.as_tensor at model.py:42 (not modelled)" when a headline figure is unknown. */
function blockedSuffix(m: ModelReport): string {
  if (m.uniqueParams !== null && m.macs !== null) return '';
  const text = blockingText(m);
  return text ? ` — blocked: ${text}` : '';
}

function blockingText(m: ModelReport): string | undefined {
  const u = firstBlocking(m) ?? m.unknowns.at(0);
  return u ? unknownText({ ...u, reason: shortReason(u.reason, 80) }) : undefined;
}

function firstReason(unknowns: Unknown[]): string | undefined {
  return unknowns[0]?.reason;
}
