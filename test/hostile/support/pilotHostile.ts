// Helpers of the pilot's hostile cases: a workspace with one training script, the settled run
// record, a /proc scan for tagged processes, and the yardstick's checks for a pilot (whose own
// exit codes are 1 for a failed script and 130 for a cancelled run, and whose report may quote the
// script's Python traceback).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { CLI, LIMITS, type Contained } from './contained';

export const TORCH_PYTHON = process.env.WATTLENS_TEST_PYTHON ?? '/usr/bin/python3';
/** Wall-clock limit of a pilot case: the harness imports torch (seconds on a loaded machine). */
export const PILOT_SECONDS = 60;

/** A few lines that make `step()` one optimizer step (counted by the harness). */
export const TINY_STEP = `
import torch
_p = torch.nn.Parameter(torch.zeros(1))
_opt = torch.optim.SGD([_p], lr=0.1)
def step():
    _opt.zero_grad()
    ((_p - 1) ** 2).sum().backward()
    _opt.step()
`;

export interface PilotWorkspace {
  dir: string;
  script: string;
}

/** A fresh workspace holding train.py with `body` (TINY_STEP prepended unless `plain`), removed when the test ends. */
export function pilotWorkspace(body: string, options: { plain?: boolean } = {}): PilotWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-hostile-pilot-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'train.py');
  writeFileSync(script, `${options.plain ? '' : TINY_STEP}\n${body}\n`);
  return { dir, script };
}

/** `pilot SCRIPT --python … --workspace WS` plus the case's own arguments. */
export function pilotArgs(ws: PilotWorkspace, ...extra: string[]): string[] {
  return ['pilot', ws.script, '--python', TORCH_PYTHON, '--workspace', ws.dir, '--warmup', '1', ...extra];
}

export interface StoredRecord {
  state: string;
  completion: string | null;
  message: string | null;
  partial?: boolean;
  runDir: string;
  summary: { steps: number; end: { status: string; stopReason: string | null } | null; notes: string[] };
}

/** The one run record of the workspace (the case runs one pilot). */
export function onlyRecord(ws: PilotWorkspace): StoredRecord {
  const runs = join(ws.dir, '.wattlens', 'runs');
  const files = readdirSync(runs).filter((f) => f.endsWith('.json'));
  expect(files, 'one run record').toHaveLength(1);
  return JSON.parse(readFileSync(join(runs, files[0]!), 'utf8')) as StoredRecord;
}

export function outputLogOf(ws: PilotWorkspace, record: StoredRecord): Buffer {
  const path = join(ws.dir, '.wattlens', 'runs', record.runDir, 'output.log');
  return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$|internal error/m;

/**
 * The yardstick for a pilot: no time-out or signal, an exit code of the pilot's contract, under
 * 1 GB, nothing left running, no request off the machine, no WattLens stack trace (the script's
 * own Python traceback is part of a failed run's report). With `noTraceback` not even that.
 */
export function expectPilotContained(r: Contained, exits: number[], options: { noTraceback?: boolean } = {}): void {
  const context = `exit ${r.code} signal ${r.signal} in ${r.elapsedMs} ms, ${Math.round(r.maxRssKB / 1024)} MB\nstderr: ${r.stderr.slice(-3000)}\nstdout: ${r.stdout.slice(-1500)}`;
  expect(r.timedOut, `timed out: ${context}`).toBe(false);
  expect(r.signal, `killed by a signal: ${context}`).toBeNull();
  expect(exits, `exit code: ${context}`).toContain(r.code);
  expect(r.maxRssKB, `RSS: ${context}`).toBeLessThan(LIMITS.rssKB);
  expect(r.survivors, `processes left running: ${context}`).toEqual([]);
  expect(r.netAttempts, `non-loopback requests: ${context}`).toEqual([]);
  expect(STACK_LINE.test(r.stderr) || STACK_LINE.test(r.stdout), `WattLens stack trace: ${context}`).toBe(false);
  if (options.noTraceback) expect(/Traceback \(most recent call last\)/.test(r.stderr + r.stdout), `traceback: ${context}`).toBe(false);
}

/** Processes whose environment carries WATTLENS_HOSTILE_TAG=tag. */
export function taggedPids(tag: string): number[] {
  const needle = `WATTLENS_HOSTILE_TAG=${tag}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(needle)) found.push(Number(name));
    } catch {
      // gone or not ours
    }
  }
  return found;
}

/** Tagged processes still alive after up to `ms`, killed (so a failing case leaves nothing behind). */
export async function survivorsAfter(tag: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  let pids = taggedPids(tag);
  while (pids.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    pids = taggedPids(tag);
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return pids;
}

export interface SpawnedCli {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** The CLI started by the case itself (so that the case can signal it), tagged with `tag`. */
export function spawnCli(args: string[], tag: string, cwd: string): SpawnedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, WATTLENS_HOSTILE_TAG: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { pid: child.pid!, exited };
}

/** True once `path` exists (a marker the script writes), false after `ms`. */
export async function waitForFile(path: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (existsSync(path)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
