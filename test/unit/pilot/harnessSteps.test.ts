// Step counting and loss capture of the harness on real torch (CPU).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/core/pilot/summary';
import { FIXTURES, HARNESS, runHarness, stepsOf, TORCH_PYTHON } from './harnessHelpers';
import { tempDirForTest } from '../../support/tempDirs';

describe('harness step detection', () => {
  it('counts a custom subclass whose step calls super().step() once, and optimizers created earlier', () => {
    const run = runHarness(join(FIXTURES, 'custom_optimizer.py'), []);
    expect(run.status, run.stderr).toBe(0);
    const steps = stepsOf(run.events);
    expect(steps).toHaveLength(15);
    const end = run.events.find((e) => e.type === 'end');
    expect(end).toMatchObject({ status: 'script-finished', steps: 15 });
  });

  it('runs a notebook’s code cells in order as one script, magics and shell escapes skipped', () => {
    const run = runHarness(join(FIXTURES, 'train_notebook.ipynb'), []);
    expect(run.status, run.stderr).toBe(0);
    expect(stepsOf(run.events)).toHaveLength(12);
    expect(run.events.find((e) => e.type === 'end')).toMatchObject({ status: 'script-finished', steps: 12 });
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

  it('records the BLAS torch was built with and the threads the script trained with', () => {
    const run = runHarness(join(FIXTURES, 'tiny_train.py'), ['10'], { steps: 4, env: { OMP_NUM_THREADS: '3' } });
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    expect(summary.torchThreads).toBe(3);
    const build = summary.torchBuild!;
    expect(typeof build.blas).toBe('string');
    // the same setting as torch prints it, and oneDNN's availability as torch reports it
    const probe = spawnSync(
      TORCH_PYTHON,
      [
        '-c',
        'import sys, torch; s = torch.__config__.show(); print(("BLAS_INFO=" + sys.argv[1] + ",") in s, torch.backends.mkldnn.is_available())',
        build.blas!,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.stdout.trim()).toBe(`True ${build.mkldnn ? 'True' : 'False'}`);
  });

  it('records 0-d, 1-element, float64 and NaN losses and sums two backward calls, as the script saw them', () => {
    const expectedFile = join(tempDirForTest('wattlens-harness-'), 'expected.json');
    const run = runHarness(join(FIXTURES, 'odd_losses.py'), [expectedFile]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.warnings).toEqual([]); // every line is valid JSON: the NaN is written as null
    const expected: (number | null)[] = JSON.parse(readFileSync(expectedFile, 'utf8'));
    const summary = summarize(run.events);
    expect(summary.losses).toEqual(expected); // exact: the stacked read is the .item() value
    expect(summary.losses[6]).toBeNull();
    expect(stepsOf(run.events).find((e) => e.step === 11)?.backwardCalls).toBe(2);
  });

  it('leaves no __pycache__ beside the harness, even when the interpreter writes bytecode', () => {
    const run = runHarness(join(FIXTURES, 'tiny_train.py'), ['5'], { env: { PYTHONDONTWRITEBYTECODE: '' } }); // '' = unset
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dirname(HARNESS))).not.toContain('__pycache__');
  });
});
