// The calibrations of a workspace, kept per run record file: the extension reads a file when it
// appears or changes on disk and hands the outcome here. A record that is still running, failed
// or does not parse gives no calibration; a rewrite that changes nothing the editor shows (a
// running pilot's heartbeat) reports no change, so the surfaces are not refreshed for it.
import type { ReadResult } from '../pilot/runStore';
import { calibrationOf, type Calibration } from './calibration';

export class CalibrationIndex {
  private readonly byPath = new Map<string, Calibration>();
  private list: readonly Calibration[] = [];

  /** Every calibration known, newest pilot first. */
  all(): readonly Calibration[] {
    return this.list;
  }

  /** The outcome of reading one record file (undefined: the file is gone); true when the calibrations changed. */
  update(path: string, result: ReadResult | undefined): boolean {
    const calibration = result?.ok ? calibrationOf(result.record) : undefined;
    const before = this.byPath.get(path);
    if (calibration?.ok) this.byPath.set(path, calibration.value);
    else this.byPath.delete(path);
    const after = this.byPath.get(path);
    if (sameCalibration(before, after)) return false;
    this.rebuild();
    return true;
  }

  /** Replaces everything with the outcome of reading every record file; true when the calibrations changed. */
  replaceAll(results: ReadonlyMap<string, ReadResult>): boolean {
    let changed = false;
    for (const path of [...this.byPath.keys()]) if (!results.has(path)) changed = this.update(path, undefined) || changed;
    for (const [path, result] of results) changed = this.update(path, result) || changed;
    return changed;
  }

  private rebuild(): void {
    this.list = [...this.byPath.values()].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  }
}

/** Same figures and labels: a record rewritten with nothing new for the editor. */
function sameCalibration(a: Calibration | undefined, b: Calibration | undefined): boolean {
  if (!a || !b) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}
