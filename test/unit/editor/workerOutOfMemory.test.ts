// A worker that runs out of heap: with the old generation capped (workerLimits.ts) V8 ends the
// worker, not the process; the client reports the crash and the next request starts a new one.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ANALYSIS_WORKER_LIMITS } from '../../../src/core/editor/workerLimits';
import { parseFromWorker } from '../../../src/core/editor/workerProtocol';
import { AnalysisClient } from '../../../src/extension/analysisClient';

/** Answers `configure` and `open` silently; on `analyze`, allocates until the heap is gone. */
const HOSTILE_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.type !== 'analyze') return;
  const hoard = [];
  for (;;) hoard.push(new Array(1e5).fill(hoard.length));
});`;

describe('the analysis worker out of memory', () => {
  let client: AnalysisClient | undefined;
  afterEach(() => client?.dispose());

  it('caps the old generation as well as the young one', () => {
    expect(ANALYSIS_WORKER_LIMITS.maxOldGenerationSizeMb).toBe(1024);
    expect(ANALYSIS_WORKER_LIMITS.maxYoungGenerationSizeMb).toBe(96);
  });

  it('a worker that exhausts its heap is reported as a crash and replaced; this process goes on', async () => {
    const workers: Worker[] = [];
    const failures: { kind: string; message: string }[] = [];
    const logs: string[] = [];
    client = new AnalysisClient({
      // the production limits, with a small old generation so the test fills it in a moment
      createWorker: () => {
        const w = new Worker(HOSTILE_WORKER, { eval: true, resourceLimits: { ...ANALYSIS_WORKER_LIMITS, maxOldGenerationSizeMb: 48 } });
        workers.push(w);
        return w;
      },
      parseMessage: parseFromWorker,
      timeoutMs: 60_000,
      cancelAfterMs: 250,
      onResult: () => {},
      onFailure: (_uri, _version, kind, message) => failures.push({ kind, message }),
      log: (m) => logs.push(m),
    });
    client.setWorkspaceRoots(['/w']);
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    await expect.poll(() => failures.length, { timeout: 30_000, interval: 50 }).toBe(1);
    expect(failures[0].kind).toBe('crash');
    expect(logs.join('\n')).toMatch(/out of memory|ERR_WORKER_OUT_OF_MEMORY/i);
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = 2' });
    client.request('a', {});
    expect(workers).toHaveLength(2);
    await expect.poll(() => failures.length, { timeout: 30_000, interval: 50 }).toBe(2);
  }, 60_000);
});
