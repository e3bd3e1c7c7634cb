// A persistent cache of converted ASTs (what the interpreter runs after tree-sitter parsing and
// convert.ts), shared by the CLI and the editor's worker: reading an entry costs ~3% of parsing
// the file again. One entry per file path and engine build. A file read from disk is known by
// what `stat` says of it (size, modification and change times, inode): while that matches the
// entry, the file is not even read. Otherwise, and for text that is not a file on disk, an entry
// is used only when the text it was made from hashes to the same SHA-256 as the text now read
// (so an edit, a same-second rewrite or an unsaved buffer invalidates it); a file the caller reads
// through `readText` is known by `stat` before and after the read. Every entry is used
// only after its own checksum (entryChecksum.ts) matches: a corrupt, truncated or foreign entry is
// ignored and replaced, never trusted.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type BigIntStats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Module } from './ast';
import { hasDeferredBodies } from './deferredBodies';
import { CHECKSUM_BYTES, entryChecksum, sha256, tempSuffix } from './entryChecksum';
import { decodeModule, encodeModule } from './lazyBodies';

declare const WATTLENS_BUILD_ID: string | undefined;

/** Names the engine build that wrote an entry: set by scripts/build.mjs from the parser's sources. */
export const BUILD_ID: string | undefined = typeof WATTLENS_BUILD_ID === 'string' ? WATTLENS_BUILD_ID : undefined;

const MAGIC = Buffer.from('WLAST4\n');
const HASH_BYTES = 32;
/** size, mtime, ctime (ns), inode, device: 64 bits each; all zero when the text came from no file. */
const STAT_BYTES = 40;
const NO_STAT = Buffer.alloc(STAT_BYTES);
/**
 * A file whose times are this close to now is not known by them: it could change again within the
 * file system's timestamp granularity (a 4 ms tick, FAT's 2 s) and keep the same times and size.
 */
const DEFAULT_SETTLE_MS = 3000;
/** Size of the cache folder the pruning keeps to (entries are 2-3× their source). */
export const DEFAULT_MAX_CACHE_BYTES = 64 * 1024 * 1024;

export interface ParseCacheOptions {
  dir: string;
  /** Entries of another version are not read. */
  version: string;
  maxBytes?: number;
  /** Files changed less than this long ago are known by their text only (default 3 s). */
  settleMs?: number;
}

export class ParseCache {
  private readonly maxBytes: number;
  /** Bytes written since the folder was last pruned; the first write of a process prunes. */
  private writtenSincePrune = Infinity;
  private broken = false;

  private readonly versionHash: Buffer;

  constructor(private readonly options: ParseCacheOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES;
    this.versionHash = versionTag(options.version);
  }

  /** Texts known by `stat` to be what their entry was made from (`readText`), with the entry's text hash. */
  private readonly vouched = new Map<string, { text: string; textHash: Buffer }>();

  /**
   * Reads the file at `path` for a caller that then parses it through this cache (the CLI's
   * analyzed file). When `stat` before and after the read both match what its entry recorded, the
   * entry holds exactly this text and `holds`/`parse` need not hash it (that loaded node:crypto).
   */
  readText(path: string): string {
    const settleMs = this.options.settleMs ?? DEFAULT_SETTLE_MS;
    const before = this.broken ? undefined : statOf(path, settleMs);
    const text = readFileSync(path, 'utf8');
    if (!before) return text;
    // a write during the read changes the change time
    const after = statOf(path, settleMs);
    if (!after?.equals(before)) return text;
    const entry = this.read(this.entryFile('ast', path));
    if (entry && entry.stat.equals(before)) this.vouched.set(path, { text, textHash: Buffer.from(entry.textHash) });
    else this.statBeforeRead.set(path, before);
    return text;
  }

  /** The SHA-256 of `text` at `path`, or the entry's when `readText` vouched for exactly this text. */
  private textHashOf(path: string, text: string): Buffer {
    const vouched = this.vouched.get(path);
    return vouched && vouched.text === text ? vouched.textHash : sha256(text);
  }

  /** What `stat` said of each file `onDisk` did not know, before its text was read: the next `parse` of it keeps it. */
  private readonly statBeforeRead = new Map<string, Buffer>();

  /**
   * The cached AST of the file at `path` as it is on disk now, known from `stat` alone (the file
   * is not read); undefined when the entry is missing, stale or not made from this file as it is.
   * The caller then reads the file and calls `parse`, which records what `stat` said here.
   */
  onDisk(path: string): Module | undefined {
    if (this.broken) return undefined;
    const stat = statOf(path, this.options.settleMs ?? DEFAULT_SETTLE_MS);
    if (!stat) return undefined;
    const entry = this.read(this.entryFile('ast', path));
    if (entry && !entry.stat.equals(NO_STAT) && entry.stat.equals(stat)) {
      const hit = entry.value('ast');
      if (hit !== undefined && isModuleShape(hit)) return hit;
    }
    this.statBeforeRead.set(path, stat);
    return undefined;
  }

