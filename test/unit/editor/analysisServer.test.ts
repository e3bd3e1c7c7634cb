import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { AnalysisServer } from '../../../src/core/editor/analysisServer';
import { loadPythonParser } from '../../../src/core/python/parser';
import { ParseCache } from '../../../src/core/python/parseCache';
import { parseFromWorker, parseToWorker, type FromWorker } from '../../../src/core/editor/workerProtocol';
import type { SourceHost } from '../../../src/core/interp/imports';

const DIR = '/nonexistent-wattlens-ws';
const lastResult = (posted: FromWorker[]) => [...posted].reverse().find((m) => m.type === 'result')!;
const disk = (files: Record<string, string>): SourceHost => ({ readFile: (p) => files[p], isFile: (p) => p in files });

function server(files: Record<string, string> = {}) {
  const posted: FromWorker[] = [];
  // every answer must pass the protocol's validation, as the extension host checks it
  const s = new AnalysisServer({
    post: (m) => posted.push(parseFromWorker(JSON.parse(JSON.stringify(m))).ok ? m : { type: 'log', message: 'INVALID' }),
    disk: disk(files),
  });
  return { s, posted };
}

const NET = (width: number) => `import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, ${width})

    def forward(self, x):
        return self.fc(x)
`;

describe('the analysis worker', () => {
  it('answers with the report of the version it analyzed, and an outline of the definitions', async () => {
    const { s, posted } = server();
    await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/net.py`, language: 'python', version: 1, text: NET(8) });
    await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    const result = posted.find((m) => m.type === 'result')!;
    expect(result).toMatchObject({
      seq: 1,
      uri: 'u1',
      version: 1,
      outline: [{ name: 'Net', kind: 'class', line: 3, firstLine: 3, endLine: 9 }],
    });
    expect(result.type === 'result' && result.report.models[0].params).toBe(16 * 8 + 8);
  });

  it('reports the lines of the training loops with the result', async () => {
    const { s, posted } = server();
    const script = `${NET(8)}
import torch
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    opt.zero_grad()
    model(torch.randn(4, 16)).sum().backward()
    opt.step()
`;
    await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/train.py`, language: 'python', version: 1, text: script });
    await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    expect(lastResult(posted)).toMatchObject({ trainingLoops: [14], trainingLoopLengths: [{ kind: 'steps', count: 10 }] });
  });

  it('finds an optimizer built by a workspace module the script imports', async () => {
    const factory = 'import torch\n\ndef make_optimizer(model):\n    opt = torch.optim.AdamW(model.parameters())\n    return opt\n';
    const { s, posted } = server({ [`${DIR}/factory.py`]: factory });
    await s.receive({ type: 'configure', workspaceRoots: [DIR] });
    const script = `${NET(8)}
import torch
from factory import make_optimizer
STEPS = 30
model = Net()
o = make_optimizer(model)
for step in range(STEPS):
    model(torch.randn(4, 16)).sum().backward()
    o.step()
`;
    await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/train.py`, language: 'python', version: 1, text: script });
    await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    expect(lastResult(posted)).toMatchObject({ trainingLoops: [16], trainingLoopLengths: [{ kind: 'steps', count: 30 }] });
  });

  it('reparses edits incrementally and skips a request for a version that is already outdated', async () => {
    const { s, posted } = server();
    await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/net.py`, language: 'python', version: 1, text: NET(8) });
    await s.receive({ type: 'change', uri: 'u1', version: 2, text: NET(32) });
    await s.receive({ type: 'analyze', seq: 7, uri: 'u1', version: 1, options: {} });
    expect(posted.at(-1)).toMatchObject({ type: 'skipped', seq: 7, version: 1 });
    await s.receive({ type: 'analyze', seq: 8, uri: 'u1', version: 2, options: {} });
    const last = posted.at(-1)!;
    expect(last.type === 'result' && last.report.models[0].params).toBe(16 * 32 + 32);
  });

  it('skips a request when a newer one for the same document is queued behind it', async () => {
    const { s, posted } = server();
    void s.receive({ type: 'open', uri: 'u1', path: `${DIR}/net.py`, language: 'python', version: 1, text: NET(8) });
    void s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    void s.receive({ type: 'change', uri: 'u1', version: 2, text: NET(4) });
    await s.receive({ type: 'analyze', seq: 2, uri: 'u1', version: 2, options: {} });
    expect(posted.filter((m) => m.type !== 'log').map((m) => [m.type, 'seq' in m ? m.seq : 0])).toEqual([
      ['skipped', 1],
      ['result', 2],
    ]);
  });

  it('serves the unsaved text of an open file to the files that import it, and lists the imports', async () => {
    const helper = `${DIR}/sizes.py`;
    const { s, posted } = server({ [helper]: 'HIDDEN = 8\n' });
    const user = `import torch.nn as nn\nfrom sizes import HIDDEN\n\nclass Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, HIDDEN)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    await s.receive({ type: 'open', uri: 'user', path: `${DIR}/head.py`, language: 'python', version: 1, text: user });
    await s.receive({ type: 'analyze', seq: 1, uri: 'user', version: 1, options: {} });
    const first = lastResult(posted);
    expect(first.type === 'result' && first.report.models[0].params).toBe(4 * 8 + 8);
    expect(first.type === 'result' && first.imports).toContain(helper);
    // the helper is opened and edited, not saved: the disk still says 8
    await s.receive({ type: 'open', uri: 'helper', path: helper, language: 'python', version: 1, text: 'HIDDEN = 100\n' });
    await s.receive({ type: 'invalidateImports' });
    await s.receive({ type: 'analyze', seq: 2, uri: 'user', version: 1, options: {} });
    const second = lastResult(posted);
    expect(second.type === 'result' && second.report.models[0].params).toBe(4 * 100 + 100);
  });

  it('never throws on bad input: syntax errors are problems, other classes still analyzed', async () => {
    const { s, posted } = server();
    const text = `import torch.nn as nn\n\nclass Broken(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, \n    def forward(self, x):\n        return x\n\nclass Fine(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, 5)\n    def forward(self, x):\n        return self.fc(x)\n`;
    await s.receive({ type: 'open', uri: 'u', path: `${DIR}/b.py`, language: 'python', version: 1, text });
    await s.receive({ type: 'analyze', seq: 1, uri: 'u', version: 1, options: {} });
    const r = lastResult(posted);
    expect(r.type === 'result' && r.report.problems.some((p) => p.what === 'syntax')).toBe(true);
    expect(r.type === 'result' && r.report.models.find((m) => m.name === 'Fine')?.params).toBe(20);
  });

  it('dispatches TF.js documents to the TF.js front end', async () => {
    const { s, posted } = server();
    const text = `import * as tf from '@tensorflow/tfjs';\nexport function build() {\n  const model = tf.sequential();\n  model.add(tf.layers.dense({ units: 4, inputShape: [8] }));\n  return model;\n}\n`;
    await s.receive({ type: 'open', uri: 't', path: `${DIR}/model.ts`, language: 'tfjs', version: 1, text });
    await s.receive({ type: 'analyze', seq: 1, uri: 't', version: 1, options: {} });
    const r = lastResult(posted);
    expect(r.type === 'result' && r.report.language).toBe('tfjs');
    expect(r.type === 'result' && r.report.models[0]?.params).toBe(8 * 4 + 4);
  });

  it('answers for a document it does not have', async () => {
    const { s, posted } = server();
    await s.receive({ type: 'analyze', seq: 3, uri: 'nope', version: 1, options: {} });
    expect(posted).toEqual([{ type: 'skipped', seq: 3, uri: 'nope', version: 1, reason: 'the document is not open' }]);
  });

  it('validates messages both ways', () => {
    expect(parseToWorker({ type: 'analyze', seq: 1, uri: 'u', version: 1, options: { precision: 'fp64' } }).ok).toBe(false);
    expect(parseToWorker({ type: 'open', uri: '', path: '/x.py', language: 'python', version: 1, text: '' }).ok).toBe(false);
    expect(parseToWorker({ type: 'shutdown' }).ok).toBe(false);
    expect(
      parseFromWorker({
        type: 'result',
        seq: 1,
        uri: 'u',
        version: 1,
        report: { file: 'x', language: 'python', models: [{ name: 'N' }], problems: [] },
        outline: [],
        imports: [],
        timings: { parseMs: 1, analyzeMs: 1 },
      }).ok,
    ).toBe(false);
  });
});

describe('partial results (the first model while the rest of the file is analyzed)', () => {
  const TWO = `import torch.nn as nn

class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8)

    def forward(self, x):
        return self.fc(x)

class Large(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 32)

    def forward(self, x):
        return self.fc(x)
`;
  const results = (posted: FromWorker[]) => posted.filter((m): m is Extract<FromWorker, { type: 'result' }> => m.type === 'result');

  it("sends the first model before the full result, with the final result's figures", async () => {
    const { s, posted } = server();
    await s.receive({ type: 'configure', workspaceRoots: [DIR], changedModelsOnly: true, partialResults: true });
    await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/two.py`, language: 'python', version: 1, text: TWO });
    await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    const [partial, full, ...rest] = results(posted);
    expect(rest).toEqual([]);
    expect(partial).toMatchObject({ partial: true, seq: 1, uri: 'u1', version: 1, outline: [{ name: 'Small' }, { name: 'Large' }] });
    expect(partial.modelsFrom).toBeUndefined();
    expect(partial.report.models.map((m) => m.name)).toEqual(['Small']);
    expect(full.partial).toBeUndefined();
    expect(full.report.models.map((m) => m.name)).toEqual(['Small', 'Large']);
    const figures = ({ params, macs, activationBytes, layers }: (typeof full.report.models)[number]) => ({
      params,
      macs,
      activationBytes,
      layers,
    });
    expect(partial.report.models[0].params).toBe(16 * 8 + 8);
    expect(figures(partial.report.models[0])).toEqual(figures(full.report.models[0]));
  });

  it('streams only the first analysis of an opened document, and only when asked to', async () => {
    const asked = server();
    await asked.s.receive({ type: 'configure', workspaceRoots: [DIR], partialResults: true });
    await asked.s.receive({ type: 'open', uri: 'u1', path: `${DIR}/two.py`, language: 'python', version: 1, text: TWO });
    await asked.s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    // other options: every model is analyzed again, and answered at once as a whole
    await asked.s.receive({ type: 'analyze', seq: 2, uri: 'u1', version: 1, options: { batch: 4 } });
    expect(results(asked.posted).map((m) => [m.seq, m.partial ?? false])).toEqual([
      [1, true],
      [1, false],
      [2, false],
    ]);
    // the raw protocol without the opt-in: one answer per request, as before
    const plain = server();
    await plain.s.receive({ type: 'open', uri: 'u1', path: `${DIR}/two.py`, language: 'python', version: 1, text: TWO });
    await plain.s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
    expect(results(plain.posted).map((m) => [m.seq, m.partial ?? false])).toEqual([[1, false]]);
  });
});

