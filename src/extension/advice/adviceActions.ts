// Quick fixes for advisor diagnostics, and the commands behind them. A fix is offered only while
// the document is at the version its advice was computed for; the command re-checks that when it
// runs (the menu may have stayed open through an edit), has the rewritten text parsed by the
// engine's parser, and refuses with a message otherwise.
import * as vscode from 'vscode';
import { fixTitle, PREFERRED_RULES, suggestionItem } from '../../core/editor/adviceView';
import { settingsFor } from '../config';
import { DIAGNOSTIC_SOURCE } from '../providers/diagnostics';
import type { AdvisedSuggestion, AdviceService } from './adviceService';

export const ADVICE_COMMANDS = {
  /** "WattLens: Show Suggestions": every suggestion of a file, ranked by saving. */
  showSuggestions: 'wattlens.showSuggestions',
  /** Internal (code actions, the suggestions list): [uri, version, suggestion id]. */
  applySuggestion: 'wattlens.applySuggestion',
} as const;

/** The rule of an advisor diagnostic (hot spots have string codes; advisor codes carry a docs link). */
function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== DIAGNOSTIC_SOURCE || typeof d.code !== 'object' || d.code === null) return undefined;
  return String(d.code.value);
}

export class AdviceCodeActions implements vscode.CodeActionProvider {
  static get kinds(): vscode.CodeActionKind[] {
    return [vscode.CodeActionKind.QuickFix];
  }

  constructor(private readonly service: AdviceService) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => ruleOf(d) !== undefined);
    if (!ours.length) return [];
    const advice = this.service.current(document);
    if (!advice) {
      // the diagnostics belong to an older text: nothing to offer until the advice of this one
      // arrives. It is asked for once typing pauses: the lightbulb and the Problems panel ask
      // for code actions after every edit, and advice per keystroke would only be cancelled.
      this.service.refresh(document);
      return [];
    }
    const unit = settingsFor(document.uri).costUnit;
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const s = advice.suggestions.find((x) => x.rule === ruleOf(d) && x.line === d.range.start.line + 1);
      if (!s?.fixable || !s.edits?.length) continue;
      const action = new vscode.CodeAction(fixTitle(s, unit), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = PREFERRED_RULES.has(s.rule);
      action.command = { command: ADVICE_COMMANDS.applySuggestion, title: action.title, arguments: [document.uri, advice.version, s.id] };
      actions.push(action);
    }
    const all = new vscode.CodeAction('WattLens: Show suggestions for this file', vscode.CodeActionKind.QuickFix);
    all.diagnostics = ours;
    all.command = { command: ADVICE_COMMANDS.showSuggestions, title: all.title, arguments: [document.uri] };
    actions.push(all);
    return actions;
  }
}

/** Runs a fix through the service's gate; a refusal is shown as a warning. */
export async function applySuggestionCommand(service: AdviceService, uri: unknown, version: unknown, id: unknown): Promise<boolean> {
  const document = uri instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  if (!document || typeof version !== 'number' || typeof id !== 'string') {
    void vscode.window.showWarningMessage('WattLens: this suggestion is no longer available.');
    return false;
  }
  const outcome = await service.apply(document, version, id);
  if (!outcome.ok) {
    void vscode.window.showWarningMessage(`WattLens: ${outcome.reason}.`);
    return false;
  }
  return true;
}

interface SuggestionPick extends vscode.QuickPickItem {
  suggestion: AdvisedSuggestion;
}

/** "WattLens: Show Suggestions": the file's suggestions ranked by saving; pick one to go to its line, then apply a fixable one. */
export async function showSuggestionsCommand(service: AdviceService, uri?: unknown): Promise<void> {
  const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('WattLens: open a Python file to see its suggestions.');
    return;
  }
  const why = service.unavailable(document);
  if (why) {
    void vscode.window.showInformationMessage(`WattLens: ${why}`);
    return;
  }
  const name = vscode.workspace.asRelativePath(document.uri);
  const pick = vscode.window.createQuickPick<SuggestionPick>();
  pick.title = `WattLens suggestions for ${name}`;
  pick.placeholder = 'Computing suggestions (the advisor re-analyzes each rewrite)…';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  let hidden = false;
  pick.onDidHide(() => {
    hidden = true;
    pick.dispose();
  });
  pick.show();
  const advice = await service.adviceFor(document);
  if (hidden) return;
  pick.busy = false;
  if (!advice) {
    pick.placeholder = service.failure(document)
      ? `The advisor failed: ${service.failure(document)}`
      : 'The file changed: run the command again for the new text.';
    return;
  }
  const unit = settingsFor(document.uri).costUnit;
  const applyButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('lightbulb-autofix'), tooltip: 'Apply the fix' };
  pick.items = advice.suggestions.map((s) => ({ ...suggestionItem(s, unit), suggestion: s, buttons: s.fixable ? [applyButton] : [] }));
  pick.placeholder = advice.suggestions.length
    ? `${advice.suggestions.length} suggestion${advice.suggestions.length === 1 ? '' : 's'}, largest estimated saving first: pick one to go to its line`
    : `No suggestions for ${name}${advice.problems.length ? ` (${advice.problems[0]})` : ''}`;
  const version = advice.version;
  const apply = async (s: AdvisedSuggestion) => {
    pick.hide();
    await applySuggestionCommand(service, document.uri, version, s.id);
  };
  pick.onDidTriggerItemButton((e) => void apply(e.item.suggestion));
  pick.onDidAccept(async () => {
    const chosen = pick.selectedItems[0]?.suggestion;
    pick.hide();
    if (!chosen) return;
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
    const start = new vscode.Position(Math.max(0, chosen.line - 1), 0);
    const end = document.lineAt(Math.min(document.lineCount - 1, Math.max(0, (chosen.endLine ?? chosen.line) - 1))).range.end;
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (!chosen.fixable) return;
    // second step: apply the rewrite, or just look at it
    const title = fixTitle(chosen, unit);
    const answer = await vscode.window.showQuickPick(
      [
        { label: '$(lightbulb-autofix) Apply the fix', detail: title, apply: true },
        { label: 'Only show the line', apply: false },
      ],
      {
        title: `${chosen.rule} at line ${chosen.line}`,
        placeHolder: suggestionItem(chosen, unit).detail,
      },
    );
    if (answer?.apply) await applySuggestionCommand(service, document.uri, version, chosen.id);
  });
}
