// Run records on disk: .wattlens/runs/<id>.json (atomic writes) beside the folder of its events.
// A record left "running" by a process that died is turned into "interrupted" when read, with
// whatever its event files hold; a record that does not parse is skipped with a warning. A
// repository can carry anything in .wattlens/runs: records are read through wattlensFiles (regular
// files only, capped, no link followed, no FIFO waited on), a record's id and folder are those of
// its file name (one that says otherwise is skipped), and nothing is written through a symlink.
import { readdirSync, rmSync, existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { migrateRecord, RunRecordSchema, type RunRecord } from './runRecord';
import { readRunEvents, readRunEventsAsync } from './eventFiles';
import { summarize } from './summary';
import {
  ensureWattlensDir,
  isPlainName,
  readBoundedFile,
  readBoundedFileSync,
  RECORD_MAX_BYTES,
  writeFileInside,
  type BoundedRead,
} from './wattlensFiles';

export const RUNS_DIR = join('.wattlens', 'runs');

/** Runs whose runner has not written for this long are taken as dead even if a pid matches. */
const STALE_AFTER_MS = 120_000;

export function runsDir(workspaceDir: string): string {
  return join(workspaceDir, RUNS_DIR);
}

export function recordPath(workspaceDir: string, id: string): string {
  return join(runsDir(workspaceDir), `${id}.json`);
}

/** Write via a temporary file and rename, so a reader never sees half a record; never through a symlinked folder. */
export function writeRecord(workspaceDir: string, record: RunRecord): void {
  if (!isPlainName(record.id)) throw new Error(`not a run id: ${record.id.slice(0, 80)}`);
  writeFileInside(ensureWattlensDir(workspaceDir, 'runs'), `${record.id}.json`, JSON.stringify(record, null, 1));
}

export type ReadResult = { ok: true; record: RunRecord } | { ok: false; warning: string };

export function readRecord(path: string): ReadResult {
  return parseRead(path, readBoundedFileSync(path, { maxBytes: RECORD_MAX_BYTES }));
}

/** Reads one record without blocking the thread on the disk (the editor's calibrations, the history). */
export async function readRecordAsync(path: string): Promise<ReadResult> {
  return parseRead(path, await readBoundedFile(path, { maxBytes: RECORD_MAX_BYTES }));
}

function parseRead(path: string, read: BoundedRead): ReadResult {
  if (!read.ok) return { ok: false, warning: `${path}: ${read.reason}, skipped` };
  return parseRecord(path, read.text);
}

/** A record's text (from `path`, named in warnings), migrated to the current schema and validated. */
function parseRecord(path: string, text: string): ReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, warning: `${path}: not valid JSON, skipped` };
  }
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  const migrated = migrateRecord(json);
  if (!migrated.ok && typeof version === 'number') return { ok: false, warning: `${path}: ${migrated.reason}, skipped` };
  const parsed = RunRecordSchema.safeParse(migrated.ok ? migrated.json : json);
  if (!parsed.success) {
    const issue = parsed.error.issues.at(0);
    return { ok: false, warning: `${path}: not a valid run record (${issue?.path.join('.') || 'root'}: ${issue?.message}), skipped` };
  }
  // the file's name is the run's id and names its folder: content that says otherwise is not trusted
  const id = basename(path).replace(/\.json$/, '');
  if (parsed.data.id !== id || parsed.data.runDir !== id) {
    return {
      ok: false,
      warning: `${path}: its id or runDir (${JSON.stringify(parsed.data.id.slice(0, 60))}, ${JSON.stringify(parsed.data.runDir.slice(0, 60))}) is not its file name, skipped`,
    };
  }
  return { ok: true, record: parsed.data as RunRecord };
}

export interface RunList {
  /** Newest first. */
  runs: RunRecord[];
  warnings: string[];
}

