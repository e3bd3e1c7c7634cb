// Which report the panel shows: the last Python / TF.js editor (kept while the panel itself has
// focus), the model under its cursor (or the one the user picked), as a ReportView. A new view
// is made only when the document version, the model or a display setting changed, so moving
// the cursor inside one model sends nothing.
import * as vscode from 'vscode';
import { modelAtLine } from '../../core/editor/lineCosts';
import { emptyReportView, largestModel, reportView } from '../../core/panel/modelView';
import type { ReportView } from '../../core/panel/protocol';
import { NO_EDITOR_TEXT } from '../../core/panel/sections/model';
import type { ModelReport } from '../../core/report/types';
import type { DocumentView, AnalyzedDocuments } from '../documents';
import type { GpuInfo } from '../gpu';
import type { EditorSettings } from '../../core/editor/settings';

const CURSOR_DEBOUNCE_MS = 120;

export class ReportSource implements vscode.Disposable {
  private document: vscode.TextDocument | undefined;
  private picked: string | null = null;
  private view: ReportView = emptyReportView('no-editor', NO_EDITOR_TEXT);
  private signature = '';
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the report view changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly gpu: GpuInfo,
    private readonly settings: (scope?: vscode.Uri) => EditorSettings,
  ) {
    this.disposables.push(
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && this.documents.stateOf(e.document) && e.document !== this.document) {
          this.document = e.document;
          this.picked = null;
          this.update();
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document !== this.document || this.picked !== null) return;
        clearTimeout(this.cursorTimer);
        this.cursorTimer = setTimeout(() => this.update(), CURSOR_DEBOUNCE_MS);
      }),
      documents.onDidUpdate((key) => {
        if (!this.document) this.adoptActiveEditor();
        else if (key === this.documents.keyOf(this.document)) this.update();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.document) {
          this.document = undefined;
          this.adoptActiveEditor();
        }
      }),
      gpu.onDidChange(() => this.update(true)),
    );
    this.adoptActiveEditor();
  }

  current(): ReportView {
    return this.view;
  }

  /** The document shown, and its latest analysis. */
  target(): { document: vscode.TextDocument; view: DocumentView | undefined } | undefined {
    return this.document ? { document: this.document, view: this.documents.latest(this.document) } : undefined;
  }

  /** The model shown (for the pilot's MACs per step and the reveal requests). */
  shownModel(): ModelReport | undefined {
    const t = this.target();
    const name = this.view.model?.name;
    return name ? t?.view?.report.models.find((m) => m.name === name) : undefined;
  }

  /** Shows a document (when open) and a model of it; null: the model under the cursor. */
  show(uri: vscode.Uri | undefined, model: string | null): void {
    if (uri) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc && this.documents.stateOf(doc)) this.document = doc;
    }
    this.picked = model;
    this.update(true);
  }

  pick(model: string | null): void {
    this.picked = model;
    this.update(true);
  }

  /** Settings that change what is shown (cost unit, GPU) changed. */
  refresh(): void {
    this.update(true);
  }

  private adoptActiveEditor(): void {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => this.documents.stateOf(e.document));
    if (editor && this.documents.stateOf(editor.document)) this.document = editor.document;
    this.update();
  }

  private cursorLine(): number | undefined {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    return editor ? editor.selection.active.line + 1 : undefined;
  }

  private update(force = false): void {
    const next = this.build();
    const signature = JSON.stringify([
      next.status,
      next.file,
      next.documentVersion,
      next.model?.name,
      next.costUnit,
      next.stale,
      next.followsCursor,
      next.statusText,
      next.models.length,
    ]);
    if (!force && signature === this.signature) return;
    this.signature = signature;
    this.view = next;
    this.changed.fire();
  }

  private build(): ReportView {
    const doc = this.document;
    const settings = this.settings(doc?.uri);
    if (!doc) return emptyReportView('no-editor', NO_EDITOR_TEXT, settings.costUnit);
    const file = vscode.workspace.asRelativePath(doc.uri);
    const state = this.documents.stateOf(doc);
    const view = this.documents.latest(doc);
    if (state?.kind === 'skipped') return emptyReportView('skipped', `${file} is not analyzed: ${state.reason}`, settings.costUnit, file);
    if (!view) {
      if (state?.kind === 'failed')
        return emptyReportView('failed', `The analysis of ${file} failed: ${state.reason}`, settings.costUnit, file);
      return emptyReportView('analyzing', `Analyzing ${file}…`, settings.costUnit, file);
    }
    let model: ModelReport | undefined;
    if (this.picked !== null) model = view.report.models.find((m) => m.name === this.picked);
    if (!model) {
      const line = this.cursorLine();
      const reportLine = line !== undefined ? view.toReportLine(line) : undefined;
      model =
        (reportLine !== undefined ? modelAtLine(view.report, reportLine, view.outline) : undefined) ?? largestModel(view.report.models);
    }
    return reportView({
      report: view.report,
      displayPath: file,
      documentVersion: view.version,
      model,
      followsCursor: this.picked === null,
      costUnit: settings.costUnit,
      gpu: this.gpu.resolve(settings),
      stale: state?.kind === 'failed' || (doc.uri.scheme !== 'vscode-notebook-cell' && view.version !== doc.version),
    });
  }

  dispose(): void {
    clearTimeout(this.cursorTimer);
    for (const d of this.disposables) d.dispose();
  }
}
