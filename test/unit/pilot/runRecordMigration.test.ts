// Run records of schema version 1 (before the model and J per MAC) read as version 2.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrateRecord, RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { listRuns, loadRun, recordPath, runsDir, writeRecord } from '../../../src/core/pilot/runStore';
import { summarize } from '../../../src/core/pilot/summary';
import { tempDirForTest } from '../../support/tempDirs';

/** A record as WattLens wrote it with schema version 1: no summary.model, no macs. */
function v1(id: string): Record<string, unknown> {
  const t = '2026-01-05T10:00:00.000Z';
  const { model: _model, ...summary } = summarize([]);
  return {
    schemaVersion: 1,
    id,
    state: 'completed',
    completion: 'budget-reached',
    createdAt: t,
    updatedAt: t,
    finishedAt: t,
    script: '/w/train.py',
    args: [],
    cwd: '/w',
    python: 'python3',
    gpus: 0,
    budget: { steps: 10, seconds: null },
    host: 'h',
    runnerPid: 1,
    harnessPid: null,
    runDir: id,
    message: null,
    error: null,
    summary: { ...summary, steps: 10, energy: { ...summary.energy, joulesPerStep: 1.5, source: 'estimated' } },
  };
}

describe('run record schema version 2', () => {
  it('is the version the runner writes', () => {
    expect(RUN_RECORD_VERSION).toBe(2);
  });

  it('migrates a version 1 record: model and MACs unknown (null), everything else kept', () => {
    const old = v1('old');
    const m = migrateRecord(old);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.json.schemaVersion).toBe(2);
    expect(m.json.macs).toBeNull();
    expect((m.json.summary as { model: unknown }).model).toBeNull();
    expect((m.json.summary as { energy: { joulesPerStep: number } }).energy.joulesPerStep).toBe(1.5);
    expect(old.schemaVersion).toBe(1); // the input is not changed
  });

  it('reads version 1 records from disk without rewriting them, and lists them beside version 2 ones', () => {
    const dir = tempDirForTest('wattlens-migrate-');
    mkdirSync(runsDir(dir), { recursive: true });
    const text = JSON.stringify(v1('old'));
    writeFileSync(recordPath(dir, 'old'), text);
    const t = '2026-02-01T00:00:00.000Z';
    const current: RunRecord = {
      ...(v1('new') as unknown as RunRecord),
      schemaVersion: RUN_RECORD_VERSION,
      createdAt: t,
      summary: summarize([]),
      macs: null,
    };
    writeRecord(dir, current);
    const list = listRuns(dir);
    expect(list.warnings).toEqual([]);
    expect(list.runs.map((r) => [r.id, r.schemaVersion, r.summary.model, r.macs])).toEqual([
      ['new', 2, null, null],
      ['old', 2, null, null],
    ]);
    expect(readFileSync(recordPath(dir, 'old'), 'utf8')).toBe(text);
    const one = loadRun(dir, 'old');
    expect(one.ok && one.record.summary.energy.joulesPerStep).toBe(1.5);
  });

  it('keeps the model and the MACs a version 2 record holds', () => {
    const dir = tempDirForTest('wattlens-migrate-');
    const model = {
      step: 3,
      className: 'Net',
      qualName: 'Net',
      pyModule: '__main__',
      file: '/w/train.py',
      line: 4,
      inputs: [{ shape: [8, 10], dtype: 'float32', type: 'Tensor' }],
      calls: 1,
      params: 193,
      wrappers: [],
      note: null,
    };
    const macs = {
      computedAt: 't',
      macsPerStep: 4800,
      macsSource: 'estimated by static analysis',
      joulesPerMac: 1e-9,
      joulesPerMacBasis: 'energy estimated ÷ MACs estimated by static analysis',
      analyzed: { file: '/w/train.py', model: 'Net', input: '8x10' },
      assumptions: [],
    };
    writeRecord(dir, {
      ...(v1('r') as unknown as RunRecord),
      schemaVersion: RUN_RECORD_VERSION,
      summary: { ...summarize([]), model },
      macs,
    });
    const back = loadRun(dir, 'r');
    expect(back.ok && back.record.summary.model).toEqual(model);
    expect(back.ok && back.record.macs).toEqual(macs);
  });

  it('refuses versions it does not know, and records that are no objects', () => {
    expect(migrateRecord({ ...v1('x'), schemaVersion: 3 })).toEqual({
      ok: false,
      reason: 'record schema version 3 is not supported by this WattLens',
    });
    expect(migrateRecord([1]).ok).toBe(false);
    expect(migrateRecord(null).ok).toBe(false);
  });
});
