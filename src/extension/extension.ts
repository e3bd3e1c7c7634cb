// Extension entry: wires editor events to the core. Holds no analysis logic.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('WattLens');
  context.subscriptions.push(output);
  output.appendLine('WattLens activated');
}

export function deactivate(): void {}
