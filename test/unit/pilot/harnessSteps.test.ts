// Step counting and loss capture of the harness on real torch (CPU).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/core/pilot/summary';
import { FIXTURES, runHarness, stepsOf } from './harnessHelpers';

describe('harness step detection', () => {
  it('counts a custom subclass whose step calls super().step() once, and optimizers created earlier', () => {
    const run = runHarness(join(FIXTURES, 'custom_optimizer.py'), []);
    expect(run.status, run.stderr).toBe(0);
    const steps = stepsOf(run.events);
    expect(steps).toHaveLength(15);
    const end = run.events.find((e) => e.type === 'end');
    expect(end).toMatchObject({ status: 'script-finished', steps: 15 });
  });

  it('stops at the step budget and records one loss per step, warm-up flagged', () => {
    const run = runHarness(join(FIXTURES, 'tiny_train.py'), ['100'], { steps: 25, warmup: 3 });
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    expect(summary.steps).toBe(25);
    expect(summary.losses).toHaveLength(25);
    expect(summary.losses.every((l) => typeof l === 'number')).toBe(true);
    // plain SGD on a linear regression: the loss goes down
    expect(summary.losses[24]!).toBeLessThan(summary.losses[0]!);
    expect(summary.warmupSteps).toBe(3);
    expect(summary.measuredSteps).toBe(22);
    expect(summary.end?.status).toBe('budget-reached');
    expect(summary.learningRates[0]).toBe(0.1);
  });
});
