// Which Python runs a pilot: the wattlens.pythonPath setting (a workspace's value confirmed once
// by the user, core/pilot/interpreterTrust.ts), else the interpreter the Python extension has
// selected for the workspace (its public API, when installed), else python3.
import * as vscode from 'vscode';
import { CONFIRMED_INTERPRETER_KEY, interpreterTrust } from '../../core/pilot/interpreterTrust';

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

export type PilotInterpreter = { ok: true; python: string; from: string } | { ok: false; reason: string };

/**
 * The interpreter for a pilot of `resource`. A wattlens.pythonPath set by the workspace (or a
 * folder) that differs from the user's own is run only after a modal confirmation, remembered in
 * `workspaceState`; declining cancels the pilot.
 */
export async function pilotInterpreter(workspaceState: vscode.Memento, resource: vscode.Uri): Promise<PilotInterpreter> {
  const inspected = vscode.workspace.getConfiguration('wattlens', resource).inspect<unknown>('pythonPath');
  const trust = interpreterTrust({
    globalValue: inspected?.globalValue,
    workspaceValue: inspected?.workspaceValue,
    workspaceFolderValue: inspected?.workspaceFolderValue,
    confirmedPath: workspaceState.get<string>(CONFIRMED_INTERPRETER_KEY),
  });
  if (trust.kind === 'use') return { ok: true, python: trust.python, from: trust.from };
  if (trust.kind === 'confirm') {
    const run = 'Run With This Interpreter';
    const pick = await vscode.window.showWarningMessage(
      `This workspace sets the Python interpreter for WattLens pilots to "${trust.python}". Run pilots with it?`,
      {
        modal: true,
        detail:
          'A pilot runs this program with your training script. Only allow interpreters you recognise; the choice is remembered for this workspace.',
      },
      run,
    );
    if (pick !== run)
      return { ok: false, reason: `pilot cancelled: the workspace's interpreter "${trust.python}" (wattlens.pythonPath) was not allowed` };
    await workspaceState.update(CONFIRMED_INTERPRETER_KEY, trust.python);
    return { ok: true, python: trust.python, from: `${trust.from} (confirmed)` };
  }
  try {
    const ext = vscode.extensions.getExtension<PythonApi>('ms-python.python');
    if (ext) {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const active = api?.environments?.getActiveEnvironmentPath(resource);
      if (active) {
        const env = await api!.environments!.resolveEnvironment(active);
        const exe = env?.executable?.uri?.fsPath;
        if (exe) return { ok: true, python: exe, from: "the Python extension's selected interpreter" };
      }
    }
  } catch {
    // the Python extension is optional
  }
  return { ok: true, python: 'python3', from: 'python3 on PATH (set wattlens.pythonPath or select an interpreter)' };
}
