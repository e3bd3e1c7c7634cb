// The two places the report lives: the "Energy report" view in the WattLens activity-bar
// container, and an editor tab (Open in tab). Both load the same bundle, under the same CSP,
// without retainContextWhenHidden (the host keeps the state and re-sends it on `ready`).
import * as vscode from 'vscode';
import type { PanelController } from './panelController';
import { panelHtml, webviewOptions } from './panelHtml';

const TAB_VIEW_TYPE = 'wattlens.reportTab';

export class ReportViewProvider implements vscode.WebviewViewProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const link = this.controller.attach(view.webview, () => view.visible);
    view.webview.html = panelHtml(view.webview, this.extensionUri);
    const sub = view.onDidChangeVisibility(() => link.setVisible(view.visible));
    view.onDidDispose(() => {
      sub.dispose();
      link.dispose();
    });
  }
}

export class ReportTab implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: PanelController,
  ) {}

  open(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TAB_VIEW_TYPE,
      'WattLens energy report',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'wattlens-panel.svg');
    const link = this.controller.attach(panel.webview, () => panel.visible);
    panel.webview.html = panelHtml(panel.webview, this.extensionUri);
    const sub = panel.onDidChangeViewState(() => link.setVisible(panel.visible));
    panel.onDidDispose(() => {
      sub.dispose();
      link.dispose();
      this.panel = undefined;
    });
    this.panel = panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
