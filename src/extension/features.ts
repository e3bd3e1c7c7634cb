// Where features built beside the editor surfaces plug in (report panel, pilot runs, advisor).
// Each gets the registry and adds its CodeLens actions, report opener or diagnostic source, e.g.
//   registry.setReportOpener({ command: 'wattlens.showReport', title: 'Show energy report' })
//   registry.addModelLensAction({ id: 'wattlens.runPilot', title: 'Run pilot', command: 'wattlens.runPilot' })
// and registers its own commands. Nothing is registered for a feature that does not exist yet.
import type * as vscode from 'vscode';
import type { AnalyzedDocuments } from './documents';
import type { WattLensRegistry } from './registry';
import { registerReportPanel } from './panel/register';
import { registerAdvisor } from './advice/register';

export interface FeatureContext {
  extension: vscode.ExtensionContext;
  registry: WattLensRegistry;
  documents: AnalyzedDocuments;
  output: vscode.OutputChannel;
}

/** One entry per feature module: `(context) => void`, added by the module's author. */
const FEATURES: ((context: FeatureContext) => void)[] = [
  // the energy report panel and the pilot UI (src/extension/panel, src/extension/pilot)
  registerReportPanel,
  // the advisor's diagnostics, quick fixes and Show Suggestions (src/extension/advice)
  registerAdvisor,
];

export function registerFeatures(context: FeatureContext): void {
  for (const register of FEATURES) {
    try {
      register(context);
    } catch (e) {
      context.output.appendLine(`a WattLens feature failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
