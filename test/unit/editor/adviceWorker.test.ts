// The analysis worker's advise and parseCheck requests: validated like the other messages,
// answered with the version they were computed for, skipped when outdated, computed with the
// options of the analysis, and the same suggestions as the advisor run directly.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../../src/core/advisor/advise';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { AnalysisServer } from '../../../src/core/editor/analysisServer';
import { parseFromWorker, parseToWorker, type FromWorker } from '../../../src/core/editor/workerProtocol';

const root = resolve(__dirname, '..', '..', '..');
const ATTENTION = join(root, 'test', 'fixtures', 'advisor', 'attention_causal.py');
const TEXT = readFileSync(ATTENTION, 'utf8');
let engine: AnalysisEngine;

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
});

function server() {
  const posted: FromWorker[] = [];
  // every answer must pass the protocol's validation, as the extension host checks it
  const s = new AnalysisServer({
    post: (m) => {
      const parsed = parseFromWorker(JSON.parse(JSON.stringify(m)));
      posted.push(parsed.ok ? parsed.message : { type: 'log', message: `INVALID: ${parsed.error}` });
    },
    createEngine: async () => engine,
  });
  return { s, posted };
}

const open = (version = 1, text = TEXT) => ({
  type: 'open' as const,
  uri: 'u1',
  path: ATTENTION,
  language: 'python' as const,
  version,
  text,
});

describe('the worker protocol for advice', () => {
  it('accepts advise and parseCheck requests and rejects malformed ones', () => {
    expect(parseToWorker({ type: 'advise', seq: 1, uri: 'u1', version: 3, options: { seqLen: 1024 } }).ok).toBe(true);
    expect(
      parseToWorker({
        type: 'parseCheck',
        seq: 2,
        uri: 'u1',
        version: 3,
        text: 'x = 1',
        edits: [{ startLine: 0, endLine: -1, lines: ['import math'] }],
      }).ok,
    ).toBe(true);
    expect(parseToWorker({ type: 'advise', seq: 1, uri: '', version: 3, options: {} }).ok).toBe(false);
    expect(parseToWorker({ type: 'advise', seq: 1, uri: 'u1', version: 1.5, options: {} }).ok).toBe(false);
    expect(
      parseToWorker({ type: 'parseCheck', seq: 2, uri: 'u1', version: 3, text: 'x', edits: [{ startLine: -2, endLine: 0, lines: [] }] }).ok,
    ).toBe(false);
    expect(
      parseToWorker({ type: 'parseCheck', seq: 2, uri: 'u1', version: 3, text: 'x', edits: [{ startLine: 0, endLine: 0, lines: [1] }] }).ok,
    ).toBe(false);
  });

  it('rejects an advice answer whose suggestions do not fit the Suggestion shape', () => {
    const good = { type: 'advice', seq: 1, uri: 'u1', version: 2, suggestions: [], problems: [], timings: { adviseMs: 3 } };
    expect(parseFromWorker(good).ok).toBe(true);
    const suggestion = {
      rule: 'sdpa',
      line: 3,
      message: 'm',
      fixable: true,
      before: { params: 1, macs: 2, activationBytes: 3 },
      after: { params: 1, macs: 2, activationBytes: 1 },
      afterSource: 'reanalysis',
      saving: 0.6,
      assumptions: [],
      docs: 'https://x',
    };
    expect(parseFromWorker({ ...good, suggestions: [suggestion] }).ok).toBe(true);
    expect(parseFromWorker({ ...good, suggestions: [{ ...suggestion, afterSource: 'guess' }] }).ok).toBe(false);
    expect(parseFromWorker({ ...good, suggestions: [{ ...suggestion, before: { params: '1' } }] }).ok).toBe(false);
    expect(parseFromWorker({ ...good, suggestions: [{ ...suggestion, edits: [{ startLine: 0, endLine: 0 }] }] }).ok).toBe(false);
    expect(
      parseFromWorker({ type: 'parseChecked', seq: 1, uri: 'u1', version: 2, parses: 'yes', syntaxErrorsBefore: 0, syntaxErrorsAfter: 0 })
        .ok,
    ).toBe(false);
  });
});

