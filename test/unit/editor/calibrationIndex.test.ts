// The workspace's calibrations as record files come and go, read from disk as the extension reads them.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalibrationIndex } from '../../../src/core/editor/calibrationIndex';
import { readRecordAsync, recordFiles, recordPath, writeRecord } from '../../../src/core/pilot/runStore';
import { pilotRun } from './calibrationRuns';
import { tempDirForTest } from '../../support/tempDirs';

describe('calibration index', () => {
  it('calibrates from a record once it completes, ignores rewrites with nothing new, and forgets a removed record', async () => {
    const ws = tempDirForTest('wattlens-calibrations-');
    const index = new CalibrationIndex();
    const path = recordPath(ws, 'run-1');

    writeRecord(ws, pilotRun({ state: 'running', completion: null, finishedAt: null }));
    expect(index.update(path, await readRecordAsync(path))).toBe(false);
    expect(index.all()).toEqual([]);

    writeRecord(ws, pilotRun());
    expect(index.update(path, await readRecordAsync(path))).toBe(true);
    expect(index.all().map((c) => [c.runId, c.joulesPerStep])).toEqual([['run-1', 1.22]]);

    writeRecord(ws, pilotRun({ updatedAt: '2026-11-25T10:05:00.000Z' }));
    expect(index.update(path, await readRecordAsync(path))).toBe(false);

    // the J per MAC computed after the run is new for the tooltip
    writeRecord(
      ws,
      pilotRun({
        macs: {
          computedAt: 't',
          macsPerStep: 2_082_963_456,
          macsSource: 's',
          joulesPerMac: 1.22 / 2_082_963_456,
          joulesPerMacBasis: 'b',
          analyzed: null,
          assumptions: [],
        },
      }),
    );
    expect(index.update(path, await readRecordAsync(path))).toBe(true);
    expect(index.all()[0]!.joulesPerMac).toBeCloseTo(1.22 / 2_082_963_456, 20);

    rmSync(path);
    const gone = await readRecordAsync(path);
    expect(gone.ok).toBe(false);
    expect(index.update(path, gone)).toBe(true);
    expect(index.all()).toEqual([]);
  });

  it('reads a whole workspace: completed pilots newest first, failed and unreadable records give none', async () => {
    const ws = tempDirForTest('wattlens-calibrations-');
    writeRecord(ws, pilotRun({ id: 'a', finishedAt: '2026-11-20T00:00:00.000Z' }));
    writeRecord(ws, pilotRun({ id: 'b', finishedAt: '2026-11-24T00:00:00.000Z' }));
    writeRecord(ws, pilotRun({ id: 'c', state: 'failed' }));
    writeFileSync(join(ws, '.wattlens', 'runs', 'broken.json'), '{"schemaVersion": 2, "id"');
    const read = async () => new Map(await Promise.all((await recordFiles(ws)).map(async (p) => [p, await readRecordAsync(p)] as const)));
    const index = new CalibrationIndex();
    expect(index.replaceAll(await read())).toBe(true);
    expect(index.all().map((c) => c.runId)).toEqual(['b', 'a']);
    expect(index.replaceAll(await read())).toBe(false);

    rmSync(recordPath(ws, 'b'));
    expect(index.replaceAll(await read())).toBe(true);
    expect(index.all().map((c) => c.runId)).toEqual(['a']);
  });

  it('finds no record files in a workspace without runs', async () => {
    expect(await recordFiles(tempDirForTest('wattlens-calibrations-'))).toEqual([]);
  });
});
