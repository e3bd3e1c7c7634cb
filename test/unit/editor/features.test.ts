// The feature wiring of src/extension/features.ts against a stand-in for the `vscode` module:
// the advisor plugs into the analyzed documents through their after-analysis hook (onDidUpdate)
// and offers its advice service through the registry, so it is one line of the features list;
// without that line the documents work as before, nothing asks for advice, and the panel's
// Suggestions tab says the advisor is not there. The shared services are made in one place each.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => {
  const { EventEmitter } = await import('../../support/vscodeEventEmitter');
  /** Any property, call or `new` gives another one: the parts of the API these tests do not look at. */
  const inert = (): unknown =>
    new Proxy(function () {}, {
      get: (_t, p) => (p === 'then' ? undefined : p === Symbol.iterator ? [][Symbol.iterator] : inert()),
      apply: () => inert(),
      construct: () => inert() as object,
    });
  class Disposable {
    constructor(private readonly done: () => void) {}
    dispose() {
      this.done();
    }
  }
  const editors: { document: unknown }[] = [];
  const documents: unknown[] = [];
  const namespace = (fields: Record<string, unknown>) => new Proxy(fields, { get: (t, p: string) => (p in t ? t[p] : inert()) });
  return {
    EventEmitter,
    Disposable,
    Uri: inert(),
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    CodeActionKind: inert(),
    workspace: namespace({
      textDocuments: documents,
      notebookDocuments: [],
      workspaceFolders: undefined,
      getConfiguration: () => ({ get: () => undefined, inspect: () => undefined }),
      asRelativePath: (u: { path: string }) => u.path.slice(1),
    }),
    window: namespace({ visibleTextEditors: editors, visibleNotebookEditors: [], activeTextEditor: undefined }),
    languages: inert(),
    commands: inert(),
  };
});

import * as vscode from 'vscode';
import type { AdviceAnswer, AnalysisClient } from '../../../src/extension/analysisClient';
import { AdviceService } from '../../../src/extension/advice/adviceService';
import { AnalyzedDocuments } from '../../../src/extension/documents';
import { registerFeatures, type FeatureContext } from '../../../src/extension/features';
import { registerReportPanel } from '../../../src/extension/panel/register';
import { suggestionsSource } from '../../../src/extension/panel/sections/suggestions';
import type { PanelHost } from '../../../src/extension/panel/sections/hostSection';
import { WattLensRegistry } from '../../../src/extension/registry';
import { readSettings } from '../../../src/core/editor/settings';

const KEY = 'file:///w/net.py';
const document = {
  uri: { scheme: 'file', path: '/w/net.py', fsPath: '/w/net.py', toString: () => KEY },
  languageId: 'python',
  version: 1,
  isClosed: false,
  lineCount: 1,
  getText: () => 'import torch\n',
};

function setup() {
  const ws = vscode.workspace as unknown as { textDocuments: unknown[] };
  const win = vscode.window as unknown as { visibleTextEditors: { document: unknown }[] };
  ws.textDocuments.splice(0, Infinity, document);
  win.visibleTextEditors.splice(0, Infinity, { document });
  const advised: string[] = [];
  const client = {
    upsert: () => {},
    prestart: () => {},
    request: () => {},
    close: () => {},
    isBusy: () => false,
    invalidateImports: () => {},
    advise: async (key: string, version: number): Promise<AdviceAnswer> => {
      advised.push(`${key}@${version}`);
      return {
        ok: true,
        advice: { type: 'advice', seq: 1, uri: key, version, suggestions: [], problems: [], timings: { adviseMs: 1 } },
        roundTripMs: 2,
      } as unknown as AdviceAnswer;
    },
    parseCheck: async () => ({ ok: false, reason: 'not in this test' }),
  } as unknown as AnalysisClient;
  const settings = () => readSettings(() => undefined);
  const trace = { step: () => {}, edited: () => {}, analyzed: () => {} };
  const documents = new AnalyzedDocuments(client, settings, trace as never);
  const subscriptions: { dispose(): void }[] = [];
  const context = {
    extension: { subscriptions, extensionUri: vscode.Uri, secrets: {} },
    registry: new WattLensRegistry(),
    documents,
    analysis: client,
    settings,
    log: () => {},
    trace,
  } as unknown as FeatureContext;
  const analyzed = () =>
    documents.onResult({
      type: 'result',
      seq: 1,
      uri: KEY,
      version: 1,
      report: { file: '/w/net.py', language: 'python', models: [], problems: [] },
      outline: [],
      imports: [],
      timings: { parseMs: 1, analyzeMs: 1 },
    } as never);
  const dispose = () => {
    for (const s of subscriptions) s.dispose();
    documents.dispose();
  };
  return { context, documents, advised, analyzed, dispose };
}

function panelHost(context: FeatureContext): PanelHost {
  const report = { onDidChange: new vscode.EventEmitter<void>().event, target: () => undefined };
  return {
    feature: context,
    report,
    pilots: {},
    visible: () => true,
    onDidShow: new vscode.EventEmitter<void>().event,
    revealReportLine: async () => {},
  } as unknown as PanelHost;
}

describe('features and shared services', () => {
  let done: (() => void) | undefined;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    done?.();
    vi.useRealTimers();
  });

  it('the advisor follows the analyzed documents through their after-analysis hook and offers its service in the registry', async () => {
    const s = setup();
    done = s.dispose;
    registerFeatures(s.context);
    const service = s.context.registry.advice();
    expect(service).toBeInstanceOf(AdviceService);
    s.analyzed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.advised).toEqual([`${KEY}@1`]);
    expect(service!.current(document as never)).toMatchObject({ uri: KEY, version: 1, suggestions: [] });
    // the panel's Suggestions tab reads that same service
    const suggestions = suggestionsSource(panelHost(s.context));
    expect(suggestions.current().state).toBe('idle');
    suggestions.dispose();
  });

  it('without the advisor line, documents analyze as before, nothing asks for advice, and the Suggestions tab says why', async () => {
    const s = setup();
    done = s.dispose;
    registerFeatures(s.context, [registerReportPanel]);
    expect(s.context.registry.advice()).toBeUndefined();
    s.analyzed();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.documents.latest(document as never)?.version).toBe(1);
    expect(s.advised).toEqual([]);
    expect(suggestionsSource(panelHost(s.context)).current()).toMatchObject({
      state: 'unsupported',
      message: expect.stringMatching(/advisor is not part of this build/),
    });
  });

  it('makes each shared service in one place: one GpuInfo (one nvidia-smi), one run-record watcher, one advice service, one output channel', () => {
    const root = join(__dirname, '..', '..', '..', 'src', 'extension');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) =>
        statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : [],
      );
    const madeIn = (pattern: RegExp) =>
      files(root)
        .filter((f) => pattern.test(readFileSync(f, 'utf8')))
        .map((f) => relative(root, f));
    expect(madeIn(/new GpuInfo\(/)).toEqual(['extension.ts']);
    expect(madeIn(/new RunRecordWatcher\(/)).toEqual(['pilot/runRecordFeed.ts']);
    expect(madeIn(/new RunRecordFeed\(/)).toEqual(['extension.ts']);
    expect(madeIn(/new CalibrationSource\(/)).toEqual(['extension.ts']);
    expect(madeIn(/new AdviceService\(/)).toEqual(['advice/register.ts']);
    expect(madeIn(/createOutputChannel\('WattLens'\)/)).toEqual(['extension.ts']);
    // the documents (and the rest of the editor layer) know no advisor: only the features list imports it
    expect(madeIn(/^import (?!type )[^;]*from '\.\/advice\//m)).toEqual(['features.ts']);
  });
});
