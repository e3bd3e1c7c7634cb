// A dependency-tracked cache of whole `wattlens analyze --json` results. While the CLI runs, every
// file system call the analysis makes and every environment variable it reads is recorded: files
// read (what `stat` said before the read, and the SHA-256 of what was read), paths probed (their
// kind, size and times, or that they did not exist), folders listed (their names), real paths
// resolved. A later run with the same bundle, arguments and folder replays the stored output when
// every one of them is still as recorded; a file whose stat differs is hashed again, so a touch
// costs a hash, an edit a new analysis. Only successful runs are stored; an entry carries its own
// checksum and the key it was stored under, and a corrupt or foreign one is ignored. A replay
// whose files are all known by `stat` hashes nothing with SHA-256, so node:crypto does not load
// (~10 M instructions, a tenth of a replay's own). WATTLENS_CACHE_DIR=off or
// WATTLENS_RESULT_CACHE=off turns it off (the bench measures the engine that way).
import fs from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { entryChecksum, sha256 as sha256Bytes, tempSuffix } from '../core/python/entryChecksum';
import { nameHash } from '../core/python/parseCache';

type Dep =
  | { k: 'read'; path: string; stat: string | null; hash: string }
  | { k: 'probe'; path: string; link: boolean; what: string }
  | { k: 'list'; path: string; names: string }
  | { k: 'real'; path: string; to: string }
  | { k: 'env'; name: string; value: string | null }
  | { k: 'envAll'; hash: string };

interface Entry {
  /** What the entry is of (`resultKey`): its file name is only a hash of it. */
  key: string;
  deps: Dep[];
  stdout: string;
  stderr: string;
}

const FORMAT = 'wattlens-result-2';
/** A file changed this recently is known by its content only (see core/python/parseCache.ts). */
const SETTLE_MS = 3000;
const KEEP_ENTRIES = 64;

const original = {
  readFileSync: fs.readFileSync,
  statSync: fs.statSync,
  lstatSync: fs.lstatSync,
  existsSync: fs.existsSync,
  accessSync: fs.accessSync,
  readdirSync: fs.readdirSync,
  realpathSync: fs.realpathSync,
  openSync: fs.openSync,
};

/**
 * Only `analyze --json` without timings: its output depends on nothing but what is recorded. Not
 * with `--gpu cpu`: this machine's CPU comes from `os.cpus()` and /proc, which the record cannot hold.
 */
export function resultCacheEligible(args: string[], env: NodeJS.ProcessEnv): boolean {
  const localCpu = args.some((a, i) => /^--gpu=cpu\b/i.test(a) || (args[i - 1] === '--gpu' && /^cpu\b/i.test(a)));
  return (
    args[0] === 'analyze' && args.includes('--json') && !args.includes('--timings') && !localCpu && env.WATTLENS_RESULT_CACHE !== 'off'
  );
}

/** What a stored result is of: the bundle's build, Node, the current folder, stdout a TTY or not, the arguments. */
export function resultKey(bundleHash: string, args: string[]): string {
  return JSON.stringify([FORMAT, bundleHash, process.version, process.cwd(), process.stdout.isTTY, args]);
}

/** The entry file of a key: a name, not an identity (the entry holds its key, checked on read). */
function entryFile(dir: string, key: string): string {
  return join(dir, `${nameHash(key)}.json`);
}

/** Writes the stored output when every dependency is as recorded; else writes nothing and says why. */
export function replayResult(dir: string, key: string): { replayed: boolean; why: string } {
  const entry = readEntry(entryFile(dir, key));
  if (!entry || entry.key !== key) return { replayed: false, why: 'no entry for these arguments' };
  const changed = entry.deps.find((d) => !stillHolds(d));
  if (changed)
    return { replayed: false, why: `${changed.k === 'env' ? changed.name : 'path' in changed ? changed.path : 'the environment'} changed` };
  process.stdout.write(entry.stdout);
  if (entry.stderr) process.stderr.write(entry.stderr);
  return { replayed: true, why: 'replayed' };
}

