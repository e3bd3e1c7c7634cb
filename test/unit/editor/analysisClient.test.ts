import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFromWorker, type ToWorker } from '../../../src/core/editor/workerProtocol';
import { AnalysisClient, type WorkerLike } from '../../../src/extension/analysisClient';

/** A worker that records what it is sent and answers only when the test says so. */
class FakeWorker implements WorkerLike {
  sent: ToWorker[] = [];
  terminated = false;
  private listeners: Record<string, ((arg: never) => void)[]> = {};
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  on(event: string, listener: (arg: never) => void) {
    (this.listeners[event] ??= []).push(listener);
  }
  emit(event: string, arg: unknown) {
    for (const l of this.listeners[event] ?? []) l(arg as never);
  }
  terminate() {
    this.terminated = true;
  }
  lastAnalyze() {
    return this.sent.filter((m): m is Extract<ToWorker, { type: 'analyze' }> => m.type === 'analyze').at(-1)!;
  }
  answer(request = this.lastAnalyze()) {
    this.emit('message', {
      type: 'result',
      seq: request.seq,
      uri: request.uri,
      version: request.version,
      report: { file: '/w/a.py', language: 'python', models: [], problems: [] },
      outline: [],
      imports: [],
      timings: { parseMs: 1, analyzeMs: 2 },
    });
  }
}

describe('the extension host side of the analysis worker', () => {
  let workers: FakeWorker[];
  let results: { uri: string; version: number }[];
  let failures: { uri: string; version: number; kind: string }[];
  let client: AnalysisClient;

  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
    results = [];
    failures = [];
    client = new AnalysisClient({
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      parseMessage: parseFromWorker,
      timeoutMs: 5_000,
      cancelAfterMs: 250,
      spareAfterMs: 1_000,
      onResult: (r) => results.push({ uri: r.uri, version: r.version }),
      onFailure: (uri, version, kind) => failures.push({ uri, version, kind }),
      log: () => {},
    });
    client.setWorkspaceRoots(['/w']);
  });
  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
  });

  it('starts the worker on the first request and sends the text with it', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    expect(workers).toHaveLength(0);
    client.request('a', {});
    expect(workers[0].sent.map((m) => m.type)).toEqual(['configure', 'open', 'analyze']);
    workers[0].answer();
    expect(results).toEqual([{ uri: 'a', version: 1 }]);
  });

  it('prestart starts the worker before the first request, which then uses it', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.prestart();
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['configure']);
    client.prestart();
    client.request('a', {});
    expect(workers).toHaveLength(1);
    expect(workers[0].sent.map((m) => m.type)).toEqual(['configure', 'open', 'analyze']);
    workers[0].answer();
    expect(results).toEqual([{ uri: 'a', version: 1 }]);
  });

  it('runs only the newest wanted version, and drops an answer for an outdated one', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    const first = workers[0].lastAnalyze();
    // two edits arrive while version 1 is analyzed: only the last is sent, after the answer
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = 2' });
    client.request('a', {});
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 3, text: 'x = 3' });
    client.request('a', {});
    expect(workers[0].sent.filter((m) => m.type === 'analyze')).toHaveLength(1);
    workers[0].answer(first);
    expect(results).toEqual([]);
    const next = workers[0].lastAnalyze();
    expect(next.version).toBe(3);
    expect(workers[0].sent.filter((m) => m.type === 'change').map((m) => m.type === 'change' && m.text)).toEqual(['x = 3']);
    workers[0].answer(next);
    expect(results).toEqual([{ uri: 'a', version: 3 }]);
  });

  it('restarts the worker when an analysis exceeds the time limit, and reports it', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'while True: pass' });
    client.upsert({ uri: 'b', path: '/w/b.py', language: 'python', version: 1, text: 'y = 1' });
    client.request('a', {});
    client.request('b', {});
    vi.advanceTimersByTime(5_001);
    expect(failures).toEqual([{ uri: 'a', version: 1, kind: 'timeout' }]);
    expect(workers[0].terminated).toBe(true);
    // the next request goes to a fresh worker that gets every open document again
    expect(workers).toHaveLength(2);
    expect(workers[1].sent.filter((m) => m.type === 'open').map((m) => m.type === 'open' && m.uri)).toEqual(['a', 'b']);
    workers[1].answer();
    expect(results).toEqual([{ uri: 'b', version: 1 }]);
  });

  it('reports a crashed worker and starts another for the next request', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: '' });
    client.request('a', {});
    workers[0].emit('exit', 1);
    expect(failures).toEqual([{ uri: 'a', version: 1, kind: 'crash' }]);
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x' });
    client.request('a', {});
    expect(workers).toHaveLength(2);
    workers[1].answer();
    expect(results).toEqual([{ uri: 'a', version: 2 }]);
  });

  it('cancels a superseded analysis that runs long by handing over to the warm spare worker', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    workers[0].answer();
    // the spare starts after the first result, warms up, and waits
    vi.advanceTimersByTime(1_000);
    expect(workers).toHaveLength(2);
    expect(workers[1].sent.map((m) => m.type)).toEqual(['configure', 'warmup']);
    workers[1].emit('message', { type: 'ready', engineLoadMs: 300 });
    // a half-typed text that takes long to analyze, then the finished edit
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = (' });
    client.request('a', {});
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 3, text: 'x = 3' });
    client.request('a', {});
    vi.advanceTimersByTime(249);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(workers[0].terminated).toBe(true);
    // the spare has the document sent afresh and analyzes the newest version at once
    expect(workers[1].sent.filter((m) => m.type === 'open').map((m) => m.type === 'open' && m.text)).toEqual(['x = 3']);
    workers[1].answer();
    expect(results.at(-1)).toEqual({ uri: 'a', version: 3 });
    expect(failures).toEqual([]);
    // and a new spare follows at once
    vi.advanceTimersByTime(1);
    expect(workers).toHaveLength(3);
  });

  it('hands over only to a warm spare: a cold one would first load the engine', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    workers[0].answer();
    vi.advanceTimersByTime(1_000);
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = (' });
    client.request('a', {});
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 3, text: 'x = 3' });
    client.request('a', {});
    vi.advanceTimersByTime(1_000);
    expect(workers[0].terminated).toBe(false);
    workers[1].emit('message', { type: 'ready', engineLoadMs: 900 });
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].lastAnalyze().version).toBe(3);
  });

  it('lets a superseded analysis finish when there is no spare to hand over to', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = 2' });
    client.request('a', {});
    vi.advanceTimersByTime(1_000);
    expect(workers[0].terminated).toBe(false);
    workers[0].answer();
    expect(workers[0].lastAnalyze().version).toBe(2);
  });

  it('ignores malformed messages from the worker', () => {
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: '' });
    client.request('a', {});
    workers[0].emit('message', { type: 'result', seq: 1, uri: 'a', version: 1, report: 'not a report' });
    expect(results).toEqual([]);
    workers[0].answer();
    expect(results).toEqual([{ uri: 'a', version: 1 }]);
  });
});

