// The Suggestions tab's data: the shared advice service (`registry.advice()`, computed in the
// analysis worker) for the document the panel shows, so the panel and the editor's diagnostics
// and quick fixes show the same suggestions. Advice the editor already has is shown at once;
// otherwise it is asked for once typing pauses. Apply goes through the service's gate: the
// document version the advice belongs to, a rewrite that parses, one WorkspaceEdit.
import * as vscode from 'vscode';
import { adviceStep, IDLE_ADVICE, readyAdviceView } from '../../core/panel/panelAdvice';
import type { AdviceView } from '../../core/panel/protocol';
import { ADVICE_IDLE_MS, type AdviceService, type ApplyOutcome } from '../advice/adviceService';

/** Answers lost to other work (an edit elsewhere cancels running advice) before the tab says so. */
const MAX_RETRIES = 3;

export class AdviceSource implements vscode.Disposable {
  private view: AdviceView = IDLE_ADVICE;
  private json = JSON.stringify(IDLE_ADVICE);
  private document: vscode.TextDocument | undefined;
  /** `${uri}@${version}` of the request waiting or running, so repeated follows do not delay it. */
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: AdviceService) {
    // advice the editor computed (or settings that filter it) for the followed document
    this.subscription = service.onDidChange(({ uri }) => {
      if (this.document?.uri.toString() === uri) this.update(false, false);
    });
  }

  current(): AdviceView {
    return this.view;
  }

  /** The document shown (or its version) changed, or the user asked again (`force`). */
  follow(document: vscode.TextDocument | undefined, force = false): void {
    if (document !== this.document) this.retries = 0;
    this.document = document;
    this.update(force, true);
  }

  private update(force: boolean, mayRequest: boolean): void {
    const d = this.document;
    const step = adviceStep({
      file: d ? vscode.workspace.asRelativePath(d.uri) : null,
      unavailable: d && this.service.unavailable(d),
      current: d && this.service.current(d),
      failure: d && this.service.failure(d),
      enabled: d ? this.service.settings(d.uri).enabled : true,
      force,
    });
    if (!d || !step.request) {
      this.cancel();
      return this.set(step.view);
    }
    if (!mayRequest) return;
    const key = `${d.uri.toString()}@${d.version}`;
    if (!force && this.pending === key) return;
    this.cancel();
    this.pending = key;
    if (this.view.state !== 'running' || this.view.file !== step.view.file) this.set(step.view);
    this.timer = setTimeout(() => void this.request(d, d.version, key), force ? 0 : ADVICE_IDLE_MS);
  }

  private async request(document: vscode.TextDocument, version: number, key: string): Promise<void> {
    this.timer = undefined;
    const current = () => this.pending === key && this.document === document && document.version === version;
    if (!current()) return;
    const advice = await this.service.adviceFor(document);
    if (!current()) return;
    this.pending = undefined;
    if (advice) {
      this.retries = 0;
      return this.set(readyAdviceView(vscode.workspace.asRelativePath(document.uri), advice));
    }
    const failure = this.service.failure(document);
    if (failure !== undefined) return this.set({ ...this.view, state: 'failed', message: failure });
    // the request was cancelled for other work (the same version is still wanted): ask again
    if (++this.retries <= MAX_RETRIES) return this.update(false, true);
    this.retries = 0;
    this.set({ ...this.view, state: 'failed', message: 'the advice was interrupted by other analyses; Re-check asks again' });
  }

  /** Applies one suggestion's rewrite through the service (the editor's quick-fix gate). */
  async apply(document: vscode.TextDocument | undefined, id: string, version: number): Promise<ApplyOutcome> {
    if (!document || document !== this.document)
      return { ok: false, reason: 'this suggestion is for a file the report no longer shows', stale: true };
    const outcome = await this.service.apply(document, version, id);
    if (!outcome.ok && outcome.stale) this.follow(document);
    return outcome;
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private set(view: AdviceView): void {
    // the report changes with the cursor's model; the suggestions are sent only when they change
    const json = JSON.stringify(view);
    if (json === this.json) return;
    this.json = json;
    this.view = view;
    this.changed.fire();
  }

  dispose(): void {
    this.cancel();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
