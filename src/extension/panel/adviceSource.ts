// The advisor's suggestions for the file the panel shows, computed in the advice worker when
// the file's analysis changes (debounced), and Apply: the fix is applied only to the document
// version it was computed for, and only when the rewritten file still parses.
import * as vscode from 'vscode';
import type { Suggestion } from '../../core/advisor/types';
import type { AdviceView, SuggestionView } from '../../core/panel/protocol';
import { settingsFor } from '../config';
import type { AdviceClient } from './adviceClient';

const ADVISE_DEBOUNCE_MS = 800;

export function suggestionView(s: Suggestion, index: number): SuggestionView {
  return {
    id: `${s.rule}@${s.line}#${index}`,
    rule: s.rule,
    line: s.line,
    ...(s.endLine !== undefined ? { endLine: s.endLine } : {}),
    message: s.message,
    fixable: s.fixable && Boolean(s.edits?.length),
    model: s.model ?? null,
    before: { ...s.before },
    after: { ...s.after },
    afterSource: s.afterSource,
    saving: s.saving,
    assumptions: [...s.assumptions],
    docs: s.docs,
  };
}

const IDLE: AdviceView = { state: 'idle', documentVersion: null, file: null, suggestions: [], problems: [], message: null };

export type ApplyResult = { ok: true; text: string } | { ok: false; reason: string; stale?: boolean };

export class AdviceSource implements vscode.Disposable {
  private view: AdviceView = IDLE;
  private suggestions = new Map<string, Suggestion>();
  private key = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly client: AdviceClient,
    private readonly workspaceRoots: () => string[],
  ) {}

  current(): AdviceView {
    return this.view;
  }

  /** The document shown changed (or its version): advise again, after a pause in typing. */
  follow(document: vscode.TextDocument | undefined, force = false): void {
    if (!document) {
      this.set(IDLE);
      this.key = '';
      return;
    }
    const file = vscode.workspace.asRelativePath(document.uri);
    if (document.languageId !== 'python' || document.uri.scheme !== 'file') {
      this.key = '';
      this.set({ ...IDLE, state: 'unsupported', file, message: document.uri.scheme === 'vscode-notebook-cell' ? 'The advisor reads Python files; notebooks are not advised yet.' : 'The advisor reads PyTorch (Python) files; TF.js files are not advised yet.' });
      return;
    }
    const key = `${document.uri.toString()}@${document.version}`;
    if (!force && key === this.key) return;
    this.key = key;
    clearTimeout(this.timer);
    const generation = ++this.generation;
    this.set({ ...this.view, state: 'running', file, message: null });
    this.timer = setTimeout(() => void this.run(document, generation), force ? 0 : ADVISE_DEBOUNCE_MS);
  }

  private async run(document: vscode.TextDocument, generation: number): Promise<void> {
    const version = document.version;
    const settings = settingsFor(document.uri);
    const options = { precision: settings.precision, optimizer: settings.optimizer, seqLen: settings.sequenceLength, ...(settings.batchSize !== null ? { batch: settings.batchSize } : {}) };
    const file = vscode.workspace.asRelativePath(document.uri);
    try {
      const report = await this.client.advise(document.uri.fsPath, document.getText(), this.workspaceRoots(), options);
      if (generation !== this.generation) return;
      this.suggestions = new Map(report.suggestions.map((s, i) => [suggestionView(s, i).id, s]));
      this.set({ state: 'ready', documentVersion: version, file, suggestions: report.suggestions.map(suggestionView), problems: report.problems, message: null });
    } catch (e) {
      if (generation !== this.generation) return;
      this.set({ ...IDLE, state: 'failed', file, message: (e as Error).message });
    }
  }

  /** Checks and applies one suggestion's fix to the document it was computed for. */
  async apply(document: vscode.TextDocument | undefined, id: string, requestedVersion: number): Promise<ApplyResult> {
    const s = this.suggestions.get(id);
    if (!document || !s || this.view.state !== 'ready') return { ok: false, reason: 'this suggestion is no longer current', stale: true };
    if (!s.fixable || !s.edits?.length) return { ok: false, reason: `${s.rule} has no automatic rewrite` };
    if (requestedVersion !== this.view.documentVersion || document.version !== this.view.documentVersion) {
      this.follow(document, true);
      return { ok: false, reason: 'the file changed since this suggestion was computed: the suggestions are being checked again', stale: true };
    }
    const checked = await this.client.check(document.getText(), s.edits);
    if (!checked.ok) return { ok: false, reason: `not applied: ${checked.reason}` };
    if (document.version !== this.view.documentVersion) return { ok: false, reason: 'the file changed while the fix was checked: not applied', stale: true };
    const edit = new vscode.WorkspaceEdit();
    const full = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(document.uri, full, checked.text);
    const ok = await vscode.workspace.applyEdit(edit);
    return ok ? { ok: true, text: checked.text } : { ok: false, reason: 'VS Code refused the edit' };
  }

  private set(view: AdviceView): void {
    this.view = view;
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
