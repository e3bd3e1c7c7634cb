// The status bar item for the active editor: the model under the cursor with its totals and its
// training memory against the GPU memory; a click opens the report (when a report view is
// installed) or the WattLens settings.
import * as vscode from 'vscode';
import { modelAtLine } from '../../core/editor/lineCosts';
import { documentStatus, modelStatus, noModelStatus, staleStatus, type StatusView } from '../../core/editor/status';
import type { AnalyzedDocuments } from '../documents';
import type { GpuInfo } from '../gpu';
import { settingsFor } from '../config';
import { COMMANDS } from '../commandIds';

export class ModelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('wattlens.model', vscode.StatusBarAlignment.Right, 100);
  /** The model the item shows, for the click. */
  shown: { uri: vscode.Uri; model: string } | undefined;

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly gpu: GpuInfo,
  ) {
    this.item.name = 'WattLens';
    this.item.command = COMMANDS.statusBarClick;
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const settings = settingsFor(editor?.document.uri);
    const state = editor ? this.documents.stateOf(editor.document) : undefined;
    if (!editor || !settings.statusBarEnabled || !state) {
      this.shown = undefined;
      this.item.hide();
      return;
    }
    const view = this.documents.latest(editor.document);
    let status: StatusView;
    this.shown = undefined;
    if (state.kind === 'skipped') status = documentStatus('skipped', `WattLens does not analyze this file: ${state.reason}.`);
    else if (state.kind === 'failed' && !view)
      status = documentStatus('failed', `WattLens: ${state.reason}. See the WattLens output channel.`);
    else if (!view) status = documentStatus('analyzing');
    else {
      const cursorLine = view.toReportLine(editor.selection.active.line + 1);
      const model =
        (cursorLine !== undefined ? modelAtLine(view.report, cursorLine, view.outline) : undefined) ?? largest(view.report.models);
      if (!model) {
        status = noModelStatus(view.report.problems);
      } else {
        status = modelStatus(model, settings.costUnit, this.gpu.resolve(settings));
        this.shown = { uri: editor.document.uri, model: model.name };
      }
      if (state.kind === 'failed') status = staleStatus(status, state.reason);
    }
    this.item.text = `$(pulse) ${status.text}`;
    // the tooltip's outside text is escaped (core/editor/status.ts); no HTML, no command links
    const tooltip = new vscode.MarkdownString(status.tooltip);
    tooltip.supportThemeIcons = false;
    tooltip.supportHtml = false;
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = status.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function largest<T extends { layers: unknown[] }>(models: T[]): T | undefined {
  return models.reduce<T | undefined>((best, m) => (!best || m.layers.length > best.layers.length ? m : best), undefined);
}
