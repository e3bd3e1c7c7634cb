// Runs the Python harness directly (no runner) and returns its parsed events.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { readRunEvents } from '../../../src/core/pilot/eventFiles';
import type { HarnessEvent } from '../../../src/core/pilot/events';
import { tempDirForTest } from '../../support/tempDirs';

export const TORCH_PYTHON = process.env.WATTLENS_TEST_PYTHON ?? '/usr/bin/python3';
export const HARNESS = resolve(__dirname, '../../../src/pilot/harness/wattlens_pilot.py');
export const FIXTURES = resolve(__dirname, '../../fixtures/pilot');

export function runHarness(
  script: string,
  scriptArgs: string[],
  opts: { steps?: number; seconds?: number; measureGpus?: string; env?: NodeJS.ProcessEnv; warmup?: number } = {},
): { events: HarnessEvent[]; warnings: string[]; status: number | null; stderr: string; runDir: string } {
  const runDir = tempDirForTest('wattlens-harness-');
  const res = spawnSync(
    TORCH_PYTHON,
    [
      HARNESS,
      '--run-dir',
      runDir,
      ...(opts.steps !== undefined ? ['--steps', String(opts.steps)] : []),
      ...(opts.seconds !== undefined ? ['--seconds', String(opts.seconds)] : []),
      '--warmup',
      String(opts.warmup ?? 2),
      '--window-s',
      '0.05',
      '--measure-gpus',
      opts.measureGpus ?? 'none',
      '--cpu-watts-min',
      '1',
      '--cpu-watts-max',
      '4',
      '--',
      script,
      ...scriptArgs,
    ],
    { env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 60_000 },
  );
  const { events, warnings } = readRunEvents(runDir);
  return { events, warnings, status: res.status, stderr: res.stderr, runDir };
}

export function stepsOf(events: HarnessEvent[]) {
  return events.filter((e) => e.type === 'step');
}
