// A finished pilot as the panel shows it: each figure of the forecast with its unit, its
// interval where the forecast has one, and whether it was measured (by the pilot) or estimated
// (extrapolated, or a model of power); unknown figures say why. Plus the fitted loss curve as
// points from the fit window to the full run's end (or the steps to the target loss).
import { describeSource, isMeasured } from '../energy/energySource';
import { evaluate, type Convergence } from '../energy/convergence';
import type { Forecast } from '../energy/forecast';
import type { RunSummary } from '../pilot/summary';
import type { EstimateFigure, FitView } from './protocol';
import { formatCo2e, formatDuration, formatJoules, formatKWh, formatLoss, formatMoney, formatSteps, formatWatts } from './units';

const unknownFigure = (key: string, label: string, value: string, reason: string): EstimateFigure => ({
  key,
  label,
  value,
  interval: null,
  provenance: 'unknown',
  basis: reason,
});

function reasonFor(forecast: Forecast, prefix: string, fallback: string): string {
  return forecast.unknowns.find((u) => u.startsWith(prefix))?.replace(/^[^:]+:\s*/, '') ?? fallback;
}

/** The figures of a pilot and its forecast, in the order the panel lists them. */
export function estimateFigures(summary: RunSummary, forecast: Forecast): EstimateFigure[] {
  const out: EstimateFigure[] = [];
  const energy = summary.energy;
  const energyMeasured = energy.source !== null && isMeasured(energy.source);
  const sourceText = energy.source ? describeSource(energy.source) : 'no energy source';
  const energyBasis = [
    sourceText,
    ...energy.sources.map((s) => `${s.device}: ${s.detail}${s.assumptions.length ? ` (${s.assumptions.join('; ')})` : ''}`),
  ].join(' · ');

  if (summary.stepTimeS !== null) {
    out.push({
      key: 'stepTime',
      label: 'Step time',
      value: formatDuration(summary.stepTimeS),
      interval:
        summary.stepTimeMedianS !== null && summary.stepTimeP90S !== null
          ? `median ${formatDuration(summary.stepTimeMedianS)}, 90th percentile ${formatDuration(summary.stepTimeP90S)}`
          : null,
      provenance: 'measured',
      basis: `typical step after ${summary.warmupSteps} warm-up steps, over ${summary.measuredSteps} measured steps on ${summary.device}`,
    });
  } else out.push(unknownFigure('stepTime', 'Step time', '? s', 'no step was timed after warm-up (pilot too short)'));

  if (energy.joulesPerStep !== null) {
    out.push({
      key: 'joulesPerStep',
      label: 'Energy per step',
      value: formatJoules(energy.joulesPerStep),
      interval: null,
      provenance: energyMeasured ? 'measured' : 'estimated',
      basis: energyBasis,
    });
  } else out.push(unknownFigure('joulesPerStep', 'Energy per step', '? J', energy.reason ?? 'no energy per step was measured'));

  if (energy.wattsMean !== null) {
    out.push({
      key: 'power',
      label: 'Mean power',
      value: formatWatts(energy.wattsMean),
      interval: null,
      provenance: energyMeasured ? 'measured' : 'estimated',
      basis: energyBasis,
    });
  }

  if (forecast.totalSteps !== null) {
    out.push({
      key: 'totalSteps',
      label: 'Full run',
      value: formatSteps(forecast.totalSteps),
      interval: null,
      provenance: 'estimated',
      basis: forecast.totalStepsSource === 'user' ? 'the total steps you gave' : (forecast.totalStepsSource ?? ''),
    });
  } else out.push(unknownFigure('totalSteps', 'Full run', '? steps', reasonFor(forecast, 'total steps', 'the full run length is unknown')));

  const timeBasis = forecast.assumptions.find((a) => a.startsWith('every step takes')) ?? 'full-run steps × the typical step time';
  out.push(
    forecast.timeS !== null
      ? {
          key: 'time',
          label: 'Training time',
          value: formatDuration(forecast.timeS),
          interval: null,
          provenance: 'estimated',
          basis: timeBasis,
        }
      : unknownFigure('time', 'Training time', '? s', reasonFor(forecast, 'time', 'the full run length is unknown')),
  );

  const pueText = `PUE ${forecast.pue}`;
  out.push(
    forecast.energyKWh !== null
      ? {
          key: 'energy',
          label: 'Energy',
          value: formatKWh(forecast.energyKWh),
          interval: null,
          provenance: 'estimated',
          basis: `full-run steps × energy per step (${sourceText}) × ${pueText}`,
        }
      : unknownFigure('energy', 'Energy', '? kWh', reasonFor(forecast, 'energy', 'the full run length is unknown')),
  );

  const grid = forecast.carbonIntensity;
  out.push(
    forecast.co2eGrams !== null
      ? {
          key: 'co2e',
          label: 'Emissions',
          value: formatCo2e(forecast.co2eGrams),
          interval: null,
          provenance: 'estimated',
          basis: `energy × ${Math.round(grid.gramsPerKWh)} gCO2e/kWh (${grid.region}${grid.year ? `, ${grid.year}` : ''}; ${grid.source})`,
        }
      : unknownFigure('co2e', 'Emissions', '? gCO2e', 'the energy of the full run is unknown'),
  );

  out.push(
    forecast.cost !== null
      ? {
          key: 'cost',
          label: 'Electricity cost',
          value: formatMoney(forecast.cost, forecast.currency),
          interval: null,
          provenance: 'estimated',
          basis: `energy × ${forecast.pricePerKWh} ${forecast.currency ?? ''}/kWh (your setting)`.replace(' /kWh', '/kWh'),
        }
      : unknownFigure(
          'cost',
          'Electricity cost',
          '?',
          reasonFor(forecast, 'cost', 'no electricity price set (the wattlens.pricePerKWh setting)'),
        ),
  );

  if (forecast.joulesPerMac !== null) {
    out.push({
      key: 'joulesPerMac',
      label: 'Energy per MAC',
      value: `${forecast.joulesPerMac.toPrecision(3)} J/MAC`,
      interval: null,
      provenance: energyMeasured ? 'measured' : 'estimated',
      basis: 'energy per step ÷ MACs of a training step from the static analysis (≈ 3 × forward)',
    });
  }

  out.push(...convergenceFigures(forecast.convergence));
  return out;
}

