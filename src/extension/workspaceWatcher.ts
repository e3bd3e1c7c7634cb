// Watches the workspace's model sources (Python, TF.js) on disk with chokidar, so a change made outside the
// editor (git checkout, another tool) re-analyzes the open files that import the changed one.
import { watch, type FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';

export type FileEvent = 'change' | 'add' | 'unlink';

/** Folders that hold no user model code, or too many files to watch. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', '.ipynb_checkpoints', '.wattlens']);

const SOURCE_FILE = /\.(py|ts|tsx|js|mjs|cjs|jsx|mts|cts)$/;

export function isWatchedPath(path: string, stats?: Stats): boolean {
  if (SKIPPED_DIRS.has(basename(path))) return false;
  // directories are walked; of the files, only model sources matter (Python, and TF.js sources)
  return !stats?.isFile() || SOURCE_FILE.test(path);
}

export class WorkspaceWatcher {
  private watcher: FSWatcher | undefined;

  constructor(
    private readonly onEvent: (path: string, event: FileEvent) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts (or moves) the watch to these folders. */
  watch(folders: string[]): void {
    void this.close();
    if (!folders.length) return;
    const watcher = watch(folders, { ignoreInitial: true, ignored: (path, stats) => !isWatchedPath(path, stats), depth: 24 });
    for (const event of ['change', 'add', 'unlink'] as const) watcher.on(event, (path: string) => this.onEvent(path, event));
    watcher.on('error', (error) => this.log(`file watcher: ${error instanceof Error ? error.message : String(error)}`));
    this.watcher = watcher;
  }

  async close(): Promise<void> {
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }
}
