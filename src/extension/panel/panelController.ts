// The energy report's host side: the state every open report webview shows (the side view and
// the editor tab), kept here as the source of truth in one source per section (./sections/),
// and the requests the webviews make: the panel's own here, each section's by its source. Each
// webview gets its own outbox, which holds updates back while it is hidden and sends one
// snapshot when it says `ready`.
import * as vscode from 'vscode';
import { PanelOutbox } from '../../core/panel/outbox';
import { parseWebviewMessage, type PanelState, type WebviewMessage } from '../../core/panel/protocol';
import { SECTION_IDS, jsonReport, markdownReport, sectionOfRequest, type SectionId } from '../../core/panel/sections';
import { ensureWattlensDir, writeFileInside } from '../../core/pilot/wattlensFiles';
import type { FeatureContext } from '../features';
import type { PilotService } from '../pilot/pilotService';
import { revealReportLine } from './reveal';
import type { ReportSource } from './reportSource';
import { HOST_SECTIONS } from './sections';
import type { Asker, HostSection, HostSections, PanelHost } from './sections/hostSection';

export interface PanelControllerDeps {
  feature: FeatureContext;
  report: ReportSource;
  pilots: PilotService;
  log(message: string): void;
  openInTab(): void;
  /** "WattLens 0.1.0" */
  generator: string;
}

export class PanelController implements vscode.Disposable {
  private readonly outboxes = new Set<PanelOutbox>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly shown = new vscode.EventEmitter<void>();
  private readonly sections: HostSections;
  /** Messages dropped as malformed (the tests read it through the log). */
  dropped = 0;

  constructor(private readonly deps: PanelControllerDeps) {
    const panel: PanelHost = {
      feature: deps.feature,
      report: deps.report,
      pilots: deps.pilots,
      visible: () => this.visible(),
      onDidShow: this.shown.event,
      revealReportLine: (line, from) => revealReportLine(deps.report, line, from),
    };
    // in tab order, each wired before the next is made: a section that follows another (the
    // suggestions follow the model's document) hears of its change after it was sent
    const sections: Partial<Record<SectionId, HostSection<SectionId>>> = {};
    for (const id of SECTION_IDS) {
      const source = HOST_SECTIONS[id](panel) as HostSection<SectionId>;
      sections[id] = source;
      this.disposables.push(source.onDidChange(() => this.broadcast(id)));
      if (source.onDidStream) this.disposables.push(source.onDidStream((m) => this.outboxes.forEach((o) => o.stream(id, m))));
    }
    this.sections = sections as HostSections;
    this.disposables.push(this.shown);
  }

  state(): PanelState {
    return Object.fromEntries(SECTION_IDS.map((id) => [id, this.sections[id].current()])) as PanelState;
  }

  /** The `wattlens.*` settings changed. */
  configurationChanged(): void {
    for (const id of SECTION_IDS) this.sections[id].configurationChanged?.();
  }

  /** Connects a webview (the side view or the tab); returns what to call when it goes away. */
  attach(webview: vscode.Webview, visible: () => boolean): { setVisible(visible: boolean): void; dispose(): void } {
    const outbox = new PanelOutbox(
      (m) => webview.postMessage(m),
      () => this.state(),
    );
    outbox.setVisible(visible());
    this.outboxes.add(outbox);
    const sub = webview.onDidReceiveMessage((data: unknown) => {
      const parsed = parseWebviewMessage(data);
      if (!parsed.ok) {
        this.dropped++;
        this.deps.log(`report panel: dropped a malformed message (${parsed.error})`);
        return;
      }
      void this.handle(parsed.message, outbox).catch((e: unknown) =>
        this.deps.log(`report panel: ${parsed.message.type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
      );
    });
    return {
      setVisible: (v) => {
        outbox.setVisible(v);
        if (v) this.shown.fire();
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

  private broadcast(section: SectionId): void {
    this.sections[section].settle?.();
    for (const o of this.outboxes) o.update(section);
  }

  private async handle(m: WebviewMessage, outbox: PanelOutbox): Promise<void> {
    const d = this.deps;
    const from: Asker = { notice: (level, text) => outbox.notice(level, text) };
    switch (m.type) {
      case 'ready':
        for (const id of SECTION_IDS) this.sections[id].settle?.();
        outbox.onReady();
        this.shown.fire();
        return;
      case 'revealLine':
        return revealReportLine(d.report, m.line, from);
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
      default: {
        const id = sectionOfRequest(m.type);
        if (!id) return;
        const source = this.sections[id] as HostSection<SectionId>;
        return (source.handle as (request: WebviewMessage, from: Asker) => void | Promise<void>)(m, from);
      }
    }
  }

  private async exportReport(format: 'markdown' | 'json'): Promise<void> {
    const meta = { generator: this.deps.generator, generatedAt: new Date().toISOString() };
    const state = this.state();
    const content = format === 'markdown' ? markdownReport(state, meta) : jsonReport(state, meta);
    const doc = await vscode.workspace.openTextDocument({ language: format, content });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a failed write rejects into handle()'s catch
  private async savePng(name: string, dataUrl: string, outbox: PanelOutbox): Promise<void> {
    const ws = this.deps.pilots.workspaceDir();
    if (!ws) return outbox.notice('warning', 'Open a folder to save charts (they go to .wattlens/reports/).');
    // never through a symlinked .wattlens or reports folder (a clone can carry one)
    let file: string;
    try {
      file = writeFileInside(
        ensureWattlensDir(ws, 'reports'),
        `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`,
        Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'),
      );
    } catch (e) {
      return outbox.notice('warning', `Chart not saved: ${(e as Error).message}`);
    }
    outbox.notice('info', `Saved ${vscode.workspace.asRelativePath(file)}`);
    this.deps.log(`report panel: chart saved to ${file}`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const id of SECTION_IDS) this.sections[id].dispose();
  }
}
