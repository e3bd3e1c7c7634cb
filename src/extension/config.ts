// Reads `wattlens.*` settings for a document's folder (workspace settings set per-project defaults).
import * as vscode from 'vscode';
import { readSettings, type EditorSettings } from '../core/editor/settings';

export const CONFIG_SECTION = 'wattlens';

export function settingsFor(scope?: vscode.Uri): EditorSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return readSettings((key) => config.get(key));
}

/** Settings that change the analysis itself (the others only change how it is shown). */
export const ANALYSIS_KEYS = ['batchSize', 'sequenceLength', 'precision', 'optimizer', 'maxFileSizeKB'].map(
  (k) => `${CONFIG_SECTION}.${k}`,
);
