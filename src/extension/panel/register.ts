// The energy report panel and the pilot UI, registered through the editor layer's feature
// extension point (src/extension/features.ts): the "Energy report" view, its editor tab, the
// Show Report / Run Pilot commands, the report opener behind the totals lens and the status bar,
// and the "Show energy report" / "Run pilot" CodeLens actions. The implementation
// (dist/panel.js) loads the first time one of them is used, not at activation.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunContext } from '../../core/panel/runComparison';
import type { FeatureContext } from '../features';
import { SET_ELECTRICITY_MAPS_TOKEN_COMMAND, setElectricityMapsToken } from '../pilot/electricityMapsToken';
import type { PanelFeature } from './panelFeature';

export const REPORT_VIEW_ID = 'wattlens.report';

export const PANEL_COMMANDS = {
  showReport: 'wattlens.showReport',
  openReportTab: 'wattlens.openReportTab',
  runPilot: 'wattlens.runPilot',
  cancelPilot: 'wattlens.cancelPilot',
} as const;

export function registerReportPanel(feature: FeatureContext): void {
  const { extension, registry } = feature;
  let panel: PanelFeature | undefined;
  const load = (): PanelFeature => {
    if (!panel) {
      // a separate bundle beside extension.js (scripts/build.mjs); not inlined by esbuild
      const modulePath = join(__dirname, 'panel.js');
      const { createPanel } = require(modulePath) as typeof import('./panelFeature');
      panel = createPanel(feature);
    }
    return panel;
  };

  extension.subscriptions.push(
    {
      dispose: () => {
        panel?.dispose();
      },
    },
    vscode.window.registerWebviewViewProvider(REPORT_VIEW_ID, { resolveWebviewView: (view) => load().resolveView(view) }),
    vscode.commands.registerCommand(PANEL_COMMANDS.showReport, async (uri?: unknown, model?: unknown) => {
      load().show(uri instanceof vscode.Uri ? uri : undefined, typeof model === 'string' ? model : null);
      await vscode.commands.executeCommand(`${REPORT_VIEW_ID}.focus`);
    }),
    vscode.commands.registerCommand(PANEL_COMMANDS.openReportTab, (uri?: unknown, model?: unknown) => {
      const p = load();
      if (uri instanceof vscode.Uri) p.show(uri, typeof model === 'string' ? model : null);
      p.openTab();
    }),
    vscode.commands.registerCommand(PANEL_COMMANDS.runPilot, (arg?: unknown, model?: unknown, context?: RunContext) =>
      load().runPilot(arg, model, context),
    ),
    vscode.commands.registerCommand(PANEL_COMMANDS.cancelPilot, () => panel?.cancelPilot()),
    vscode.commands.registerCommand(SET_ELECTRICITY_MAPS_TOKEN_COMMAND, () => setElectricityMapsToken(extension.secrets)),
    registry.setReportOpener({ command: PANEL_COMMANDS.showReport, title: 'Show energy report' }),
    registry.addModelLensAction({ id: 'wattlens.showReport', title: 'Show energy report', command: PANEL_COMMANDS.showReport }),
    registry.addModelLensAction({
      id: 'wattlens.runPilot',
      title: 'Run pilot',
      tooltip: 'Run a short pilot of a training script and forecast the full run (trusted workspaces)',
      command: PANEL_COMMANDS.runPilot,
    }),
  );
}
