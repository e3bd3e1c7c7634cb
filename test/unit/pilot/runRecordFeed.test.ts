// The shared run-record feed on a real disk: the calibrated hints and the panel's History read
// the records through one watch, started by whichever asks first, moved when the folders change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('../../support/vscodeEventEmitter'));

import { RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { recordPath, writeRecord } from '../../../src/core/pilot/runStore';
import { summarize } from '../../../src/core/pilot/summary';
import { RunRecordFeed } from '../../../src/extension/pilot/runRecordFeed';

function record(id: string): RunRecord {
  const t = new Date().toISOString();
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id,
    state: 'running',
    completion: null,
    createdAt: t,
    updatedAt: t,
    finishedAt: null,
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

const until = async (check: () => boolean, what: string) => {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 10_000) throw new Error(`not seen within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((c) => c()));

describe('run record feed', () => {
  it('gives every reader the events of one watch, started once', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'wattlens-feed-'));
    const feed = new RunRecordFeed(
      () => [ws],
      () => {},
    );
    cleanup.push(
      () => feed.dispose(),
      () => rmSync(ws, { recursive: true, force: true }),
    );
    const calibrations: string[] = [];
    const history: string[] = [];
    feed.onDidChange(({ path, event }) => calibrations.push(`${event} ${path}`));
    feed.onDidChange(({ path, event }) => history.push(`${event} ${path}`));
    const first = feed.watch();
    expect(feed.watch()).toBe(first);
    await first;
    writeRecord(ws, record('r1'));
    const path = recordPath(ws, 'r1');
    await until(
      () => calibrations.includes(`add ${path}`) && history.includes(`add ${path}`),
      `add ${path} for both (got ${calibrations.join(', ')} / ${history.join(', ')})`,
    );
  });

  it('watches the folders of the moment it starts, and moves a started watch when they change', async () => {
    const a = mkdtempSync(join(tmpdir(), 'wattlens-feed-a-'));
    const b = mkdtempSync(join(tmpdir(), 'wattlens-feed-b-'));
    let folders = [a];
    const feed = new RunRecordFeed(
      () => folders,
      () => {},
    );
    cleanup.push(
      () => feed.dispose(),
      () => rmSync(a, { recursive: true, force: true }),
      () => rmSync(b, { recursive: true, force: true }),
    );
    const events: string[] = [];
    feed.onDidChange(({ path, event }) => events.push(`${event} ${path}`));
    folders = [b];
    feed.foldersChanged(); // nothing started yet: the watch starts on the folders of its first reader
    await feed.watch();
    writeRecord(b, record('r2'));
    await until(() => events.includes(`add ${recordPath(b, 'r2')}`), 'a record in the folder watched from the start');
    folders = [a];
    feed.foldersChanged();
    await feed.watch();
    writeRecord(a, record('r3'));
    await until(() => events.includes(`add ${recordPath(a, 'r3')}`), 'a record in the folder moved to');
  });
});
