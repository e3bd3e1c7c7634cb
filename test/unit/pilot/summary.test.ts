// The figures a pilot reports, from hand-made harness events.
import { describe, expect, it } from 'vitest';
import type { HarnessEvent } from '../../../src/core/pilot/events';
import { summarize } from '../../../src/core/pilot/summary';

const WARMUP = 3;

/** A run on one rank: step dts (the first is the first step, dt null) and 1-second energy windows at `watts`. */
function run(dts: number[], watts: number): HarnessEvent[] {
  const events: HarnessEvent[] = [
    {
      type: 'start',
      rank: 0,
      t: 0,
      schemaVersion: 1,
      pid: 1,
      host: 'h',
      perf0: 0,
      cpuModel: 'cpu',
      script: 's.py',
      argv: [],
      cwd: '/',
      executable: 'python',
      budget: { steps: null, seconds: null },
      warmupSteps: WARMUP,
      energySources: [{ source: 'estimated', scope: 'process', device: 'cpu', detail: 'table', assumptions: [] }],
      notes: [],
      localRank: 0,
      worldSize: 1,
      localWorldSize: 1,
      python: '3.11',
      torch: '2.6',
      cuda: null,
    },
  ];
  let t = 1;
  let windowFrom = WARMUP + 1;
  let windowT0 = 0;
  dts.forEach((dt, i) => {
    const step = i + 1;
    t += dt;
    events.push({
      type: 'step',
      rank: 0,
      t: 0,
      step,
      dt: i === 0 ? null : dt,
      tEnd: t,
      warmup: step <= WARMUP,
      loss: 1 / step,
      backwardCalls: 1,
      lr: 0.1,
      loader: null,
    });
    if (step === WARMUP) windowT0 = t;
    const last = step === dts.length;
    if (step > WARMUP && (t - windowT0 >= 1 || last)) {
      const seconds = t - windowT0;
      events.push({
        type: 'energy',
        rank: 0,
        t: 0,
        fromStep: windowFrom,
        toStep: step,
        t0: windowT0,
        t1: t,
        seconds,
        readings: [{ device: 'cpu', source: 'estimated', scope: 'process', joules: watts * seconds, watts }],
      });
      windowFrom = step + 1;
      windowT0 = t;
    }
  });
  return events;
}

describe('pilot summary: step time and energy per step', () => {
  it('uses the median of block means: a burst of load in a short pilot does not set the forecast', () => {
    const dts = Array.from({ length: 203 }, () => 0.01);
    for (let i = 100; i < 140; i++) dts[i] = 0.04; // 40 steps slowed 4× by another process
    const s = summarize(run(dts, 50));
    expect(s.measuredSteps).toBe(200);
    expect(s.stepTimeBlocks).toBe(9);
    expect(s.stepTimeMeanS).toBeCloseTo(0.016, 9);
    expect(s.stepTimeS).toBeCloseTo(0.01, 9);
    // energy per step = mean power × typical step time: 50 W × 10 ms
    expect(s.energy.joulesPerStep).toBeCloseTo(0.5, 6);
    expect(s.energy.components[0]!.wattsMean).toBeCloseTo(50, 6);
  });

  it('on steady steps the typical step time is the mean and energy per step is joules / steps', () => {
    const s = summarize(
      run(
        Array.from({ length: 103 }, () => 0.02),
        30,
      ),
    );
    expect(s.stepTimeS).toBeCloseTo(0.02, 12);
    expect(s.stepTimeMeanS).toBeCloseTo(0.02, 12);
    expect(s.energy.joulesPerStep).toBeCloseTo((30 * 0.02 * 100) / 100, 9);
  });

  it('falls back to the plain mean for a pilot too short for 3 blocks of 20 steps', () => {
    const dts = [0.5, 0.5, 0.5, 0.01, 0.01, 0.03, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01];
    const s = summarize(run(dts, 10));
    expect(s.measuredSteps).toBe(10);
    expect(s.stepTimeBlocks).toBe(1);
    expect(s.stepTimeS).toBeCloseTo(0.012, 12);
    expect(s.stepTimeS).toBe(s.stepTimeMeanS);
  });
});
