// Watches the workspace's model sources (Python, TF.js) on disk, so a change made outside the
// editor (git checkout, another tool) re-analyzes the open files that import the changed one.
// VS Code's own watcher serves it: the workbench already watches the workspace, honouring
// `files.watcherExclude`, so this adds no watch of its own (a chokidar walk of the whole
// workspace watched every folder, 3,005 of them in a workspace of 3,000 data folders). chokidar
// stays only where VS Code's watcher misses events: the pilot run records (runRecordWatcher.ts).
import { isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';

export type FileEvent = 'change' | 'add' | 'unlink';

/** Folders that hold no user model code, or too many files to watch. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.ipynb_checkpoints',
  '.wattlens',
]);

const SOURCE_EXTENSIONS = ['py', 'pyi', 'ts', 'tsx', 'js', 'mjs', 'cjs', 'jsx', 'mts', 'cts'];
const SOURCE_FILE = new RegExp(`\\.(${SOURCE_EXTENSIONS.join('|')})$`);

/** A model source inside one of `folders`, not under a skipped folder (dependencies, caches, run records). */
export function isWatchedSource(folders: readonly string[], path: string): boolean {
  if (!SOURCE_FILE.test(path)) return false;
  return folders.some((folder) => {
    const rel = relative(folder, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) return false;
    return !rel.split(sep).some((part) => SKIPPED_DIRS.has(part));
  });
}

/** Events of one file within this window are one change (a write is often truncate + write). */
const SETTLE_MS = 100;

export class WorkspaceWatcher {
  private watchers: vscode.Disposable[] = [];
  private readonly pending = new Map<string, { event: FileEvent; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly onEvent: (path: string, event: FileEvent) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts (or moves) the watch to these folders. */
  async watch(folders: string[]): Promise<void> {
    await this.close();
    const glob = `**/*.{${SOURCE_EXTENSIONS.join(',')}}`;
    for (const folder of folders) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), glob));
      const on = (event: FileEvent) => (uri: vscode.Uri) => {
        if (uri.scheme === 'file' && isWatchedSource(folders, uri.fsPath)) this.settle(uri.fsPath, event);
      };
      this.watchers.push(watcher, watcher.onDidChange(on('change')), watcher.onDidCreate(on('add')), watcher.onDidDelete(on('unlink')));
    }
    if (folders.length)
      this.log(`file watcher: model sources in ${folders.length} folder(s), through VS Code's watcher (files.watcherExclude applies)`);
  }

  /** Reports a file's events once they settle; an add or unlink outweighs a change. */
  private settle(path: string, event: FileEvent): void {
    const previous = this.pending.get(path);
    if (previous) clearTimeout(previous.timer);
    const kind = previous && previous.event !== 'change' && event === 'change' ? previous.event : event;
    const timer = setTimeout(() => {
      this.pending.delete(path);
      this.onEvent(path, kind);
    }, SETTLE_MS);
    this.pending.set(path, { event: kind, timer });
  }

  close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const w of this.watchers.splice(0)) w.dispose();
    return Promise.resolve();
  }
}
