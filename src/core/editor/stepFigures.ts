// The static step estimate in the editor: a CodeLens and a hover per model of a file, for the
// GPU of the settings (wattlens.gpu) or the one nvidia-smi found, until a pilot calibrates it.
import type { GpuTarget } from '../gpu/gpuProfiles';
import { withStepEstimate } from '../gpu/stepEstimates';
import { estimateStep, stepPrecisionOf } from '../gpu/stepEstimate';
import { formatDuration, formatJoules } from '../panel/units';
import type { FileReport, Precision } from '../report/types';
import type { LineHint } from './hints';
import { lineCosts } from './lineCosts';
import { bandText, stepEstimateHover, stepEstimateText, stepEstimateTooltip } from './stepLens';
import { escapeMarkdown, plainLines, plainText } from './text';

export interface StaticStepFigure {
  model: string;
  /** 1-based line of the model's definition. */
  line: number;
  /** The lens, when the step could be estimated. */
  lens: { text: string; tooltip: string } | null;
  /** Markdown for the model's hover: the estimate, or why there is none. */
  hover: string;
}

/**
 * Figures for the models of `report` on `gpu` (none when the GPU has no profile: the estimate
 * needs its peak rates), leaving out `calibrated` models, whose pilot figure replaces the estimate.
 */
export function staticStepFigures(
  report: FileReport,
  gpu: GpuTarget | null,
  precision: Precision,
  calibrated: ReadonlySet<string> = new Set(),
): StaticStepFigure[] {
  const profile = gpu?.profile;
  if (!profile) return [];
  const out: StaticStepFigure[] = [];
  for (const model of report.models) {
    if (model.line === null || calibrated.has(model.name)) continue;
    const m = withStepEstimate(model, profile, stepPrecisionOf(precision));
    out.push(
      m.stepEstimate
        ? {
            model: model.name,
            line: model.line,
            lens: { text: plainText(stepEstimateText(m.stepEstimate), 300), tooltip: plainLines(stepEstimateTooltip(m.stepEstimate)) },
            hover: stepEstimateHover(m.stepEstimate),
          }
        : {
            model: model.name,
            line: model.line,
            lens: null,
            hover: `No step estimate on ${escapeMarkdown(profile.name)}: ${escapeMarkdown(m.stepEstimateReason ?? 'unknown reason')}`,
          },
    );
  }
  return out;
}

/** A line's share of its model's static step estimate: an inlay hint beside its static one, and hover markdown. */
export interface StaticStepLine {
  line: number;
  hint: LineHint;
  hover: string;
}

/**
 * Each costly line's share of the static step estimate of the model it shows figures for: the
 * roofline time and energy of its rows of the layer table, forward and backward (the optimizer
 * step and what the table does not hold are not shared out). None for `calibrated` models: their
 * pilot's figures replace the estimate, line by line too.
 */
export function staticStepLines(
  report: FileReport,
  gpu: GpuTarget | null,
  precision: Precision,
  calibrated: ReadonlySet<string> = new Set(),
): Map<number, StaticStepLine> {
  const out = new Map<number, StaticStepLine>();
  const profile = gpu?.profile;
  if (!profile) return out;
  const costs = lineCosts(report);
  for (const model of report.models) {
    if (calibrated.has(model.name)) continue;
    const r = estimateStep(model, profile, { precision: stepPrecisionOf(precision) });
    if (!r.ok) continue;
    const e = r.estimate;
    const byLine = new Map<
      number,
      { time: { low: number; mid: number; high: number }; joules: { low: number; mid: number; high: number } }
    >();
    for (const row of r.rows) {
      if (row.line === null || costs.get(row.line)?.model !== model) continue;
      const sum = byLine.get(row.line) ?? { time: { low: 0, mid: 0, high: 0 }, joules: { low: 0, mid: 0, high: 0 } };
      for (const end of ['low', 'mid', 'high'] as const) {
        sum.time[end] += row.timeS[end];
        sum.joules[end] += row.joules[end];
      }
      byLine.set(row.line, sum);
    }
    for (const [line, sum] of byLine) {
      if (sum.time.mid <= 0) continue;
      const pct = `${((100 * sum.time.mid) / e.timeS.mid).toPrecision(2)}%`;
      const figure = `${formatDuration(sum.time.mid)} · ${formatJoules(sum.joules.mid)}`;
      const where = `on ${e.gpu} (${e.precision}${e.batch !== null ? `, batch ${e.batch}` : ''}, estimated)`;
      const why = `this line's rows of the layer table, forward and backward: ${pct} of ${model.name}'s static step estimate (${formatDuration(e.timeS.mid)} · ${formatJoules(e.joules.mid)} per step); band ${bandText(sum.time.low, sum.time.high, formatDuration)}, ${bandText(sum.joules.low, sum.joules.high, formatJoules)}. The optimizer step is not shared out.`;
      out.set(line, {
        line,
        hint: { line, text: plainText(`est. ≈${figure}/step`, 200), tooltip: plainText(`≈ ${figure} per training step ${where}: ${why}`) },
        hover: [`**≈ ${escapeMarkdown(figure)}** per training step ${escapeMarkdown(where)}`, '', escapeMarkdown(why)].join('\n'),
      });
    }
  }
  return out;
}
