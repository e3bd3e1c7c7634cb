// Past runs of the workspace side by side: energy per step, MACs per step, the full run's kWh
// and CO2e (each run's forecast with the same settings), step time and loss curves overlaid.
// "Before and after applying a suggestion" is two runs of the same script.
import { isMeasured } from '../energy/energySource';
import { forecastRun, type ForecastInput } from '../energy/forecast';
import type { RunRecord } from '../pilot/runRecord';
import { formatCost } from '../report/format';
import type { ComparisonRow, ComparisonView, LossPoint, RunRow } from './protocol';
import { formatChange, formatCo2e, formatDuration, formatJoules, formatKWh } from './units';

/** What the panel stored beside a run it started: the model's MACs and the full run's length. */
export interface RunContext {
  model?: string;
  /** MACs of one training step from the static analysis (≈ 3 × forward). */
  macsPerStep?: number;
  totalSteps?: number;
  epochs?: number;
  targetLoss?: number;
}

export function runRow(record: RunRecord, context: RunContext | undefined, displayScript: string): RunRow {
  return {
    id: record.id,
    createdAt: record.createdAt,
    script: displayScript,
    state: record.state,
    steps: record.summary.steps,
    device: record.summary.device,
    joulesPerStep: record.summary.energy.joulesPerStep,
    stepTimeS: record.summary.stepTimeS,
    energySource: record.summary.energy.source,
    model: context?.model ?? null,
    macsPerStep: context?.macsPerStep ?? null,
  };
}

export type ForecastSettings = Pick<ForecastInput, 'pue' | 'carbon' | 'pricePerKWh' | 'currency'>;

interface Side {
  record: RunRecord;
  context: RunContext | undefined;
  row: RunRow;
}

/** A run's forecast with the comparison's shared settings; its totalSteps from its context. */
function forecastOf(side: Side, settings: ForecastSettings, totalSteps: number | undefined) {
  try {
    return forecastRun({
      summary: side.record.summary,
      ...settings,
      ...(totalSteps !== undefined ? { totalSteps } : side.context?.epochs !== undefined ? { epochs: side.context.epochs } : {}),
      ...(side.context?.macsPerStep !== undefined ? { macsPerStep: side.context.macsPerStep } : {}),
    });
  } catch {
    return null;
  }
}

export function compareRuns(a: Side, b: Side, settings: ForecastSettings): ComparisonView {
  const notes: string[] = [];
  // the same full-run length on both sides, so kWh and CO2e compare the designs, not the lengths
  const totalSteps = a.context?.totalSteps ?? b.context?.totalSteps;
  if (totalSteps !== undefined) notes.push(`kWh and CO2e: both runs extrapolated to ${totalSteps.toLocaleString('en-US')} steps`);
  else notes.push("kWh and CO2e need the full run's length: give total steps when starting a pilot");
  const fa = forecastOf(a, settings, totalSteps);
  const fb = forecastOf(b, settings, totalSteps);
  const provenanceOf = (r: RunRecord) =>
    r.summary.energy.source === null ? 'unknown' : isMeasured(r.summary.energy.source) ? 'measured' : 'estimated';
  const energyProvenance =
    provenanceOf(a.record) === 'measured' && provenanceOf(b.record) === 'measured'
      ? 'measured'
      : provenanceOf(a.record) === 'unknown' || provenanceOf(b.record) === 'unknown'
        ? 'unknown'
        : 'estimated';

  const row = (
    label: string,
    va: number | null | undefined,
    vb: number | null | undefined,
    fmt: (x: number | null | undefined) => string,
    provenance: ComparisonRow['provenance'],
    basis: string,
  ): ComparisonRow => ({
    label,
    a: fmt(va),
    b: fmt(vb),
    change: formatChange(va, vb),
    provenance: va === null || va === undefined || vb === null || vb === undefined ? 'unknown' : provenance,
    basis,
  });
  const jpmA =
    a.record.summary.energy.joulesPerStep !== null && a.context?.macsPerStep
      ? a.record.summary.energy.joulesPerStep / a.context.macsPerStep
      : null;
  const jpmB =
    b.record.summary.energy.joulesPerStep !== null && b.context?.macsPerStep
      ? b.record.summary.energy.joulesPerStep / b.context.macsPerStep
      : null;
  const rows: ComparisonRow[] = [
    row(
      'Energy per step',
      a.record.summary.energy.joulesPerStep,
      b.record.summary.energy.joulesPerStep,
      formatJoules,
      energyProvenance,
      'pilot: mean power × typical step time',
    ),
    row(
      'Step time',
      a.record.summary.stepTimeS,
      b.record.summary.stepTimeS,
      formatDuration,
      'measured',
      'pilot: typical step after warm-up',
    ),
    row(
      'MACs per training step',
      a.context?.macsPerStep,
      b.context?.macsPerStep,
      (x) => formatCost(x ?? null),
      'estimated',
      'static analysis of the model when the pilot started (≈ 3 × forward MACs)',
    ),
    row(
      'Energy per MAC',
      jpmA,
      jpmB,
      (x) => (x === null || x === undefined ? '? J/MAC' : `${x.toPrecision(3)} J/MAC`),
      energyProvenance,
      'energy per step ÷ MACs per step',
    ),
    row(
      'Energy (full run)',
      fa?.energyKWh,
      fb?.energyKWh,
      formatKWh,
      'estimated',
      fa ? `steps × energy per step × PUE ${fa.pue}` : 'forecast unavailable',
    ),
    row(
      'Emissions (full run)',
      fa?.co2eGrams,
      fb?.co2eGrams,
      formatCo2e,
      'estimated',
      fa ? `energy × ${Math.round(fa.carbonIntensity.gramsPerKWh)} gCO2e/kWh (${fa.carbonIntensity.region})` : 'forecast unavailable',
    ),
  ];
  if (a.record.summary.device !== b.record.summary.device)
    notes.push(`the runs used different devices (${a.record.summary.device} / ${b.record.summary.device})`);
  if (a.record.script !== b.record.script) notes.push('the runs are of different scripts');
  return { a: a.row, b: b.row, rows, lossA: lossPoints(a.record), lossB: lossPoints(b.record), notes };
}

/** [step, loss] of a run (1-based steps), at most `max` points (every k-th). */
export function lossPoints(record: RunRecord, max = 2000): LossPoint[] {
  const losses = record.summary.losses;
  const stride = Math.max(1, Math.ceil(losses.length / max));
  const out: LossPoint[] = [];
  for (let i = 0; i < losses.length; i += stride) out.push([i + 1, losses[i] ?? null]);
  return out;
}