/** Records what the rest of this process reads; stores the result at exit if the run succeeded. */
export function recordResult(dir: string, key: string, ignoreUnder: string[]): void {
  const deps: Dep[] = [];
  const seen = new Set<string>();
  // the bundle's own folder too: the key names the bundle's build (launch.ts), and hashing it and
  // its wasm files on every recorded run cost 2 MB of SHA-256
  const roots = typeof __dirname === 'string' ? [...ignoreUnder, __dirname] : ignoreUnder;
  const ignored = (p: string) => roots.some((root) => p === root || p.startsWith(root + sep));
  const note = (id: string, make: () => Dep | undefined) => {
    if (seen.has(id)) return;
    seen.add(id);
    const d = make();
    if (d) deps.push(d);
  };
  const pathOf = (p: unknown): string | undefined =>
    typeof p === 'string' ? resolve(p) : p instanceof URL ? resolve(p.pathname) : Buffer.isBuffer(p) ? resolve(p.toString()) : undefined;

  const probe = (p: unknown, link: boolean) => {
    const path = pathOf(p);
    if (path && !ignored(path)) note(`${link ? 'l' : 'p'}\0${path}`, () => ({ k: 'probe', path, link, what: describe(path, link) }));
  };
  const patched = fs as unknown as Record<string, unknown>;
  patched.statSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    probe(p, false);
    return (original.statSync as (...a: unknown[]) => unknown).call(this, p, ...rest);
  };
  patched.lstatSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    probe(p, true);
    return (original.lstatSync as (...a: unknown[]) => unknown).call(this, p, ...rest);
  };
  // the probe's own stat answers it (one call, not two: the loader probes hundreds of paths)
  patched.existsSync = (p: unknown) => {
    const path = pathOf(p);
    if (!path || ignored(path) || seen.has(`p\0${path}`)) return original.existsSync(p as string);
    const what = describe(path, false);
    note(`p\0${path}`, () => ({ k: 'probe', path, link: false, what }));
    return what !== 'missing';
  };
  patched.accessSync = (p: unknown, mode?: number) => (probe(p, false), original.accessSync(p as string, mode));
  patched.readdirSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    const path = pathOf(p);
    if (path && !ignored(path)) note(`d\0${path}`, () => ({ k: 'list', path, names: listing(path) }));
    return (original.readdirSync as (...a: unknown[]) => unknown).call(this, p, ...rest);
  };
  const realpath =
    (real: (...a: unknown[]) => unknown) =>
    (p: unknown, ...rest: unknown[]) => {
      const path = pathOf(p);
      if (!path || ignored(path) || seen.has(`r\0${path}`) || rest.length) {
        if (path && !ignored(path)) note(`r\0${path}`, () => ({ k: 'real', path, to: realOf(path) }));
        return real(p, ...rest);
      }
      // the call's own answer is the record (resolving it twice cost a second walk of the path)
      let to: unknown;
      try {
        to = real(p);
      } catch (e) {
        note(`r\0${path}`, () => ({ k: 'real', path, to: '' }));
        throw e;
      }
      note(`r\0${path}`, () => ({ k: 'real', path, to: typeof to === 'string' ? to : realOf(path) }));
      return to;
    };
  const native = original.realpathSync.native;
  patched.realpathSync = Object.assign(realpath(original.realpathSync as (...a: unknown[]) => unknown), {
    native: realpath(native as (...a: unknown[]) => unknown),
  });
  patched.readFileSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    const path = pathOf(p);
    const stat = path ? fingerprint(path) : null;
    const data = (original.readFileSync as (...a: unknown[]) => string | Buffer).call(this, p, ...rest);
    if (path && !ignored(path)) note(`f\0${path}`, () => ({ k: 'read', path, stat, hash: sha256(data) }));
    return data;
  };
  // opened to read a part (core/pyenv/smallFiles.ts reads the head of files it must not read whole):
  // known by size, times and inode, never read here
  patched.openSync = function (this: unknown, p: unknown, ...rest: unknown[]) {
    probe(p, false);
    return (original.openSync as (...a: unknown[]) => number).call(this, p, ...rest);
  };

  const realEnv = process.env;
  process.env = new Proxy(realEnv, {
    get(target, name) {
      if (typeof name === 'string') note(`e\0${name}`, () => ({ k: 'env', name, value: target[name] ?? null }));
      return Reflect.get(target, name) as unknown;
    },
    has(target, name) {
      if (typeof name === 'string') note(`e\0${name}`, () => ({ k: 'env', name, value: target[name] ?? null }));
      return Reflect.has(target, name);
    },
    ownKeys(target) {
      note('E', () => ({ k: 'envAll', hash: envHash(target) }));
      return Reflect.ownKeys(target);
    },
  });

  const out: string[] = [];
  const err: string[] = [];
  tee(process.stdout, out);
  tee(process.stderr, err);
  process.once('exit', (code) => {
    if (code !== 0) return;
    Object.assign(fs, original);
    process.env = realEnv;
    writeEntry(dir, entryFile(dir, key), { key, deps, stdout: out.join(''), stderr: err.join('') });
  });
}

