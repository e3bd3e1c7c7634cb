// The advisor in the editor (issue 4): a diagnostic per suggestion, quick fixes that apply the
// advisor's rewrites (only to the text they were computed for, and only when the result parses),
// and "WattLens: Show Suggestions". Its AdviceService follows the analyzed documents (their
// onDidUpdate), asks the analysis worker for advice, and is offered to the other features
// through the registry (`registry.advice()`: the report panel's Suggestions tab).
import * as vscode from 'vscode';
import { analyzeOptionsFor } from '../../core/editor/settings';
import type { FeatureContext } from '../features';
import { ADVICE_COMMANDS, AdviceCodeActions, applySuggestionCommand, showSuggestionsCommand } from './adviceActions';
import { AdviceDiagnostics, RuleDocs } from './adviceDiagnostics';
import { AdviceService } from './adviceService';

export function registerAdvisor(feature: FeatureContext): void {
  const { extension, documents, analysis, settings, trace, registry } = feature;
  const service = new AdviceService(documents, {
    options: (scope) => analyzeOptionsFor(settings(scope)),
    advise: (key, version, options) => analysis.advise(key, version, options),
    parseCheck: (key, version, text, edits) => analysis.parseCheck(key, version, text, edits),
    step: (key, version, what) => trace.step(key, version, what),
  });
  const diagnostics = new AdviceDiagnostics(service, new RuleDocs(extension.extensionUri));
  extension.subscriptions.push(
    service,
    registry.provideAdvice(service),
    diagnostics,
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, new AdviceCodeActions(service), {
      providedCodeActionKinds: AdviceCodeActions.kinds,
    }),
    vscode.commands.registerCommand(ADVICE_COMMANDS.showSuggestions, (uri?: unknown) => showSuggestionsCommand(service, uri)),
    vscode.commands.registerCommand(ADVICE_COMMANDS.applySuggestion, (uri?: unknown, version?: unknown, id?: unknown) =>
      applySuggestionCommand(service, uri, version, id),
    ),
    vscode.workspace.onDidCloseTextDocument((d) => diagnostics.clear(d.uri)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // the cost unit changes the messages
      if (e.affectsConfiguration('wattlens.costUnit')) diagnostics.update();
    }),
  );
}
