// Starts a pilot: spawns the Python harness (torchrun for several GPUs), follows its event files,
// keeps the run record up to date and settles it as completed, failed or cancelled.
// No vscode here: the extension and the CLI both drive this API.
// Lifecycle (docs/pilot.md): the harness runs in a process group of its own and ends everything
// below it; the run ends when the harness exits (not when its pipes close: a daemon may hold
// them); a cancel the harness ignores ends in SIGKILL of the group and of every descendant.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { cpuPowerFor, gpuRatedTable, type CpuPowerCoefficients } from '../energy/hardwarePower';
import defaults from '../energy/data/defaults.json';
import { EventTail } from './eventFiles';
import type { HarnessEvent } from './events';
import { findHarness } from './harnessLocation';
import { OutputLog } from './outputLog';
import { killTagged, killTree, RUN_TAG_ENV } from './processTree';
import { RUN_RECORD_VERSION, type RunRecord } from './runRecord';
import { runsDir, writeRecord } from './runStore';
import { scriptEnvironment } from './scriptEnv';
import { ensureWattlensDir } from './wattlensFiles';
import { summarize, type RunSummary } from './summary';

export interface PilotOptions {
  script: string;
  args?: string[];
  /** Working directory of the script (default: the workspace). */
  cwd?: string;
  /** Where .wattlens/runs/ lives. */
  workspaceDir: string;
  /** Interpreter with torch (the Python extension's choice or wattlens.pythonPath); default python3. */
  python?: string;
  /** Stop after this many optimizer steps (warm-up included) or this many seconds of wall time from
   *  the harness's launch (setup included); the first reached wins. */
  budget: { steps?: number; seconds?: number };
  /** GPUs to use: 0 or 1 runs the script directly, N > 1 through torchrun --nproc_per_node N. */
  gpus?: number;
  warmupSteps?: number;
  env?: NodeJS.ProcessEnv;
  /** Per-vCPU power for the CPU estimate; default from the CPU table by model name. */
  cpuPower?: CpuPowerCoefficients;
  harnessPath?: string;
  /** How often the record is rewritten while running (ms). */
  heartbeatMs?: number;
  pollMs?: number;
  /** After Cancel, how long the harness gets to write what it measured before it is killed (ms). */
  cancelGraceMs?: number;
  /** After the harness exits, how long its output pipes may still deliver (ms); a daemon holding
   *  them is not waited for. */
  drainGraceMs?: number;
}

export type PilotEvent =
  | { kind: 'started'; record: RunRecord }
  | { kind: 'step'; step: number; budgetSteps: number | null; loss: number | null; stepTimeS: number | null; warmup: boolean }
  | {
      kind: 'power';
      watts: number;
      source: string;
      devices: string[];
      /** Each device's mean power over the window (added field; the panel charts them per device). */
      readings?: { device: string; source: string; watts: number | null }[];
      /** The energy window, perf_counter seconds of the harness (added field). */
      window?: { t0: number; t1: number; fromStep: number; toStep: number };
    }
  | { kind: 'log'; stream: 'stdout' | 'stderr' | 'harness'; text: string }
  | { kind: 'warning'; message: string }
  | { kind: 'finished'; record: RunRecord }
  | { kind: 'failed'; record: RunRecord; message: string }
  | { kind: 'cancelled'; record: RunRecord };

export interface PilotHandle extends AsyncIterable<PilotEvent> {
  readonly id: string;
  /** Folder of the event streams and output.log. */
  readonly runDir: string;
  on(listener: (event: PilotEvent) => void): () => void;
  /** Stop the run: the harness writes what it measured, or is killed after the grace period.
   *  A second cancel kills at once. */
  cancel(): void;
  /** The settled record (completed, failed or cancelled). */
  readonly done: Promise<RunRecord>;
}

/** A mistake in the options (missing script, bad budget): thrown before anything runs. */
export class PilotInputError extends Error {}

const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;

