// CodeLens above the training loop of a script that has a completed pilot: the full run's
// forecast (time, kWh, CO2e, cost, loss) from that pilot, "stale:" when the script changed since.
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
    if (document.uri.scheme !== 'file' || document.languageId !== 'python') return [];
    if (!settingsFor(document.uri).codeLensEnabled) return [];
    const record = this.runs.latestRunFor(document.uri.fsPath);
    if (!record) return [];
    const view = await this.documents.forDisplay(document, token);
    if (!view || view.trainingLoops.length === 0 || token.isCancellationRequested) return [];
    const { forecastLens, readRunContext } = lazyModules();
    const workspace = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    const context = workspace ? await readRunContext(workspace, record.id) : undefined;
    const config = vscode.workspace.getConfiguration('wattlens', document.uri);
    const settings = readPilotSettings((k) => config.get(k));
    const forecast = forecastLens.pilotForecast(record, {
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
    if (!forecast) return [];
    const stale = document.isDirty || (await modifiedAfter(document.uri.fsPath, record.createdAt));
    const lens = forecastLens.forecastLens(record, forecast, stale);
    const out: vscode.CodeLens[] = [];
    for (const reportLine of view.trainingLoops) {
      const line = view.toDocumentLine(reportLine);
      if (line === undefined || line > document.lineCount) continue;
      out.push(new vscode.CodeLens(document.lineAt(line - 1).range, { title: lens.text, command: '', tooltip: lens.tooltip }));
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Whether the file was saved after the pilot started: the pilot ran an older version. */
async function modifiedAfter(path: string, iso: string): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs > Date.parse(iso);
  } catch {
    return false;
  }
}
