// Watches the workspace's model sources (Python, TF.js) on disk with chokidar, so a change made outside the
// editor (git checkout, another tool) re-analyzes the open files that import the changed one.
import type { FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';

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

const SOURCE_FILE = /\.(py|ts|tsx|js|mjs|cjs|jsx|mts|cts)$/;

export function isWatchedPath(path: string, stats?: Stats): boolean {
  if (SKIPPED_DIRS.has(basename(path))) return false;
  // directories are walked; of the files, only model sources matter (Python, and TF.js sources)
  return !stats?.isFile() || SOURCE_FILE.test(path);
}

/** Events of one file within this window are one change (a write is often truncate + write). */
const SETTLE_MS = 100;

export class WorkspaceWatcher {
  private watcher: FSWatcher | undefined;
  private readonly pending = new Map<string, { event: FileEvent; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly onEvent: (path: string, event: FileEvent) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts (or moves) the watch to these folders; chokidar loads here, not at activation. */
  async watch(folders: string[]): Promise<void> {
    await this.close();
    if (!folders.length) return;
    const { watch } = await import('chokidar');
    if (this.watcher) return;
    const watcher = watch(folders, { ignoreInitial: true, ignored: (path, stats) => !isWatchedPath(path, stats), depth: 24 });
    for (const event of ['change', 'add', 'unlink'] as const) watcher.on(event, (path: string) => this.settle(path, event));
    watcher.on('error', (error) => this.log(`file watcher: ${error instanceof Error ? error.message : String(error)}`));
    this.watcher = watcher;
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

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }
}
