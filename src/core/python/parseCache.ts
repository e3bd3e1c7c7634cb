// A persistent cache of converted ASTs (what the interpreter runs after tree-sitter parsing and
// convert.ts), shared by the CLI and the editor's worker: reading an entry costs ~3% of parsing
// the file again. One entry per file path and engine build; an entry is used only when the
// text it was made from hashes to the same SHA-256 as the text now read (so an edit, a
// same-second rewrite or an unsaved buffer invalidates it), and only after its own checksum
// matches: a corrupt, truncated or foreign entry is ignored and replaced, never trusted.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Module } from './ast';

declare const WATTLENS_BUILD_ID: string | undefined;

/** Names the engine build that wrote an entry: set by scripts/build.mjs from the parser's sources. */
export const BUILD_ID: string | undefined = typeof WATTLENS_BUILD_ID === 'string' ? WATTLENS_BUILD_ID : undefined;

const MAGIC = Buffer.from('WLAST1\n');
const HASH_BYTES = 32;
/** Size of the cache folder the pruning keeps to (entries are 2-3× their source). */
export const DEFAULT_MAX_CACHE_BYTES = 64 * 1024 * 1024;

export interface ParseCacheOptions {
  dir: string;
  /** Entries of another version are not read. */
  version: string;
  maxBytes?: number;
}

export class ParseCache {
  private readonly maxBytes: number;
  /** Bytes written since the folder was last pruned; the first write of a process prunes. */
  private writtenSincePrune = Infinity;
  private broken = false;

  constructor(private readonly options: ParseCacheOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES;
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
    const textHash = sha256(text);
    const file = join(this.options.dir, `${sha256(`${this.options.version}\0${kind}\0${path}`).toString('hex').slice(0, 40)}.ast`);
    const hit = this.read(file, textHash);
    if (hit !== undefined && valid(hit)) return hit;
    const value = compute(text);
    this.write(file, textHash, value);
    return value;
  }

  /** Entry layout: MAGIC, SHA-256 of the rest, SHA-256 of the version, SHA-256 of the source text, v8-serialized AST. */
  private read(file: string, textHash: Buffer): unknown {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch {
      return undefined;
    }
    const head = MAGIC.length;
    const body = head + HASH_BYTES;
    if (data.length < body + 2 * HASH_BYTES || !data.subarray(0, head).equals(MAGIC)) return undefined;
    if (!sha256(data.subarray(body)).equals(data.subarray(head, body))) return undefined;
    if (!data.subarray(body, body + HASH_BYTES).equals(sha256(this.options.version))) return undefined;
    if (!data.subarray(body + HASH_BYTES, body + 2 * HASH_BYTES).equals(textHash)) return undefined;
    try {
      return deserialize(data.subarray(body + 2 * HASH_BYTES)) as unknown;
    } catch {
      return undefined;
    }
  }

  private write(file: string, textHash: Buffer, value: unknown): void {
    try {
      const rest = Buffer.concat([sha256(this.options.version), textHash, serialize(value)]);
      const data = Buffer.concat([MAGIC, sha256(rest), rest]);
      mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
      // written aside and renamed: a reader sees the old entry or the whole new one
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
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

function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest();
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
