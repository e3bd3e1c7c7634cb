// Hover on a layer or op line: formula with its numbers, output shape, MACs per call × calls,
// memory and assumptions; on a model's definition line, its totals.
import * as vscode from 'vscode';
import { hoverMarkdown } from '../../core/editor/hover';
import type { AnalyzedDocuments } from '../documents';
import { settingsFor } from '../config';

export class CostHover implements vscode.HoverProvider {
  constructor(private readonly documents: AnalyzedDocuments) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const settings = settingsFor(document.uri);
    if (!settings.hoversEnabled) return undefined;
    const view = await this.documents.current(document, token);
    if (!view) return undefined;
    const line = view.toReportLine(position.line + 1);
    if (line === undefined) return undefined;
    const markdown = hoverMarkdown(view.report, line, settings.costUnit);
    if (!markdown) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(markdown), document.lineAt(position.line).range);
  }
}
