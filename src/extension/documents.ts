// Turns editor documents (Python files, TF.js files, notebooks) into analyses: mirrors them to the
// worker, debounces edits, re-analyzes dependents when a file they import changes, and hands the
// providers the report of a document's current version with its line mapping (notebook cells).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { admissionProblem, analyzedLanguage, type AnalyzedLanguage } from '../core/editor/admission';
import { lineEditOf, shiftLine, unshiftLine, type LineEdit } from '../core/editor/lineShift';
import type { LoopLength } from '../core/editor/loopLength';
import { concatenateCells, toCellLine, toNotebookLine, type ConcatenatedNotebook } from '../core/editor/notebook';
import { analyzeOptionsFor, type EditorSettings } from '../core/editor/settings';
import type { AnalysisResult, OutlineEntry } from '../core/editor/workerProtocol';
import type { FileReport } from '../core/report/types';
import type { AnalysisClient, FailureKind } from './analysisClient';
import type { Trace } from './trace';

export const DEBOUNCE_MS = 150;
/** How long a provider waits for the analysis of the text it was asked about. */
const PROVIDER_WAIT_MS = 4_000;
/** Past this many edits without a result, the last report is not moved any more. */
const MAX_TRACKED_EDITS = 400;

/** What providers get: a report for the document's current text, with lines mapped both ways. */
export interface DocumentView {
  key: string;
  version: number;
  report: FileReport;
  outline: OutlineEntry[];
  /** 1-based report lines of the training loops. */
  trainingLoops: number[];
  /** Per training loop, its run length when the script fixes it (same order). */
  trainingLoopLengths: LoopLength[];
  /** Report line (1-based) → line in this document (1-based), or undefined when it is elsewhere (another cell). */
  toDocumentLine(reportLine: number): number | undefined;
  /** Line in this document (1-based) → report line (1-based). */
  toReportLine(documentLine: number): number | undefined;
}

export type DocumentState =
  | { kind: 'analyzing' }
  | { kind: 'ready' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'failed'; reason: string; failure: FailureKind };

interface Tracked {
  key: string;
  path: string;
  language: AnalyzedLanguage;
  version: number;
  notebook?: { uri: vscode.Uri; concatenated: ConcatenatedNotebook };
  result?: { version: number; result: AnalysisResult; notebook?: ConcatenatedNotebook };
  /** The first model of the current version's analysis, shown by hints and lenses until the result comes (never `latest`). */
  partial?: { version: number; result: AnalysisResult; notebook?: ConcatenatedNotebook };
  state: DocumentState;
  debounce?: ReturnType<typeof setTimeout>;
  /** Line edits since the last result (text documents), to show that result on the newer text. */
  edits: { version: number; edit: LineEdit }[];
  waiters: { version: number; resolve: () => void }[];
}

