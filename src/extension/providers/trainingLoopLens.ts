// CodeLens above the training loop of a script (or of the notebook cell that holds it) that has
// a completed pilot: the full run's forecast (time, kWh, CO2e, cost, loss) from that pilot, with
// the run length the script fixes when the panel saved none, "stale:" when the script changed since.
// Texts in src/core/editor/forecastLens.ts; the forecast code and run contexts load lazily.
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { AnalyzedDocuments } from '../documents';
import { lazyModules } from '../lazy';
import type { CalibrationSource } from '../pilot/calibrationSource';
import { readPilotSettings } from '../pilot/pilotSettings';
import { settingsFor } from '../config';

export class TrainingLoopLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly runs: CalibrationSource,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (document.languageId !== 'python') return [];
    if (!settingsFor(document.uri).codeLensEnabled) return [];
    const script = scriptOf(document);
    if (!script) return [];
    const record = this.runs.latestRunFor(script.uri.fsPath);
    if (!record) return [];
    const view = await this.documents.forDisplay(document, token);
    if (!view || view.trainingLoops.length === 0 || token.isCancellationRequested) return [];
    const { forecastLens, readRunContext } = lazyModules();
    const workspace = vscode.workspace.getWorkspaceFolder(script.uri)?.uri.fsPath;
    const context = workspace ? await readRunContext(workspace, record.id) : undefined;
    const config = vscode.workspace.getConfiguration('wattlens', document.uri);
    const settings = readPilotSettings((k) => config.get(k));
    const out: vscode.CodeLens[] = [];
    const stale = script.dirty || (await modifiedAfter(script.uri.fsPath, record.createdAt));
    for (const [i, reportLine] of view.trainingLoops.entries()) {
      const line = view.toDocumentLine(reportLine);
      if (line === undefined || line > document.lineCount) continue;
      // the length the script fixes, with the pilot's own command line for argparse options
      const length = forecastLens.scriptLengthInput(view.trainingLoopLengths[i], record.args);
      const forecast = forecastLens.pilotForecast(record, {
        ...(length.scriptLength ? { scriptLength: length.scriptLength } : {}),
        ...(context?.totalSteps !== undefined
          ? { totalSteps: context.totalSteps }
          : context?.epochs !== undefined
            ? { epochs: context.epochs }
            : {}),
        ...(context?.targetLoss !== undefined ? { targetLoss: context.targetLoss } : {}),
        ...(settings.pue !== undefined ? { pue: settings.pue } : {}),
        carbon: settings.carbon,
        ...(settings.pricePerKWh !== undefined ? { pricePerKWh: settings.pricePerKWh, currency: settings.currency } : {}),
      });
      if (!forecast) continue;
      const lens = forecastLens.forecastLens(record, forecast, stale, length.unknown);
      out.push(new vscode.CodeLens(document.lineAt(line - 1).range, { title: lens.text, command: '', tooltip: lens.tooltip }));
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The file a pilot ran for this document: the file itself, or the notebook that holds the cell. */
function scriptOf(document: vscode.TextDocument): { uri: vscode.Uri; dirty: boolean } | undefined {
  if (document.uri.scheme === 'file') return { uri: document.uri, dirty: document.isDirty };
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
  return notebook?.uri.scheme === 'file' ? { uri: notebook.uri, dirty: notebook.isDirty } : undefined;
}

/** Whether the file was saved after the pilot started: the pilot ran an older version. */
async function modifiedAfter(path: string, iso: string): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs > Date.parse(iso);
  } catch {
    return false;
  }
}
