// Changes of the pilot run records (<folder>/.wattlens/runs/*.json) of the workspace folders, for
// everyone who reads them (the calibrated hints, the panel's History): one RunRecordWatcher, not
// one per reader. Nothing is watched until a reader first asks (chokidar loads then).
import * as vscode from 'vscode';
import { RunRecordWatcher, type RunRecordEvent } from './runRecordWatcher';

export class RunRecordFeed implements vscode.Disposable {
  private readonly watcher: RunRecordWatcher;
  private started: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<{ path: string; event: RunRecordEvent }>();
  /** A record was written, made or removed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly folders: () => string[],
    private readonly log: (message: string) => void,
  ) {
    this.watcher = new RunRecordWatcher((path, event) => this.changed.fire({ path, event }), log);
  }

  /** Starts the watch (once); resolves when it is in place, rejects when it cannot start. */
  watch(): Promise<void> {
    return (this.started ??= this.watcher.watch(this.folders()));
  }

  /** The workspace folders changed: a started watch moves to the new ones. */
  foldersChanged(): void {
    if (!this.started) return;
    this.started = this.watcher.watch(this.folders());
    this.started.catch((e: unknown) =>
      this.log(`run records are not watched (${e instanceof Error ? e.message : String(e)}); History's Refresh reads them again`),
    );
  }

  dispose(): void {
    void this.watcher.close();
    this.changed.dispose();
  }
}
