// First steps: the "Get Started" welcome view (shown until a model has been analyzed in this
// window) and the context that puts Run Pilot in the editor title and the Explorer menu of
// open Python files that train. The walkthrough itself is declared in package.json.
import * as vscode from 'vscode';
import { looksLikeTrainingScript } from './pilot/trainingScripts';

export const WELCOME_VIEW_ID = 'wattlens.welcome';
/** Context keys read by package.json `when` clauses. */
const MODEL_SEEN = 'wattlens.modelSeen';
const TRAINING_SCRIPTS = 'wattlens.trainingScripts';
const MAX_SCANNED_CHARS = 512 * 1024;

export function registerOnboarding(onModelAnalyzed: vscode.Event<unknown>): vscode.Disposable {
  const trainingScripts = new Set<string>();
  const publish = () => void vscode.commands.executeCommand('setContext', TRAINING_SCRIPTS, [...trainingScripts]);
  const check = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'file') return;
    const was = trainingScripts.has(doc.uri.fsPath);
    const is = doc.languageId === 'python' && doc.getText().length <= MAX_SCANNED_CHARS && looksLikeTrainingScript(doc.getText());
    if (is === was) return;
    if (is) trainingScripts.add(doc.uri.fsPath);
    else trainingScripts.delete(doc.uri.fsPath);
    publish();
  };
  for (const doc of vscode.workspace.textDocuments) check(doc);
  publish();

  let seen = false;
  const seenModel = onModelAnalyzed(() => {
    if (seen) return;
    seen = true;
    void vscode.commands.executeCommand('setContext', MODEL_SEEN, true);
  });

  // an empty tree: VS Code shows the view's welcome content (package.json viewsWelcome)
  const welcome = vscode.window.registerTreeDataProvider<never>(WELCOME_VIEW_ID, {
    getChildren: () => [],
    getTreeItem: (item) => item,
  });

  return vscode.Disposable.from(
    welcome,
    seenModel,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (trainingScripts.delete(doc.uri.fsPath)) publish();
    }),
  );
}
