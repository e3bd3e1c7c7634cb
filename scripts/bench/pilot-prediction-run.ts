// One measured pair for the pilot prediction bench (pilot-prediction.mjs bundles this file): a
// pilot of 10% of a CPU training run and its forecast, then the full run, with the errors of the
// forecast time and energy against the full run's measured ones, the share of the CPUs other
// processes took meanwhile, and how much the machine's own speed drifted within each run.
import { join } from 'node:path';
import { forecastRun } from '../../src/core/energy/forecast';
import { readRunEvents } from '../../src/core/pilot/eventFiles';
import type { RunRecord } from '../../src/core/pilot/runRecord';
import { startPilot } from '../../src/core/pilot/runner';
import { runsDir } from '../../src/core/pilot/runStore';
import { measureOtherLoad } from './machineLoad';

export interface PairOptions {
  workspace: string;
  script: string;
  python: string;
  harnessPath: string;
  epochs: number;
  stepsPerEpoch: number;
}

export interface PairReport {
  pilotSteps: number;
  totalSteps: number;
  predictedTimeS: number;
  measuredTimeS: number;
  timeError: number;
  predictedKWh: number;
  measuredKWh: number;
  energyError: number;
  finalLoss: number;
  interval: unknown;
  /** Share of all CPUs used by other processes during the pilot and the full run (null: unknown). */
  otherLoad: { pilot: number | null; full: number | null };
  /** The machine's speed drift within each run: max / min of its block mean step times − 1. */
  drift: { pilot: number; full: number };
}

export async function measurePair(o: PairOptions): Promise<PairReport> {
  const total = o.epochs * o.stepsPerEpoch;
  const pilotSteps = Math.round(total / 10);
  const run = (steps: number) =>
    startPilot({
      script: o.script,
      args: ['--epochs', String(o.epochs)],
      workspaceDir: o.workspace,
      python: o.python,
      harnessPath: o.harnessPath,
      budget: { steps },
    }).done;

  const pilotLoad = measureOtherLoad();
  const pilot = await run(pilotSteps);
  const otherPilot = pilotLoad.stop();
  if (pilot.state !== 'completed') throw new Error(`the pilot ${pilot.state}: ${pilot.message}`);
  const forecast = forecastRun({ summary: pilot.summary, epochs: o.epochs });
  if (forecast.timeS === null || forecast.deviceEnergyKWh === null) throw new Error(`no forecast: ${forecast.unknowns.join('; ')}`);

  const fullLoad = measureOtherLoad();
  const full = await run(10 * total);
  const otherFull = fullLoad.stop();
  if (full.state !== 'completed') throw new Error(`the full run ${full.state}: ${full.message}`);
  if (full.summary.loopS === null || full.summary.energy.wattsMean === null) throw new Error('the full run measured no loop time or power');

  // the full run, measured: its training loop (end of step 1 to the end of the last step, scaled
  // to all steps) and its energy (mean power of its measured windows over that time)
  const measuredTimeS = (full.summary.loopS * total) / (total - 1);
  const measuredKWh = (full.summary.energy.wattsMean * measuredTimeS) / 3.6e6;
  const tail = full.summary.losses.slice(-Math.round(total * 0.05)) as number[];
  const c = forecast.convergence;
  return {
    pilotSteps,
    totalSteps: total,
    predictedTimeS: forecast.timeS,
    measuredTimeS,
    timeError: forecast.timeS / measuredTimeS - 1,
    predictedKWh: forecast.deviceEnergyKWh,
    measuredKWh,
    energyError: forecast.deviceEnergyKWh / measuredKWh - 1,
    finalLoss: tail.reduce((s, x) => s + x, 0) / tail.length,
    interval: c.status === 'fitted' ? c.finalLoss : c,
    otherLoad: { pilot: otherPilot, full: otherFull },
    drift: { pilot: drift(o.workspace, pilot, 100), full: drift(o.workspace, full, o.stepsPerEpoch) },
  };
}

/** max / min − 1 of the mean step time over consecutive blocks of `block` steps (warm-up left out). */
function drift(ws: string, record: RunRecord, block: number): number {
  const ends = readRunEvents(join(runsDir(ws), record.runDir)).events.flatMap((e) => (e.type === 'step' && e.rank === 0 ? [e.tEnd] : []));
  const means: number[] = [];
  for (let k = 3; k + block <= ends.length; k += block) means.push((ends[k + block - 1]! - ends[k]!) / (block - 1));
  return means.length > 1 ? Math.max(...means) / Math.min(...means) - 1 : 0;
}
