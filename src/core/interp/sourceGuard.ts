// What an analysis may read: imports (Python and TF.js) resolve only to regular files inside
// the workspace roots, after symlinks are followed, and within a size; the checks use stat
// before anything is opened, so a FIFO, a device or a 60 MB module is never read.
import { realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';

/** One imported module's source. */
export const MAX_IMPORTED_BYTES = 1024 * 1024; // as the analyzed file: ~3 µs per syntax node, a 1.9 MB expression took 6 s
/** All modules one analysis reads through imports from the workspace. */
export const MAX_IMPORTED_TOTAL_BYTES = 4 * 1024 * 1024;
/**
 * All modules one analysis reads from the environment's libraries (site-packages, extra paths):
 * a timm ViT reads 0.43 MB of them lazily, 4.2 MB when all of timm loads eagerly; the
 * workspace's own limit stays for hostile workspaces.
 */
export const MAX_LIBRARY_TOTAL_BYTES = 24 * 1024 * 1024;
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
  private realLibraryRoots: string[] = [];
  private total = 0;
  private libraryTotal = 0;
  /** `isLibrary` answers of this analysis (lazy loading asks for every import statement it meets). */
  private readonly libraryPaths = new Map<string, boolean>();

  constructor(roots: readonly string[] = [], libraryRoots: readonly string[] = []) {
    this.setRoots(roots, libraryRoots);
  }

  /** `libraryRoots` (site-packages, extra paths) are roots too, with their own total of bytes. */
  setRoots(roots: readonly string[], libraryRoots: readonly string[] = []): void {
    const real = (list: readonly string[]) => [...new Set(list.map(realPath).filter((r): r is string => r !== undefined))];
    this.realLibraryRoots = real(libraryRoots);
    this.libraryPaths.clear();
    this.realRoots = [...new Set([...real(roots), ...this.realLibraryRoots])];
  }

  /** A new analysis: the totals of bytes read start again. */
  resetTotal(): void {
    this.total = 0;
    this.libraryTotal = 0;
    this.libraryPaths.clear();
  }

  /** Whether a path lies (after links) in one of the environment's library roots. */
  isLibrary(path: string): boolean {
    let answer = this.libraryPaths.get(path);
    if (answer === undefined) {
      const real = realPath(path);
      answer = real !== undefined && this.realLibraryRoots.some((root) => inside(real, root));
      this.libraryPaths.set(path, answer);
    }
    return answer;
  }

  /**
   * Why a file must not be read to learn its names (lazy imports), or undefined: the roots,
   * regular files and the per-module size apply, the per-analysis totals do not (nothing runs).
   */
  reasonNotToScan(path: string): string | undefined {
    const real = realPath(path);
    if (real === undefined) return `${path} could not be read`;
    if (!this.realRoots.some((root) => inside(real, root))) return `${path} resolves outside the workspace`;
    try {
      const st = statSync(real);
      if (!st.isFile()) return `${path} is not a regular file`;
      if (st.size > MAX_IMPORTED_BYTES) return `${path} is over ${formatMB(MAX_IMPORTED_BYTES)}`;
    } catch {
      return `${path} could not be read`;
    }
    return undefined;
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
    return this.realLibraryRoots.some((root) => inside(real, root)) ? this.chargeLibrary(name, size) : this.charge(name, size, what);
  }

  private chargeLibrary(name: string, size: number): string | undefined {
    if (size > MAX_IMPORTED_BYTES)
      return `${name} is ${formatMB(size)}, over the ${formatMB(MAX_IMPORTED_BYTES)} limit for imported modules: not read`;
    if (this.libraryTotal + size > MAX_LIBRARY_TOTAL_BYTES)
      return `${name} not read: the analysis already read ${formatMB(this.libraryTotal)} of library source (limit ${formatMB(MAX_LIBRARY_TOTAL_BYTES)})`;
    this.libraryTotal += size;
    return undefined;
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
