// Watches the pilot run records (<folder>/.wattlens/runs/*.json) of the workspace folders with chokidar.
// VS Code's own watcher (parcel's inotify backend on Linux) does not watch folders made by one
// `mkdir -p` and misses files written into a folder just made (parcel-bundler/watcher#97, #243); a
// first pilot makes .wattlens/runs and its record at once, so its completion went unseen. chokidar
// reads a folder when it appears. Only each folder's root, .wattlens and runs are watched, not the
// tree below them (the runs' event folders are left out too). No vscode import: unit-tested.
import type { FSWatcher } from 'chokidar';
import { isAbsolute, relative, sep } from 'node:path';

export type RunRecordEvent = 'add' | 'change' | 'unlink';

export class RunRecordWatcher {
  private watcher: FSWatcher | undefined;
  private generation = 0;

  constructor(
    private readonly onEvent: (path: string, event: RunRecordEvent) => void,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts (or moves) the watch to these folders; chokidar loads here. Resolves once the watch is in place. */
  async watch(folders: readonly string[]): Promise<void> {
    const generation = ++this.generation;
    await this.stop();
    if (!folders.length) return;
    const { watch } = await import('chokidar');
    if (generation !== this.generation) return; // a newer watch() or close() came meanwhile
    // a symlinked .wattlens or runs (a clone can carry one) is not followed out of the workspace
    const watcher = watch([...folders], {
      ignoreInitial: true,
      ignored: (path) => !isRunRecordPath(folders, path),
      depth: 2,
      followSymlinks: false,
    });
    for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, (path: string) => this.onEvent(path, event));
    watcher.on('error', (error) => this.log(`run record watcher: ${error instanceof Error ? error.message : String(error)}`));
    this.watcher = watcher;
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    this.generation++;
    await this.stop();
  }

  private async stop(): Promise<void> {
    const w = this.watcher;
    this.watcher = undefined;
    await w?.close();
  }
}

/** A folder itself (or a folder above it), its .wattlens, .wattlens/runs, or a .json file in runs. */
export function isRunRecordPath(folders: readonly string[], path: string): boolean {
  return folders.some((folder) => {
    const rel = relative(folder, path);
    if (rel === '') return true;
    if (isAbsolute(rel)) return false; // another drive
    const parts = rel.split(sep);
    if (parts.every((p) => p === '..')) return true; // above the folder: chokidar stats the way down
    if (parts[0] !== '.wattlens') return false;
    if (parts.length === 1) return true;
    if (parts[1] !== 'runs') return false;
    return parts.length === 2 || (parts.length === 3 && parts[2]!.endsWith('.json'));
  });
}
