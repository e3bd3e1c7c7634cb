// Run records on disk: .wattlens/runs/<id>.json (atomic writes) beside the folder of its events.
// A record left "running" by a process that died is turned into "interrupted" when read, with
// whatever its event files hold; a record that does not parse is skipped with a warning.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { migrateRecord, RunRecordSchema, type RunRecord } from './runRecord';
import { readRunEvents } from './eventFiles';
import { summarize } from './summary';

export const RUNS_DIR = join('.wattlens', 'runs');

/** Runs whose runner has not written for this long are taken as dead even if a pid matches. */
const STALE_AFTER_MS = 120_000;

export function runsDir(workspaceDir: string): string {
  return join(workspaceDir, RUNS_DIR);
}

export function recordPath(workspaceDir: string, id: string): string {
  return join(runsDir(workspaceDir), `${id}.json`);
}

/** Write via a temporary file and rename, so a reader never sees half a record. */
export function writeRecord(workspaceDir: string, record: RunRecord): void {
  const dir = runsDir(workspaceDir);
  mkdirSync(dir, { recursive: true });
  const target = recordPath(workspaceDir, record.id);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 1));
  renameSync(tmp, target);
}

export type ReadResult = { ok: true; record: RunRecord } | { ok: false; warning: string };

export function readRecord(path: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return unreadable(path, err);
  }
  return parseRecord(path, text);
}

/** Reads one record without blocking the thread on the disk (the editor's calibrations). */
export async function readRecordAsync(path: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return unreadable(path, err);
  }
  return parseRecord(path, text);
}

function unreadable(path: string, err: unknown): ReadResult {
  return { ok: false, warning: `${path}: unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
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
  const result = readRecord(recordPath(workspaceDir, id));
  return result.ok ? { ok: true, record: settleIfDead(workspaceDir, result.record, Date.now()) } : result;
}

export function deleteRun(workspaceDir: string, id: string): void {
  rmSync(recordPath(workspaceDir, id), { force: true });
  rmSync(join(runsDir(workspaceDir), id), { recursive: true, force: true });
}

function settleIfDead(workspaceDir: string, record: RunRecord, now: number): RunRecord {
  if (record.state !== 'running' || !runnerIsGone(record, now)) return record;
  const { events } = readRunEvents(join(runsDir(workspaceDir), record.runDir));
  const summary = events.length > 0 ? summarize(events) : record.summary;
  const settled: RunRecord = {
    ...record,
    state: 'interrupted',
    summary,
    updatedAt: new Date(now).toISOString(),
    message: 'the run stopped without finishing (editor reload, crash or kill): figures up to its last event are kept',
  };
  try {
    writeRecord(workspaceDir, settled);
  } catch {
    // read-only workspace: still report it as interrupted
  }
  return settled;
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
