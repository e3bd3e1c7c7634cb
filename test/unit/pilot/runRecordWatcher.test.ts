// The run record watcher on a real disk: a first pilot's writeRecord makes .wattlens/runs and the
// record at once (the case VS Code's watcher missed); its rewrite, other files and removal.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { recordPath, runsDir, writeRecord } from '../../../src/core/pilot/runStore';
import { summarize } from '../../../src/core/pilot/summary';
import { isRunRecordPath, RunRecordWatcher, type RunRecordEvent } from '../../../src/extension/pilot/runRecordWatcher';
import { tempDirForTest } from '../../support/tempDirs';

function record(id: string, state: RunRecord['state']): RunRecord {
  const t = new Date().toISOString();
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id,
    state,
    completion: state === 'completed' ? 'budget-reached' : null,
    createdAt: t,
    updatedAt: t,
    finishedAt: state === 'completed' ? t : null,
    script: '/w/train.py',
    args: [],
    cwd: '/w',
    python: 'python3',
    gpus: 0,
    budget: { steps: 10, seconds: null },
    host: 'h',
    runnerPid: process.pid,
    harnessPid: null,
    runDir: id,
    message: null,
    error: null,
    summary: summarize([]),
  };
}

const watchers: RunRecordWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
});

async function watched(folders: string[]) {
  const events: string[] = [];
  const watcher = new RunRecordWatcher(
    (path, event: RunRecordEvent) => events.push(`${event} ${path}`),
    () => {},
  );
  watchers.push(watcher);
  await watcher.watch(folders);
  return events;
}

const until = async (check: () => boolean, what: string) => {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`not seen within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('run record watcher', () => {
  it('sees a record written into a .wattlens/runs made at the same moment, then its rewrite and removal', async () => {
    const ws = tempDirForTest('wattlens-watch-');
    const events = await watched([ws]);
    writeRecord(ws, record('r1', 'running')); // mkdir -p .wattlens/runs, write a temporary file, rename
    const path = recordPath(ws, 'r1');
    await until(() => events.includes(`add ${path}`), `add ${path} (got ${events.join(', ') || 'nothing'})`);
    writeRecord(ws, record('r1', 'completed'));
    await until(() => events.includes(`change ${path}`), `change ${path} (got ${events.join(', ')})`);
    rmSync(join(ws, '.wattlens'), { recursive: true });
    await until(() => events.includes(`unlink ${path}`), `unlink ${path} (got ${events.join(', ')})`);
    // the temporary file of the atomic write is never reported
    expect(events.filter((e) => e.endsWith('.tmp'))).toEqual([]);
  });

  it("reports nothing for model sources, other .wattlens files, or a run's event folder", async () => {
    const ws = tempDirForTest('wattlens-watch-');
    mkdirSync(join(runsDir(ws), 'r2'), { recursive: true });
    const events = await watched([ws]);
    writeFileSync(join(ws, 'model.py'), 'x = 1\n');
    writeFileSync(join(ws, '.wattlens', 'context.json'), '{}');
    writeFileSync(join(runsDir(ws), 'r2', 'events-0.jsonl'), '{}\n');
    writeRecord(ws, record('r2', 'completed')); // the marker: once seen, the earlier writes had their chance
    await until(() => events.length > 0, 'the marker record');
    expect(events).toEqual([`add ${recordPath(ws, 'r2')}`]);
  });

  it('moves to other folders when asked, and stops after close', async () => {
    const a = tempDirForTest('wattlens-watch-');
    const b = tempDirForTest('wattlens-watch-');
    const events: string[] = [];
    const watcher = new RunRecordWatcher(
      (path) => events.push(path),
      () => {},
    );
    watchers.push(watcher);
    await watcher.watch([a]);
    await watcher.watch([b]);
    writeRecord(a, record('old', 'completed'));
    writeRecord(b, record('new', 'completed'));
    await until(() => events.includes(recordPath(b, 'new')), 'the record in the new folder');
    expect(events).not.toContain(recordPath(a, 'old'));
    await watcher.close();
    writeRecord(b, record('after', 'completed'));
    await new Promise((r) => setTimeout(r, 300));
    expect(events).not.toContain(recordPath(b, 'after'));
  });
});

describe('which paths are watched', () => {
  const ws = join(tmpdir(), 'ws');
  it.each([
    [ws, true],
    [tmpdir(), true],
    [join(ws, '.wattlens'), true],
    [join(ws, '.wattlens', 'runs'), true],
    [join(ws, '.wattlens', 'runs', 'r.json'), true],
    [join(ws, '.wattlens', 'runs', 'r.json.123.tmp'), false],
    [join(ws, '.wattlens', 'runs', 'r', 'events.jsonl'), false],
    [join(ws, '.wattlens', 'context.json'), false],
    [join(ws, 'models'), false],
    [join(ws, 'models', '.wattlens', 'runs', 'r.json'), false],
    [join(tmpdir(), 'other'), false],
  ])('%s → %s', (path, expected) => {
    expect(isRunRecordPath([ws], path)).toBe(expected);
  });
});
