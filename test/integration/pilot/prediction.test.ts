// The claim of a pilot: run 10% of a small CPU training run, forecast the whole, then run the
// whole and compare. Time and energy within 10%; the final loss inside the reported interval.
// Wall time is what is forecast, so this file runs in the 'timed' group of vitest.config.ts: alone,
// after every other test file, so that no other test takes the CPU from the runs being timed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forecastRun, type Forecast } from '../../../src/core/energy/forecast';
import type { RunRecord } from '../../../src/core/pilot/runRecord';
import { readRunEvents } from '../../../src/core/pilot/eventFiles';
import { startPilot } from '../../../src/core/pilot/runner';
import { runsDir } from '../../../src/core/pilot/runStore';
import { MLP, newWorkspace, TORCH_PYTHON } from './helpers';
import { measureOtherLoad } from './machineLoad';

// 8 epochs of 512 steps (32768 samples, batch 64): 4096 steps, ~15 s on an idle core; the pilot's
// 410 steps (~1.5 s) are long enough that a short burst of load does not set its step time
const EPOCHS = 8;
const STEPS_PER_EPOCH = 512;
const TOTAL = EPOCHS * STEPS_PER_EPOCH;
const PILOT_STEPS = Math.round(TOTAL / 10);
/**
 * The time and energy comparison needs the machine to itself: when other processes (outside this
 * test) used more than this share of all CPUs during the pilot or the full run, the two wall times
 * were measured on different machines, in effect, and that comparison is skipped, with the loads.
 */
const MAX_OTHER_LOAD = 0.25;

interface Outcome {
  pilot: RunRecord;
  full: RunRecord;
  forecast: Forecast;
  report: {
    timeError: number;
    energyError: number;
    predictedTimeS: number;
    measuredTimeS: number;
    predictedKWh: number;
    measuredKWh: number;
    finalLoss: number;
    interval: unknown;
    /** Share of all CPUs used by other processes during the pilot and the full run (null: unknown). */
    otherLoad: { pilot: number | null; full: number | null };
    /** The machine's speed drift within each run: max / min of its block mean step times − 1. */
    drift: { pilot: number; full: number };
  };
}

/**
 * A shared VM's speed drifts: on the development machine (2 vCPUs, 2026-11-25, nothing else
 * running) the mean step time of consecutive 512-step blocks of one full run varied by 23–40%
 * from block to block. A wall-time forecast cannot be checked to 10% on a machine that does not
 * keep its own speed to 10% within the run being forecast. So each run's drift is measured (max / min
 * of its block means − 1), and a miss is excused only when the pilot or the full run drifted by more
 * than MAX_DRIFT: then the pair is run again (up to ATTEMPTS), and if every attempt missed on a
 * drifting machine the check is skipped with all their figures. A hit passes; a miss on a steady
 * machine fails.
 */
const ATTEMPTS = 3;
const TOLERANCE = 0.1;
const MAX_DRIFT = 0.12;

let outcome: Outcome;
const attempts: Outcome['report'][] = [];

async function attempt(ws: string): Promise<Outcome> {
  const args = ['--epochs', String(EPOCHS)];
  const pilotLoad = measureOtherLoad();
  const pilot = await startPilot({ script: MLP, args, workspaceDir: ws, python: TORCH_PYTHON, budget: { steps: PILOT_STEPS } }).done;
  const otherPilot = pilotLoad.stop();
  if (pilot.state !== 'completed') throw new Error(`the pilot ${pilot.state}: ${pilot.message}`);
  const forecast = forecastRun({ summary: pilot.summary, epochs: EPOCHS });

  const fullLoad = measureOtherLoad();
  const full = await startPilot({ script: MLP, args, workspaceDir: ws, python: TORCH_PYTHON, budget: { steps: 10 * TOTAL } }).done;
  const otherFull = fullLoad.stop();
  if (full.state !== 'completed') throw new Error(`the full run ${full.state}: ${full.message}`);

  // the full run, measured: its training loop (end of step 1 to the end of the last step, scaled
  // to all steps) and its energy (mean power of its measured windows over that time)
  const measuredTimeS = (full.summary.loopS! * TOTAL) / (TOTAL - 1);
  const measuredKWh = (full.summary.energy.wattsMean! * measuredTimeS) / 3.6e6;
  const tail = full.summary.losses.slice(-Math.round(TOTAL * 0.05)) as number[];
  const finalLoss = tail.reduce((s, x) => s + x, 0) / tail.length;
  const c = forecast.convergence;
  const report = {
    timeError: forecast.timeS! / measuredTimeS - 1,
    energyError: forecast.deviceEnergyKWh! / measuredKWh - 1,
    predictedTimeS: forecast.timeS!,
    measuredTimeS,
    predictedKWh: forecast.deviceEnergyKWh!,
    measuredKWh,
    finalLoss,
    interval: c.status === 'fitted' ? c.finalLoss : c,
    otherLoad: { pilot: otherPilot, full: otherFull },
    drift: { pilot: drift(ws, pilot, 100), full: drift(ws, full, STEPS_PER_EPOCH) },
  };
  return { pilot, full, forecast, report };
}

