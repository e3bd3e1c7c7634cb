// The claim of a pilot, on a real CPU training run with real torch: run 10% of it, forecast the
// whole from what the harness recorded, then run the whole. Checked here: the pilot's length and
// the full run's length read from the DataLoader; the time and energy forecasts are the model's
// arithmetic on the per-step data the harness recorded (recomputed from its event files); those
// data are positive and consistent; the final loss lies inside the interval forecast. How close the
// forecast wall time comes to the full run's is a speed figure of the machine as much as of the
// forecast, so it is measured by `node scripts/bench/pilot-prediction.mjs` (npm run bench), not here.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forecastRun, type Forecast } from '../../../src/core/energy/forecast';
import { readRunEvents } from '../../../src/core/pilot/eventFiles';
import type { EnergyEvent, HarnessEvent, StepEvent } from '../../../src/core/pilot/events';
import type { RunRecord } from '../../../src/core/pilot/runRecord';
import { startPilot } from '../../../src/core/pilot/runner';
import { runsDir } from '../../../src/core/pilot/runStore';
import { MLP, TORCH_PYTHON } from './helpers';
import { tempDirsPerFile } from '../../support/tempDirs';

const fileTempDir = tempDirsPerFile();

// 8 epochs of 512 steps (32768 samples, batch 64): 4096 steps; the pilot takes the first 410
const EPOCHS = 8;
const STEPS_PER_EPOCH = 512;
const TOTAL = EPOCHS * STEPS_PER_EPOCH;
const PILOT_STEPS = Math.round(TOTAL / 10);
/** The harness's default warm-up (src/core/pilot/runner.ts), left out of the per-step figures. */
const WARMUP = 3;

let ws: string;
let pilot: RunRecord;
let full: RunRecord;
let forecast: Forecast;
let pilotEvents: HarnessEvent[];
let fullEvents: HarnessEvent[];

const events = (record: RunRecord) => readRunEvents(join(runsDir(ws), record.runDir)).events;
const stepsOf = (evs: HarnessEvent[]) =>
  evs.filter((e): e is StepEvent => e.type === 'step' && e.rank === 0).sort((a, b) => a.step - b.step);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The typical step time as docs/pilot.md states it, from the recorded step durations after warm-up:
 * the median of the means of k equal blocks (k = min(9, ⌊n / 20⌋), the remainder dropped from the
 * start), or the plain mean when fewer than 3 blocks fit.
 */
function typicalStepTime(dts: number[]): number {
  const k = Math.min(9, Math.floor(dts.length / 20));
  if (k < 3) return mean(dts);
  const size = Math.floor(dts.length / k);
  const skip = dts.length - size * k;
  return median(Array.from({ length: k }, (_, b) => mean(dts.slice(skip + b * size, skip + (b + 1) * size))));
}