export function startPilot(options: PilotOptions): PilotHandle {
  const script = resolve(options.cwd ?? options.workspaceDir, options.script);
  if (!existsSync(script) || !statSync(script).isFile()) throw new PilotInputError(`script not found: ${options.script}`);
  const { steps, seconds } = options.budget;
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0))
    throw new PilotInputError(`--steps must be a positive integer, got ${steps}`);
  if (seconds !== undefined && !(seconds > 0)) throw new PilotInputError(`--seconds must be positive, got ${seconds}`);
  if (steps === undefined && seconds === undefined) throw new PilotInputError('a pilot needs a budget: steps or seconds');
  const gpus = options.gpus ?? 0;
  if (!(Number.isInteger(gpus) && gpus >= 0)) throw new PilotInputError(`--gpus must be a whole number, got ${gpus}`);

  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const runDirName = id;
  let runDir: string;
  try {
    runDir = ensureWattlensDir(options.workspaceDir, 'runs', runDirName);
  } catch (err) {
    throw new PilotInputError(`cannot keep the run in ${runsDir(options.workspaceDir)}: ${(err as Error).message}`);
  }
  const python = options.python ?? 'python3';
  const warmup = options.warmupSteps ?? defaults.warmupSteps.value;
  const cpuPower = options.cpuPower ?? cpuPowerFor(cpus()[0]?.model ?? '');
  const harness = options.harnessPath ?? findHarness();

  const harnessArgs = [
    '--run-dir',
    runDir,
    ...(steps !== undefined ? ['--steps', String(steps)] : []),
    ...(seconds !== undefined ? ['--seconds', String(seconds)] : []),
    '--warmup',
    String(warmup),
    '--measure-gpus',
    gpus === 0 ? 'none' : 'auto',
    '--cpu-watts-min',
    String(cpuPower.minWatts),
    '--cpu-watts-max',
    String(cpuPower.maxWatts),
    '--cpu-power-label',
    cpuPower.label,
    '--gpu-rated-table',
    JSON.stringify(gpuRatedTable()),
    '--',
    script,
    ...(options.args ?? []),
  ];
  // several GPUs: torch's own launcher (torchrun) starts one harness per rank
  const argv =
    gpus > 1
      ? [
          '-m',
          'torch.distributed.run',
          '--standalone',
          '--nproc_per_node',
          String(gpus),
          // "1" (stdout to a log file, teed to the console) avoids the default "0", which torch 1.13
          // cannot parse on Python 3.11 (Std(0) is missing from IntFlag iteration there)
          '--redirects',
          '1',
          '--tee',
          '1',
          // the ranks' log files go with the run: without it torchrun leaves a torchelastic_* folder in /tmp
          '--log_dir',
          join(runDir, 'torchrun-logs'),
          harness,
          ...harnessArgs,
        ]
      : ['-u', harness, ...harnessArgs];

  const now = new Date().toISOString();
  let record: RunRecord = {
    schemaVersion: RUN_RECORD_VERSION,
    id,
    state: 'running',
    completion: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    script,
    args: options.args ?? [],
    cwd: options.cwd ? resolve(options.cwd) : resolve(options.workspaceDir),
    python,
    gpus,
    budget: { steps: steps ?? null, seconds: seconds ?? null },
    host: hostname(),
    runnerPid: process.pid,
    harnessPid: null,
    runDir: runDirName,
    message: null,
    error: null,
    summary: summarize([]),
    macs: null,
  };

  const listeners = new Set<(e: PilotEvent) => void>();
  const queue: PilotEvent[] = [];
  const waiters: ((r: IteratorResult<PilotEvent>) => void)[] = [];
  let closed = false;
  const emit = (event: PilotEvent) => {
    for (const l of listeners) l(event);
    const w = waiters.shift();
    if (w) w({ value: event, done: false });
    else queue.push(event);
    if (event.kind === 'finished' || event.kind === 'failed' || event.kind === 'cancelled') {
      closed = true;
      for (const w2 of waiters.splice(0)) w2({ value: undefined, done: true });
    }
  };

  const events: HarnessEvent[] = [];
  const tail = new EventTail(runDir);
  const outputLog = new OutputLog(join(runDir, 'output.log'));
  let cancelRequested = false;
  let tailWarnings = 0;
  let stderrTail = '';
  let spawnError: NodeJS.ErrnoException | null = null;

  const save = () => {
    record = { ...record, updatedAt: new Date().toISOString(), summary: summarize(events) };
    writeRecord(options.workspaceDir, record);
  };

  const drain = (final = false) => {
    const { events: fresh, warnings } = tail.poll(final);
    tailWarnings += warnings.length;
    for (const w of warnings) emit({ kind: 'warning', message: w });
    for (const e of fresh) {
      events.push(e);
      if (e.type === 'step' && e.rank === 0) {
        emit({ kind: 'step', step: e.step, budgetSteps: steps ?? null, loss: e.loss, stepTimeS: e.dt, warmup: e.warmup });
      } else if (e.type === 'energy' && e.rank === 0 && e.toStep >= e.fromStep) {
        const watts = e.readings.reduce((s, r) => s + (r.watts ?? 0), 0);
        if (watts > 0) {
          emit({
            kind: 'power',
            watts,
            source: e.readings.map((r) => r.source).join('+'),
            devices: e.readings.map((r) => r.device),
            readings: e.readings.map((r) => ({ device: r.device, source: r.source, watts: r.watts })),
            window: { t0: e.t0, t1: e.t1, fromStep: e.fromStep, toStep: e.toStep },
          });
        }
      } else if (e.type === 'log') {
        emit({ kind: 'log', stream: 'harness', text: e.message });
      }
    }
  };

  writeRecord(options.workspaceDir, record);
  const child = spawn(python, argv, {
    cwd: record.cwd,
    env: scriptEnvironment(process.env, { ...options.env, PYTHONUNBUFFERED: '1', [RUN_TAG_ENV]: id }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: Cancel can reach DataLoader workers and torchrun ranks
  });
  live.set(child, id);
  installExitHook();
  record.harnessPid = child.pid ?? null;
  emit({ kind: 'started', record });

  const onOutput = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    outputLog.append(chunk);
    const text = chunk.toString('utf8');
    if (stream === 'stderr') stderrTail = (stderrTail + text).slice(-4000);
    emit({ kind: 'log', stream, text });
  };
  child.stdout?.on('data', onOutput('stdout'));
  child.stderr?.on('data', onOutput('stderr'));
  child.on('error', (err) => {
    spawnError = err as NodeJS.ErrnoException;
  });

  const poller = setInterval(() => drain(), options.pollMs ?? 250);
  const heartbeat = setInterval(() => {
    try {
      save();
    } catch (err) {
      emit({ kind: 'warning', message: `could not update the run record: ${(err as Error).message}` });
    }
  }, options.heartbeatMs ?? 2000);
  let killTimer: NodeJS.Timeout | null = null;
  const killNow = () => {
    if (child.pid !== undefined) killTree(child.pid);
  };
  const cancel = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (cancelRequested) return killNow();
    cancelRequested = true;
    // SIGTERM lets the harness close its window and write the end event; torchrun forwards it.
    // The cancel file reaches the harness's watchdog when the script has ignored SIGTERM.
    child.kill('SIGTERM');
    try {
      writeFileSync(join(runDir, 'cancel'), '');
    } catch {
      // the signal and the kill after the grace period still apply
    }
    killTimer = setTimeout(killNow, options.cancelGraceMs ?? 10_000);
  };
  // a seconds budget is enforced by the harness; this is the backstop for one that cannot
  const budgetTimer = seconds !== undefined ? setTimeout(cancel, (seconds + 30) * 1000) : null;

  const done = new Promise<RunRecord>((resolveDone) => {
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      clearInterval(poller);
      clearInterval(heartbeat);
      if (killTimer) clearTimeout(killTimer);
      if (budgetTimer) clearTimeout(budgetTimer);
      live.delete(child);
      killNow(); // leftovers (DataLoader workers, ranks) of a finished run
      killTagged(id); // and daemons reparented to init when the harness was killed before ending them
      child.stdout?.destroy();
      child.stderr?.destroy();
      outputLog.close();
      drain(true);
      const summary = summarize(events);
      const settled = settle({ summary, code, signal, cancelRequested, spawnError, stderrTail, python, events });
      // not a clean end: the harness did not write its end event, or its event file was damaged
      const partial = !summary.end || tailWarnings > 0;
      record = {
        ...record,
        ...settled,
        ...(partial ? { partial: true } : {}),
        summary,
        updatedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
      };
      try {
        writeRecord(options.workspaceDir, record);
      } catch (err) {
        emit({ kind: 'warning', message: `could not write the run record: ${(err as Error).message}` });
      }
      if (record.state === 'completed') emit({ kind: 'finished', record });
      else if (record.state === 'cancelled') emit({ kind: 'cancelled', record });
      else emit({ kind: 'failed', record, message: record.message ?? 'the pilot failed' });
      resolveDone(record);
    };
    // the harness's exit ends the run; its pipes get a short grace to deliver what is in them,
    // but a daemon holding them open is not waited for
    child.on('exit', (code, signal) => {
      void Promise.all([streamEnded(child.stdout), streamEnded(child.stderr)]).then(() => end(code, signal));
      setTimeout(() => end(code, signal), options.drainGraceMs ?? 500);
    });
    // a spawn that failed (no interpreter) emits no exit
    child.on('close', (code, signal) => end(code, signal));
  });

  return {
    id,
    runDir,
    done,
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cancel,
    [Symbol.asyncIterator](): AsyncIterator<PilotEvent> {
      return {
        next: () => {
          const value = queue.shift();
          if (value) return Promise.resolve({ value, done: false });
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise((r) => waiters.push(r));
        },
      };
    },
  };
}