describe('the analysis worker advises', () => {
  it('answers with the suggestions of the version it was asked about, as the advisor computes them', async () => {
    const { s, posted } = server();
    await s.receive(open(4));
    await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 4, options: {} });
    await s.receive({ type: 'advise', seq: 2, uri: 'u1', version: 4, options: {} });
    const answer = posted.find((m) => m.type === 'advice');
    expect(answer).toMatchObject({ seq: 2, uri: 'u1', version: 4 });
    if (answer?.type !== 'advice') return;
    const direct = advise(engine, ATTENTION, TEXT, {});
    expect(answer.suggestions.map((x) => [x.rule, x.line, x.fixable, x.after.activationBytes])).toEqual(
      direct.suggestions.map((x) => [x.rule, x.line, x.fixable, x.after.activationBytes]),
    );
    const sdpa = answer.suggestions.find((x) => x.rule === 'sdpa')!;
    expect(sdpa.edits!.length).toBeGreaterThan(0);
    expect(sdpa.after.activationBytes!).toBeLessThan(sdpa.before.activationBytes!);
    expect(answer.timings.adviseMs).toBeGreaterThan(0);
    expect(posted.filter((m) => m.type === 'log' && m.message.startsWith('INVALID'))).toEqual([]);
  });

  it('uses the options of the analysis (training memory at the batch asked for)', async () => {
    const { s, posted } = server();
    await s.receive(open());
    await s.receive({ type: 'advise', seq: 1, uri: 'u1', version: 1, options: { batch: 2, optimizer: 'sgd' } });
    await s.receive({ type: 'advise', seq: 2, uri: 'u1', version: 1, options: { batch: 16, optimizer: 'sgd' } });
    const [small, large] = posted
      .filter((m) => m.type === 'advice')
      .map((m) => (m.type === 'advice' ? m.suggestions.find((x) => x.rule === 'sdpa')! : undefined));
    expect(small!.before.trainingMemoryBytes).toBe(
      advise(engine, ATTENTION, TEXT, { batch: 2, optimizer: 'sgd' }).suggestions.find((x) => x.rule === 'sdpa')!.before
        .trainingMemoryBytes,
    );
    expect(large!.before.trainingMemoryBytes!).toBeGreaterThan(small!.before.trainingMemoryBytes!);
  });

  it('skips a request for an outdated version, a document that is not open, and a TF.js file', async () => {
    const { s, posted } = server();
    await s.receive(open(1));
    await s.receive({ type: 'change', uri: 'u1', version: 2, text: TEXT.replace('n_embd=64', 'n_embd=128') });
    await s.receive({ type: 'advise', seq: 5, uri: 'u1', version: 1, options: {} });
    expect(posted.at(-1)).toMatchObject({ type: 'skipped', seq: 5, version: 1 });
    await s.receive({ type: 'advise', seq: 6, uri: 'nope', version: 1, options: {} });
    expect(posted.at(-1)).toMatchObject({ type: 'skipped', seq: 6, reason: 'the document is not open' });
    await s.receive({
      type: 'open',
      uri: 't1',
      path: '/w/model.ts',
      language: 'tfjs',
      version: 1,
      text: "import * as tf from '@tensorflow/tfjs';\n",
    });
    await s.receive({ type: 'advise', seq: 7, uri: 't1', version: 1, options: {} });
    expect(posted.at(-1)).toMatchObject({ type: 'skipped', seq: 7, reason: 'the advisor reads Python files' });
  });

  it('skips advice when an edit of the same document is queued behind it', async () => {
    const { s, posted } = server();
    await s.receive(open(1));
    void s.receive({ type: 'advise', seq: 1, uri: 'u1', version: 1, options: {} });
    await s.receive({ type: 'change', uri: 'u1', version: 2, text: TEXT });
    expect(posted.filter((m) => m.type !== 'log')).toEqual([
      expect.objectContaining({ type: 'skipped', seq: 1, reason: 'superseded by a newer request' }),
    ]);
  });

  it('never breaks on bad input: half-typed code gives advice for what parses, or none', async () => {
    const { s, posted } = server();
    const broken = TEXT.replace('att = F.softmax(att, dim=-1)', 'att = F.softmax(att, dim=');
    await s.receive(open(1, broken));
    await s.receive({ type: 'advise', seq: 1, uri: 'u1', version: 1, options: {} });
    await s.receive({ type: 'advise', seq: 2, uri: 'u1', version: 1, options: { model: 'NoSuchModel' } });
    const answers = posted.filter((m) => m.type === 'advice');
    expect(answers).toHaveLength(2);
    expect(answers[1].type === 'advice' && answers[1].problems.join(' ')).toContain('NoSuchModel');
  });

  it('checks that a fix parses, naming the line of a new syntax error', async () => {
    const { s, posted } = server();
    await s.receive({
      type: 'parseCheck',
      seq: 1,
      uri: 'u1',
      version: 3,
      text: 'x = 1\ny = 2\n',
      edits: [{ startLine: 1, endLine: 1, lines: ['y = (2'] }],
    });
    await s.receive({
      type: 'parseCheck',
      seq: 2,
      uri: 'u1',
      version: 3,
      text: 'x = 1\ny = 2\n',
      edits: [{ startLine: 1, endLine: 1, lines: ['y = 3'] }],
    });
    expect(posted.filter((m) => m.type === 'parseChecked')).toEqual([
      { type: 'parseChecked', seq: 1, uri: 'u1', version: 3, parses: false, syntaxErrorsBefore: 0, syntaxErrorsAfter: 1, firstNewError: 2 },
      { type: 'parseChecked', seq: 2, uri: 'u1', version: 3, parses: true, syntaxErrorsBefore: 0, syntaxErrorsAfter: 0 },
    ]);
  });
});
