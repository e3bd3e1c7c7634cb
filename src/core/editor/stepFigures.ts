// The static step estimate in the editor: a CodeLens and a hover per model of a file, for the
// GPU of the settings (wattlens.gpu) or the one nvidia-smi found, until a pilot calibrates it.
import type { GpuTarget } from '../gpu/gpuProfiles';
import { withStepEstimate } from '../gpu/stepEstimates';
import { stepPrecisionOf } from '../gpu/stepEstimate';
import type { FileReport, Precision } from '../report/types';
import { stepEstimateHover, stepEstimateText, stepEstimateTooltip } from './stepLens';
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
