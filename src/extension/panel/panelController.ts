// The energy report's host side: the state every open report webview shows (the side view and
// the editor tab), kept here as the source of truth, and the requests the webviews make. Each
// webview gets its own outbox, which holds updates back while it is hidden and sends one
// snapshot when it says `ready`.
import * as vscode from 'vscode';
import { jsonReport, markdownReport } from '../../core/panel/exportReport';
import { PanelOutbox, type Section } from '../../core/panel/outbox';
import { idlePilotView } from '../../core/panel/pilotIdle';
import { ensureWattlensDir, writeFileInside } from '../../core/pilot/wattlensFiles';
import { parseWebviewMessage, type PanelState, type PilotView, type WebviewMessage } from '../../core/panel/protocol';
import type { PilotService } from '../pilot/pilotService';
import type { AdviceSource } from './adviceSource';
import type { HistorySource } from './historySource';
import type { ReportSource } from './reportSource';

/** Live chart points are sent at most this often (a run may report many steps per poll). */
const PROGRESS_INTERVAL_MS = 100;

export interface PanelControllerDeps {
  report: ReportSource;
  advice: AdviceSource;
  history: HistorySource;
  pilots: PilotService;
  log(message: string): void;
  openInTab(): void;
  /** "WattLens 0.1.0" */
  generator: string;
}

export class PanelController implements vscode.Disposable {
  private readonly outboxes = new Set<PanelOutbox>();
  private progressTimer: ReturnType<typeof setInterval> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Messages dropped as malformed (the tests read it through the log). */
  dropped = 0;

  constructor(private readonly deps: PanelControllerDeps) {
    this.disposables.push(
      deps.report.onDidChange(() => {
        this.broadcast('report');
        this.followAdvice();
      }),
      deps.advice.onDidChange(() => this.broadcast('advice')),
      deps.history.onDidChange(() => this.broadcast('history')),
      deps.pilots.onDidChange((kind) => {
        if (kind === 'progress') return this.scheduleProgress();
        this.flushProgress(true);
        this.broadcast('pilot');
        if (!deps.pilots.running) deps.history.reloadSoon();
      }),
    );
  }

  state(): PanelState {
    return { report: this.deps.report.current(), advice: this.deps.advice.current(), pilot: this.pilotView(), history: this.deps.history.current() };
  }

  private pilotView(): PilotView {
    const tracker = this.deps.pilots.tracker();
    const form = this.deps.pilots.form();
    if (!tracker) return idlePilotView(form);
    tracker.setForm(form);
    return tracker.snapshot();
  }

  /** Connects a webview (the side view or the tab); returns what to call when it goes away. */
  attach(webview: vscode.Webview, visible: () => boolean): { setVisible(visible: boolean): void; dispose(): void } {
    const outbox = new PanelOutbox((m) => webview.postMessage(m), () => this.state());
    outbox.setVisible(visible());
    this.outboxes.add(outbox);
    const sub = webview.onDidReceiveMessage((data: unknown) => {
      const parsed = parseWebviewMessage(data);
      if (!parsed.ok) {
        this.dropped++;
        this.deps.log(`report panel: dropped a malformed message (${parsed.error})`);
        return;
      }
      void this.handle(parsed.message, outbox).catch((e: Error) => this.deps.log(`report panel: ${parsed.message.type} failed: ${e.stack ?? e.message}`));
    });
    return {
      setVisible: (v) => {
        outbox.setVisible(v);
        if (v) this.followAdvice();
      },
      dispose: () => {
        sub.dispose();
        this.outboxes.delete(outbox);
      },
    };
  }

  private visible(): boolean {
    return [...this.outboxes].some((o) => o.deliverable);
  }

  /** Suggestions are computed only while a report is on screen. */
  private followAdvice(): void {
    if (this.visible()) this.deps.advice.follow(this.deps.report.target()?.document);
  }

  private broadcast(section: Section): void {
    if (section === 'pilot') this.deps.pilots.tracker()?.takeProgress();
    for (const o of this.outboxes) o.update(section);
  }

  private scheduleProgress(): void {
    this.progressTimer ??= setInterval(() => this.flushProgress(false), PROGRESS_INTERVAL_MS);
  }

  private flushProgress(stop: boolean): void {
    const progress = this.deps.pilots.tracker()?.takeProgress();
    if (progress) for (const o of this.outboxes) o.progress({ type: 'pilotProgress', progress });
    if ((stop || !progress) && this.progressTimer) {
      clearInterval(this.progressTimer);
      this.progressTimer = undefined;
    }
  }

