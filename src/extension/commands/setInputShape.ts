// "WattLens: Set Input Shape": writes or updates the `# wattlens: input=…` comment above the
// model under the cursor (or the one a CodeLens names).
import * as vscode from 'vscode';
import type { OutlineEntry } from '../../core/editor/workerProtocol';
import type { AnalyzedDocuments, DocumentView } from '../documents';

export async function setInputShape(documents: AnalyzedDocuments, uriArg?: unknown, modelArg?: unknown): Promise<void> {
  const document = await targetDocument(uriArg);
  if (!document) {
    void vscode.window.showInformationMessage('WattLens: open a Python file with a model to set its input shape.');
    return;
  }
  const view = (await documents.current(document)) ?? documents.latest(document);
  if (!view) {
    void vscode.window.showWarningMessage('WattLens has not analyzed this file (see the status bar for why).');
    return;
  }
  const target = await pickDefinition(document, view, typeof modelArg === 'string' ? modelArg : undefined);
  if (!target) return;
  // loaded on first use: shape parsing lives with the engine's input resolution
  const { inputDirectiveEdit, validateInputShape } = await import('../../core/editor/inputDirective');
  const model = view.report.models.find((m) => m.name === target.name);
  const shape = await vscode.window.showInputBox({
    title: `Input shape of ${target.name}`,
    prompt:
      'One shape per forward argument, dims as numbers or names (B, T): 1x3x224x224, or 1x100x80,1; a tuple in parentheses: 35x10,(2x10x200,2x10x200)',
    value: model && model.input.source !== 'none' ? model.input.text : '',
    placeHolder: '1x3x224x224',
    validateInput: (v) => validateInputShape(v),
  });
  if (shape === undefined) return;
  const firstLine = view.toDocumentLine(target.firstLine);
  if (firstLine === undefined) return;
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  const edit = inputDirectiveEdit(lines, firstLine, shape);
  const workspaceEdit = new vscode.WorkspaceEdit();
  if (edit.mode === 'replace') workspaceEdit.replace(document.uri, document.lineAt(edit.line - 1).range, edit.text);
  else workspaceEdit.insert(document.uri, new vscode.Position(edit.line - 1, 0), `${edit.text}\n`);
  await vscode.workspace.applyEdit(workspaceEdit);
}

async function targetDocument(uriArg: unknown): Promise<vscode.TextDocument | undefined> {
  if (uriArg instanceof vscode.Uri) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriArg.toString());
    return open ?? vscode.workspace.openTextDocument(uriArg);
  }
  return vscode.window.activeTextEditor?.document;
}

/** The model named by the lens, else the definition under the cursor, else a pick among the models. */
async function pickDefinition(
  document: vscode.TextDocument,
  view: DocumentView,
  name: string | undefined,
): Promise<OutlineEntry | undefined> {
  const inThisDocument = view.outline.filter((o) => view.toDocumentLine(o.line) !== undefined);
  if (name) return inThisDocument.find((o) => o.name === name);
  const editor = vscode.window.activeTextEditor;
  if (editor?.document === document) {
    const line = view.toReportLine(editor.selection.active.line + 1);
    const under = line !== undefined ? inThisDocument.find((o) => line >= o.firstLine && line <= o.endLine) : undefined;
    if (under) return under;
  }
  const modelNames = new Set(view.report.models.map((m) => m.name));
  const candidates = inThisDocument.filter((o) => modelNames.has(o.name) || o.kind === 'class');
  if (candidates.length === 1) return candidates[0];
  if (!candidates.length) return undefined;
  const picked = await vscode.window.showQuickPick(
    candidates.map((o) => ({ label: o.name, description: `line ${view.toDocumentLine(o.line)}`, entry: o })),
    { title: 'Set the input shape of which model?' },
  );
  return picked?.entry;
}
