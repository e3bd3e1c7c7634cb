// Showing a line of a document in an editor, for the panel's reveal requests.
import * as vscode from 'vscode';
import type { Asker } from './sections/hostSection';
import type { ReportSource } from './reportSource';

export async function revealInEditor(document: vscode.TextDocument, line: number): Promise<void> {
  const shown = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
    preserveFocus: false,
  });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** A line of the shown file's report (a notebook's concatenated lines are mapped to its cell). */
export async function revealReportLine(report: ReportSource, reportLine: number, from: Asker): Promise<void> {
  const target = report.target();
  if (!target) return;
  // undefined: the line is in another notebook cell, or an edit since the analysis removed it
  const line = target.view ? target.view.toDocumentLine(reportLine) : reportLine;
  if (line === undefined || line > target.document.lineCount) return from.notice('info', `line ${reportLine} is in another cell`);
  await revealInEditor(target.document, line);
}
