// Inlay hints at the end of each costly line: "2.36M params · 1.21 GMACs · 12%", and after a
// pilot of the model a second hint with the line's share of its energy per step: "≈99.5 mJ/step";
// before one, on a GPU (or CPU) with a profile, the line's share of the static step estimate.
import * as vscode from 'vscode';
import { calibratedHint } from '../../core/editor/calibratedFigures';
import { lineHints } from '../../core/editor/hints';
import type { AnalyzedDocuments } from '../documents';
import type { CalibrationSource } from '../pilot/calibrationSource';
import type { GpuInfo } from '../gpu';
import type { Trace } from '../trace';
import { settingsFor } from '../config';

// the GPU tables load with the first hint that needs them, not at activation
const stepFigures = () => require('../../core/editor/stepFigures') as typeof import('../../core/editor/stepFigures');

export class CostInlayHints implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly trace: Trace,
    private readonly calibrations: CalibrationSource,
    private readonly gpu?: GpuInfo,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideInlayHints(
    document: vscode.TextDocument,
    range: vscode.Range,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlayHint[]> {
    const settings = settingsFor(document.uri);
    if (!settings.hintsEnabled) return [];
    const view = await this.documents.forDisplay(document, token);
    if (!view || token.isCancellationRequested) return [];
    // only the visible range: map it to report lines, then each hint back to this document
    const from = view.toReportLine(range.start.line + 1);
    const to = view.toReportLine(range.end.line + 1);
    if (from === undefined || to === undefined) return [];
    const hints: vscode.InlayHint[] = [];
    const calibrated = this.calibrations.figuresFor(view.report, settings.calibratedHints);
    const gpu = this.gpu?.resolve(settings).gpu;
    const calibratedModels = new Set([...calibrated.models.values()].filter((c) => c.lens).map((c) => c.model));
    const estimated = gpu?.profile ? stepFigures().staticStepLines(view.report, gpu, settings.precision, calibratedModels) : undefined;
    for (const h of lineHints(view.report, settings.costUnit, { fromLine: from, toLine: to })) {
      const line = view.toDocumentLine(h.line);
      if (line === undefined || line > document.lineCount) continue;
      const end = document.lineAt(line - 1).range.end;
      for (const shown of [h, calibratedHint(h.line, calibrated) ?? estimated?.get(h.line)?.hint]) {
        if (!shown) continue;
        const hint = new vscode.InlayHint(end, shown.text);
        hint.paddingLeft = true;
        hint.tooltip = shown.tooltip;
        hints.push(hint);
      }
    }
    this.trace.hintsServed(view.key, view.version, hints.length);
    return hints;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
