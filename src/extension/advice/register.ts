// The advisor in the editor (issue 4): a diagnostic per suggestion, quick fixes that apply the
// advisor's rewrites (only to the text they were computed for, and only when the result parses),
// and "WattLens: Show Suggestions". The suggestions come from `documents.advice` (AdviceService),
// which the report panel shares.
import * as vscode from 'vscode';
import type { FeatureContext } from '../features';
import { ADVICE_COMMANDS, AdviceCodeActions, applySuggestionCommand, showSuggestionsCommand } from './adviceActions';
import { AdviceDiagnostics, RuleDocs } from './adviceDiagnostics';

export function registerAdvisor(feature: FeatureContext): void {
  const { extension, documents } = feature;
  const service = documents.advice;
  const diagnostics = new AdviceDiagnostics(service, new RuleDocs(extension.extensionUri));
  extension.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, new AdviceCodeActions(service), { providedCodeActionKinds: AdviceCodeActions.kinds }),
    vscode.commands.registerCommand(ADVICE_COMMANDS.showSuggestions, (uri?: unknown) => showSuggestionsCommand(service, uri)),
    vscode.commands.registerCommand(ADVICE_COMMANDS.applySuggestion, (uri?: unknown, version?: unknown, id?: unknown) => applySuggestionCommand(service, uri, version, id)),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.clear(d.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // the cost unit changes the messages
      if (e.affectsConfiguration('wattlens.costUnit')) diagnostics.update();
    }),
  );
}
