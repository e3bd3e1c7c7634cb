// The calibrated hints' view of the run records: a pilot whose last write the watcher never
// reported (a missed or reordered change event) is still seen once it completes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', () => import('../../support/vscodeEventEmitter'));
// dist/lazy.js in the extension; its source here
vi.mock('../../../src/extension/lazy', async () => {
  const modules = await import('../../../src/extension/lazyModules');
  return { lazyModules: () => modules };
});

import { writeRecord } from '../../../src/core/pilot/runStore';
import { CalibrationSource } from '../../../src/extension/pilot/calibrationSource';
import type { RunRecordFeed } from '../../../src/extension/pilot/runRecordFeed';
import { testRecord } from '../../support/runRecordFixture';

const until = async (check: () => boolean, what: string) => {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > 10_000) throw new Error(`not seen within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A feed whose watcher reports nothing: every change is a missed one. */
const silentFeed = () => ({ onDidChange: () => ({ dispose() {} }), watch: () => Promise.resolve() }) as unknown as RunRecordFeed;

describe('CalibrationSource', () => {
  const dirs: string[] = [];
  let source: CalibrationSource | undefined;
  afterEach(() => {
    source?.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads a running record again until it completes, without a change event', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wattlens-calibration-'));
    dirs.push(folder);
    const running = testRecord('run-1', { state: 'running', completion: null, finishedAt: null, script: join(folder, 'train.py') });
    writeRecord(folder, running);
    source = new CalibrationSource(
      () => [folder],
      () => {},
      silentFeed(),
    );
    source.current();
    await new Promise((r) => setTimeout(r, 300));
    expect(source.latestRunFor(join(folder, 'train.py'))).toBeUndefined();
    writeRecord(folder, testRecord('run-1', { script: join(folder, 'train.py') }));
    await until(() => source!.latestRunFor(join(folder, 'train.py'))?.state === 'completed', 'the completed record');
  });

  it('stops reading a record once it is no longer running', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wattlens-calibration-'));
    dirs.push(folder);
    writeRecord(folder, testRecord('run-2', { script: join(folder, 'train.py') }));
    const { runStore } = await import('../../../src/extension/lazyModules');
    const reads = vi.spyOn(runStore, 'readRecordAsync');
    source = new CalibrationSource(
      () => [folder],
      () => {},
      silentFeed(),
    );
    source.current();
    await until(() => source!.latestRunFor(join(folder, 'train.py')) !== undefined, 'the completed record');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
