import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisServer } from '../../../src/core/editor/analysisServer';
import { decodeModels, encodeModels } from '../../../src/core/editor/resultDelta';
import { parseFromWorker, type AnalysisResult, type FromWorker, type ToWorker } from '../../../src/core/editor/workerProtocol';
import { AnalysisClient, type WorkerLike } from '../../../src/extension/analysisClient';
import type { ModelReport } from '../../../src/core/report/types';

const DIR = '/nonexistent-wattlens-delta';
const disk = { readFile: () => undefined, isFile: () => false };

const TWO = (a: number, b: number) => `import torch.nn as nn

class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, ${a})

    def forward(self, x):
        return self.fc(x)

class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, ${b})

    def forward(self, x):
        return self.fc(x)
`;

/** The real worker server behind the real host client, messages passed through the protocol's validation as JSON. */
class InProcessWorker implements WorkerLike {
  readonly sent: ToWorker[] = [];
  readonly answers: FromWorker[] = [];
  private listeners: ((data: unknown) => void)[] = [];
  private readonly server = new AnalysisServer({
    disk,
    post: (m) => {
      const wire = JSON.parse(JSON.stringify(m)) as FromWorker;
      this.answers.push(wire);
      // the host answers asynchronously, as a worker thread's message would arrive
      queueMicrotask(() => this.listeners.forEach((l) => l(wire)));
    },
  });
  idle: Promise<void> = Promise.resolve();
  postMessage(m: ToWorker) {
    this.sent.push(m);
    this.idle = this.server.receive(JSON.parse(JSON.stringify(m)) as ToWorker);
  }
  on(event: string, listener: (data: never) => void) {
    if (event === 'message') this.listeners.push(listener as (data: unknown) => void);
  }
  terminate() {}
}

const withoutTimes = (models: ModelReport[]) => models.map((m) => ({ ...m, analysisMs: undefined }));

describe('results with only the changed models', () => {
  let client: AnalysisClient | undefined;
  afterEach(() => client?.dispose());

  it('sends a reused model as its index in the last result, and the host puts the same report together', async () => {
    const worker = new InProcessWorker();
    const results: AnalysisResult[] = [];
    client = new AnalysisClient({
      createWorker: () => worker,
      parseMessage: parseFromWorker,
      timeoutMs: 60_000,
      onResult: (r) => results.push(r),
      onFailure: () => {},
      log: () => {},
    });
    client.setWorkspaceRoots([DIR]);
    const analyze = async (version: number, text: string) => {
      client!.upsert({ uri: 'u', path: `${DIR}/two.py`, language: 'python', version, text });
      client!.request('u', {});
      while (results.at(-1)?.version !== version) {
        await worker.idle;
        await new Promise((r) => setTimeout(r, 0));
      }
      return results.at(-1)!;
    };
    const first = await analyze(1, TWO(8, 4));
    expect(first.report.models.map((m) => [m.name, m.params])).toEqual([
      ['A', 16 * 8 + 8],
      ['B', 16 * 4 + 4],
    ]);
    const edited = await analyze(2, TWO(8, 32));
    // on the wire: only B, and A as "model 0 of the last result"
    const wire = worker.answers.filter((m) => m.type === 'result').at(-1)!;
    expect(wire.type === 'result' && wire.modelsFrom).toEqual([0, null]);
    expect(wire.type === 'result' && wire.report.models.map((m) => m.name)).toEqual(['B']);
    // the host sees the whole file, as a fresh analysis gives it
    const fresh = new AnalysisServer({ disk, post: (m) => m.type === 'result' && freshResults.push(m) });
    const freshResults: AnalysisResult[] = [];
    await fresh.receive({ type: 'open', uri: 'u', path: `${DIR}/two.py`, language: 'python', version: 2, text: TWO(8, 32) });
    await fresh.receive({ type: 'analyze', seq: 1, uri: 'u', version: 2, options: {} });
    expect(withoutTimes(edited.report.models)).toEqual(withoutTimes(JSON.parse(JSON.stringify(freshResults[0].report.models))));
    expect(edited.modelsFrom).toBeUndefined();
  });

  it('asks again, with the document reopened, when a result does not fit the models last received', async () => {
    const worker = new InProcessWorker();
    const results: AnalysisResult[] = [];
    const logs: string[] = [];
    client = new AnalysisClient({
      createWorker: () => worker,
      parseMessage: parseFromWorker,
      timeoutMs: 60_000,
      onResult: (r) => results.push(r),
      onFailure: () => {},
      log: (m) => logs.push(m),
    });
    client.setWorkspaceRoots([DIR]);
    client.upsert({ uri: 'u', path: `${DIR}/two.py`, language: 'python', version: 1, text: TWO(8, 4) });
    client.request('u', {});
    // a worker that answers with a reference to a model the host never received
    const seq = worker.sent.find((m) => m.type === 'analyze')!;
    await worker.idle;
    const listenersBefore = results.length;
    (worker as unknown as { listeners: ((d: unknown) => void)[] }).listeners.forEach((l) =>
      l({ ...worker.answers.at(-1)!, seq: (seq as { seq: number }).seq + 1000, modelsFrom: [5] }),
    );
    expect(results.length).toBe(listenersBefore);
    expect(logs.some((l) => l.includes('did not fit'))).toBe(true);
  });

  it('keeps nothing it cannot vouch for', () => {
    const a = { name: 'A', layers: [] } as unknown as ModelReport;
    const b = { name: 'B', layers: [] } as unknown as ModelReport;
    // same layer table, another figure: sent again
    expect(encodeModels([a], [{ ...a, params: 3 }]).modelsFrom).toEqual([null]);
    expect(encodeModels([a, b], [b, { ...a, analysisMs: 0 }]).modelsFrom).toEqual([1, 0]);
    // the same figures in other objects: reused; another figure in a field's object: sent
    const c = { name: 'C', layers: [], input: { text: '1x3' } } as unknown as ModelReport;
    expect(encodeModels([c], [{ ...c, input: { ...c.input } }]).modelsFrom).toEqual([0]);
    expect(encodeModels([c], [{ ...c, input: { ...c.input, text: '2x3' } }]).modelsFrom).toEqual([null]);
    expect(encodeModels([c], [{ ...c, extra: 1 } as ModelReport]).modelsFrom).toEqual([null]);
    expect(encodeModels(undefined, [a]).modelsFrom).toEqual([null]);
    expect(decodeModels([a], [], [1])).toBeUndefined();
    expect(decodeModels([a], [b], [0])).toBeUndefined();
    expect(decodeModels([a], [b], [0, null])).toEqual([a, b]);
  });
});
