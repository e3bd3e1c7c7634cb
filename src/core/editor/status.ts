// The status bar item: the model under the cursor, its totals, and its training memory against
// the GPU's memory. Also the item's text when there is nothing to show (analyzing, too large).
import type { GpuResolution } from '../gpu/gpuProfiles';
import { formatBytes, formatCost, formatCount, formatShare, type CostConvention } from '../report/format';
import type { ModelReport } from '../report/types';
import { modelTotalsLines, trainingLabel, trainingRow } from './lens';

export interface StatusView {
  text: string;
  /** Markdown tooltip. */
  tooltip: string;
  /** True when the figure needs attention (training memory over the GPU's memory). */
  warning: boolean;
}

export function modelStatus(m: ModelReport, unit: CostConvention, gpu: GpuResolution): StatusView {
  const t = trainingRow(m);
  const parts = [`${m.name}: ${formatCount(m.uniqueParams)} params`, formatCost(m.macs, unit)];
  let warning = false;
  if (t && t.totalBytes !== null) {
    if (gpu.gpu) {
      warning = t.totalBytes > gpu.gpu.memoryBytes;
      parts.push(`train ${formatBytes(t.totalBytes)} / ${formatBytes(gpu.gpu.memoryBytes)} (${formatShare(t.totalBytes, gpu.gpu.memoryBytes)})`);
    } else parts.push(`train ${formatBytes(t.totalBytes)}`);
  }
  const tooltip = [
    `**WattLens** · ${m.name} · estimated by static analysis, not measured`,
    '',
    ...modelTotalsLines(m, unit).map((l) => `- ${l}`),
    '',
    gpu.gpu
      ? `GPU: ${gpu.gpu.name}, ${formatBytes(gpu.gpu.memoryBytes)} (${gpu.gpu.source})${t && t.totalBytes !== null ? `: training needs ${formatShare(t.totalBytes, gpu.gpu.memoryBytes)} of it (${trainingLabel(t)})` : ''}`
      : `GPU memory unknown: ${gpu.reason}`,
    '',
    'Click to open the report, or the settings when no report view is installed.',
  ].join('\n');
  return { text: parts.join(' · '), tooltip, warning };
}

/** Status text for a document WattLens does not analyze, or has not analyzed yet. */
export function documentStatus(kind: 'analyzing' | 'no-models' | 'skipped' | 'failed', detail?: string): StatusView {
  switch (kind) {
    case 'analyzing':
      return { text: 'WattLens: analyzing…', tooltip: 'WattLens is reading this file (static analysis, your code is not run).', warning: false };
    case 'no-models':
      return { text: 'WattLens: no model', tooltip: detail ?? 'No nn.Module class or builder found in this file.', warning: false };
    case 'skipped':
      return { text: 'WattLens: not analyzed', tooltip: detail ?? 'This file is not analyzed.', warning: true };
    case 'failed':
      return { text: 'WattLens: analysis failed', tooltip: detail ?? 'The analysis failed; see the WattLens output channel.', warning: true };
  }
}