export class AnalyzedDocuments implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  /** Documents left out (too large, minified), with why. */
  private readonly skipped = new Map<string, string>();
  private readonly notebookVersions = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * Fires with a document key when its analysis, or its state, changed: the hook for whatever
   * follows an analysis (the providers, and features such as the advisor, which asks the worker
   * for advice on `latest(document)` once typing pauses).
   */
  readonly onDidUpdate = this.changed.event;
  private readonly partialShown = new vscode.EventEmitter<string>();
  /** Fires when a partial result (the first model, the rest under way) is there to display; the state stays `analyzing`. */
  readonly onDidShowPartial = this.partialShown.event;

  constructor(
    private readonly client: AnalysisClient,
    private readonly settings: (scope?: vscode.Uri) => EditorSettings,
    private readonly trace: Trace,
  ) {
    this.disposables.push(
      this.changed,
      this.partialShown,
      vscode.workspace.onDidOpenTextDocument((d) => this.syncText(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.syncText(e.document, e.contentChanges);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.syncNotebook(nb, false)),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length || e.cellChanges.some((c) => c.document)) this.syncNotebook(e.notebook, true);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.forget(nb.uri.toString())),
      vscode.window.onDidChangeVisibleTextEditors(() => this.analyzeVisible(false)),
      vscode.window.onDidChangeVisibleNotebookEditors(() => this.analyzeVisible(false)),
    );
    for (const d of vscode.workspace.textDocuments) this.syncText(d);
    for (const nb of vscode.workspace.notebookDocuments) this.syncNotebook(nb, false);
  }

  /** The key of the analysis a document belongs to: its own, or its notebook's for a cell. */
  keyOf(document: vscode.TextDocument): string | undefined {
    if (document.uri.scheme === 'vscode-notebook-cell') return this.notebookOf(document)?.uri.toString();
    return document.uri.toString();
  }

  stateOf(document: vscode.TextDocument): DocumentState | undefined {
    const key = this.keyOf(document);
    if (!key) return undefined;
    const skipped = this.skipped.get(key);
    if (skipped) return { kind: 'skipped', reason: skipped };
    return this.tracked.get(key)?.state;
  }

  /** The latest report for the document, current or not (the status bar and commands). */
  latest(document: vscode.TextDocument): DocumentView | undefined {
    const key = this.keyOf(document);
    const t = key ? this.tracked.get(key) : undefined;
    return t?.result ? this.viewFor(t, document) : undefined;
  }

  /** The report for the document's current text, waiting for its analysis when it is under way. */
  async current(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentView | undefined> {
    const key = this.keyOf(document);
    const t = key ? this.tracked.get(key) : undefined;
    if (!t) return undefined;
    if (t.result?.version !== t.version) {
      const version = t.version;
      // the analysis of this text failed or timed out: nothing is coming until the next edit
      if (t.state.kind === 'failed' && !t.debounce && !this.client.isBusy(t.key)) return undefined;
      if (!t.debounce && !this.client.isBusy(t.key)) this.request(t);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, PROVIDER_WAIT_MS);
        const sub = token?.onCancellationRequested(done);
        function done() {
          clearTimeout(timer);
          sub?.dispose();
          resolve();
        }
        t.waiters.push({ version, resolve: done });
      });
      if (token?.isCancellationRequested) return undefined;
    }
    return t.result?.version === t.version ? this.viewFor(t, document) : undefined;
  }

  /** Documents whose last analysis read `path` through an import. */
  dependentsOf(path: string): string[] {
    const out: string[] = [];
    for (const t of this.tracked.values()) if (t.result?.result.imports.includes(path)) out.push(t.key);
    return out;
  }

  /** A workspace file changed (on disk or in an editor): re-analyze what depends on it. */
  fileChanged(path: string, kind: 'change' | 'add' | 'unlink'): void {
    // a new or removed file can resolve an import that failed before: everything visible is redone
    const keys = kind === 'change' ? this.dependentsOf(path).filter((k) => this.tracked.get(k)?.path !== path) : [...this.tracked.keys()];
    if (!keys.length) return;
    this.client.invalidateImports();
    const visible = this.visibleKeys();
    for (const key of keys) {
      const t = this.tracked.get(key);
      if (t && (visible.has(key) || kind === 'change')) this.request(t);
    }
  }

  /** Settings changed: everything visible is analyzed again with the new options. */
  reanalyzeAll(): void {
    for (const t of this.tracked.values()) t.result = t.result ? { ...t.result, version: -1 } : undefined;
    this.analyzeVisible(true);
    for (const key of this.tracked.keys()) this.changed.fire(key);
  }

  /** Whether a key belongs to a document shown in an editor now. */
  isVisible(key: string): boolean {
    return this.visibleKeys().has(key);
  }

  activeKey(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    return editor ? this.keyOf(editor.document) : undefined;
  }

  dispose(): void {
    for (const t of this.tracked.values()) if (t.debounce) clearTimeout(t.debounce);
    for (const d of this.disposables) d.dispose();
  }

  /**
   * What hints and lenses show, at once: the report of the current text, else the last report
   * moved through the edits made since, else nothing; the analysis on its way refreshes them.
   * VS Code times these providers to pace its requests: a provider that waits is asked later.
   */
  async forDisplay(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<DocumentView | undefined> {
    const key = this.keyOf(document);
    const t = key ? this.tracked.get(key) : undefined;
    if (!t || t.result?.version === t.version) return this.current(document, token);
    if (!t.debounce && !this.client.isBusy(t.key) && t.state.kind !== 'failed') this.request(t);
    // nothing to show yet: answer now, the result's arrival refreshes the providers
    if (t.result) return this.staleView(t, document);
    return t.partial?.version === t.version ? this.viewFor(t, document, t.partial) : undefined;
  }

  private staleView(t: Tracked, document: vscode.TextDocument): DocumentView | undefined {
    const stored = t.result!;
    if (stored.notebook) {
      // a notebook's last report is reused only while no cell changed its line count
      const now = t.notebook?.concatenated;
      const same =
        now && now.lines.length === stored.notebook.lines.length && now.cellStarts.every((s, i) => s === stored.notebook!.cellStarts[i]);
      return same ? this.viewFor(t, document) : undefined;
    }
    const edits = t.edits.filter((e) => e.version > stored.version).map((e) => e.edit);
    if (edits.length > MAX_TRACKED_EDITS) return undefined;
    const view = this.viewFor(t, document);
    return view && { ...view, toDocumentLine: (l) => shiftLine(l, edits), toReportLine: (l) => unshiftLine(l, edits) };
  }

  private syncText(document: vscode.TextDocument, changes?: readonly vscode.TextDocumentContentChangeEvent[]): void {
    const edited = changes !== undefined;
    const scheme = document.uri.scheme;
    if (scheme !== 'file' && scheme !== 'untitled') return;
    const key = document.uri.toString();
    const language = analyzedLanguage(document.languageId, document.getText());
    if (!language) {
      if (this.tracked.has(key) || this.skipped.has(key)) this.forget(key);
      return;
    }
    const path =
      scheme === 'file' ? document.uri.fsPath : join('/', '__wattlens_untitled__', `${document.uri.path.replace(/[^\w.-]/g, '_')}.py`);
    this.track(key, path, language, document.version, document.getText(), edited, document.uri);
    const t = this.tracked.get(key);
    if (t && changes) {
      // applied in order, each change's range is in the text the previous one left (last first)
      const ordered = [...changes].sort((a, b) => b.range.start.line - a.range.start.line);
      for (const c of ordered)
        t.edits.push({ version: document.version, edit: lineEditOf(c.range.start.line + 1, c.range.end.line + 1, c.text) });
      if (t.edits.length > MAX_TRACKED_EDITS) t.edits.splice(0, t.edits.length - MAX_TRACKED_EDITS - 1);
    }
  }

  private syncNotebook(notebook: vscode.NotebookDocument, edited: boolean): void {
    const key = notebook.uri.toString();
    const cells = notebook.getCells().map((c) => ({
      kind: c.kind === vscode.NotebookCellKind.Code ? ('code' as const) : ('markup' as const),
      languageId: c.document.languageId,
      text: c.document.getText(),
    }));
    if (!cells.some((c) => c.kind === 'code' && c.languageId === 'python')) return;
    const version = (this.notebookVersions.get(key) ?? 0) + 1;
    this.notebookVersions.set(key, version);
    const concatenated = concatenateCells(cells);
    const path = notebook.uri.scheme === 'file' ? notebook.uri.fsPath : join('/', '__wattlens_untitled__', 'notebook.ipynb');
    this.track(key, path, 'python', version, concatenated.text, edited, notebook.uri, { uri: notebook.uri, concatenated });
  }

  private track(
    key: string,
    path: string,
    language: AnalyzedLanguage,
    version: number,
    text: string,
    edited: boolean,
    scope: vscode.Uri,
    notebook?: Tracked['notebook'],
  ): void {
    const problem = admissionProblem(text, this.settings(scope).maxFileSizeKB);
    if (problem) {
      if (this.tracked.has(key)) this.forget(key);
      if (this.skipped.get(key) !== problem) {
        this.skipped.set(key, problem);
        this.changed.fire(key);
      }
      return;
    }
    if (this.skipped.delete(key)) this.changed.fire(key);
    let t = this.tracked.get(key);
    if (!t) {
      t = { key, path, language, version, state: { kind: 'analyzing' }, edits: [], waiters: [] };
      this.tracked.set(key, t);
    }
    if (t.version === version && t.result) return;
    t.path = path;
    t.language = language;
    t.version = version;
    t.notebook = notebook;
    this.client.upsert({ uri: key, path, language, version, text });
    if (edited) this.trace.edited(key, version);
    if (t.state.kind === 'failed') t.state = { kind: 'analyzing' };
    if (!this.visibleKeys().has(key) && !edited && t.waiters.length === 0) return;
    // a first analysis is coming: the worker boots meanwhile (at activation, before the timer fires)
    if (!edited) this.client.prestart();
    if (t.debounce) clearTimeout(t.debounce);
    t.debounce = setTimeout(
      () => {
        t.debounce = undefined;
        if (this.tracked.get(key) !== t) return;
        this.trace.step(key, t.version, 'debounce over, analysis requested');
        this.request(t);
        // open files that import this one see its unsaved text
        if (edited && !notebook) this.fileChanged(path, 'change');
      },
      edited ? DEBOUNCE_MS : 0,
    );
  }

  private request(t: Tracked): void {
    const scope = this.scopeOf(t);
    this.client.request(t.key, analyzeOptionsFor(this.settings(scope)));
  }

  private scopeOf(t: Tracked): vscode.Uri {
    return t.notebook?.uri ?? vscode.Uri.parse(t.key);
  }

  /** Called by the client with a partial result (the first model) for the current version of a document. */
  onPartialResult(result: AnalysisResult): void {
    const t = this.tracked.get(result.uri);
    if (!t || t.version !== result.version || t.result?.version === result.version) return;
    t.partial = { version: result.version, result, notebook: t.notebook?.concatenated };
    this.partialShown.fire(t.key);
  }

  /** Called by the client with a result for the current version of a document. */
  onResult(result: AnalysisResult): void {
    const t = this.tracked.get(result.uri);
    if (!t || t.version !== result.version || result.partial) return;
    t.partial = undefined;
    t.result = { version: result.version, result, notebook: t.notebook?.concatenated };
    t.edits = t.edits.filter((e) => e.version > result.version);
    t.state = { kind: 'ready' };
    this.settle(t, result.version);
    this.changed.fire(t.key);
  }

  onFailure(uri: string, version: number, kind: FailureKind, reason: string): void {
    const t = this.tracked.get(uri);
    if (!t || t.version !== version) return;
    t.partial = undefined;
    t.state = { kind: 'failed', reason, failure: kind };
    this.settle(t, version);
    this.changed.fire(t.key);
  }

  private settle(t: Tracked, version: number): void {
    const ready = t.waiters.filter((w) => w.version <= version);
    t.waiters = t.waiters.filter((w) => w.version > version);
    for (const w of ready) w.resolve();
  }

  private forget(key: string): void {
    const t = this.tracked.get(key);
    if (t?.debounce) clearTimeout(t.debounce);
    for (const w of t?.waiters ?? []) w.resolve();
    this.tracked.delete(key);
    this.skipped.delete(key);
    this.client.close(key);
    this.changed.fire(key);
  }

  private analyzeVisible(force: boolean): void {
    for (const key of this.visibleKeys()) {
      const t = this.tracked.get(key);
      if (t && (force || (t.result?.version !== t.version && !t.debounce && !this.client.isBusy(key) && t.state.kind !== 'failed')))
        this.request(t);
    }
  }

  private visibleKeys(): Set<string> {
    const keys = new Set<string>();
    for (const e of vscode.window.visibleTextEditors) {
      const key = this.keyOf(e.document);
      if (key) keys.add(key);
    }
    for (const e of vscode.window.visibleNotebookEditors) keys.add(e.notebook.uri.toString());
    return keys;
  }

  private notebookOf(cell: vscode.TextDocument): vscode.NotebookDocument | undefined {
    return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === cell));
  }

  private viewFor(t: Tracked, document: vscode.TextDocument, stored = t.result!): DocumentView | undefined {
    const nb = stored.notebook;
    const base = {
      key: t.key,
      version: stored.version,
      report: stored.result.report,
      outline: stored.result.outline,
      trainingLoops: stored.result.trainingLoops ?? [],
      trainingLoopLengths: stored.result.trainingLoopLengths ?? [],
    };
    if (!nb) return { ...base, toDocumentLine: (l) => l, toReportLine: (l) => l };
    const cell = this.notebookOf(document)
      ?.getCells()
      .find((c) => c.document === document);
    if (!cell) return undefined;
    return {
      ...base,
      toDocumentLine: (l) => {
        const at = toCellLine(nb, l);
        return at && at.cell === cell.index ? at.line : undefined;
      },
      toReportLine: (l) => toNotebookLine(nb, cell.index, l),
    };
  }
}
