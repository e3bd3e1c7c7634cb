// Hover on a layer or op line: formula with its numbers, output shape, MACs per call × calls,
// memory and assumptions; on a model's definition line, its totals; after a pilot of the model,
// the energy per step it calibrated.
import * as vscode from 'vscode';
import { hoverWithCalibration } from '../../core/editor/calibratedFigures';
import { hoverMarkdown } from '../../core/editor/hover';
import type { AnalyzedDocuments } from '../documents';
import type { CalibrationSource } from '../pilot/calibrationSource';
import { settingsFor } from '../config';

export class CostHover implements vscode.HoverProvider {
  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly calibrations: CalibrationSource,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const settings = settingsFor(document.uri);
    if (!settings.hoversEnabled) return undefined;
    const view = await this.documents.current(document, token);
    if (!view) return undefined;
    const line = view.toReportLine(position.line + 1);
    if (line === undefined) return undefined;
    const calibrated = this.calibrations.figuresFor(view.report, settings.calibratedHints);
    const markdown = hoverWithCalibration(hoverMarkdown(view.report, line, settings.costUnit), line, calibrated);
    if (!markdown) return undefined;
    // outside text in it is escaped (core/editor/hover.ts); no HTML, no command links
    const contents = new vscode.MarkdownString(markdown);
    contents.supportHtml = false;
    contents.isTrusted = false;
    return new vscode.Hover(contents, document.lineAt(position.line).range);
  }
}
