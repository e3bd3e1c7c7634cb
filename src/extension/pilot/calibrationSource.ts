// The pilot calibrations of the workspace for the editor surfaces: the completed run records in
// each folder's .wattlens/runs/, read without blocking the extension host on the disk, and read
// again (per file, 400 ms after its last change) when a record is written or removed (seen by
// the shared RunRecordFeed's RunRecordWatcher, not VS Code's watcher, which missed a first
// pilot's record). A record still running is read again every few seconds, event or not, and an
// older read finishing after a newer one is dropped: a missed or reordered change must not leave a
// finished pilot unseen. Nothing is read or watched until a surface first asks, so activation stays
// light (the record schema loads zod).
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { calibratedFigures, type CalibratedFigures } from '../../core/editor/calibratedFigures';
import type { Calibration } from '../../core/editor/calibration';
import type { CalibrationIndex } from '../../core/editor/calibrationIndex';
import { ScriptRunIndex } from '../../core/editor/scriptRuns';
import type { RunRecord } from '../../core/pilot/runRecord';
import type { ReadResult } from '../../core/pilot/runStore';
import type { FileReport } from '../../core/report/types';
import { lazyModules } from '../lazy';
import { TRACE_ENABLED } from '../trace';
import type { RunRecordFeed } from './runRecordFeed';

const RELOAD_DEBOUNCE_MS = 400;
/**
 * A record still `running` is read again after this long (doubling up to RECHECK_MAX_MS), event
 * or not: a missed watcher event must not leave a finished pilot unseen until the next one.
 */
const RECHECK_RUNNING_MS = 2_000;
const RECHECK_MAX_MS = 30_000;

const runStore = () => lazyModules().runStore;
const indexModule = () => lazyModules().calibrationIndex;

export class CalibrationSource implements vscode.Disposable {
  private index: CalibrationIndex | undefined;
  /** The newest completed pilot of each script (the training-loop forecast lens). */
  private readonly scripts = new ScriptRunIndex();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per record file, the number of the latest read started: an older read finishing later is dropped. */
  private readonly reads = new Map<string, number>();
  private readCount = 0;
  /** Per running record, the delay of its next unprompted read. */
  private readonly recheckDelays = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the calibrations changed (a pilot completed, a record was removed). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private loads = 0;
  private disposed = false;

  constructor(
    private readonly folders: () => string[],
    private readonly log: (message: string) => void,
    private readonly records: RunRecordFeed,
  ) {}

  /** The calibrations known now, newest first; the first call starts reading (empty until read). */
  current(): readonly Calibration[] {
    if (!this.index && !this.disposed) this.start();
    return this.index?.all() ?? [];
  }

  /** The newest completed pilot of a training script; the first call starts reading (undefined until read). */
  latestRunFor(script: string): RunRecord | undefined {
    if (!this.index && !this.disposed) this.start();
    return this.scripts.latestFor(script);
  }

  /** What the editor surfaces add to a report from the calibrations; nothing when the setting is off. */
  figuresFor(report: FileReport, enabled: boolean): CalibratedFigures {
    return calibratedFigures(report, enabled ? this.current() : []);
  }

  /** Reads every folder's records again (the workspace folders changed; the feed moves its watch). */
  reloadAll(): void {
    if (!this.index) return;
    void this.loadAll();
  }

  private start(): void {
    this.index = new (indexModule().CalibrationIndex)();
    this.disposables.push(
      this.records.onDidChange(({ path, event }) => {
        this.trace(`run record ${event} ${path}`);
        this.reloadSoon(path);
      }),
    );
    // watch first, then read: a record written in between is seen by one or the other
    const read = () => this.loadAll();
    void this.records.watch().then(read, (e: unknown) => {
      this.log(`calibrated hints: run records are not watched (${e instanceof Error ? e.message : String(e)}); they are read once now`);
      return read();
    });
  }

  private async loadAll(): Promise<void> {
    const load = ++this.loads;
    const { recordFiles, readRecordAsync } = runStore();
    const paths = (await Promise.all(this.folders().map(recordFiles))).flat();
    const started = new Map(paths.map((p) => [p, this.startRead(p)]));
    const results = new Map<string, ReadResult>(await Promise.all(paths.map(async (p) => [p, await readRecordAsync(p)] as const)));
    if (load !== this.loads || !this.index) return; // a newer load started meanwhile, or disposed
    // a record read again meanwhile (its change seen) would be overwritten by this older read
    if (paths.some((p) => this.reads.get(p) !== started.get(p))) {
      void this.loadAll();
      return;
    }
    for (const [path, result] of results) this.recheckWhileRunning(path, result);
    for (const result of results.values()) if (!result.ok) this.skipped(result.warning);
    const scriptsChanged = this.scripts.replaceAll(results);
    const changed = this.index.replaceAll(results) || scriptsChanged;
    this.trace(`run records read: ${paths.length}, calibrations ${this.index.all().length}${changed ? ', changed' : ''}`);
    if (changed) this.changed.fire();
  }

  private reloadSoon(path: string): void {
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.reload(path);
      }, RELOAD_DEBOUNCE_MS),
    );
  }

  private async reload(path: string): Promise<void> {
    const read = this.startRead(path);
    const result = await runStore().readRecordAsync(path);
    if (this.reads.get(path) !== read) return; // a newer read of this record started meanwhile
    this.recheckWhileRunning(path, result);
    // a record that is gone (deleted) just leaves; one that does not parse is said in the output
    const broken = !result.ok && (await exists(path));
    if (!this.index) return;
    if (broken && !result.ok) this.skipped(result.warning);
    const scriptsChanged = this.scripts.update(path, result);
    const changed = this.index.update(path, result) || scriptsChanged;
    this.trace(
      `run record read: ${path} ${result.ok ? result.record.state : 'unreadable'}, calibrations ${this.index.all().length}${changed ? ', changed' : ''}`,
    );
    if (changed) this.changed.fire();
  }

  private startRead(path: string): number {
    this.reads.set(path, ++this.readCount);
    return this.readCount;
  }

  private recheckWhileRunning(path: string, result: ReadResult): void {
    if (!result.ok || result.record.state !== 'running') {
      this.recheckDelays.delete(path);
      return;
    }
    if (this.timers.has(path)) return; // a read is already due (a change was seen)
    const delay = this.recheckDelays.get(path) ?? RECHECK_RUNNING_MS;
    this.recheckDelays.set(path, Math.min(delay * 2, RECHECK_MAX_MS));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.reload(path);
      }, delay),
    );
  }

  private trace(message: string): void {
    if (TRACE_ENABLED) this.log(`[trace] ${message}`);
  }

  private skipped(warning: string): void {
    this.log(`calibrated hints: pilot record skipped: ${warning}`);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.index = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
