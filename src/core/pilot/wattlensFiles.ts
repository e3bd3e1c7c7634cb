// Reading and writing the files WattLens keeps in a workspace's .wattlens/ folder (run records,
// event streams, panel context, saved charts). A cloned repository can put anything there: a
// symlink to /dev/zero or to a file elsewhere, a FIFO, a huge file. So a file is only read when
// it is a regular file (lstat: a symlink is not followed) under a size cap, opened with
// O_NOFOLLOW | O_NONBLOCK (a FIFO or a link swapped in after the lstat neither blocks nor is
// followed) and checked again on the open descriptor; and nothing is written through a symlinked
// folder, so writes stay inside the workspace's .wattlens/.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join, relative, isAbsolute, sep } from 'node:path';

/** A run record, a run's context, a saved report: small JSON files. */
export const RECORD_MAX_BYTES = 1024 * 1024;
/** One rank's event stream (one line per step and energy window; a long pilot stays far below). */
export const EVENTS_MAX_BYTES = 64 * 1024 * 1024;

// the flags are undefined on Windows, whatever Node's types say
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type BoundedRead = { ok: true; text: string; truncated: boolean } | { ok: false; reason: string; code?: string };

export interface ReadLimits {
  maxBytes: number;
  /** Read the first maxBytes of a larger file instead of refusing it (event streams). */
  truncate?: boolean;
}

/** Why a file is not read, or undefined when its lstat allows it. */
function refusal(stats: Stats | { isFile(): boolean; isSymbolicLink(): boolean; size: number }, limits: ReadLimits): string | undefined {
  if (stats.isSymbolicLink()) return 'a symbolic link, not followed';
  if (!stats.isFile()) return 'not a regular file';
  if (stats.size > limits.maxBytes && !limits.truncate) return `larger than ${limits.maxBytes} bytes`;
  return undefined;
}

function errorRead(err: unknown): BoundedRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return { ok: false, reason: 'a symbolic link, not followed', code };
  return { ok: false, reason: `unreadable (${code ?? 'error'})`, ...(code ? { code } : {}) };
}

/** Reads a regular file of at most `maxBytes` without following links or waiting on a FIFO. */
export async function readBoundedFile(path: string, limits: ReadLimits): Promise<BoundedRead> {
  let handle;
  try {
    const before = refusal(await lstat(path), limits);
    if (before) return { ok: false, reason: before };
    handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat();
    const after = refusal({ isFile: () => stats.isFile(), isSymbolicLink: () => false, size: stats.size }, limits);
    if (after) return { ok: false, reason: after };
    const buffer = Buffer.alloc(Math.min(stats.size, limits.maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return settle(buffer, filled, limits);
  } catch (err) {
    return errorRead(err);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The synchronous twin of readBoundedFile, for the CLI and the runner (never the extension host). */
export function readBoundedFileSync(path: string, limits: ReadLimits): BoundedRead {
  let fd: number | undefined;
  try {
    const before = refusal(lstatSync(path), limits);
    if (before) return { ok: false, reason: before };
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd);
    const after = refusal({ isFile: () => stats.isFile(), isSymbolicLink: () => false, size: stats.size }, limits);
    if (after) return { ok: false, reason: after };
    const buffer = Buffer.alloc(Math.min(stats.size, limits.maxBytes) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return settle(buffer, filled, limits);
  } catch (err) {
    return errorRead(err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file that grew past the cap between the stat and the read is refused (or cut) all the same. */
function settle(buffer: Buffer, filled: number, limits: ReadLimits): BoundedRead {
  if (filled > limits.maxBytes) {
    if (!limits.truncate) return { ok: false, reason: `larger than ${limits.maxBytes} bytes` };
    return { ok: true, text: buffer.subarray(0, limits.maxBytes).toString('utf8'), truncated: true };
  }
  return { ok: true, text: buffer.subarray(0, filled).toString('utf8'), truncated: false };
}

/** A name that is one plain path component (a run id, a chart name): no separator, not "." or "..". */
export function isPlainName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,200}$/.test(name) && name !== '.' && name !== '..';
}

export class UnsafePathError extends Error {}

/**
 * Written once, when WattLens makes the folder: run records, event streams and panel files are
 * per machine. Never rewritten, so a user who keeps run records in git edits or deletes it.
 */
export const WATTLENS_GITIGNORE = `# Written by WattLens when it made this folder: pilot run records, event streams and
# report files stay out of git. To keep the run records in git, delete this file, or
# replace its last line by these two:  /*  and  !/runs/
*
`;

/**
 * `workspace/.wattlens/<parts…>` as a real folder, made where missing: every component below the
 * workspace must be a folder, not a symlink (one planted by a repository would send writes
 * elsewhere). Throws UnsafePathError otherwise.
 */
export function ensureWattlensDir(workspace: string, ...parts: string[]): string {
  mkdirSync(workspace, { recursive: true });
  let dir = workspace;
  for (const part of ['.wattlens', ...parts]) {
    if (!isPlainName(part)) throw new UnsafePathError(`not a plain folder name: ${part}`);
    dir = join(dir, part);
    let stats: Stats | undefined;
    try {
      stats = lstatSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (!stats) {
      mkdirSync(dir);
      if (part === '.wattlens' && dir === join(workspace, '.wattlens')) writeFileInside(dir, '.gitignore', WATTLENS_GITIGNORE);
    } else if (stats.isSymbolicLink()) throw new UnsafePathError(`${dir} is a symbolic link: nothing is written through it`);
    else if (!stats.isDirectory()) throw new UnsafePathError(`${dir} is not a folder`);
  }
  return dir;
}

/**
 * Writes `data` to `dir/name` via a new temporary file and a rename (a reader never sees half of
 * it; a symlink planted at the temporary name is not followed, and one at the target is replaced).
 * `dir` comes from ensureWattlensDir.
 */
export function writeFileInside(dir: string, name: string, data: string | Uint8Array): string {
  if (!isPlainName(name)) throw new UnsafePathError(`not a plain file name: ${name}`);
  const target = join(dir, name);
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return target;
}

/** Whether `path` is `dir` or below it (lexically). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
