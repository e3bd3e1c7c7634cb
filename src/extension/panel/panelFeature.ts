// The report panel and the pilot UI, loaded on first use (dist/panel.js): the view's webview,
// the editor tab, pilots, and the sources of the panel's sections (./sections/). It brings full
// zod and the pilot runner, which the extension's activation should not pay for. It uses the
// extension's shared services (FeatureContext): its GPU, settings, documents, advice service
// (through the registry), run-record feed and output.
import * as vscode from 'vscode';
import type { RunContext } from '../../core/panel/runComparison';
import { CONFIG_SECTION } from '../config';
import type { FeatureContext } from '../features';
import { PilotService } from '../pilot/pilotService';
import { runPilotCommand } from '../pilot/runPilotCommand';
import { PanelController } from './panelController';
import { ReportSource } from './reportSource';
import { ReportTab, ReportViewProvider } from './reportWebviews';

export interface PanelFeature extends vscode.Disposable {
  resolveView(view: vscode.WebviewView): void;
  show(uri: vscode.Uri | undefined, model: string | null): void;
  openTab(): void;
  runPilot(arg: unknown, model: unknown, context: RunContext | undefined): Promise<void>;
  cancelPilot(): void;
}

export function createPanel(feature: FeatureContext): PanelFeature {
  const { extension, documents, gpu, settings, log } = feature;
  const pilots = new PilotService(log, extension.secrets, extension.workspaceState);
  const report = new ReportSource(documents, gpu, settings);
  let tab: ReportTab | undefined;
  const controller = new PanelController({
    feature,
    report,
    pilots,
    log,
    openInTab: () => tab?.open(),
    generator: `WattLens ${(extension.extension.packageJSON as { version?: string }).version ?? ''}`.trim(),
  });
  tab = new ReportTab(extension.extensionUri, controller);
  const viewProvider = new ReportViewProvider(extension.extensionUri, controller);

  /** The model's MACs per training step, for J per MAC and comparisons. */
  const contextFor = (uri: unknown, modelName: unknown): RunContext => {
    if (!(uri instanceof vscode.Uri) || typeof modelName !== 'string') return {};
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const model = doc ? documents.latest(doc)?.report.models.find((m) => m.name === modelName) : undefined;
    return model ? { model: model.name, ...(typeof model.trainingMacs === 'number' ? { macsPerStep: model.trainingMacs } : {}) } : {};
  };

  const disposables: vscode.Disposable[] = [
    controller,
    pilots,
    report,
    tab,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(CONFIG_SECTION)) {
        report.refresh();
        controller.configurationChanged();
      }
    }),
  ];
  log('report panel loaded');
  return {
    resolveView: (view) => viewProvider.resolveWebviewView(view),
    show: (uri, model) => report.show(uri, model),
    openTab: () => tab?.open(),
    runPilot: (arg, model, context) => runPilotCommand(pilots, arg, context ?? contextFor(arg, model)),
    cancelPilot: () => pilots.cancel(),
    dispose: () => {
      for (const d of disposables) d.dispose();
    },
  };
}
