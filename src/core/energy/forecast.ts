// From a pilot to the full run: time, energy (with PUE), gCO2e, cost, convergence, J per MAC.
import type { RunSummary } from '../pilot/summary';
import { resolveIntensity, type CarbonIntensity, type IntensityChoice } from './carbonIntensity';
import { fitConvergence, type Convergence } from './convergence';
import defaults from './data/defaults.json';
import type { EnergySourceKind } from './energySource';

export interface ForecastInput {
  summary: RunSummary;
  /** Total optimizer steps of the full run, when the user knows it (max_steps). */
  totalSteps?: number;
  /** Epochs of the full run: × steps per epoch read from the DataLoader's length. */
  epochs?: number;
  /**
   * The run length the training script fixes (its loop over `range(STEPS)`, or epochs × its
   * DataLoader), used when neither total steps nor epochs are given and the pilot did not run the
   * script to its end; `basis` says how it was read.
   */
  scriptLength?: { steps: number; basis: string } | { epochs: number; basis: string };
  /** Power usage effectiveness of the facility (default 1.0: device energy only). */
  pue?: number;
  carbon?: IntensityChoice;
  /** Electricity price per kWh; cost stays unknown without it. */
  pricePerKWh?: number;
  currency?: string;
  /** Multiply-accumulates of one training step from the static analysis (forward + backward). */
  macsPerStep?: number;
  targetLoss?: number;
  /** Learning rate of future steps, when the schedule is known. */
  futureLr?: (step: number) => number;
}

export type TotalStepsSource =
  'user' | 'epochs × DataLoader length' | 'script finished in the pilot' | 'the script' | "the script's epochs × DataLoader length";

export interface Forecast {
  totalSteps: number | null;
  totalStepsSource: TotalStepsSource | null;
  /** Training-loop seconds: totalSteps × the pilot's typical step time (summary.stepTimeS; setup not included). */
  timeS: number | null;
  /** Facility energy = device energy × PUE, in kWh. */
  energyKWh: number | null;
  deviceEnergyKWh: number | null;
  pue: number;
  energySource: EnergySourceKind | null;
  co2eGrams: number | null;
  carbonIntensity: CarbonIntensity;
  /** Electricity cost in `currency`; null without a price. */
  cost: number | null;
  currency: string | null;
  pricePerKWh: number | null;
  /** Energy per multiply-accumulate of a training step, J/MAC; null without the static MAC count. */
  joulesPerMac: number | null;
  convergence: Convergence;
  assumptions: string[];
  /** What could not be forecast, and why. */
  unknowns: string[];
}

