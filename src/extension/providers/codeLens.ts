// CodeLens above each model class or builder: totals, the energy per step calibrated by the
// model's last pilot (when there is one; else the static step estimate on the configured or
// detected GPU), the input shape and where it came from, "Set input
// shape…", and the actions other features registered (report, pilot).
import * as vscode from 'vscode';
import { modelLenses, problemLenses } from '../../core/editor/lens';
import type { AnalyzedDocuments } from '../documents';
import type { CalibrationSource } from '../pilot/calibrationSource';
import type { GpuInfo } from '../gpu';
import type { WattLensRegistry } from '../registry';
import { settingsFor } from '../config';
import { COMMANDS } from '../commandIds';

// the GPU tables load with the first lens that needs them, not at activation
const stepFigures = () => require('../../core/editor/stepFigures') as typeof import('../../core/editor/stepFigures');

export class ModelCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly registry: WattLensRegistry,
    private readonly calibrations: CalibrationSource,
    private readonly gpu: GpuInfo,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = settingsFor(document.uri);
    if (!settings.codeLensEnabled) return [];
    const view = await this.documents.forDisplay(document, token);
    if (!view || token.isCancellationRequested) return [];
    const out: vscode.CodeLens[] = [];
    const opener = this.registry.reportOpener();
    const calibrated = this.calibrations.figuresFor(view.report, settings.calibratedHints);
    const withPilot = new Set([...calibrated.models.values()].filter((c) => c.lens).map((c) => c.model));
    const gpu = this.gpu.resolve(settings).gpu;
    const estimates = gpu?.profile
      ? new Map(
          stepFigures()
            .staticStepFigures(view.report, gpu, settings.precision, withPilot)
            .map((f) => [f.model, f]),
        )
      : undefined;
    for (const lens of modelLenses(view.report, settings.costUnit)) {
      const line = view.toDocumentLine(lens.line);
      if (line === undefined || line > document.lineCount) continue;
      const range = document.lineAt(line - 1).range;
      const model = view.report.models.find((m) => m.name === lens.model)!;
      const args = [document.uri, lens.model];
      out.push(
        new vscode.CodeLens(
          range,
          opener
            ? { title: lens.totals, command: opener.command, arguments: args, tooltip: `${lens.tooltip}\n\n${opener.title}` }
            : { title: lens.totals, command: '', tooltip: lens.tooltip },
        ),
      );
      const energy = calibrated.models.get(lens.model)?.lens ?? estimates?.get(lens.model)?.lens;
      if (energy) out.push(new vscode.CodeLens(range, { title: energy.text, command: '', tooltip: energy.tooltip }));
      out.push(
        new vscode.CodeLens(range, {
          title: lens.input,
          command: COMMANDS.setInputShape,
          arguments: args,
          tooltip: 'Where the input shape comes from; click to set it',
        }),
      );
      out.push(
        new vscode.CodeLens(range, {
          title: 'Set input shape…',
          command: COMMANDS.setInputShape,
          arguments: args,
          tooltip: 'Write or update the # wattlens: input=… comment above this model',
        }),
      );
      for (const action of this.registry.modelLensActions({ document, report: view.report, model })) {
        out.push(
          new vscode.CodeLens(range, {
            title: action.title,
            command: action.command,
            tooltip: action.tooltip,
            arguments: action.arguments?.({ document, report: view.report, model }) ?? args,
          }),
        );
      }
    }
    for (const lens of problemLenses(view.report)) {
      const line = view.toDocumentLine(lens.line);
      if (line === undefined || line > document.lineCount) continue;
      out.push(new vscode.CodeLens(document.lineAt(line - 1).range, { title: lens.text, command: '', tooltip: lens.tooltip }));
    }
    return out;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