/** Every readable run of the workspace; corrupted ones become warnings, dead "running" ones "interrupted". */
export function listRuns(workspaceDir: string, now = Date.now()): RunList {
  const dir = runsDir(workspaceDir);
  if (!existsSync(dir)) return { runs: [], warnings: [] };
  const runs: RunRecord[] = [];
  const warnings: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const result = readRecord(join(dir, name));
    if (!result.ok) {
      warnings.push(result.warning);
      continue;
    }
    runs.push(settleIfDead(workspaceDir, result.record, now));
  }
  return sortRuns(runs, warnings);
}

/** listRuns without blocking the thread on the disk (the extension host's run history). */
export async function listRunsAsync(workspaceDir: string, now = Date.now()): Promise<RunList> {
  const results = await Promise.all((await recordFiles(workspaceDir)).map(readRecordAsync));
  const runs: RunRecord[] = [];
  const warnings: string[] = [];
  for (const result of results) {
    if (result.ok) runs.push(await settleIfDeadAsync(workspaceDir, result.record, now));
    else warnings.push(result.warning);
  }
  return sortRuns(runs, warnings);
}

function sortRuns(runs: RunRecord[], warnings: string[]): RunList {
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return { runs, warnings };
}

/** Paths of the workspace's record files, listed without blocking the thread on the disk; none when there is no runs folder. */
export async function recordFiles(workspaceDir: string): Promise<string[]> {
  const dir = runsDir(workspaceDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => join(dir, n));
}

export function loadRun(workspaceDir: string, id: string): ReadResult {
  if (!isPlainName(id)) return { ok: false, warning: `not a run id: ${id.slice(0, 80)}` };
  const result = readRecord(recordPath(workspaceDir, id));
  return result.ok ? { ok: true, record: settleIfDead(workspaceDir, result.record, Date.now()) } : result;
}

export async function loadRunAsync(workspaceDir: string, id: string): Promise<ReadResult> {
  if (!isPlainName(id)) return { ok: false, warning: `not a run id: ${id.slice(0, 80)}` };
  const result = await readRecordAsync(recordPath(workspaceDir, id));
  return result.ok ? { ok: true, record: await settleIfDeadAsync(workspaceDir, result.record, Date.now()) } : result;
}

export function deleteRun(workspaceDir: string, id: string): void {
  if (!isPlainName(id)) throw new Error(`not a run id: ${id.slice(0, 80)}`);
  rmSync(recordPath(workspaceDir, id), { force: true });
  rmSync(join(runsDir(workspaceDir), id), { recursive: true, force: true });
}

function settleIfDead(workspaceDir: string, record: RunRecord, now: number): RunRecord {
  if (record.state !== 'running' || !runnerIsGone(record, now)) return record;
  return settled(workspaceDir, record, readRunEvents(join(runsDir(workspaceDir), record.id)).events, now);
}

async function settleIfDeadAsync(workspaceDir: string, record: RunRecord, now: number): Promise<RunRecord> {
  if (record.state !== 'running' || !runnerIsGone(record, now)) return record;
  return settled(workspaceDir, record, (await readRunEventsAsync(join(runsDir(workspaceDir), record.id))).events, now);
}

function settled(workspaceDir: string, record: RunRecord, events: ReturnType<typeof readRunEvents>['events'], now: number): RunRecord {
  const summary = events.length > 0 ? summarize(events) : record.summary;
  const result: RunRecord = {
    ...record,
    state: 'interrupted',
    summary,
    updatedAt: new Date(now).toISOString(),
    message: 'the run stopped without finishing (editor reload, crash or kill): figures up to its last event are kept',
  };
  try {
    writeRecord(workspaceDir, result);
  } catch {
    // read-only workspace, or a symlinked folder: still report it as interrupted
  }
  return result;
}

function runnerIsGone(record: RunRecord, now: number): boolean {
  if (now - Date.parse(record.updatedAt) > STALE_AFTER_MS) return true;
  if (record.host !== hostname()) return false; // another machine's run (shared folder): trust its heartbeat
  return !processAlive(record.runnerPid);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