describe('a document opened again', () => {
  it('is answered from the parse cache without tree-sitter, with the same report; its tree follows for edits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlens-doc-cache-'));
    try {
      const cache = new ParseCache({ dir, version: 'test' });
      const session = () => {
        const posted: FromWorker[] = [];
        const s = new AnalysisServer({
          post: (m) => posted.push(m),
          disk: disk({}),
          createEngine: (host, roots) => AnalysisEngine.create({ host, workspaceRoots: roots, parseCache: cache }),
        });
        return { s, posted };
      };
      const open = async ({ s }: { s: AnalysisServer }) => {
        await s.receive({ type: 'open', uri: 'u1', path: `${DIR}/net.py`, language: 'python', version: 1, text: NET(8) });
        await s.receive({ type: 'analyze', seq: 1, uri: 'u1', version: 1, options: {} });
      };
      const first = session();
      await open(first);
      const parser = (await loadPythonParser()) as unknown as { parse: (...a: unknown[]) => unknown };
      const parse = vi.spyOn(parser, 'parse');
      // tree-sitter parses of this document's text (from source, the torch prelude is parsed too)
      const ofDocument = () => parse.mock.calls.filter(([text]) => text === NET(8)).length;
      const again = session();
      await open(again);
      expect(ofDocument()).toBe(0);
      const report = (p: FromWorker[]) => (lastResult(p) as Extract<FromWorker, { type: 'result' }>).report;
      const figures = (p: FromWorker[]) => JSON.stringify(report(p), (k, v: unknown) => (k.endsWith('Ms') ? undefined : v));
      expect(figures(again.posted)).toBe(figures(first.posted));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ofDocument()).toBe(1);
      // an edit after the cached open is an ordinary incremental reparse
      await again.s.receive({ type: 'change', uri: 'u1', version: 2, text: NET(32) });
      await again.s.receive({ type: 'analyze', seq: 2, uri: 'u1', version: 2, options: {} });
      expect(report(again.posted).models[0].params).toBe(16 * 32 + 32);
      parse.mockRestore();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
