// The status bar item: the model under the cursor, its totals, and its training memory against
// the GPU's memory. Also the item's text when there is nothing to show (analyzing, too large).
import type { GpuResolution } from '../gpu/gpuProfiles';
import { formatBytes, formatCost, formatCount, formatShare, type CostConvention } from '../report/format';
import type { ModelReport } from '../report/types';
import { modelTotalsLines, trainingLabel, trainingRow } from './lens';
import { escapeMarkdown, plainText } from './text';

export interface StatusView {
  text: string;
  /** Markdown tooltip: every text from the analyzed code or the machine in it is escaped. */
  tooltip: string;
  /** True when the figure needs attention (training memory over the GPU's memory). */
  warning: boolean;
}

export function modelStatus(m: ModelReport, unit: CostConvention, gpu: GpuResolution): StatusView {
  const t = trainingRow(m);
  const parts = [`${plainText(m.name, 80)}: ${formatCount(m.uniqueParams)} params`, formatCost(m.macs, unit)];
  let warning = false;
  if (t && t.totalBytes !== null) {
    if (gpu.gpu) {
      warning = t.totalBytes > gpu.gpu.memoryBytes;
      parts.push(
        `train ${formatBytes(t.totalBytes)} / ${formatBytes(gpu.gpu.memoryBytes)} (${formatShare(t.totalBytes, gpu.gpu.memoryBytes)})`,
      );
    } else parts.push(`train ${formatBytes(t.totalBytes)}`);
  }
  const tooltip = [
    `**WattLens** · ${escapeMarkdown(m.name)} · estimated by static analysis, not measured`,
    '',
    ...modelTotalsLines(m, unit).map((l) => `- ${escapeMarkdown(l)}`),
    '',
    escapeMarkdown(
      gpu.gpu
        ? `GPU: ${gpu.gpu.name}, ${formatBytes(gpu.gpu.memoryBytes)} (${gpu.gpu.source})${t && t.totalBytes !== null ? `: training needs ${formatShare(t.totalBytes, gpu.gpu.memoryBytes)} of it (${trainingLabel(t)})` : ''}`
        : `GPU memory unknown: ${gpu.reason}`,
    ),
    '',
    'Click to open the report, or the settings when no report view is installed.',
  ].join('\n');
  return { text: parts.join(' · '), tooltip, warning };
}

/** Status text for a document WattLens does not analyze, or has not analyzed yet; `detail` is plain text (escaped here). */
export function documentStatus(kind: 'analyzing' | 'no-models' | 'skipped' | 'failed', plainDetail?: string): StatusView {
  const detail = plainDetail === undefined ? undefined : escapeMarkdown(plainDetail);
  switch (kind) {
    case 'analyzing':
      return {
        text: 'WattLens: analyzing…',
        tooltip: 'WattLens is reading this file (static analysis, your code is not run).',
        warning: false,
      };
    case 'no-models':
      return { text: 'WattLens: no model', tooltip: detail ?? 'No nn.Module class or builder found in this file.', warning: false };
    case 'skipped':
      return { text: 'WattLens: not analyzed', tooltip: detail ?? 'This file is not analyzed.', warning: true };
    case 'failed':
      return {
        text: 'WattLens: analysis failed',
        tooltip: detail ?? 'The analysis failed; see the WattLens output channel.',
        warning: true,
      };
  }
}

/** A file with no model: the problems that kept each definition from being analyzed, one per line (escaped). */
export function noModelStatus(problems: readonly { line?: number | undefined; what: string; reason: string }[]): StatusView {
  if (!problems.length) return documentStatus('no-models');
  const lines = problems.slice(0, 20).map((p) => `- ${p.line ? `line ${p.line}: ` : ''}${escapeMarkdown(`${p.what}: ${p.reason}`, 500)}`);
  if (problems.length > 20) lines.push(`- … ${problems.length - 20} more`);
  return { ...documentStatus('no-models'), tooltip: ['No model could be analyzed:', ...lines].join('\n') };
}

/** A status whose figures are from before the last analysis, which failed for `reason` (plain text). */
export function staleStatus(status: StatusView, reason: string): StatusView {
  return {
    ...status,
    text: `${status.text} (stale)`,
    tooltip: `${status.tooltip}\n\nThe last analysis failed: ${escapeMarkdown(reason)}`,
    warning: true,
  };
}
