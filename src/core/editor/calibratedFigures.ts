// What the editor surfaces add for pilot calibrations on one analyzed file: a lens per calibrated
// model, the per-line energy as an inlay hint beside the static one and appended to the hovers, and on a model whose latest
// pilot no longer applies (its parameters changed) a hover line saying why it is not calibrated.
// The providers only add these to what they show without them.
import type { FileReport } from '../report/types';
import {
  appliesTo,
  calibratedLensText,
  calibratedLensTooltip,
  calibratedLines,
  calibratedModelHover,
  latestCalibration,
  notAppliedHover,
  type Calibration,
  type CalibratedLine,
} from './calibration';
import type { LineHint } from './hints';
import { plainLines, plainText } from './text';

export interface CalibratedModel {
  model: string;
  /** The CodeLens, when the calibration applies to the model as written. */
  lens: { text: string; tooltip: string } | null;
  /** Markdown appended to the hover on the model's definition line. */
  hover: string;
}

export interface CalibratedFigures {
  /** By model name. */
  models: Map<string, CalibratedModel>;
  /** By 1-based line of the analyzed text. */
  lines: Map<number, CalibratedLine>;
  /** Hover markdown by the models' definition lines. */
  modelLines: Map<number, string>;
}

const NONE: CalibratedFigures = Object.freeze({ models: new Map(), lines: new Map(), modelLines: new Map() }) as CalibratedFigures;

/**
 * The calibrated figures of `report` from the workspace's calibrations: each model of the file
 * (a class, a builder, a class built the way the file builds it) gets the newest pilot of the class
 * its root module is, wherever that class is defined. A builder whose parameters differ from the
 * pilot's is another model of that class (resnet34 beside a pilot of resnet18), not a changed one:
 * it gets nothing, not a "changed since" hover.
 */
export function calibratedFigures(report: FileReport, calibrations: readonly Calibration[]): CalibratedFigures {
  if (calibrations.length === 0 || report.language !== 'python') return NONE;
  const out: CalibratedFigures = { models: new Map(), lines: new Map(), modelLines: new Map() };
  for (const model of report.models) {
    const root = model.rootClass;
    if (model.line === null || !root?.file) continue;
    const c = latestCalibration(calibrations, root.file, root.name);
    if (!c) continue;
    const applies = appliesTo(c, model);
    if (!applies.ok && model.entryKind === 'builder') continue;
    const entry: CalibratedModel = applies.ok
      ? {
          model: model.name,
          lens: { text: plainText(calibratedLensText(c, model), 300), tooltip: plainLines(calibratedLensTooltip(c, model)) },
          hover: calibratedModelHover(c, model),
        }
      : { model: model.name, lens: null, hover: notAppliedHover(c, applies.reason) };
    out.models.set(model.name, entry);
    out.modelLines.set(model.line, entry.hover);
    if (applies.ok) for (const [line, figure] of calibratedLines(report, model.name, c)) out.lines.set(line, figure);
  }
  return out;
}

/**
 * A line's calibrated energy as an inlay hint of its own, shown after its static hint ("8%" then
 * "≈99.5 mJ/step"): VS Code cuts each hint's label at editor.inlayHints.maximumLength (43
 * characters by default), which an appended figure would often pass.
 */
export function calibratedHint(line: number, figures: CalibratedFigures): LineHint | undefined {
  const figure = figures.lines.get(line);
  return figure && { line, text: plainText(figure.hint, 200), tooltip: plainText(figure.tooltip) };
}

/** A hover's markdown with the calibrated figures of its line appended (a layer line or a model's definition). */
export function hoverWithCalibration(markdown: string | undefined, line: number, figures: CalibratedFigures): string | undefined {
  const extra = figures.lines.get(line)?.hover ?? figures.modelLines.get(line);
  if (!extra || !markdown) return markdown;
  return `${markdown}\n\n---\n\n${extra}`;
}