describe('a pilot forecasts the full run from what it recorded', () => {
  beforeAll(async () => {
    ws = fileTempDir('wattlens-pilot-');
    const args = ['--epochs', String(EPOCHS)];
    pilot = await startPilot({ script: MLP, args, workspaceDir: ws, python: TORCH_PYTHON, budget: { steps: PILOT_STEPS } }).done;
    if (pilot.state !== 'completed') throw new Error(`the pilot ${pilot.state}: ${pilot.message}`);
    forecast = forecastRun({ summary: pilot.summary, epochs: EPOCHS });
    full = await startPilot({ script: MLP, args, workspaceDir: ws, python: TORCH_PYTHON, budget: { steps: 10 * TOTAL } }).done;
    if (full.state !== 'completed') throw new Error(`the full run ${full.state}: ${full.message}`);
    pilotEvents = events(pilot);
    fullEvents = events(full);
  }, 300_000);

  it("pilots 10% and reads the full run's length from the DataLoader", () => {
    expect(pilot.summary.steps).toBe(PILOT_STEPS);
    expect(pilot.summary.dataLoader?.length).toBe(STEPS_PER_EPOCH);
    expect(forecast.totalSteps).toBe(TOTAL);
    expect(forecast.totalStepsSource).toBe('epochs × DataLoader length');
    expect(full.completion).toBe('script-finished');
    expect(full.summary.steps).toBe(TOTAL);
  });

  it.each([
    ['pilot', () => [pilot, pilotEvents, PILOT_STEPS] as const],
    ['full run', () => [full, fullEvents, TOTAL] as const],
  ])('the %s recorded every step once, with positive durations that add up to its loop time', (_name, get) => {
    const [record, evs, n] = get();
    const steps = stepsOf(evs);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(steps[0]!.dt).toBeNull();
    for (let i = 1; i < steps.length; i++) {
      const s = steps[i]!;
      expect(s.dt, `step ${s.step}`).toBeGreaterThan(0);
      // the time since the previous step ended, on the same clock as tEnd
      expect(s.dt!).toBeCloseTo(s.tEnd - steps[i - 1]!.tEnd, 9);
      expect(s.warmup).toBe(s.step <= WARMUP);
    }
    const loop = steps.at(-1)!.tEnd - steps[0]!.tEnd;
    expect(record.summary.loopS).toBeCloseTo(loop, 9);
    expect(record.summary.setupS).toBeGreaterThan(0);
    expect(record.summary.warmupSteps).toBe(WARMUP);
    expect(record.summary.measuredSteps).toBe(n - WARMUP);
  });

  it("forecasts the time as the full run's steps × the typical step time of the pilot's recorded steps", () => {
    const dts = stepsOf(pilotEvents)
      .filter((s) => !s.warmup)
      .map((s) => s.dt!);
    const typical = typicalStepTime(dts);
    expect(typical).toBeGreaterThan(0);
    expect(typical).toBeGreaterThanOrEqual(Math.min(...dts));
    expect(typical).toBeLessThanOrEqual(Math.max(...dts));
    expect(pilot.summary.stepTimeS).toBeCloseTo(typical, 12);
    expect(pilot.summary.stepTimeMeanS).toBeCloseTo(mean(dts), 12);
    expect(forecast.timeS! / (TOTAL * typical)).toBeCloseTo(1, 12);
  });

  it("forecasts the energy as the full run's steps × the mean power of the pilot's energy windows × the typical step time", () => {
    // every device's joules over the windows after warm-up ÷ their seconds, summed over devices
    const windows = pilotEvents.filter((e): e is EnergyEvent => e.type === 'energy' && e.fromStep > WARMUP && e.toStep >= e.fromStep);
    expect(windows.length).toBeGreaterThan(0);
    const seconds = windows.reduce((s, w) => s + w.seconds, 0);
    expect(seconds).toBeGreaterThan(0);
    const joules = new Map<string, number>();
    for (const w of windows)
      for (const r of w.readings) {
        expect(r.joules, `${r.device} in the window of steps ${w.fromStep}–${w.toStep}`).not.toBeNull();
        expect(r.joules!).toBeGreaterThanOrEqual(0);
        joules.set(`${r.device}|${r.source}`, (joules.get(`${r.device}|${r.source}`) ?? 0) + r.joules!);
      }
    const watts = [...joules.values()].reduce((s, j) => s + j / seconds, 0);
    expect(watts).toBeGreaterThan(0);
    expect(pilot.summary.energy.wattsMean! / watts).toBeCloseTo(1, 9);
    const joulesPerStep = watts * pilot.summary.stepTimeS!;
    expect(pilot.summary.energy.joulesPerStep! / joulesPerStep).toBeCloseTo(1, 9);
    expect(forecast.deviceEnergyKWh! / ((TOTAL * joulesPerStep) / 3.6e6)).toBeCloseTo(1, 9);
    expect(forecast.energyKWh! / forecast.deviceEnergyKWh!).toBeCloseTo(forecast.pue, 12);
  });

  it("brackets the full run's final loss with the interval forecast from the pilot", () => {
    const c = forecast.convergence;
    expect(c.status, JSON.stringify(c)).toBe('fitted');
    if (c.status !== 'fitted') return;
    // the full run's final loss: mean of its last 5% of steps
    const tail = full.summary.losses.slice(-Math.round(TOTAL * 0.05)) as number[];
    const finalLoss = mean(tail);
    expect(finalLoss).toBeGreaterThanOrEqual(c.finalLoss.low);
    expect(finalLoss).toBeLessThanOrEqual(c.finalLoss.high);
  });
});
