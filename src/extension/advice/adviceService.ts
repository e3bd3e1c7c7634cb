// The advisor's suggestions for open Python documents, one result per (document, version,
// analysis options), computed in the analysis worker after the analysis of that version has been
// delivered: for visible documents on its own once typing pauses (ADVICE_IDLE_MS after the last
// edit), for anyone on request (`adviceFor`). Applying a fix goes through one gate (apply):
// same version as the advice, a rewrite that parses, then a WorkspaceEdit.
//
// The advisor feature (./register.ts) makes the one instance and offers it through the registry;
// the report panel (a separate bundle, src/extension/panel/adviceSource.ts) uses it from there:
//   const advice = registry.advice();                           // undefined without the advisor
//   const result = await advice.adviceFor(document);            // AdviceResult | undefined
//   if (result && document.version === result.version) await advice.apply(document, result.version, result.suggestions[0].id);
//   advice.onDidChange(({ uri, version }) => …);                // a new result (or advisor settings changed)
import * as vscode from 'vscode';
import type { LineEdit, Suggestion } from '../../core/advisor/types';
import type { AnalyzeOptions } from '../../core/analysis/engine';
import { planApply, type ApplyRefusal } from '../../core/editor/adviceEdits';
import { readAdvisorSettings, suggestionId, visibleSuggestions, type AdvisorSettings } from '../../core/editor/adviceView';
import type { AdviceAnswer, ParseCheckAnswer } from '../analysisClient';
import type { AnalyzedDocuments } from '../documents';

/** Idle time after the last edit before advice is computed (it re-analyzes every rewrite). */
export const ADVICE_IDLE_MS = 600;

/** A suggestion with an id that is stable within its advice result (`${rule}@${line}#${index}`). */
export type AdvisedSuggestion = Suggestion & { id: string };

export interface AdviceResult {
  /** The document's URI as a string. */
  uri: string;
  /** The document version the suggestions (their lines and edits) belong to. */
  version: number;
  /** Ranked by estimated saving; rules in `wattlens.advisor.disabledRules` left out. */
  suggestions: AdvisedSuggestion[];
  /** Problems of the analysis, and rewrites refused because they would not parse. */
  problems: string[];
  /** Time the worker spent advising, in ms. */
  adviseMs: number;
}

export type ApplyOutcome = { ok: true; rule: string } | ApplyRefusal;

/** What the service needs from the editor layer (AnalyzedDocuments and its worker client). */
export interface AdviceBackend {
  /** The options of the document's analysis (the same figures as every other surface). */
  options(scope: vscode.Uri): AnalyzeOptions;
  advise(key: string, version: number, options: AnalyzeOptions): Promise<AdviceAnswer>;
  parseCheck(key: string, version: number, text: string, edits: LineEdit[]): Promise<ParseCheckAnswer>;
  /** WATTLENS_TRACE hook. */
  step(key: string, version: number, what: string): void;
}

interface Entry {
  version: number;
  optionsKey: string;
  /** The analysis report the advice followed (a file it imports changed: same version, new report). */
  report?: object;
  promise: Promise<Raw | undefined>;
  result?: Raw;
  failure?: string;
}

interface Raw {
  uri: string;
  version: number;
  suggestions: AdvisedSuggestion[];
  problems: string[];
  adviseMs: number;
}

