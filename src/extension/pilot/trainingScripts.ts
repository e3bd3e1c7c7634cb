// Python files and notebooks of the workspace that look like training scripts (they call backward() or an
// optimizer's step()), for the pilot's script pickers; the active file comes first.
import * as vscode from 'vscode';

const MAX_FILES = 400;
const MAX_BYTES = 512 * 1024;
const TRAINING = /\.backward\s*\(|optim\w*\.step\s*\(|\bTrainer\s*\(/;

/** A Python source that trains: it calls backward(), an optimizer's step() or a Trainer. */
export function looksLikeTrainingScript(text: string): boolean {
  return TRAINING.test(text);
}

export async function findTrainingScripts(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(
    '**/*.{py,ipynb}',
    '{**/node_modules/**,**/.venv/**,**/venv/**,**/.wattlens/**,**/site-packages/**}',
    MAX_FILES,
    token,
  );
  const out: vscode.Uri[] = [];
  for (const uri of files) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_BYTES) continue;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      if (looksLikeTrainingScript(text)) out.push(uri);
    } catch {
      // unreadable: not offered
    }
  }
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  out.sort((a, b) => Number(b.toString() === active) - Number(a.toString() === active) || a.fsPath.localeCompare(b.fsPath));
  return out;
}
