// The newest completed pilot of each training script, from the run records the extension reads
// (kept per record file, as the calibrations are): what the training-loop lens forecasts from.
import type { RunRecord } from '../pilot/runRecord';
import type { ReadResult } from '../pilot/runStore';

export class ScriptRunIndex {
  private readonly byPath = new Map<string, RunRecord>();

  /** The outcome of reading one record file (undefined: gone); true when a script's newest pilot changed. */
  update(path: string, result: ReadResult | undefined): boolean {
    const record = result?.ok && result.record.state === 'completed' ? result.record : undefined;
    const before = this.byPath.get(path);
    if (record) this.byPath.set(path, record);
    else this.byPath.delete(path);
    return before?.id !== record?.id || before?.updatedAt !== record?.updatedAt;
  }

  /** Replaces everything with the outcome of reading every record file; true when anything changed. */
  replaceAll(results: ReadonlyMap<string, ReadResult>): boolean {
    let changed = false;
    for (const path of [...this.byPath.keys()]) if (!results.has(path)) changed = this.update(path, undefined) || changed;
    for (const [path, result] of results) changed = this.update(path, result) || changed;
    return changed;
  }

  /** The newest completed pilot of `script` (an absolute path). */
  latestFor(script: string): RunRecord | undefined {
    let best: RunRecord | undefined;
    for (const r of this.byPath.values()) {
      if (!samePath(r.script, script)) continue;
      if (!best || (r.finishedAt ?? r.updatedAt) > (best.finishedAt ?? best.updatedAt)) best = r;
    }
    return best;
  }
}

function samePath(a: string, b: string): boolean {
  return a === b || (/^[A-Za-z]:/.test(a) && a.toLowerCase() === b.toLowerCase());
}