export function forecastRun(input: ForecastInput): Forecast {
  const { summary } = input;
  const assumptions: string[] = [];
  const unknowns: string[] = [];
  const pue = input.pue ?? defaults.pue.value;
  if (!(pue >= 1)) throw new RangeError(`PUE must be at least 1, got ${pue}`);

  const { totalSteps, source } = resolveTotalSteps(input, unknowns);
  if (input.scriptLength && (source === 'the script' || source === "the script's epochs × DataLoader length"))
    assumptions.push(`run length read from the script: ${input.scriptLength.basis}`);
  const stepTime = summary.stepTimeS;
  const jps = summary.energy.joulesPerStep;

  let timeS: number | null = null;
  if (totalSteps !== null && stepTime !== null) {
    timeS = totalSteps * stepTime;
    const how =
      summary.stepTimeBlocks > 1
        ? `median of ${summary.stepTimeBlocks} block means over ${summary.measuredSteps} steps${summary.stepTimeMeanS !== null ? `; plain mean ${fmt(summary.stepTimeMeanS * 1000)} ms` : ''}`
        : `mean over ${summary.measuredSteps} steps`;
    assumptions.push(
      `every step takes the pilot's typical step time after ${summary.warmupSteps} warm-up steps (${fmt(stepTime * 1000)} ms, ${how}); setup (${summary.setupS !== null ? `${fmt(summary.setupS)} s` : 'unknown'} in the pilot) not included`,
    );
  } else if (stepTime === null) unknowns.push('time: no step was timed after warm-up (pilot too short)');

  let deviceKWh: number | null = null;
  if (totalSteps !== null && jps !== null) {
    deviceKWh = (totalSteps * jps) / 3.6e6;
    assumptions.push(
      `${fmt(jps)} J per step (${summary.energy.source ?? 'unknown source'}: mean power of the measured windows × the typical step time) for every step`,
    );
  } else if (jps === null) unknowns.push(`energy: ${summary.energy.reason ?? 'no energy per step was measured'}`);
  const energyKWh = deviceKWh !== null ? deviceKWh * pue : null;
  assumptions.push(`PUE ${pue}${input.pue === undefined ? ` (default: ${defaults.pue.why})` : ''}`);

  const { intensity, note } = resolveIntensity(input.carbon ?? {});
  if (note) assumptions.push(note);
  const co2eGrams = energyKWh !== null ? energyKWh * intensity.gramsPerKWh : null;
  assumptions.push(
    `grid ${fmt(intensity.gramsPerKWh)} gCO2e/kWh (${intensity.region}${intensity.year ? `, ${intensity.year}` : ''}; ${intensity.source})`,
  );

  const price = input.pricePerKWh ?? null;
  const cost = energyKWh !== null && price !== null ? energyKWh * price : null;
  if (price === null) unknowns.push('cost: no electricity price set (--price-per-kwh or the wattlens.pricePerKWh setting)');

  let joulesPerMac: number | null = null;
  if (input.macsPerStep !== undefined && input.macsPerStep > 0 && jps !== null) joulesPerMac = jps / input.macsPerStep;
  else if (input.macsPerStep === undefined) unknowns.push('J per MAC: no MAC count of a training step from the static analysis');

  const convergence: Convergence =
    totalSteps === null
      ? { status: 'too-short', reason: 'the full run length is unknown (give total steps or epochs)' }
      : fitConvergence({
          losses: summary.losses,
          learningRates: summary.learningRates,
          totalSteps,
          ...(input.futureLr ? { futureLr: input.futureLr } : {}),
          ...(input.targetLoss !== undefined ? { targetLoss: input.targetLoss } : {}),
          joulesPerStep: jps !== null ? jps * pue : null,
        });

  return {
    totalSteps,
    totalStepsSource: source,
    timeS,
    energyKWh,
    deviceEnergyKWh: deviceKWh,
    pue,
    energySource: summary.energy.source,
    co2eGrams,
    carbonIntensity: intensity,
    cost,
    currency: price !== null ? (input.currency ?? null) : null,
    pricePerKWh: price,
    joulesPerMac,
    convergence,
    assumptions,
    unknowns,
  };
}

function resolveTotalSteps(input: ForecastInput, unknowns: string[]): { totalSteps: number | null; source: TotalStepsSource | null } {
  if (input.totalSteps !== undefined) {
    if (!(Number.isInteger(input.totalSteps) && input.totalSteps > 0))
      throw new RangeError(`total steps must be a positive integer, got ${input.totalSteps}`);
    return { totalSteps: input.totalSteps, source: 'user' };
  }
  const loader = input.summary.dataLoader;
  if (input.epochs !== undefined) {
    if (loader?.length) return { totalSteps: input.epochs * loader.length, source: 'epochs × DataLoader length' };
    unknowns.push("total steps: epochs given but the script's DataLoader has no length; give total steps");
    return { totalSteps: null, source: null };
  }
  if (input.summary.end?.status === 'script-finished' && input.summary.steps > 0) {
    return { totalSteps: input.summary.steps, source: 'script finished in the pilot' };
  }
  const script = input.scriptLength;
  if (script && 'steps' in script && Number.isInteger(script.steps) && script.steps > 0)
    return { totalSteps: script.steps, source: 'the script' };
  if (script && 'epochs' in script && Number.isInteger(script.epochs) && script.epochs > 0) {
    if (loader?.length) return { totalSteps: script.epochs * loader.length, source: "the script's epochs × DataLoader length" };
    unknowns.push(
      `total steps: the script runs ${script.epochs} epochs × len(DataLoader), but the pilot saw no DataLoader with a length (dataset size unknown); give total steps`,
    );
    return { totalSteps: null, source: null };
  }
  unknowns.push(
    loader?.length
      ? `total steps: give --total-steps or --epochs (the DataLoader has ${loader.length} steps per epoch)`
      : 'total steps: give --total-steps (or --epochs when the script uses a DataLoader with a length)',
  );
  return { totalSteps: null, source: null };
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}
