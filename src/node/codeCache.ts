// Runs a CommonJS bundle from V8's code cache: compiling dist/cli-main.js (1.9 MB) and the
// functions a run calls took about half of the CLI's CPU time on resnet50; the editor's analysis
// worker starts dist/worker-main.js the same way (src/extension/workerLaunch.ts). The cache entry is
// keyed by what `stat` says of the bundle (size, modification and change times in ns, inode,
// device: any rewrite changes its change time), Node's version and the architecture (V8 itself
// checks only the text's length), and carries its own checksum (core/python/entryChecksum.ts): a corrupt or foreign entry is
// not handed to V8, and one V8 rejects is replaced. An entry written by a run that compiled little
// (`--help`, a usage error) is marked so, and replaced once by a run that analyzed something: the
// first run after an install must not leave every later one compiling most of the bundle lazily.
// Any failure falls back to a plain require.
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { CHECKSUM_BYTES, entryChecksum, tempSuffix } from '../core/python/entryChecksum';
import { wattlensCacheDir } from '../core/python/parseCache';

const MAGIC = Buffer.from('WLCODE3\n');
/** How a bundle built as a CommonJS module's function begins (the same parameters as `Module.wrap`). */
export const MODULE_FUNCTION = '(function (exports, require, module, __filename, __dirname) {';
/** Entries kept (one per bundle build and Node version; ~0.8 MB each): the newest. */
const KEEP_ENTRIES = 4;

export interface CodeCacheOptions {
  /**
   * This run does what later runs will (an analysis): the functions it compiled, when it ends
   * well, are the ones to keep.
   */
  representative?: boolean;
  /**
   * Called with the function that writes a new entry, when one is due; default: at the process's
   * exit (exit code 0 for a representative entry), so the functions the run compiled are in it
   * too. A worker thread that is terminated never sees its exit: it writes after its first answer.
   */
  whenToWrite?(write: () => void): void;
}

/** Runs `file` from the code cache as `require` would; returns its exports. */
export function runWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env, options: CodeCacheOptions = {}): unknown {
  const representative = options.representative ?? false;
  const root = wattlensCacheDir(env);
  // decoded as Latin-1 when ASCII (the build keeps it so): a one-byte string that V8 scans fast,
  // where UTF-8 decoding to a two-byte string took ~25 ms
  const bytes = readFileSync(file);
  const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // dist/cli-main.js is built as the module's function already (scripts/build.mjs): wrapping it
  // here made V8 copy 1.5 MB into one string before compiling
  const source = text.startsWith(MODULE_FUNCTION) ? text : Module.wrap(text);
  let entry: string | undefined;
  if (root) {
    // hashing the 1.5 MB text took ~4 ms of every start; the identity itself names the entry
    // (hashing it loaded node:crypto)
    const st = statSync(file, { bigint: true });
    const identity = `${process.version}-${process.arch}-${st.size}-${st.mtimeNs}-${st.ctimeNs}-${st.ino}-${st.dev}`;
    entry = join(root, 'code', `${identity.replace(/[^\w.-]/g, '_')}.bin`);
  }
  const found = entry ? readEntry(entry) : undefined;
  const cachedData = found?.payload;
  // no dynamic import() in the bundle: a script compiled here could not make one
  const script = new vm.Script(source, { filename: file, cachedData });
  if (entry && (!cachedData || script.cachedDataRejected || (representative && !found.representative))) {
    const at = entry;
    const rejected = script.cachedDataRejected;
    if (options.whenToWrite) options.whenToWrite(() => writeEntry(at, script.createCachedData(), representative));
    else {
      // after the run, so the functions it compiled are in the cache too
      process.once('exit', (code) => {
        const complete = representative && code === 0;
        if (!found || rejected || complete) writeEntry(at, script.createCachedData(), complete);
      });
    }
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const fn = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  return mod.exports;
}

/** Entry layout: MAGIC, checksum of the rest, 1 when a representative run wrote it (else 0), V8's cached data. */
function readEntry(entry: string): { payload: Buffer; representative: boolean } | undefined {
  try {
    // V8 runs what it finds: only from a folder and file no other user may have written
    if (!ownedPrivately(dirname(entry)) || !ownedPrivately(entry)) return undefined;
    const data = readFileSync(entry);
    const body = MAGIC.length + CHECKSUM_BYTES;
    if (data.length <= body + 1 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const rest = data.subarray(body);
    if (!entryChecksum([rest]).equals(data.subarray(MAGIC.length, body))) return undefined;
    return { payload: rest.subarray(1), representative: rest[0] === 1 };
  } catch {
    return undefined;
  }
}

function writeEntry(entry: string, payload: Buffer, representative: boolean): void {
  try {
    mkdirSync(dirname(entry), { recursive: true, mode: 0o700 });
    const tmp = `${entry}.${process.pid}.${tempSuffix()}.tmp`;
    const rest = Buffer.concat([Buffer.from([representative ? 1 : 0]), payload]);
    writeFileSync(tmp, Buffer.concat([MAGIC, entryChecksum([rest]), rest]), { mode: 0o600 });
    renameSync(tmp, entry);
    const dir = dirname(entry);
    const old = readdirSync(dir)
      .map((name) => ({ path: join(dir, name), mtimeMs: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
      .slice(KEEP_ENTRIES);
    for (const o of old) rmSync(o.path, { force: true });
  } catch {
    // no cache: the next start compiles again
  }
}

/** Owned by this user and writable by no one else (POSIX; on Windows the user's profile folder protects it). */
function ownedPrivately(path: string): boolean {
  const st = statSync(path);
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}