function streamEnded(stream: (NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }) | null): Promise<void> {
  return new Promise((resolveEnded) => {
    if (!stream || stream.readableEnded || stream.destroyed) return resolveEnded();
    stream.once('end', () => resolveEnded());
    stream.once('close', () => resolveEnded());
  });
}

interface SettleInput {
  summary: RunSummary;
  code: number | null;
  signal: NodeJS.Signals | null;
  cancelRequested: boolean;
  spawnError: NodeJS.ErrnoException | null;
  stderrTail: string;
  python: string;
  events: HarnessEvent[];
}

type Settled = Pick<RunRecord, 'state' | 'completion' | 'message' | 'error'>;

/** The final state of a run from its end event, exit code and what the runner saw. */
export function settle(input: SettleInput): Settled {
  const { summary, code, cancelRequested, spawnError, stderrTail, python } = input;
  if (spawnError) {
    const message =
      spawnError.code === 'ENOENT'
        ? `the Python interpreter "${python}" was not found: choose one with torch (--python, or the wattlens.pythonPath setting)`
        : `could not start ${python}: ${spawnError.message}`;
    return { state: 'failed', completion: null, message, error: null };
  }
  const noTorch = summary.notes.find((n) => n.startsWith('torch is not importable'));
  const end = summary.end;
  if (cancelRequested || end?.status === 'cancelled') {
    // the claim is only made when the harness wrote its end (its last window included)
    const kept = end
      ? 'everything measured so far is kept'
      : 'the harness was killed before it wrote its end, so the last second of measurements may be missing';
    const how = end?.stopReason === 'runner-gone' ? 'cancelled (the runner exited)' : 'cancelled';
    return { state: 'cancelled', completion: null, error: null, message: `${how} after ${summary.steps} steps; ${kept}` };
  }
  if (end?.status === 'failed') {
    const err = end.error;
    const message = noTorch
      ? `${noTorch}; choose an interpreter with torch (--python, or the wattlens.pythonPath setting)`
      : `the script failed after ${summary.steps} steps: ${err ? `${err.type}: ${err.message}` : 'unknown error'}`;
    return { state: 'failed', completion: null, message, error: err };
  }
  if (end && (end.status === 'budget-reached' || end.status === 'script-finished')) {
    let message: string | null = null;
    if (summary.steps === 0) {
      message = noTorch
        ? `${noTorch}; choose an interpreter with torch (--python, or the wattlens.pythonPath setting)`
        : end.status === 'budget-reached' && end.stopReason === 'budget-seconds'
          ? "stopped before the first step: the seconds budget (wall time from launch, setup included) ran out before the script's first optimizer step; give more seconds or a step budget"
          : 'the script ran without an optimizer step (torch.optim.Optimizer.step): nothing to extrapolate';
    } else if (input.code !== 0 && input.code !== null) {
      message = `the harness exited with code ${input.code} after reporting`;
    }
    return { state: 'completed', completion: end.status, message, error: null };
  }
  const lastLine = stderrTail.trim().split('\n').pop() ?? '';
  const why = input.signal ? `was killed by ${input.signal}` : `exited with code ${code}`;
  return {
    state: 'failed',
    completion: null,
    error: null,
    message: `the pilot ${why} before reporting its end${lastLine ? `: ${lastLine}` : ''} (partial record: ${summary.steps} steps were written before it; later ones may be missing)`,
  };
}

/** A runner that exits (editor closing) takes its pilots with it; their records read as interrupted. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [child, tag] of live) {
      if (child.pid !== undefined) killTree(child.pid);
      killTagged(tag);
    }
  });
}