export class AdviceService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** The last result per document, whatever its version (diagnostics stay until the next one). */
  private readonly last = new Map<string, Raw>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly editedAt = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<{ uri: string; version: number }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when a document's advice arrives or goes away, and (for every document) when the advisor settings change. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly backend: AdviceBackend,
  ) {
    this.disposables.push(
      this.changed,
      documents.onDidUpdate((key) => this.schedule(key)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        const key = e.document.uri.toString();
        this.editedAt.set(key, performance.now());
        this.cancelTimer(key);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) this.schedule(e.document.uri.toString());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('wattlens.advisor')) return;
        for (const key of new Set([...this.last.keys(), ...this.entries.keys()]))
          this.changed.fire({ uri: key, version: this.last.get(key)?.version ?? -1 });
        for (const editor of vscode.window.visibleTextEditors) this.schedule(editor.document.uri.toString());
      }),
    );
  }

  settings(scope?: vscode.Uri): AdvisorSettings {
    const config = vscode.workspace.getConfiguration('wattlens', scope);
    return readAdvisorSettings((k) => config.get(k));
  }

  /** Why a document gets no advice (undefined: it does). */
  unavailable(document: vscode.TextDocument): string | undefined {
    if (document.uri.scheme === 'vscode-notebook-cell') return 'The advisor reads Python files; notebooks are not advised yet.';
    if (document.languageId !== 'python') return 'The advisor reads PyTorch (Python) files; TF.js files are not advised yet.';
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled')
      return 'The advisor reads files on disk and untitled Python files.';
    const state = this.documents.stateOf(document);
    if (state?.kind === 'skipped') return state.reason;
    if (!state) return 'This document is not analyzed.';
    return undefined;
  }

  /**
   * The suggestions for the document's current version: at once when computed, else computed now
   * (after any analysis waiting in the worker; a failed one is computed again). Undefined when the
   * document gets no advice, the advice failed, or the document changed before it arrived (ask
   * again for the new version).
   */
  async adviceFor(document: vscode.TextDocument): Promise<AdviceResult | undefined> {
    if (this.unavailable(document)) return undefined;
    const key = document.uri.toString();
    const raw = await this.entryFor(key, document.version, document.uri).promise;
    return raw && this.view(raw, document.uri);
  }

  /** The advice of the document's current version if it has arrived (no waiting, no request). */
  current(document: vscode.TextDocument): AdviceResult | undefined {
    const e = this.entries.get(document.uri.toString());
    return e?.result && e.version === document.version ? this.view(e.result, document.uri) : undefined;
  }

  /** The last advice of the document, possibly of an older version (check `version`). */
  latest(document: vscode.TextDocument): AdviceResult | undefined {
    const raw = this.last.get(document.uri.toString());
    return raw && this.view(raw, document.uri);
  }

  /** Why the advice of the document's current version failed, if it did. */
  failure(document: vscode.TextDocument): string | undefined {
    const e = this.entries.get(document.uri.toString());
    return e && e.version === document.version ? e.failure : undefined;
  }

  /**
   * Applies one fixable suggestion of the advice for `version`: refused when the document is no
   * longer at that version (advice is then computed again), when the suggestion has no rewrite,
   * or when the rewritten file would not parse (checked by the engine's parser in the worker).
   */
  async apply(document: vscode.TextDocument, version: number, id: string): Promise<ApplyOutcome> {
    const key = document.uri.toString();
    const e = this.entries.get(key);
    const raw = e?.result && e.version === version ? e.result : this.last.get(key)?.version === version ? this.last.get(key) : undefined;
    const suggestion = raw?.suggestions.find((s) => s.id === id);
    const plan = await planApply({
      suggestion,
      adviceVersion: version,
      documentVersion: document.version,
      text: document.getText(),
      currentVersion: () => document.version,
      parseCheck: async (text, edits) => {
        const answer = await this.backend.parseCheck(key, version, text, edits);
        return answer.ok ? answer.check : { failed: answer.reason };
      },
    });
    if (!plan.ok) {
      if (plan.stale) this.refresh(document);
      return plan;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const r of plan.rangeEdits)
      edit.replace(document.uri, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), r.text);
    if (document.version !== version) return { ok: false, reason: 'the file changed while the fix was checked; not applied', stale: true };
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) return { ok: false, reason: 'VS Code refused the edit (the file may be read-only)', stale: false };
    this.backend.step(key, version, `fix ${suggestion?.rule} applied`);
    return { ok: true, rule: suggestion?.rule ?? '' };
  }

  private entryFor(key: string, version: number, scope: vscode.Uri, report?: object): Entry {
    const options = this.backend.options(scope);
    const optionsKey = JSON.stringify(options);
    const existing = this.entries.get(key);
    // a failed result is asked for again when someone asks (Show Suggestions, the panel's Re-check)
    if (
      existing &&
      existing.failure === undefined &&
      existing.version === version &&
      existing.optionsKey === optionsKey &&
      (report === undefined || existing.report === undefined || existing.report === report)
    ) {
      existing.report ??= report;
      return existing;
    }
    const entry: Entry = { version, optionsKey, report, promise: Promise.resolve(undefined) };
    this.entries.set(key, entry);
    this.backend.step(key, version, 'advice requested');
    entry.promise = this.backend.advise(key, version, options).then((answer) => {
      if (this.entries.get(key) !== entry) return answer.ok ? toRaw(answer) : undefined;
      if (answer.ok) {
        const raw = toRaw(answer);
        entry.result = raw;
        this.last.set(key, raw);
        this.backend.step(
          key,
          version,
          `advice: ${raw.suggestions.length} suggestions, advise ${raw.adviseMs} ms, round trip ${Math.round(answer.roundTripMs)} ms,`,
        );
        this.changed.fire({ uri: key, version });
        return raw;
      }
      if (answer.stale) {
        // the document moved on (or the worker was handed over): the next request asks again
        this.entries.delete(key);
        this.backend.step(key, version, `advice not computed: ${answer.reason}`);
        return undefined;
      }
      entry.failure = answer.reason;
      this.backend.step(key, version, `advice failed: ${answer.reason}`);
      this.changed.fire({ uri: key, version });
      return undefined;
    });
    return entry;
  }

  private view(raw: Raw, scope: vscode.Uri): AdviceResult {
    return { ...raw, suggestions: visibleSuggestions(raw.suggestions, this.settings(scope)) as AdvisedSuggestion[] };
  }

  /** Asks for the advice of the document's current text once typing pauses (no-op when it is there or on its way). */
  refresh(document: vscode.TextDocument): void {
    this.schedule(document.uri.toString());
  }

  /** Advice for a visible document whose analysis of the current version has arrived, once typing pauses. */
  private schedule(key: string): void {
    const document = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key)?.document;
    if (!document || this.unavailable(document) || !this.settings(document.uri).enabled) return;
    const view = this.documents.latest(document);
    if (!view || view.version !== document.version) return;
    const existing = this.entries.get(key);
    const report = view.report;
    if (
      existing &&
      existing.version === document.version &&
      existing.optionsKey === JSON.stringify(this.backend.options(document.uri)) &&
      (existing.report === undefined || existing.report === report)
    ) {
      existing.report ??= report;
      return;
    }
    this.cancelTimer(key);
    const version = document.version;
    const wait = Math.max(0, (this.editedAt.get(key) ?? -Infinity) + ADVICE_IDLE_MS - performance.now());
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed || document.version !== version) return;
        if (!vscode.window.visibleTextEditors.some((e) => e.document === document)) return;
        if (this.unavailable(document)) return;
        // a new analysis of the same version (an imported file changed) asks again
        void this.entryFor(key, version, document.uri, report).promise;
      }, wait),
    );
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  private forget(key: string): void {
    this.cancelTimer(key);
    this.entries.delete(key);
    this.editedAt.delete(key);
    if (this.last.delete(key)) this.changed.fire({ uri: key, version: -1 });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function toRaw(answer: Extract<AdviceAnswer, { ok: true }>): Raw {
  const a = answer.advice;
  return {
    uri: a.uri,
    version: a.version,
    suggestions: a.suggestions.map((s, i) => ({ ...s, id: suggestionId(s, i) })),
    problems: a.problems,
    adviseMs: a.timings.adviseMs,
  };
}
