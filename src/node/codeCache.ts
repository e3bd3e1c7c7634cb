// Runs a CommonJS bundle from V8's code cache: compiling dist/cli-main.js (1.9 MB) and the
// functions a run calls took about half of the CLI's CPU time on resnet50; the editor's analysis
// worker starts dist/worker-main.js the same way (src/extension/workerLaunch.ts). The cache entry is
// keyed by the SHA-256 of the bundle's text, Node's version and the architecture (V8 itself
// checks only the text's length), and carries its own checksum: a corrupt or foreign entry is
// not handed to V8, and one V8 rejects is replaced. Any failure falls back to a plain require.
import { isAscii } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { wattlensCacheDir } from '../core/python/parseCache';

const MAGIC = Buffer.from('WLCODE1\n');
/** Entries kept (one per bundle build and Node version; ~0.8 MB each): the newest. */
const KEEP_ENTRIES = 4;

export interface CodeCacheOptions {
  /**
   * Called with the function that writes a new entry, when there was none V8 accepted; default: at
   * the process's exit, so the functions the run compiled are in it too. A worker thread that is
   * terminated never sees its exit: it writes after its first piece of work.
   */
  whenToWrite?(write: () => void): void;
}

/** Runs the bundle as `require` would; returns its exports. */
export function runWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env, options: CodeCacheOptions = {}): unknown {
  const root = wattlensCacheDir(env);
  if (!root) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle to run, a computed path
    return require(file);
  }
  // hashed as bytes, and decoded as Latin-1 when ASCII (the build keeps it so): a one-byte string
  // that V8 scans fast, where UTF-8 decoding and hashing a two-byte string took ~25 ms
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(bytes).digest('hex').slice(0, 40);
  const entry = join(root, 'code', `${key}.bin`);
  const cachedData = readEntry(entry);
  // no dynamic import() in the bundle: a script compiled here could not make one
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    const write = () => writeEntry(entry, script.createCachedData());
    // after the run, so the functions it compiled are in the cache too
    if (options.whenToWrite) options.whenToWrite(write);
    else process.once('exit', write);
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

function readEntry(entry: string): Buffer | undefined {
  try {
    // V8 runs what it finds: only from a folder and file no other user may have written
    if (!ownedPrivately(dirname(entry)) || !ownedPrivately(entry)) return undefined;
    const data = readFileSync(entry);
    const body = MAGIC.length + 32;
    if (data.length <= body || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const payload = data.subarray(body);
    return sha256(payload).equals(data.subarray(MAGIC.length, body)) ? payload : undefined;
  } catch {
    return undefined;
  }
}

function writeEntry(entry: string, payload: Buffer): void {
  try {
    mkdirSync(dirname(entry), { recursive: true, mode: 0o700 });
    const tmp = `${entry}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, Buffer.concat([MAGIC, sha256(payload), payload]), { mode: 0o600 });
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

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
