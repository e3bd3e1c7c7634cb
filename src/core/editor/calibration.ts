// Pilot-calibrated editor figures: after a completed pilot of a model, its CodeLens shows the
// energy of one training step the pilot measured (or estimated), and each costly line of the
// model its share of it — the line's share of the model's forward MACs × the pilot's J per step —
// labelled "calibrated from pilot of <date> on <device>". Hint texts stay short; the hover and
// tooltips carry the label, the source of the energy and the assumptions.
import { describeSource, isMeasured, type EnergySourceKind } from '../energy/energySource';
import { formatJoules } from '../panel/units';
import type { RunRecord } from '../pilot/runRecord';
import { formatCount, formatShare } from '../report/format';
import type { FileReport, ModelReport } from '../report/types';
import { lineCosts } from './lineCosts';
import { escapeMarkdown } from './text';

/** What a completed pilot contributes to the editor for the model it trained. */
export interface Calibration {
  runId: string;
  /** When the run finished, ISO; the label shows its date. */
  finishedAt: string;
  device: string;
  /** J per training step at the batch the pilot ran. */
  joulesPerStep: number;
  energySource: EnergySourceKind;
  /** The class the pilot trained and the file that defines it (inspect.getsourcefile). */
  className: string;
  file: string | null;
  /** Parameters of the trained model, to tell a changed model from the one the pilot ran. */
  params: number | null;
  /** The pilot's real input, e.g. "64x3x32x32"; null when not all arguments were tensors. */
  input: string | null;
  /** J per MAC against the static analysis at the pilot's input, when it was computed. */
  joulesPerMac: number | null;
  joulesPerMacBasis: string | null;
}

export type CalibrationResult = { ok: true; value: Calibration } | { ok: false; reason: string };

/** The calibration a run gives, or why it gives none. */
export function calibrationOf(run: RunRecord): CalibrationResult {
  if (run.state !== 'completed') return { ok: false, reason: `the pilot ${run.id} did not complete (${run.state})` };
  const model = run.summary.model;
  if (!model) return { ok: false, reason: `the pilot ${run.id} does not say which model it trained` };
  const { joulesPerStep, source } = run.summary.energy;
  if (joulesPerStep === null || source === null)
    return { ok: false, reason: run.summary.energy.reason ?? `the pilot ${run.id} has no energy per step` };
  const input =
    model.inputs.length && model.inputs.every((i) => i.shape && i.shape.length)
      ? model.inputs.map((i) => i.shape!.join('x')).join(',')
      : null;
  return {
    ok: true,
    value: {
      runId: run.id,
      finishedAt: run.finishedAt ?? run.updatedAt,
      device: run.summary.device,
      joulesPerStep,
      energySource: source,
      className: model.className,
      file: model.file,
      params: model.params,
      input,
      joulesPerMac: run.macs?.joulesPerMac ?? null,
      joulesPerMacBasis: run.macs?.joulesPerMac != null ? run.macs.joulesPerMacBasis : null,
    },
  };
}

/** The latest calibration of `className` defined in `file` (newest run first wins). */
export function latestCalibration(calibrations: Iterable<Calibration>, file: string, className: string): Calibration | undefined {
  let best: Calibration | undefined;
  for (const c of calibrations) {
    if (c.className !== className || c.file === null || !samePath(c.file, file)) continue;
    if (!best || c.finishedAt > best.finishedAt) best = c;
  }
  return best;
}

/** Whether a calibration applies to the model as the editor analyzes it; why not, when not. */
export function appliesTo(c: Calibration, model: ModelReport): { ok: true } | { ok: false; reason: string } {
  const trained = model.rootClass?.name ?? model.name;
  if (trained !== c.className) return { ok: false, reason: `the pilot trained ${c.className}, not ${trained}` };
  if (c.params !== null && model.uniqueParams !== null && c.params !== model.uniqueParams) {
    return {
      ok: false,
      reason: `${model.name} has ${formatCount(model.uniqueParams)} parameters here but ${formatCount(c.params)} in the pilot of ${dateOf(c)}: the model or its arguments changed since`,
    };
  }
  return { ok: true };
}

export function dateOf(c: Calibration): string {
  return c.finishedAt.slice(0, 10);
}

/** "calibrated from pilot of 2026-11-25 on CPU: AMD EPYC" */
export function calibrationLabel(c: Calibration): string {
  return `calibrated from pilot of ${dateOf(c)} on ${c.device}`;
}

function provenance(c: Calibration): string {
  return isMeasured(c.energySource) ? 'measured' : 'estimated';
}

/**
 * The CodeLens: "≈ 1.22 J/step, estimated (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)";
 * "≈ 1.22 J/step at input 64x3x32x32, …" when the editor analyzes the model at another input.
 */
export function calibratedLensText(c: Calibration, model: ModelReport): string {
  const at = inputNote(c, model) ? ` at input ${c.input}` : '';
  return `≈ ${formatJoules(c.joulesPerStep)}/step${at}, ${provenance(c)} (${calibrationLabel(c)})`;
}

