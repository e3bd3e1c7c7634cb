import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { testRecord } from '../../support/runRecordFixture';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns, loadRun, recordPath, runsDir, writeRecord } from '../../../src/core/pilot/runStore';
import { tempDirForTest } from '../../support/tempDirs';

const record = testRecord;

const ws = () => tempDirForTest('wattlens-store-');

describe('run store', () => {
  it('writes atomically (no temporary file left) and reads back what it wrote', () => {
    const dir = ws();
    writeRecord(dir, record('a'));
    expect(readdirSync(runsDir(dir))).toEqual(['a.json']);
    const back = loadRun(dir, 'a');
    expect(back.ok && back.record.id).toBe('a');
  });

  it('skips a corrupted record with a warning and still lists the others', () => {
    const dir = ws();
    writeRecord(dir, record('good', { createdAt: '2026-01-02T00:00:00.000Z' }));
    writeRecord(dir, record('older', { createdAt: '2026-01-01T00:00:00.000Z' }));
    writeFileSync(join(runsDir(dir), 'broken.json'), '{"schemaVersion": 1, "id": "broken", "state": "compl');
    writeFileSync(join(runsDir(dir), 'wrong.json'), JSON.stringify({ ...record('wrong'), state: 'exploded' }));
    writeFileSync(join(runsDir(dir), 'future.json'), JSON.stringify({ ...record('future'), schemaVersion: 99 }));
    const list = listRuns(dir);
    expect(list.runs.map((r) => r.id)).toEqual(['good', 'older']);
    expect(list.warnings).toHaveLength(3);
    expect(list.warnings.join('\n')).toMatch(/broken\.json: not valid JSON/);
    expect(list.warnings.join('\n')).toMatch(/wrong\.json: not a valid run record \(state/);
    expect(list.warnings.join('\n')).toMatch(/version 99/);
  });

  it('turns a run whose runner died into "interrupted", keeping the data of its event files', () => {
    const dir = ws();
    const events = join(runsDir(dir), 'r1');
    mkdirSync(events, { recursive: true });
    const lines = [
      {
        type: 'start',
        rank: 0,
        t: 1,
        schemaVersion: 1,
        pid: 1,
        host: 'h',
        perf0: 0,
        cpuModel: 'X',
        script: 's',
        argv: [],
        cwd: '/',
        executable: 'p',
        budget: { steps: null, seconds: 60 },
        warmupSteps: 0,
        energySources: [],
        notes: [],
        localRank: 0,
        worldSize: 1,
        localWorldSize: 1,
        python: '3.11',
        torch: '2.6',
        cuda: null,
      },
      ...[1, 2, 3].map((s) => ({
        type: 'step',
        rank: 0,
        t: 1,
        step: s,
        dt: s === 1 ? null : 0.1,
        tEnd: s * 0.1,
        warmup: false,
        loss: 1 / s,
        backwardCalls: 1,
        lr: 0.1,
        loader: null,
      })),
    ];
    writeFileSync(join(events, 'events.rank0.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"type":"step","ra');
    // a pid that cannot be alive
    writeRecord(dir, record('r1', { state: 'running', completion: null, finishedAt: null, runnerPid: 2 ** 22 + 12345, host: hostname() }));
    const list = listRuns(dir);
    expect(list.runs[0]!.state).toBe('interrupted');
    expect(list.runs[0]!.summary.steps).toBe(3);
    expect(list.runs[0]!.summary.losses).toEqual([1, 0.5, 1 / 3]);
    expect(JSON.parse(readFileSync(recordPath(dir, 'r1'), 'utf8')).state).toBe('interrupted');
  });

  it('leaves a live run alone', () => {
    const dir = ws();
    writeRecord(dir, record('live', { state: 'running', completion: null, host: hostname() }));
    expect(listRuns(dir).runs[0]!.state).toBe('running');
  });
});
