// Careful reads for environment discovery: a workspace may hold a pyvenv.cfg that is a FIFO,
// a 2 GB file or a link to elsewhere, or a site-packages that links to itself. Everything is
// checked with stat before it is opened, read up to a cap, and never throws.
import { closeSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** pyvenv.cfg and .pth files are a few hundred bytes; anything larger is not one. */
export const MAX_SMALL_FILE_BYTES = 64 * 1024;

export type SmallRead = { text: string } | { reason: string };

export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The text of a small regular file, or why it was not read. */
export function readSmallFile(path: string, cap = MAX_SMALL_FILE_BYTES): SmallRead {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { reason: `${path} is not a regular file: not read` };
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === 'ELOOP' ? `${path} is a link loop: not read` : `${path} could not be read` };
  }
  if (size > cap) return { reason: `${path} is ${size} bytes, over the ${cap} bytes expected of it: not read` };
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(Math.min(size, cap) + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    if (n > cap) return { reason: `${path} grew over ${cap} bytes while read: not read` };
    return { text: buffer.subarray(0, n).toString('utf8') };
  } catch {
    return { reason: `${path} could not be read` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Names in a folder (sorted), or [] when it cannot be listed; at most `cap` of them. */
export function listFolder(path: string, cap = 10_000): string[] {
  try {
    const names = readdirSync(path);
    return names.length > cap ? names.sort().slice(0, cap) : names.sort();
  } catch {
    return [];
  }
}