describe('partial results in the extension host', () => {
  const model = (name: string, params: number) => ({
    name,
    entry: name,
    line: 1,
    entryKind: 'class',
    input: { shapes: [], text: '', source: 'none', detail: '' },
    params,
    trainableParams: params,
    uniqueParams: params,
    macs: null,
    flops: null,
    activationBytes: null,
    trainingMemoryBytes: null,
    assumptions: [],
    unknowns: [],
    layers: [],
  });
  const result = (request: Extract<ToWorker, { type: 'analyze' }>, extra: Record<string, unknown>, models: unknown[]) => ({
    type: 'result',
    seq: request.seq,
    uri: request.uri,
    version: request.version,
    report: { file: '/w/a.py', language: 'python', models, problems: [] },
    outline: [],
    imports: [],
    timings: { parseMs: 1, analyzeMs: 2 },
    ...extra,
  });

  it('shows the first model at once, keeps waiting for the answer, and never decodes a later result against it', () => {
    const workers: FakeWorker[] = [];
    const partials: string[][] = [];
    const finals: string[][] = [];
    const client = new AnalysisClient({
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      parseMessage: parseFromWorker,
      timeoutMs: 5_000,
      onResult: (r) => finals.push(r.report.models.map((m) => m.name)),
      onPartialResult: (r) => partials.push(r.report.models.map((m) => m.name)),
      onFailure: () => {},
      log: () => {},
    });
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 1, text: 'x = 1' });
    client.request('a', {});
    const w = workers[0];
    expect(w.sent[0]).toMatchObject({ type: 'configure', partialResults: true });
    const first = w.lastAnalyze();
    w.emit('message', result(first, { partial: true }, [model('A', 1)]));
    expect(partials).toEqual([['A']]);
    expect(finals).toEqual([]);
    expect(client.isBusy('a')).toBe(true);
    w.emit('message', result(first, { modelsFrom: [null, null] }, [model('A', 1), model('B', 2)]));
    expect(finals).toEqual([['A', 'B']]);
    // the next result reuses models of the last full result, not of the partial one
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 2, text: 'x = 2' });
    client.request('a', {});
    const second = w.lastAnalyze();
    w.emit('message', result(second, { modelsFrom: [0, 1] }, []));
    expect(finals.at(-1)).toEqual(['A', 'B']);
    // a partial result for a version the document has left is dropped
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 3, text: 'x = 3' });
    client.request('a', {});
    const third = w.lastAnalyze();
    client.upsert({ uri: 'a', path: '/w/a.py', language: 'python', version: 4, text: 'x = 4' });
    w.emit('message', result(third, { partial: true }, [model('A', 3)]));
    expect(partials).toEqual([['A']]);
    client.dispose();
  });
});
