// Where the analysis worker looks for the user's Python environment: wattlens.extraPaths, the
// interpreter (wattlens.pythonPath, else the one the Python extension selected), and the host's
// VIRTUAL_ENV / CONDA_PREFIX. The worker only reads files from them (core/pyenv), so no trust
// prompt is needed, and it works in Restricted Mode. Sent again when the setting, the selected
// interpreter or a pyvenv.cfg changes.
import * as vscode from 'vscode';
import type { PythonEnvironmentSettings } from './analysisClient';

interface PythonEnvironmentsApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

export const EXTRA_PATHS_SETTING = 'wattlens.extraPaths';

/** The Python extension's API if it is installed and active; it is never activated for this. */
function pythonApi(): PythonEnvironmentsApi | undefined {
  const ext = vscode.extensions.getExtension<PythonEnvironmentsApi>('ms-python.python');
  return ext?.isActive ? ext.exports : undefined;
}

export function currentPythonEnvironment(): PythonEnvironmentSettings {
  const config = vscode.workspace.getConfiguration('wattlens');
  const extra = config.get<unknown>('extraPaths');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const extraPaths = (Array.isArray(extra) ? extra : [])
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .map((p) => (folder && !/^([A-Za-z]:)?[\\/]/.test(p) ? vscode.Uri.joinPath(vscode.Uri.file(folder), p).fsPath : p));
  const configured = config.get<unknown>('pythonPath');
  let interpreter = typeof configured === 'string' && configured ? configured : undefined;
  if (!interpreter) {
    try {
      interpreter = pythonApi()?.environments?.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri)?.path;
    } catch {
      // the Python extension is optional
    }
  }
  return { interpreter, extraPaths, virtualEnv: process.env.VIRTUAL_ENV, condaPrefix: process.env.CONDA_PREFIX };
}

/** Calls `changed` when the environment may have changed: the settings, the selected interpreter, a pyvenv.cfg. */
export function watchPythonEnvironment(changed: () => void): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  disposables.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(EXTRA_PATHS_SETTING) || e.affectsConfiguration('wattlens.pythonPath')) changed();
    }),
  );
  const cfg = vscode.workspace.createFileSystemWatcher('**/pyvenv.cfg');
  disposables.push(cfg, cfg.onDidCreate(changed), cfg.onDidChange(changed), cfg.onDidDelete(changed));
  const event = pythonApi()?.environments?.onDidChangeActiveEnvironmentPath;
  if (event) disposables.push(event(changed));
  return vscode.Disposable.from(...disposables);
}
