// Whether the pilot's interpreter may run without asking. A trusted workspace can still name any
// program in its .vscode/settings.json (wattlens.pythonPath): the first time a workspace or
// folder value differs from the user's own setting, the user confirms it (a modal prompt, as the
// Python extension does), and the confirmed path is remembered for that workspace only.

export interface InterpreterSettings {
  /** The user's (global) wattlens.pythonPath. */
  globalValue?: unknown;
  /** The workspace's and the folder's values (`.vscode/settings.json`, .code-workspace). */
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  /** The path the user confirmed for this workspace (workspaceState), if any. */
  confirmedPath?: string | undefined;
}

export type InterpreterTrust =
  | { kind: 'none' } // no wattlens.pythonPath: the Python extension's choice, else python3
  | { kind: 'use'; python: string; from: string }
  | { kind: 'confirm'; python: string; from: string };

const FROM_USER = 'the wattlens.pythonPath setting';
const FROM_WORKSPACE = "the workspace's wattlens.pythonPath setting";

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

export function interpreterTrust(settings: InterpreterSettings): InterpreterTrust {
  const user = text(settings.globalValue);
  // VS Code's precedence: folder over workspace over user
  const workspace = text(settings.workspaceFolderValue) ?? text(settings.workspaceValue);
  if (workspace === undefined || workspace === user) return user ? { kind: 'use', python: user, from: FROM_USER } : { kind: 'none' };
  if (workspace === text(settings.confirmedPath)) return { kind: 'use', python: workspace, from: `${FROM_WORKSPACE} (confirmed)` };
  return { kind: 'confirm', python: workspace, from: FROM_WORKSPACE };
}

/** The workspaceState key of the confirmed path. */
export const CONFIRMED_INTERPRETER_KEY = 'wattlens.pilot.confirmedPythonPath';