  /** Whether an entry of this version holds the AST of exactly `text` at `path` (checked, not decoded). */
  holds(path: string, text: string): boolean {
    if (this.broken) return false;
    const entry = this.read(this.entryFile('ast', path));
    return entry !== undefined && entry.textHash.equals(this.textHashOf(path, text));
  }

  /** The cached AST of `path` when it was made from exactly `text` by this version; else parses and stores. */
  parse(path: string, text: string, parseText: (text: string) => Module): Module {
    return this.cached('ast', path, text, parseText, isModuleShape);
  }

  /** The names a star import of `path` binds (undefined: not knowable from the text), cached as ASTs are. */
  starNames(path: string, text: string, scan: (text: string) => string[] | undefined): string[] | undefined {
    return this.cached('star-names', path, text, (t) => scan(t) ?? null, isNamesShape) ?? undefined;
  }

  private cached<T>(kind: string, path: string, text: string, compute: (text: string) => T, valid: (v: unknown) => v is T): T {
    // small files too: the first parse of a process also pays for tree-sitter's warm-up (~100 ms)
    if (this.broken) return compute(text);
    // taken before the text was read: a later change of the file changes it
    const stat = (kind === 'ast' && this.statBeforeRead.get(path)) || NO_STAT;
    this.statBeforeRead.delete(path);
    const textHash = kind === 'ast' ? this.textHashOf(path, text) : sha256(text);
    const file = this.entryFile(kind, path);
    const queued = this.unwritten.get(file);
    if (queued?.textHash.equals(textHash) && valid(queued.module)) return queued.module;
    const entry = this.read(file);
    if (entry && entry.textHash.equals(textHash)) {
      const hit = entry.value(kind);
      if (hit !== undefined && valid(hit)) {
        // the same text, touched or copied: known by its new times from now on
        if (!stat.equals(NO_STAT) && !entry.stat.equals(stat)) this.writeEntry(file, textHash, stat, entry.payload);
        return hit;
      }
    }
    const value = compute(text);
    if (kind === 'ast' && hasDeferredBodies(value as Module)) this.writeLater(file, textHash, stat, value as Module);
    else this.writeEntry(file, textHash, stat, kind === 'ast' ? encodeModule(value as Module) : serialize(value));
    return value;
  }

  /** ASTs parsed since the last `flush`, by entry file: written once the analysis ran. */
  private readonly unwritten = new Map<string, { textHash: Buffer; stat: Buffer; module: Module }>();

  /**
   * An AST with deferred function bodies (deferredBodies.ts) is stored after the analysis that
   * parsed it (`flush`, else at exit): by then the bodies it ran are converted and stored as
   * ASTs, the others as text.
   */
  private writeLater(file: string, textHash: Buffer, stat: Buffer, module: Module): void {
    this.unwritten.set(file, { textHash, stat, module });
    unflushed.add(this);
    if (!exitHooked) process.on('exit', flushAll);
    exitHooked = true;
  }

  /** Writes the ASTs parsed since the last call. */
  flush(): void {
    unflushed.delete(this);
    for (const [file, { textHash, stat, module }] of this.unwritten) {
      this.unwritten.delete(file);
      let payload: Buffer;
      try {
        payload = encodeModule(module);
      } catch {
        continue;
      }
      this.writeEntry(file, textHash, stat, payload);
    }
  }

  private entryFile(kind: string, path: string): string {
    // two paths on one name only take turns in it: an entry is used for the stat or text it records
    return join(this.options.dir, `${nameHash(`${this.options.version}\0${kind}\0${path}`)}.ast`);
  }

