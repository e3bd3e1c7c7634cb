// The hostile-input suite's yardstick (issue: a hostile repository can't crash, hang or phone
// home). Each case runs a WattLens process through run_contained.py and is judged on the same
// terms: exit 0, 2 or 3 (or a settled record, checked by the case), one clear message and no stack
// trace, within the time limit, under 1 GB of RSS, no process left behind, no connection to a
// non-loopback address.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

export const REPO = resolve(__dirname, '..', '..', '..');
export const CLI = join(REPO, 'dist', 'cli.js');
const RUNNER = join(__dirname, 'run_contained.py');
const NET_GUARD = join(__dirname, 'netGuard.cjs');

export const LIMITS = { seconds: 5, rssKB: 1024 * 1024 } as const;

export interface Contained {
  code: number | null;
  signal: number | null;
  elapsedMs: number;
  maxRssKB: number;
  timedOut: boolean;
  /** Processes still alive after the command returned (killed by the runner). */
  survivors: number[];
  stdout: string;
  stderr: string;
  /** Non-loopback connections or look-ups the process attempted (refused). */
  netAttempts: string[];
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Wall-clock limit in seconds (the 5 s unless a case needs its own, e.g. a pilot). */
  seconds?: number;
}

/** Runs `node dist/cli.js ARGS` (with the network guard preloaded) under the suite's yardstick. */
export function runCli(args: string[], options: RunOptions = {}): Contained {
  return runContained([process.execPath, '--require', NET_GUARD, CLI, ...args], options);
}

/** Runs any command under the suite's yardstick. */
export function runContained(command: string[], options: RunOptions = {}): Contained {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-hostile-'));
  const stdoutFile = join(dir, 'stdout');
  const stderrFile = join(dir, 'stderr');
  try {
    const limit = options.seconds ?? LIMITS.seconds;
    const r = spawnSync('python3', [RUNNER, String(limit), randomUUID(), '--', ...command], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env, HOSTILE_STDOUT: stdoutFile, HOSTILE_STDERR: stderrFile },
      encoding: 'utf8',
      timeout: (limit + 30) * 1000,
    });
    if (r.status !== 0) throw new Error(`run_contained.py failed: ${r.stderr}`);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<Contained, 'stdout' | 'stderr' | 'netAttempts'>;
    const stderr = readFileSync(stderrFile, 'utf8');
    const netAttempts = [...stderr.matchAll(/^HOSTILE-NET (.*)$/gm)].map((m) => m[1]!);
    return { ...report, stdout: readFileSync(stdoutFile, 'utf8'), stderr, netAttempts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$|Traceback \(most recent call last\)|internal error/m;

/**
 * The yardstick: exit 0, 2 (bad input) or 3 (a file read, nothing could be built: the CLI's
 * documented answer), no stack trace or internal error in the output, within the limit,
 * under 1 GB, nothing left running, no request off the machine. `allowExit` widens the codes for
 * a command whose contract has another (e.g. a budget gate).
 */
export function expectContained(r: Contained, allowExit: number[] = [0, 2, 3]): void {
  const context = `exit ${r.code} signal ${r.signal} in ${r.elapsedMs} ms, ${Math.round(r.maxRssKB / 1024)} MB\nstderr: ${r.stderr.slice(0, 2000)}`;
  expect(r.timedOut, `timed out: ${context}`).toBe(false);
  expect(r.signal, `killed by a signal: ${context}`).toBeNull();
  expect(allowExit, `exit code: ${context}`).toContain(r.code);
  expect(r.maxRssKB, `RSS: ${context}`).toBeLessThan(LIMITS.rssKB);
  expect(r.survivors, `processes left running: ${context}`).toEqual([]);
  expect(r.netAttempts, `non-loopback requests: ${context}`).toEqual([]);
  expect(STACK_LINE.test(r.stderr) || STACK_LINE.test(r.stdout), `stack trace or internal error: ${context}`).toBe(false);
}

/** Exit 2 with one clear line on stderr (a usage error or a file that is refused). */
export function expectOneLineError(r: Contained, pattern?: RegExp): void {
  expectContained(r);
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('HOSTILE-NET'));
  expect(lines.length, r.stderr).toBe(1);
  if (pattern) expect(lines[0]).toMatch(pattern);
}