/** max / min − 1 of the mean step time over consecutive blocks of `block` steps (warm-up left out). */
function drift(ws: string, record: RunRecord, block: number): number {
  const ends = readRunEvents(join(runsDir(ws), record.runDir)).events.flatMap((e) => (e.type === 'step' && e.rank === 0 ? [e.tEnd] : []));
  const means: number[] = [];
  for (let k = 3; k + block <= ends.length; k += block) means.push((ends[k + block - 1]! - ends[k]!) / (block - 1));
  return means.length > 1 ? Math.max(...means) / Math.min(...means) - 1 : 0;
}

const steady = (r: Outcome['report']) => r.drift.pilot <= MAX_DRIFT && r.drift.full <= MAX_DRIFT;
const busy = (r: Outcome['report']) => [r.otherLoad.pilot, r.otherLoad.full].some((x) => x !== null && x > MAX_OTHER_LOAD);
const within = (r: Outcome['report']) => Math.abs(r.timeError) < TOLERANCE && Math.abs(r.energyError) < TOLERANCE;

describe('pilot prediction against the full run', () => {
  beforeAll(async () => {
    const ws = newWorkspace();
    const pct = (x: number | null) => (x === null ? '?' : `${(x * 100).toFixed(1)}%`);
    for (let i = 1; i <= ATTEMPTS; i++) {
      outcome = await attempt(ws);
      const report = outcome.report;
      attempts.push(report);
      console.log(
        `pilot prediction, attempt ${i}: time ${pct(report.timeError)} (${report.predictedTimeS.toFixed(2)} s vs ${report.measuredTimeS.toFixed(2)} s), ` +
          `energy ${pct(report.energyError)}, final loss ${report.finalLoss.toFixed(4)} in ${JSON.stringify(report.interval)}, ` +
          `other processes ${pct(report.otherLoad.pilot)} / ${pct(report.otherLoad.full)} of the CPUs, ` +
          `machine speed drift within the pilot ${pct(report.drift.pilot)} / the full run ${pct(report.drift.full)}`,
      );
      // a hit, or a miss on a steady, unshared machine, decides; a miss the machine explains is retried
      if (!busy(report) && (within(report) || steady(report))) break;
    }
    writeFileSync(join(ws, 'prediction.json'), JSON.stringify(attempts, null, 2));
    console.log(`pilot prediction: ${join(ws, 'prediction.json')}`);
  }, ATTEMPTS * 240_000);

  it("pilots 10% and reads the full run's length from the DataLoader", () => {
    expect(outcome.pilot.summary.steps).toBe(PILOT_STEPS);
    expect(outcome.forecast.totalSteps).toBe(TOTAL);
    expect(outcome.full.completion).toBe('script-finished');
    expect(outcome.full.summary.steps).toBe(TOTAL);
  });

  it("brackets the full run's final loss with the interval forecast from the pilot", () => {
    const c = outcome.forecast.convergence;
    expect(c.status, JSON.stringify(outcome.report)).toBe('fitted');
    if (c.status !== 'fitted') return;
    expect(outcome.report.finalLoss).toBeGreaterThanOrEqual(c.finalLoss.low);
    expect(outcome.report.finalLoss).toBeLessThanOrEqual(c.finalLoss.high);
  });

  it("predicts the training loop's time and energy within 10%", (ctx) => {
    const report = outcome.report;
    if (!within(report) && !busy(report) && !steady(report)) {
      ctx.skip(
        `in none of ${attempts.length} attempts did the machine keep its speed within ${MAX_DRIFT * 100}% during both the pilot and the full run: ` +
          `a wall-time forecast cannot be checked to ${TOLERANCE * 100}% here; ${JSON.stringify(attempts)}`,
      );
    }
    if (busy(report)) {
      const { pilot, full } = report.otherLoad;
      ctx.skip(
        `other processes used ${((pilot ?? 0) * 100).toFixed(0)}% / ${((full ?? 0) * 100).toFixed(0)}% of the CPUs during the pilot / full run ` +
          `(limit ${MAX_OTHER_LOAD * 100}%): their wall times are not comparable; ${JSON.stringify(report)}`,
      );
    }
    expect(Math.abs(report.timeError), JSON.stringify(attempts)).toBeLessThan(TOLERANCE);
    expect(Math.abs(report.energyError), JSON.stringify(attempts)).toBeLessThan(TOLERANCE);
  });
});
