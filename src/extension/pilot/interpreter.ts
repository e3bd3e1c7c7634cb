// Which Python runs a pilot: the wattlens.pythonPath setting, else the interpreter the Python
// extension has selected for the workspace (its public API, when installed), else python3.
import * as vscode from 'vscode';

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export async function pilotInterpreter(settingPath: string | null, resource?: vscode.Uri): Promise<{ python: string; from: string }> {
  if (settingPath) return { python: settingPath, from: 'the wattlens.pythonPath setting' };
  try {
    const ext = vscode.extensions.getExtension<PythonApi>('ms-python.python');
    if (ext) {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const active = api?.environments?.getActiveEnvironmentPath(resource);
      if (active) {
        const env = await api!.environments!.resolveEnvironment(active);
        const exe = env?.executable?.uri?.fsPath;
        if (exe) return { python: exe, from: 'the Python extension\'s selected interpreter' };
      }
    }
  } catch {
    // the Python extension is optional
  }
  return { python: 'python3', from: 'python3 on PATH (set wattlens.pythonPath or select an interpreter)' };
}