/** Plain-text tooltip of the lens: where the figure comes from and what it assumes. */
export function calibratedLensTooltip(c: Calibration, model: ModelReport): string {
  const lines = [
    `Energy of one training step of ${model.name}: ${formatJoules(c.joulesPerStep)}, ${describeSource(c.energySource)} by the pilot ${c.runId} on ${c.device} (${dateOf(c)})${c.input ? `, at the input it ran: ${c.input}` : ''}.`,
  ];
  if (c.joulesPerMac !== null) lines.push(`J per MAC: ${c.joulesPerMac.toPrecision(3)} J/MAC (${c.joulesPerMacBasis}).`);
  const note = inputNote(c, model);
  if (note) lines.push(note);
  lines.push(
    "Per-line figures: the line's share of the forward MACs × this energy per step. Turn off with the wattlens.calibratedHints setting.",
  );
  return lines.join('\n');
}

/** One line's share of a calibrated step. */
export interface CalibratedLine {
  line: number;
  joulesPerStep: number;
  /** Share of the model's forward MACs. */
  share: number;
  /** The line's inlay hint beside its static one: "≈99.5 mJ/step". */
  hint: string;
  /** Plain text for the hint's tooltip. */
  tooltip: string;
  /** Markdown appended to the line's hover. */
  hover: string;
}

/**
 * Calibrated figures for the costly lines of `modelName` in a report: the line's MACs share ×
 * the pilot's J per step. Lines without MACs (unknown, not called, parameters only) get none.
 */
export function calibratedLines(report: FileReport, modelName: string, c: Calibration): Map<number, CalibratedLine> {
  const out = new Map<number, CalibratedLine>();
  const model = report.models.find((m) => m.name === modelName);
  if (!model || !model.macs || !appliesTo(c, model).ok) return out;
  const label = calibrationLabel(c);
  const note = inputNote(c, model);
  for (const cost of lineCosts(report).values()) {
    if (cost.model !== model || cost.notCalled || cost.macs === null || cost.macs <= 0) continue;
    const share = cost.macs / model.macs;
    const joules = share * c.joulesPerStep;
    const energy = `${formatJoules(joules)}/step`;
    const why = `${formatShare(cost.macs, model.macs)} of ${model.name}'s forward MACs × ${formatJoules(c.joulesPerStep)}/step ${provenance(c)} by the pilot`;
    out.set(cost.line, {
      line: cost.line,
      joulesPerStep: joules,
      share,
      hint: `≈${energy}`,
      tooltip: `≈ ${energy}: ${why} (${label}).${note ? ` ${note}` : ''}`,
      hover: [
        `**≈ ${escapeMarkdown(energy)}** per training step · ${escapeMarkdown(label)}`,
        '',
        `${escapeMarkdown(why)} (${escapeMarkdown(describeSource(c.energySource))}). Shared by MACs: elementwise work and the optimizer have none, so their energy is spread over the MAC-heavy lines.${note ? ` ${escapeMarkdown(note)}` : ''}`,
      ].join('\n'),
    });
  }
  return out;
}

/** Markdown for the hover on the model's definition line. */
export function calibratedModelHover(c: Calibration, model: ModelReport): string {
  const lines = [`**≈ ${escapeMarkdown(formatJoules(c.joulesPerStep))} per training step** · ${escapeMarkdown(calibrationLabel(c))}`, ''];
  lines.push(
    `- ${escapeMarkdown(describeSource(c.energySource))} by the pilot ${escapeMarkdown(c.runId)}${c.input ? ` at input ${escapeMarkdown(c.input)}` : ''}`,
  );
  if (c.joulesPerMac !== null) lines.push(`- ${c.joulesPerMac.toPrecision(3)} J/MAC (${escapeMarkdown(c.joulesPerMacBasis ?? '')})`);
  const note = inputNote(c, model);
  if (note) lines.push(`- ${escapeMarkdown(note)}`);
  return lines.join('\n');
}

/** Markdown for the model's hover when its latest pilot does not apply to the model as written. */
export function notAppliedHover(c: Calibration, reason: string): string {
  return `Not calibrated from the pilot ${escapeMarkdown(c.runId)} of ${dateOf(c)} on ${escapeMarkdown(c.device)}: ${escapeMarkdown(reason)}. Run a new pilot to calibrate it.`;
}

/** When the editor analyzes another input than the pilot ran: which one the figures are for. */
function inputNote(c: Calibration, model: ModelReport): string | undefined {
  if (!c.input || c.input === model.input.text) return undefined;
  return `The energy is for the pilot's input ${c.input}; the shares come from the editor's analysis at ${model.input.text}.`;
}

function samePath(a: string, b: string): boolean {
  return a === b || (/^[A-Za-z]:/.test(a) && a.toLowerCase() === b.toLowerCase());
}
