// What an analysis may read: imports (Python and TF.js) resolve only to regular files inside
// the workspace roots, after symlinks are followed, and within a size; the checks use stat
// before anything is opened, so a FIFO, a device or a 60 MB module is never read.
import { realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** One imported module's source. */
export const MAX_IMPORTED_BYTES = 1024 * 1024; // as the analyzed file: ~3 µs per syntax node, a 1.9 MB expression took 6 s
/** All modules one analysis reads through imports. */
export const MAX_IMPORTED_TOTAL_BYTES = 4 * 1024 * 1024;
/**
 * The file the CLI analyzes (the editor's own cap, wattlens.maxFileSizeKB, is 512 KB by default).
 * The largest real model files are a few hundred KB; parsing and converting a 4.9 MB file took
 * 14 s and 1.35 GB.
 */
export const MAX_ANALYZED_BYTES = 1024 * 1024;

export function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Number(mb.toFixed(2))} MB`;
}

/** The real path of a folder or file, or undefined when it does not exist. */
function realPath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Checks imports against a set of roots and a running total of bytes read. `reasonNotToRead`
 * says why a path must not be read, or undefined (and counts its size) when it may be.
 * A path that does not exist on disk passes: the host may hold it as an unsaved editor buffer,
 * whose length the caller checks with `reasonTextTooLarge`.
 */
export class ImportGuard {
  private realRoots: string[] = [];
  private total = 0;

  constructor(roots: readonly string[] = []) {
    this.setRoots(roots);
  }

  setRoots(roots: readonly string[]): void {
    this.realRoots = [...new Set(roots.map(realPath).filter((r): r is string => r !== undefined))];
  }

  /** A new analysis: the total of bytes read starts again. */
  resetTotal(): void {
    this.total = 0;
  }

  reasonNotToRead(path: string, what = 'imported modules'): string | undefined {
    const name = path.split(/[\\/]/).pop() ?? path;
    const real = realPath(path);
    if (real === undefined) return undefined;
    if (!this.realRoots.some((root) => inside(real, root))) return `${name} resolves to ${real}, outside the workspace: not read`;
    let size: number;
    try {
      const st = statSync(real);
      if (!st.isFile()) return `${name} is not a regular file: not read`;
      size = st.size;
    } catch {
      return `${name} could not be read`;
    }
    return this.charge(name, size, what);
  }

  /** For text that did not come from disk (an unsaved buffer): its size against the limits. */
  reasonTextTooLarge(path: string, text: string, what = 'imported modules'): string | undefined {
    return text.length > MAX_IMPORTED_BYTES
      ? `${path.split(/[\\/]/).pop()} is ${formatMB(text.length)}, over the ${formatMB(MAX_IMPORTED_BYTES)} limit for ${what}: not read`
      : undefined;
  }

  private charge(name: string, size: number, what: string): string | undefined {
    if (size > MAX_IMPORTED_BYTES)
      return `${name} is ${formatMB(size)}, over the ${formatMB(MAX_IMPORTED_BYTES)} limit for ${what}: not read`;
    if (this.total + size > MAX_IMPORTED_TOTAL_BYTES)
      return `${name} not read: the analysis already read ${formatMB(this.total)} of imported source (limit ${formatMB(MAX_IMPORTED_TOTAL_BYTES)})`;
    this.total += size;
    return undefined;
  }
}
