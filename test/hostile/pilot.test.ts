// Hostile training scripts and signals against `wattlens pilot`: every pilot ends, within its
// budget, with a settled record, and takes every process it started with it (docs/pilot.md,
// "Lifecycle").
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from './support/contained';
import {
  expectPilotContained,
  onlyRecord,
  outputLogOf,
  PILOT_SECONDS,
  pilotArgs,
  pilotWorkspace,
  spawnCli,
  survivorsAfter,
  waitForFile,
} from './support/pilotHostile';

const opts = (ws: { dir: string }) => ({ cwd: ws.dir, seconds: PILOT_SECONDS });
const CASE_MS = 90_000;

/** A script that takes a few steps, then signals the CLI (its parent: the harness runs it in-process). */
const signalsCli = (signal: string, after = '') => `
import os, signal, time
for _ in range(3):
    step()
${after}
os.kill(os.getppid(), signal.${signal})
for _ in range(600):
    step()
    time.sleep(0.05)
`;

/** A daemon that keeps the pilot's stdout and stderr open and sleeps (started by `start`). */
const daemonBody = (start: string) => `
import os, subprocess, sys, time
step()
${start}
for _ in range(5):
    step()
`;

describe('pilot lifecycle: signals to the CLI', () => {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(
      `${signal} to the CLI mid-run cancels: record settled as cancelled, exit 130, nothing left running`,
      () => {
        const ws = pilotWorkspace(signalsCli(signal));
        const r = runCli(pilotArgs(ws, '--seconds', '25'), opts(ws));
        expectPilotContained(r, [130], { noTraceback: true });
        const record = onlyRecord(ws);
        expect(record.state).toBe('cancelled');
        expect(record.summary.steps).toBeGreaterThanOrEqual(3);
        expect(record.summary.end?.status).toBe('cancelled');
        expect(record.partial ?? false).toBe(false);
      },
      CASE_MS,
    );
  }

  it(
    'SIGTERM sent by another process while a daemon holds the pipes: cancelled, no survivor',
    async () => {
      const ws = pilotWorkspace(`
import os, subprocess, sys, time
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)
for _ in range(3):
    step()
open(os.path.join(os.path.dirname(__file__), 'ready'), 'w').close()
while True:
    step()
    time.sleep(0.05)
`);
      const tag = randomUUID();
      const cli = spawnCli(pilotArgs(ws, '--seconds', '60'), tag, ws.dir);
      expect(await waitForFile(join(ws.dir, 'ready'), 40_000)).toBe(true);
      process.kill(cli.pid, 'SIGTERM');
      const end = await Promise.race([cli.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      expect(end, 'the CLI ended').not.toBeNull();
      expect(end!.code, end!.stderr).toBe(130);
      expect(await survivorsAfter(tag, 3000)).toEqual([]);
      expect(onlyRecord(ws).state).toBe('cancelled');
    },
    CASE_MS,
  );

  it(
    'SIGKILL of the CLI: the harness and the script die with it (parent-death signal, watchdog)',
    async () => {
      const ws = pilotWorkspace(`
import os, subprocess, sys, time
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)
for _ in range(3):
    step()
open(os.path.join(os.path.dirname(__file__), 'ready'), 'w').close()
while True:
    step()
    time.sleep(0.05)
`);
      const tag = randomUUID();
      const cli = spawnCli(pilotArgs(ws, '--seconds', '60'), tag, ws.dir);
      expect(await waitForFile(join(ws.dir, 'ready'), 40_000)).toBe(true);
      process.kill(cli.pid, 'SIGKILL');
      await cli.exited;
      expect(await survivorsAfter(tag, 5000)).toEqual([]);
      // the steps measured before the kill are on disk
      const record = onlyRecord(ws);
      const events = readFileSync(join(ws.dir, '.wattlens', 'runs', record.runDir, 'events.rank0.jsonl'), 'utf8');
      expect(events.split('\n').filter((l) => l.includes('"type":"step"')).length).toBeGreaterThanOrEqual(2);
    },
    CASE_MS,
  );

  it(
    'a script that ignores SIGTERM, then the CLI gets SIGTERM: still ends, cancelled, nothing left',
    () => {
      const ws = pilotWorkspace(
        signalsCli('SIGTERM', 'signal.signal(signal.SIGTERM, signal.SIG_IGN)\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)'),
      );
      const r = runCli(pilotArgs(ws, '--seconds', '25'), opts(ws));
      expectPilotContained(r, [130]);
      expect(onlyRecord(ws).state).toBe('cancelled');
    },
    CASE_MS,
  );
});

describe('pilot lifecycle: daemons and escaped processes', () => {
  it(
    'a daemon started with start_new_session=True that holds the pipes: the pilot returns and the daemon is ended',
    () => {
      const ws = pilotWorkspace(
        daemonBody(`subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)`),
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).state).toBe('completed');
    },
    CASE_MS,
  );

  it(
    'a double-forked daemon (reparented away from the script) is ended',
    () => {
      const ws = pilotWorkspace(
        daemonBody(`
if os.fork() == 0:
    if os.fork() == 0:
        time.sleep(300)
    os._exit(0)
os.wait()`),
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
    },
    CASE_MS,
  );

  it(
    'a child that calls os.setsid() and forks again is ended',
    () => {
      const ws = pilotWorkspace(
        daemonBody(`
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(300)
    time.sleep(300)`),
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
    },
    CASE_MS,
  );

  it(
    'a nohup-like daemon (new session, SIGHUP and SIGTERM ignored, fds closed) is ended',
    () => {
      const ws = pilotWorkspace(
        daemonBody(`
subprocess.Popen([sys.executable, '-c', 'import os, signal, time\\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\nos.closerange(0, 3)\\ntime.sleep(300)'], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)`),
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
    },
    CASE_MS,
  );

  it(
    'a bounded fork bomb (20 processes in new sessions) is ended',
    () => {
      const ws = pilotWorkspace(
        daemonBody(`
for _ in range(4):
    if os.fork() == 0:
        os.setsid()
        for _ in range(4):
            if os.fork() == 0:
                time.sleep(300)
                os._exit(0)
        time.sleep(300)
        os._exit(0)`),
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
    },
    CASE_MS,
  );

  it(
    'a daemon started by a script that is then cancelled by its budget in seconds is ended too',
    () => {
      const ws = pilotWorkspace(`
import subprocess, sys, time
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)
while True:
    step()
    time.sleep(0.02)
`);
      const r = runCli(pilotArgs(ws, '--seconds', '6'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).completion).toBe('budget-reached');
    },
    CASE_MS,
  );
});

describe('pilot lifecycle: budgets', () => {
  it(
    '--seconds bounds a script that sleeps before its first step: "stopped before the first step"',
    () => {
      const ws = pilotWorkspace('import time\ntime.sleep(300)\nstep()', { plain: false });
      const r = runCli(pilotArgs(ws, '--seconds', '8'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      const record = onlyRecord(ws);
      expect(record.summary.steps).toBe(0);
      expect(record.message).toMatch(/stopped before the first step/);
    },
    CASE_MS,
  );

  it(
    '--seconds bounds an infinite loop without steps',
    () => {
      const ws = pilotWorkspace('while True:\n    pass', { plain: true });
      const r = runCli(pilotArgs(ws, '--seconds', '8'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).message).toMatch(/stopped before the first step/);
    },
    CASE_MS,
  );

  it(
    '--seconds bounds a script that steps, then sleeps forever',
    () => {
      const ws = pilotWorkspace('import time\nfor _ in range(5):\n    step()\ntime.sleep(300)');
      const r = runCli(pilotArgs(ws, '--seconds', '8'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      const record = onlyRecord(ws);
      expect(record.completion).toBe('budget-reached');
      expect(record.summary.steps).toBe(5);
    },
    CASE_MS,
  );

  it(
    '--seconds bounds a script that sleeps with SIGTERM and SIGALRM ignored',
    () => {
      const ws = pilotWorkspace(
        'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nstep()\ntime.sleep(300)',
      );
      const r = runCli(pilotArgs(ws, '--seconds', '8'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).summary.steps).toBe(1);
    },
    CASE_MS,
  );
});

describe('pilot lifecycle: output and its streams', () => {
  it(
    'a script that closes its stdout and stderr still gets a settled record',
    () => {
      const ws = pilotWorkspace('import os\nos.close(1)\nos.close(2)\nfor _ in range(4):\n    step()');
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).state).toBe('completed');
    },
    CASE_MS,
  );

  it(
    'a script that dup2s /dev/null over stdout and stderr still gets a settled record',
    () => {
      const ws = pilotWorkspace(
        'import os\nfd = os.open(os.devnull, os.O_WRONLY)\nos.dup2(fd, 1)\nos.dup2(fd, 2)\nfor _ in range(4):\n    step()',
      );
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      expect(onlyRecord(ws).state).toBe('completed');
    },
    CASE_MS,
  );

  it(
    '100 MB to stdout: output.log is capped (head and tail kept, a note where it was cut)',
    () => {
      const ws = pilotWorkspace(`
import sys
step()
line = (b'x' * 1023) + b'\\n'
block = line * 1024
sys.stdout.buffer.write(b'FIRST LINE\\n')
for _ in range(100):
    sys.stdout.buffer.write(block)
sys.stdout.buffer.write(b'LAST LINE\\n')
sys.stdout.flush()
for _ in range(3):
    step()
`);
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      const record = onlyRecord(ws);
      const log = outputLogOf(ws, record);
      expect(log.length).toBeLessThanOrEqual(10 * 1024 * 1024 + 4096);
      const text = log.toString('latin1');
      expect(text.startsWith('FIRST LINE')).toBe(true);
      expect(text).toContain('LAST LINE');
      expect(text).toMatch(/output\.log cut here: \d+ bytes left out/);
    },
    CASE_MS,
  );

  it(
    'binary output (NUL bytes, invalid UTF-8) is kept byte for byte in output.log',
    () => {
      const ws = pilotWorkspace(`
import sys
sys.stdout.buffer.write(bytes(range(256)) * 4)
sys.stdout.flush()
for _ in range(3):
    step()
`);
      const r = runCli(pilotArgs(ws, '--steps', '3'), opts(ws));
      expectPilotContained(r, [0], { noTraceback: true });
      const log = outputLogOf(ws, onlyRecord(ws));
      expect(log.includes(Buffer.from([...Array(256).keys()]))).toBe(true);
    },
    CASE_MS,
  );

  it(
    'a script that overwrites its run record and appends garbage to its event file: the record still settles',
    () => {
      const ws = pilotWorkspace(`
import glob, os
for _ in range(3):
    step()
runs = os.path.join(os.path.dirname(__file__), '.wattlens', 'runs')
for path in glob.glob(os.path.join(runs, '*.json')):
    with open(path, 'w') as f:
        f.write('{"state": "completed", "summary": "forged"')
for path in glob.glob(os.path.join(runs, '*', 'events.rank0.jsonl')):
    with open(path, 'a') as f:
        f.write('not json\\n{"type":"end","rank":0}\\n' + 'z' * 100000 + '\\n')
step()
`);
      const r = runCli(pilotArgs(ws, '--steps', '4'), opts(ws));
      expectPilotContained(r, [0, 1], { noTraceback: true });
      const record = onlyRecord(ws);
      expect(['completed', 'failed']).toContain(record.state);
      expect(record.summary.steps).toBe(4);
    },
    CASE_MS,
  );
});

describe('pilot lifecycle: scripts that fail or vanish', () => {
  it(
    'a script that raises: failed, exit 1, its traceback in the record, no WattLens stack',
    () => {
      const ws = pilotWorkspace('step()\nraise RuntimeError("boom from the script")');
      const r = runCli(pilotArgs(ws, '--steps', '5'), opts(ws));
      expectPilotContained(r, [1]);
      const record = onlyRecord(ws);
      expect(record.state).toBe('failed');
      expect(record.message).toMatch(/RuntimeError: boom from the script/);
      expect(record.partial ?? false).toBe(false);
    },
    CASE_MS,
  );

  it(
    'a script that exits with code 137: failed, exit 1',
    () => {
      const ws = pilotWorkspace('import sys\nstep()\nsys.exit(137)');
      const r = runCli(pilotArgs(ws, '--steps', '5'), opts(ws));
      expectPilotContained(r, [1], { noTraceback: true });
      expect(onlyRecord(ws).message).toMatch(/code 137/);
    },
    CASE_MS,
  );

  it(
    'a script that calls os._exit mid-run: failed and marked partial, no "everything was kept" claim',
    () => {
      // the pause lets the watchdog write the open window: a hard exit loses at most the last second
      const ws = pilotWorkspace('import os, time\nfor _ in range(3):\n    step()\ntime.sleep(1.5)\nos._exit(3)');
      const r = runCli(pilotArgs(ws, '--steps', '10'), opts(ws));
      expectPilotContained(r, [1], { noTraceback: true });
      const record = onlyRecord(ws);
      expect(record.state).toBe('failed');
      expect(record.partial).toBe(true);
      expect(record.message).not.toMatch(/everything measured/);
      expect(record.message).toMatch(/partial record/);
      expect(record.summary.steps).toBe(3);
    },
    CASE_MS,
  );

  it(
    'a script that SIGKILLs its own process: steps up to the kill are kept, record partial',
    () => {
      const ws = pilotWorkspace(
        'import os, signal, time\nfor _ in range(5):\n    step()\ntime.sleep(1.5)\nos.kill(os.getpid(), signal.SIGKILL)',
      );
      const r = runCli(pilotArgs(ws, '--steps', '50'), opts(ws));
      expectPilotContained(r, [1], { noTraceback: true });
      const record = onlyRecord(ws);
      expect(record.partial).toBe(true);
      expect(record.summary.steps).toBe(5);
    },
    CASE_MS,
  );

  it(
    'a script that starts a daemon, then SIGKILLs its own harness: the daemon is still ended',
    () => {
      const ws = pilotWorkspace(`
import os, signal, subprocess, sys, time
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)
for _ in range(3):
    step()
os.kill(os.getpid(), signal.SIGKILL)`);
      const r = runCli(pilotArgs(ws, '--steps', '50'), opts(ws));
      expectPilotContained(r, [1], { noTraceback: true });
      expect(onlyRecord(ws).partial).toBe(true);
    },
    CASE_MS,
  );

  it('a script path that does not exist: one line, exit 2', () => {
    const ws = pilotWorkspace('');
    expectOneLineError(
      runCli(['pilot', join(ws.dir, 'missing.py'), '--steps', '3', '--workspace', ws.dir], { cwd: ws.dir }),
      /script not found/,
    );
  });

  it('a script that is a directory: one line, exit 2', () => {
    const ws = pilotWorkspace('');
    mkdirSync(join(ws.dir, 'dir.py'));
    expectOneLineError(
      runCli(['pilot', join(ws.dir, 'dir.py'), '--steps', '3', '--workspace', ws.dir], { cwd: ws.dir }),
      /not a regular file/,
    );
  });

  it('a script that is a FIFO: one line, exit 2, nothing blocks on it', () => {
    const ws = pilotWorkspace('');
    const fifo = join(ws.dir, 'fifo.py');
    execFileSync('mkfifo', [fifo]);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expectOneLineError(runCli(['pilot', fifo, '--steps', '3', '--workspace', ws.dir], { cwd: ws.dir }), /not a regular file/);
  });

  it(
    'an interpreter that does not exist: failed with one clear message, exit 1',
    () => {
      const ws = pilotWorkspace('step()');
      const r = runCli(['pilot', ws.script, '--python', join(ws.dir, 'no-python'), '--workspace', ws.dir, '--steps', '3'], opts(ws));
      expectPilotContained(r, [1], { noTraceback: true });
      expect(onlyRecord(ws).message).toMatch(/was not found/);
    },
    CASE_MS,
  );
});
