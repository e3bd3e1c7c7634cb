// A settled run record as the runner writes it, for tests of the readers; `over` replaces fields
// (also with values the schema refuses, for the hostile cases).
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/pilot/runRecord';
import { summarize } from '../../src/core/pilot/summary';

export function testRecord(id: string, over: Record<string, unknown> = {}): RunRecord {
  const t = new Date().toISOString();
  return {
    schemaVersion: RUN_RECORD_VERSION,
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
    runnerPid: process.pid,
    harnessPid: null,
    runDir: id,
    message: null,
    error: null,
    summary: summarize([]),
    macs: null,
    ...over,
  } as RunRecord;
}
