// "WattLens: Analyze File": the CLI's report of the active file, in the WattLens output channel.
import * as vscode from 'vscode';
import { renderFileReport } from '../../cli/renderReport';
import { inertLinks } from '../../core/editor/text';
import type { AnalyzedDocuments } from '../documents';

export async function analyzeFile(documents: AnalyzedDocuments, output: vscode.OutputChannel, uriArg?: unknown): Promise<void> {
  const document =
    uriArg instanceof vscode.Uri
      ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriArg.toString())
      : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('WattLens: open a Python file to analyze it.');
    return;
  }
  const state = documents.stateOf(document);
  if (state?.kind === 'skipped') {
    void vscode.window.showWarningMessage(`WattLens does not analyze this file: ${inertLinks(state.reason)}.`);
    return;
  }
  const view = await documents.current(document);
  if (!view) {
    void vscode.window.showWarningMessage(
      state?.kind === 'failed' ? `WattLens: ${inertLinks(state.reason)}` : 'WattLens could not analyze this file.',
    );
    return;
  }
  output.appendLine(
    `── ${vscode.workspace.asRelativePath(document.uri)} (version ${view.version}; estimated by static analysis, not measured)`,
  );
  output.appendLine(renderFileReport(view.report));
  output.show(true);
}