  /** Entry layout: MAGIC, checksum of the rest (entryChecksum.ts), SHA-256 of the version, SHA-256 of the source text, what `stat` said of the file, the AST (lazyBodies.ts) or v8-serialized names. */
  private read(file: string): { textHash: Buffer; stat: Buffer; payload: Buffer; value(kind: string): unknown } | undefined {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return undefined;
    }
    const head = MAGIC.length;
    const body = head + CHECKSUM_BYTES;
    const payloadAt = body + 2 * HASH_BYTES + STAT_BYTES;
    if (data.length < payloadAt || !data.subarray(0, head).equals(MAGIC)) return undefined;
    if (!entryChecksum([data.subarray(body)]).equals(data.subarray(head, body))) return undefined;
    if (!data.subarray(body, body + HASH_BYTES).equals(this.versionHash)) return undefined;
    const payload = data.subarray(payloadAt);
    return {
      textHash: data.subarray(body + HASH_BYTES, body + 2 * HASH_BYTES),
      stat: data.subarray(body + 2 * HASH_BYTES, payloadAt),
      payload,
      value: (kind) => {
        try {
          return kind === 'ast' ? decodeModule(payload) : (deserialize(payload) as unknown);
        } catch {
          return undefined;
        }
      },
    };
  }

  private writeEntry(file: string, textHash: Buffer, stat: Buffer, payload: Buffer): void {
    try {
      // summed in parts and copied once (an entry is up to a few hundred KB)
      const rest = [this.versionHash, textHash, stat, payload];
      const data = Buffer.concat([MAGIC, entryChecksum(rest), ...rest]);
      mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      // written aside and renamed: a reader sees the old entry or the whole new one
      const tmp = `${file}.${process.pid}.${tempSuffix()}.tmp`;
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, file);
      this.writtenSincePrune += data.length;
      if (this.writtenSincePrune > this.maxBytes / 8) this.prune();
    } catch {
      // a read-only or full disk: parse every time rather than fail the analysis
      this.broken = true;
    }
  }

  /** Removes the least recently written entries beyond the size bound, and abandoned temporaries. */
  prune(): void {
    this.writtenSincePrune = 0;
    const entries: { path: string; size: number; mtimeMs: number }[] = [];
    for (const name of readdirSync(this.options.dir)) {
      const path = join(this.options.dir, name);
      try {
        const st = statSync(path);
        if (name.endsWith('.ast')) entries.push({ path, size: st.size, mtimeMs: st.mtimeMs });
        // a temporary younger than a minute may still be being written by another process
        else if (name.endsWith('.tmp') && Date.now() - st.mtimeMs > 60_000) rmSync(path, { force: true });
      } catch {
        // removed meanwhile
      }
    }
    entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
    let total = 0;
    for (const e of entries) {
      total += e.size;
      if (total > this.maxBytes) rmSync(e.path, { force: true });
    }
  }
}

/** Caches holding ASTs not written yet. */
const unflushed = new Set<ParseCache>();
let exitHooked = false;

function flushAll(): void {
  for (const cache of unflushed) cache.flush();
}

/** What `stat` says of a regular file unchanged for `settleMs`, as entry bytes; undefined otherwise. */
function statOf(path: string, settleMs: number): Buffer | undefined {
  let st: BigIntStats;
  try {
    st = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  const settledBefore = BigInt(Date.now() - settleMs) * 1_000_000n;
  if (!st.isFile() || st.mtimeNs > settledBefore || st.ctimeNs > settledBefore) return undefined;
  const out = Buffer.alloc(STAT_BYTES);
  [st.size, st.mtimeNs, st.ctimeNs, st.ino, st.dev].forEach((v, i) => out.writeBigUInt64LE(BigInt.asUintN(64, v), 8 * i));
  return out;
}

/** The version's bytes, length first, when they fit the 32-byte field (a build id); else its SHA-256. */
function versionTag(version: string): Buffer {
  const bytes = Buffer.from(version);
  if (bytes.length >= HASH_BYTES) return sha256(version);
  const out = Buffer.alloc(HASH_BYTES);
  out[0] = bytes.length;
  bytes.copy(out, 1);
  return out;
}

/** Two 32-bit FNV-1a lanes (other offsets and primes) over the UTF-16 code units, as hex: an entry's file name. */
export function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function isNamesShape(v: unknown): v is string[] | null {
  return v === null || (Array.isArray(v) && v.every((n) => typeof n === 'string'));
}

function isModuleShape(v: unknown): v is Module {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<Module>;
  return Array.isArray(m.body) && Array.isArray(m.syntaxErrors) && m.directives instanceof Map;
}

/**
 * The user's cache folder: $WATTLENS_CACHE_DIR (`off`: no cache), else $XDG_CACHE_HOME/wattlens
 * or ~/.cache/wattlens (%LOCALAPPDATA%\wattlens on Windows).
 */
export function wattlensCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.WATTLENS_CACHE_DIR;
  if (dir === 'off') return undefined;
  if (dir) return dir;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'wattlens');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'wattlens');
  return join(homedir(), '.cache', 'wattlens');
}

/** The parse cache in the user's cache folder; only a built engine has a version to key entries by, so none from source (tests). */
export function defaultParseCache(env: NodeJS.ProcessEnv = process.env): ParseCache | undefined {
  const root = wattlensCacheDir(env);
  if (!root || BUILD_ID === undefined) return undefined;
  return new ParseCache({ dir: join(root, 'ast'), version: BUILD_ID });
}