function tee(stream: NodeJS.WriteStream, into: string[]): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

function stillHolds(d: Dep): boolean {
  switch (d.k) {
    case 'read': {
      if (d.stat !== null && fingerprint(d.path) === d.stat) return true;
      try {
        return sha256(original.readFileSync(d.path)) === d.hash;
      } catch {
        return false;
      }
    }
    case 'probe':
      return describe(d.path, d.link) === d.what;
    case 'list':
      return listing(d.path) === d.names;
    case 'real':
      return realOf(d.path) === d.to;
    case 'env':
      return (process.env[d.name] ?? null) === d.value;
    case 'envAll':
      return envHash(process.env) === d.hash;
  }
}

/** A regular file's size, times and inode, when it has not changed for SETTLE_MS; else null. */
function fingerprint(path: string): string | null {
  try {
    const st = original.statSync(path, { bigint: true });
    const settled = BigInt(Date.now() - SETTLE_MS) * 1_000_000n;
    if (!st.isFile() || st.mtimeNs > settled || st.ctimeNs > settled) return null;
    return `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
  } catch {
    return null;
  }
}

/** What a probe learns: missing, a folder, or a file with its size and times. */
function describe(path: string, link: boolean): string {
  try {
    // no exception for a missing path: most of the loader's probes miss
    const st = (link ? original.lstatSync : original.statSync)(path, { bigint: true, throwIfNoEntry: false });
    if (!st) return 'missing';
    if (st.isFile()) return `file:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
    if (st.isDirectory()) return 'dir';
    return st.isSymbolicLink() ? `link:${st.mtimeNs}:${st.ino}` : 'other';
  } catch {
    return 'missing';
  }
}

function listing(path: string): string {
  try {
    return sha256(JSON.stringify(original.readdirSync(path).sort()));
  } catch {
    return 'missing';
  }
}

function realOf(path: string): string {
  try {
    return original.realpathSync(path);
  } catch {
    return '';
  }
}

function envHash(env: NodeJS.ProcessEnv): string {
  return sha256(
    JSON.stringify(
      Object.keys(env)
        .sort()
        .map((k) => [k, env[k]]),
    ),
  );
}

function readEntry(file: string): Entry | undefined {
  try {
    const { sum, body } = JSON.parse(original.readFileSync(file, 'utf8')) as { sum: string; body: string };
    if (typeof body !== 'string' || bodySum(body) !== sum) return undefined;
    const entry = JSON.parse(body) as Entry & { format: string };
    return entry.format === FORMAT && typeof entry.key === 'string' && Array.isArray(entry.deps) && typeof entry.stdout === 'string'
      ? entry
      : undefined;
  } catch {
    return undefined;
  }
}

/** An entry's checksum (entryChecksum.ts: whole or corrupt; what it is of is its key). */
function bodySum(body: string): string {
  return entryChecksum([Buffer.from(body)]).toString('hex');
}

function writeEntry(dir: string, file: string, entry: Entry): void {
  try {
    original.statSync(dir);
  } catch {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      return;
    }
  }
  try {
    const body = JSON.stringify({ format: FORMAT, ...entry });
    const tmp = `${file}.${process.pid}.${tempSuffix()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ sum: bodySum(body), body }), { mode: 0o600 });
    fs.renameSync(tmp, file);
    const old = original
      .readdirSync(dir)
      .map((n) => ({ path: join(dir, n), mtimeMs: original.statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs)
      .slice(KEEP_ENTRIES);
    for (const o of old) fs.rmSync(o.path, { force: true });
  } catch {
    // no result cache: the next run analyzes again
  }
}

// node:crypto loads only to record a result or to check a file `stat` no longer vouches for (entryChecksum.ts)
function sha256(data: string | Buffer): string {
  return sha256Bytes(data).toString('hex');
}