  private async handle(m: WebviewMessage, outbox: PanelOutbox): Promise<void> {
    const d = this.deps;
    switch (m.type) {
      case 'ready':
        d.pilots.tracker()?.takeProgress();
        outbox.onReady();
        this.followAdvice();
        return;
      case 'revealLayer':
        return this.revealLayer(m.model, m.path, outbox);
      case 'revealLine':
        return this.revealReportLine(m.line, outbox);
      case 'selectModel':
        d.report.pick(m.name);
        return;
      case 'applySuggestion': {
        const target = d.report.target();
        const r = await d.advice.apply(target?.document, m.id, m.documentVersion);
        if (r.ok) outbox.notice('info', `Applied ${r.rule}: the file is analyzed again and the suggestions re-checked.`);
        else outbox.notice('warning', `${r.reason.charAt(0).toUpperCase()}${r.reason.slice(1)}.`);
        return;
      }
      case 'refreshAdvice':
        d.advice.follow(d.report.target()?.document, true);
        return;
      case 'startPilot': {
        const model = d.report.shownModel();
        const context = model ? { model: model.name, ...(model.trainingMacs !== undefined && model.trainingMacs !== null ? { macsPerStep: model.trainingMacs } : {}) } : {};
        if (!m.request) {
          await vscode.commands.executeCommand('wattlens.runPilot', undefined, undefined, context);
          return;
        }
        const r = await d.pilots.start(m.request, context);
        if (!r.ok) outbox.notice('warning', `Pilot not started: ${r.reason}`);
        return;
      }
      case 'cancelPilot':
        d.pilots.cancel();
        return;
      case 'refreshHistory':
        await d.history.reload();
        return;
      case 'compareRuns': {
        const why = await d.history.compare(m.a, m.b);
        if (why) outbox.notice('warning', `Cannot compare: ${why}`);
        return;
      }
      case 'clearComparison':
        d.history.clearComparison();
        return;
      case 'export':
        return this.exportReport(m.format);
      case 'savePng':
        return this.savePng(m.name, m.dataUrl, outbox);
      case 'openInTab':
        d.openInTab();
        return;
      case 'log':
        d.log(`report panel (webview) ${m.level}: ${m.message}`);
        return;
    }
  }

  private async revealLayer(modelName: string, path: string, outbox: PanelOutbox): Promise<void> {
    const target = this.deps.report.target();
    const model = target?.view?.report.models.find((mm) => mm.name === modelName);
    const layer = model?.layers.find((l) => l.path === path);
    if (!target || !layer) return outbox.notice('warning', `${path} is not in the current analysis any more`);
    if (layer.line !== null) return this.revealReportLine(layer.line, outbox);
    if (layer.site) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(layer.site.file));
      return this.reveal(doc, layer.site.line);
    }
    outbox.notice('info', `${path} has no source line in this file`);
  }

  private async revealReportLine(reportLine: number, outbox: PanelOutbox): Promise<void> {
    const target = this.deps.report.target();
    if (!target) return;
    const line = target.view?.toDocumentLine(reportLine) ?? reportLine;
    if (line === undefined || line > target.document.lineCount) return outbox.notice('info', `line ${reportLine} is in another cell`);
    await this.reveal(target.document, line);
  }

  private async reveal(document: vscode.TextDocument, line: number): Promise<void> {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, selection: new vscode.Range(position, position), preserveFocus: false });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async exportReport(format: 'markdown' | 'json'): Promise<void> {
    const meta = { generator: this.deps.generator, generatedAt: new Date().toISOString() };
    const state = this.state();
    const content = format === 'markdown' ? markdownReport(state, meta) : jsonReport(state, meta);
    const doc = await vscode.workspace.openTextDocument({ language: format, content });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  private async savePng(name: string, dataUrl: string, outbox: PanelOutbox): Promise<void> {
    const ws = this.deps.pilots.workspaceDir();
    if (!ws) return outbox.notice('warning', 'Open a folder to save charts (they go to .wattlens/reports/).');
    // never through a symlinked .wattlens or reports folder (a clone can carry one)
    let file: string;
    try {
      file = writeFileInside(ensureWattlensDir(ws, 'reports'), `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    } catch (e) {
      return outbox.notice('warning', `Chart not saved: ${(e as Error).message}`);
    }
    outbox.notice('info', `Saved ${vscode.workspace.asRelativePath(file)}`);
    this.deps.log(`report panel: chart saved to ${file}`);
  }

  dispose(): void {
    if (this.progressTimer) clearInterval(this.progressTimer);
    for (const d of this.disposables) d.dispose();
  }
}
