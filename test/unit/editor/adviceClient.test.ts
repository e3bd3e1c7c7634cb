// The extension host's side of advice and parse checks: advice runs after every wanted analysis,
// answers only for the version it was asked about, is shared by requests for the same version,
// is cancelled into the warm spare when an edit's analysis waits, and fails without taking the
// analyses down; parse checks go first.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFromWorker, type ToWorker } from '../../../src/core/editor/workerProtocol';
import { AnalysisClient, type AdviceAnswer, type WorkerLike } from '../../../src/extension/analysisClient';

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
  last<T extends ToWorker['type']>(type: T): Extract<ToWorker, { type: T }> {
    return this.sent.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type).at(-1)!;
  }
  types() {
    return this.sent.map((m) => m.type).filter((t) => t !== 'configure' && t !== 'open' && t !== 'change');
  }
  answerAnalysis(request = this.last('analyze')) {
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
  answerAdvice(request = this.last('advise')) {
    this.emit('message', {
      type: 'advice',
      seq: request.seq,
      uri: request.uri,
      version: request.version,
      suggestions: [],
      problems: ['note'],
      timings: { adviseMs: 40 },
    });
  }
}

describe('advice through the analysis client', () => {
  let workers: FakeWorker[];
  let failures: string[];
  let client: AnalysisClient;
  const doc = (version: number, uri = 'a') =>
    client.upsert({ uri, path: `/w/${uri}.py`, language: 'python', version, text: `x = ${version}` });

  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
    failures = [];
    client = new AnalysisClient({
      createWorker: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      parseMessage: parseFromWorker,
      timeoutMs: 5_000,
      adviceTimeoutMs: 20_000,
      cancelAfterMs: 250,
      adviceCancelAfterMs: 500,
      spareAfterMs: 1_000,
      onResult: () => {},
      onFailure: (uri, version, kind) => failures.push(`${uri} v${version} ${kind}`),
      log: () => {},
    });
  });
  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
  });

  it('answers with the advice of the version asked for, after the analyses that wait', async () => {
    doc(1);
    doc(1, 'b');
    client.request('a', {});
    const answer = client.advise('a', 1, { seqLen: 512 });
    client.request('b', {});
    expect(workers[0].types()).toEqual(['analyze']);
    workers[0].answerAnalysis();
    expect(workers[0].types()).toEqual(['analyze', 'analyze']);
    workers[0].answerAnalysis();
    expect(workers[0].last('advise')).toMatchObject({ uri: 'a', version: 1, options: { seqLen: 512 } });
    workers[0].answerAdvice();
    const a = await answer;
    expect(a.ok && a.advice).toMatchObject({ uri: 'a', version: 1, problems: ['note'] });
  });

  it('shares one request between callers of the same version and options', async () => {
    doc(1);
    const [x, y] = [client.advise('a', 1, {}), client.advise('a', 1, {})];
    expect(workers[0].sent.filter((m) => m.type === 'advise')).toHaveLength(1);
    workers[0].answerAdvice();
    expect((await x).ok && (await y).ok).toBe(true);
  });

  it('is stale for a version the document has left, before or after it was sent', async () => {
    doc(2);
    expect(await client.advise('a', 1, {})).toMatchObject({ ok: false, stale: true });
    const sent = client.advise('a', 2, {});
    doc(3);
    workers[0].answerAdvice();
    expect(await sent).toMatchObject({ ok: false, stale: true, reason: 'the document changed while the advice was computed' });
    // a request that waited behind an analysis and was overtaken by an edit is never sent
    client.request('a', {});
    const waiting = client.advise('a', 3, {});
    doc(4);
    workers[0].answerAnalysis();
    expect(await waiting).toMatchObject({ ok: false, stale: true });
    expect(workers[0].sent.filter((m) => m.type === 'advise')).toHaveLength(1);
  });

  it('cancels running advice into the warm spare when an edit needs an analysis', async () => {
    doc(1);
    client.request('a', {});
    workers[0].answerAnalysis();
    vi.advanceTimersByTime(1_000);
    workers[1].emit('message', { type: 'ready', engineLoadMs: 300 });
    const advice = client.advise('a', 1, {});
    expect(workers[0].last('advise')).toBeDefined();
    doc(2);
    client.request('a', {});
    vi.advanceTimersByTime(499);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(workers[0].terminated).toBe(true);
    expect(await advice).toMatchObject({ ok: false, stale: true, reason: 'cancelled: an analysis of newer text came first' });
    // the analysis runs at once on the spare
    expect(workers[1].last('analyze')).toMatchObject({ uri: 'a', version: 2 });
    expect(failures).toEqual([]);
  });

  it('fails on its own time limit without reporting an analysis failure', async () => {
    doc(1);
    const advice = client.advise('a', 1, {});
    vi.advanceTimersByTime(5_001);
    expect(workers[0].terminated).toBe(false);
    vi.advanceTimersByTime(15_000);
    const a: AdviceAnswer = await advice;
    expect(a).toMatchObject({ ok: false, stale: false });
    expect(!a.ok && a.reason).toContain('advice exceeded 20000 ms');
    expect(workers[0].terminated).toBe(true);
    expect(failures).toEqual([]);
    // analyses carry on in a fresh worker
    client.request('a', {});
    expect(workers.at(-1)!.last('analyze')).toMatchObject({ version: 1 });
  });

  it('fails when the worker dies or answers with a failure', async () => {
    doc(1);
    const a = client.advise('a', 1, {});
    workers[0].emit('message', { type: 'failed', seq: workers[0].last('advise').seq, uri: 'a', version: 1, message: 'rule exploded' });
    expect(await a).toEqual({ ok: false, reason: 'rule exploded', stale: false });
    const b = client.advise('a', 1, { batch: 2 });
    workers[0].emit('exit', 1);
    expect(await b).toMatchObject({ ok: false, stale: false, reason: 'analysis worker exited with code 1' });
    expect(failures).toEqual([]);
  });

  it('runs a parse check before waiting analyses and advice', async () => {
    doc(1);
    doc(1, 'b');
    client.request('a', {});
    const advice = client.advise('b', 1, {});
    const check = client.parseCheck('b', 1, 'x = 1', [{ startLine: 0, endLine: 0, lines: ['x = (1'] }]);
    client.request('b', {});
    workers[0].answerAnalysis();
    expect(workers[0].types()).toEqual(['analyze', 'parseCheck']);
    const req = workers[0].last('parseCheck');
    workers[0].emit('message', {
      type: 'parseChecked',
      seq: req.seq,
      uri: 'b',
      version: 1,
      parses: false,
      syntaxErrorsBefore: 0,
      syntaxErrorsAfter: 1,
      firstNewError: 1,
    });
    expect(await check).toMatchObject({ ok: true, check: { parses: false, firstNewError: 1 } });
    expect(workers[0].types()).toEqual(['analyze', 'parseCheck', 'analyze']);
    workers[0].answerAnalysis();
    workers[0].answerAdvice();
    expect((await advice).ok).toBe(true);
  });

  it('does not count running advice as a busy analysis', () => {
    doc(1);
    void client.advise('a', 1, {});
    expect(client.isBusy('a')).toBe(false);
  });
});