function convergenceFigures(c: Convergence): EstimateFigure[] {
  if (c.status !== 'fitted') return [unknownFigure('finalLoss', 'Final loss', '?', c.reason)];
  const out: EstimateFigure[] = [
    {
      key: 'finalLoss',
      label: 'Final loss',
      value: formatLoss(c.finalLoss.estimate),
      interval: `90% interval ${formatLoss(c.finalLoss.low)}–${formatLoss(c.finalLoss.high)}`,
      provenance: 'estimated',
      basis: `${c.curve.family} fit of the pilot's training loss, extrapolated to step ${c.totalSteps.toLocaleString('en-US')}${c.warnings.map((w) => `. Warning: ${w}`).join('')}`,
    },
  ];
  const t = c.stepsToTarget;
  if (t) {
    const interval =
      t.low !== null || t.high !== null
        ? `90% interval ${t.low !== null ? t.low.toLocaleString('en-US') : '?'}–${t.high !== null ? t.high.toLocaleString('en-US') : 'never'} steps`
        : null;
    out.push(
      t.steps !== null
        ? {
            key: 'stepsToTarget',
            label: `Steps to loss ${formatLoss(t.targetLoss)}`,
            value: formatSteps(t.steps),
            interval,
            provenance: 'estimated',
            basis: `where the ${c.curve.family} fit reaches the target`,
          }
        : unknownFigure(
            'stepsToTarget',
            `Steps to loss ${formatLoss(t.targetLoss)}`,
            'never (by the fit)',
            `the fitted floor ${formatLoss(c.curve.c)} lies above the target`,
          ),
    );
    if (t.energyJ) {
      const high = Number.isFinite(t.energyJ.high) ? formatKWh(t.energyJ.high / 3.6e6) : 'unbounded';
      out.push({
        key: 'energyToTarget',
        label: `Energy to loss ${formatLoss(t.targetLoss)}`,
        value: formatKWh(t.energyJ.estimate / 3.6e6),
        interval: `90% interval ${formatKWh(t.energyJ.low / 3.6e6)}–${high}`,
        provenance: 'estimated',
        basis: 'steps to the target × energy per step × PUE',
      });
    }
  }
  return out;
}

/** Points of the fitted loss curve, log-spaced from the fit window to the end of the extrapolation. */
export function fitView(c: Convergence, summary: Pick<RunSummary, 'learningRates'>, pointCount = 120): FitView | null {
  if (c.status !== 'fitted') return null;
  const start = Math.max(1, c.fitWindow[0]);
  const targetSteps = c.stepsToTarget?.steps ?? null;
  // past the run's end only to show where a target is reached (at most 10× the run)
  const endStep = Math.max(c.totalSteps, targetSteps !== null ? Math.min(targetSteps, c.totalSteps * 10) : 0);
  const x = timeAxis(c, summary);
  const points: [number, number][] = [];
  const ratio = Math.pow(endStep / start, 1 / Math.max(1, pointCount - 1));
  let last = -1;
  for (let i = 0; i < pointCount; i++) {
    const step = Math.round(start * Math.pow(ratio, i));
    if (step === last) continue;
    last = step;
    const y = evaluate(c.curve, x(step));
    if (Number.isFinite(y)) points.push([step, y]);
  }
  const curve = c.curve;
  const formula =
    curve.family === 'power-law'
      ? `L = ${formatLoss(curve.c)} + ${formatLoss(curve.a)}·x^−${curve.rate.toPrecision(3)}`
      : `L = ${formatLoss(curve.c)} + ${formatLoss(curve.a)}·e^(−${curve.rate.toPrecision(3)}·x)`;
  const axis = c.timeVariable === 'step' ? 'x = step' : 'x = cumulative learning rate (last LR assumed to hold)';
  return {
    label: `${curve.family} fit ${formula}, ${axis}, fitted to steps ${c.fitWindow[0]}–${c.fitWindow[1]}`,
    points,
    targetLoss: c.stepsToTarget?.targetLoss ?? null,
    endStep,
  };
}

/** The fit's time variable at a step: the step, or the cumulative LR with the last LR held. */
function timeAxis(c: Extract<Convergence, { status: 'fitted' }>, summary: Pick<RunSummary, 'learningRates'>): (step: number) => number {
  if (c.timeVariable === 'step') return (s) => s;
  const lrs = summary.learningRates.map((v) => (typeof v === 'number' && v > 0 ? v : 0));
  const cumulative = [0];
  for (const lr of lrs) cumulative.push(cumulative[cumulative.length - 1]! + lr);
  const lastLr = [...lrs].reverse().find((v) => v > 0) ?? 0;
  const n = lrs.length;
  return (step) => (step <= n ? cumulative[Math.max(0, step)]! : cumulative[n]! + (step - n) * lastLr);
}
