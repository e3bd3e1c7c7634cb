// Where features built beside the editor surfaces plug in (report panel, pilot runs, advisor).
// Each gets the registry and the shared services (FeatureContext) and adds its CodeLens actions,
// report opener, diagnostic source or service, e.g.
//   registry.setReportOpener({ command: 'wattlens.showReport', title: 'Show energy report' })
//   registry.addModelLensAction({ id: 'wattlens.runPilot', title: 'Run pilot', command: 'wattlens.runPilot' })
//   registry.provideAdvice(service)
// and registers its own commands. A feature is one line of FEATURES: without its line it is
// gone, and nothing else needs an edit (the panel's Suggestions tab then says the advisor is off).
import type * as vscode from 'vscode';
import type { EditorSettings } from '../core/editor/settings';
import type { AnalysisClient } from './analysisClient';
import type { AnalyzedDocuments } from './documents';
import type { GpuInfo } from './gpu';
import type { CalibrationSource } from './pilot/calibrationSource';
import type { RunRecordFeed } from './pilot/runRecordFeed';
import type { WattLensRegistry } from './registry';
import type { Trace } from './trace';
import { registerReportPanel } from './panel/register';
import { registerAdvisor } from './advice/register';

/** The services extension.ts creates once, for the editor surfaces and every feature. */
export interface FeatureContext {
  extension: vscode.ExtensionContext;
  registry: WattLensRegistry;
  /** Analyses per document version; `onDidUpdate` fires after each (features hook in there). */
  documents: AnalyzedDocuments;
  /** The analysis worker's client, for requests besides the analyses (advice, parse checks). */
  analysis: AnalysisClient;
  /** `wattlens.*` editor settings for a document's folder. */
  settings(scope?: vscode.Uri): EditorSettings;
  /** The GPU memory checks compare against: nvidia-smi runs once, for everyone. */
  gpu: GpuInfo;
  /** Changes of the workspace's pilot run records: one watcher, started on first use. */
  runRecords: RunRecordFeed;
  /** Pilot calibrations (completed run records) for the editor surfaces, read on first use. */
  calibrations: CalibrationSource;
  /** The workspace folders on disk. */
  folders(): string[];
  /** The WattLens output channel, and a line to it. */
  output: vscode.OutputChannel;
  log(message: string): void;
  /** WATTLENS_TRACE timings. */
  trace: Trace;
}

/** One entry per feature module: `(context) => void`, added by the module's author. */
const FEATURES: ((context: FeatureContext) => void)[] = [
  // the advisor's diagnostics, quick fixes, Show Suggestions and advice service (src/extension/advice)
  registerAdvisor,
  // the energy report panel and the pilot UI (src/extension/panel, src/extension/pilot)
  registerReportPanel,
];

export function registerFeatures(context: FeatureContext, features = FEATURES): void {
  for (const register of features) {
    try {
      register(context);
    } catch (e) {
      context.log(`a WattLens feature failed to start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
