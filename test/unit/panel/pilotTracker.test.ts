import { describe, expect, it } from 'vitest';
import { PilotTracker, SERIES_CAPACITY } from '../../../src/core/panel/pilotTracker';
import { summarize } from '../../../src/core/pilot/summary';
import type { RunRecord } from '../../../src/core/pilot/runRecord';

const form = { scripts: ['train.py'], canRun: true, cannotRunReason: null };
const record = { message: 'done', summary: summarize([]) } as unknown as RunRecord;

describe('PilotTracker', () => {
  it('turns step and power events into the view and batches of new chart points', () => {
    const t = new PilotTracker('run1', 'train.py', { steps: 50 }, form);
    expect(t.snapshot()).toMatchObject({ state: 'running', runId: 'run1', budgetSteps: 50, step: 0 });
    t.onEvent({ kind: 'step', step: 1, budgetSteps: 50, loss: 2.5, stepTimeS: 0.01, warmup: true });
    t.onEvent({
      kind: 'power',
      watts: 30,
      source: 'estimated',
      devices: ['cpu'],
      readings: [{ device: 'cpu', source: 'estimated', watts: 30 }],
      window: { t0: 100, t1: 100.5, fromStep: 1, toStep: 1 },
    });
    t.onEvent({
      kind: 'power',
      watts: 70,
      source: 'nvml-power+estimated',
      devices: ['gpu:0', 'cpu'],
      readings: [
        { device: 'gpu:0', source: 'nvml-power', watts: 40 },
        { device: 'cpu', source: 'estimated', watts: 30 },
      ],
      window: { t0: 100.5, t1: 101.5, fromStep: 2, toStep: 3 },
    });
    const p = t.takeProgress()!;
    expect(p.loss).toEqual([[1, 2.5]]);
    // one column per device, in the order they appeared; seconds since the first window
    expect(p.devices).toEqual(['cpu', 'gpu:0']);
    expect(p.power).toEqual([
      { t: 0.5, watts: [30] },
      { t: 1.5, watts: [30, 40] },
    ]);
    expect(p.lastWatts).toBe(70);
    expect(t.takeProgress()).toBeNull();
  });

  it('charts the total when the runner reports no per-device readings', () => {
    let now = 1000;
    const t = new PilotTracker('r', 's.py', { seconds: 30 }, form, () => now);
    now = 3000;
    t.onEvent({ kind: 'power', watts: 12, source: 'rapl', devices: ['cpu:0'] });
    expect(t.takeProgress()!.power).toEqual([{ t: 2, watts: [12] }]);
  });

  it("settles as finished, failed or cancelled with the runner's message", () => {
    const t = new PilotTracker('r', 's.py', { steps: 5 }, form);
    t.onEvent({ kind: 'failed', record, message: 'the script failed after 2 steps: ValueError: x' });
    expect(t.snapshot()).toMatchObject({ state: 'failed', message: 'the script failed after 2 steps: ValueError: x' });
    const c = new PilotTracker('r', 's.py', { steps: 5 }, form);
    c.onEvent({ kind: 'cancelled', record });
    expect(c.running).toBe(false);
    expect(c.snapshot().state).toBe('cancelled');
  });

  it('carries the carbon-aware start of a settled run: none by default, fetching, then its outcome', () => {
    const t = new PilotTracker('r', 's.py', { steps: 10 }, form);
    t.onEvent({ kind: 'finished', record });
    expect(t.snapshot().carbonStart).toBeNull();
    t.setCarbonStart({ state: 'fetching', provider: 'UK Carbon Intensity API', area: null, fetchedAt: null, window: null, reason: null });
    expect(t.snapshot().carbonStart?.state).toBe('fetching');
    t.setCarbonStart({
      state: 'unavailable',
      provider: 'UK Carbon Intensity API',
      area: null,
      fetchedAt: null,
      window: null,
      reason: 'UK Carbon Intensity API: HTTP 500',
    });
    expect(t.snapshot()).toMatchObject({
      state: 'finished',
      carbonStart: { state: 'unavailable', reason: 'UK Carbon Intensity API: HTTP 500' },
    });
  });

  it('keeps its series bounded through an hour of 10 updates per second', () => {
    const t = new PilotTracker('r', 's.py', { seconds: 3600 }, form);
    for (let i = 1; i <= 36_000; i++) {
      t.onEvent({ kind: 'step', step: i, budgetSteps: null, loss: 1 / i, stepTimeS: 0.1, warmup: false });
      if (i % 10 === 0) t.takeProgress();
    }
    const s = t.snapshot();
    expect(s.loss.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(s.loss.at(-1)).toEqual([36_000, 1 / 36_000]);
    expect(s.step).toBe(36_000);
  });
});
