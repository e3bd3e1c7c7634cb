// dist/worker.js runs the worker's bundle (dist/worker-main.js) from V8's code cache
// (src/node/codeCache.ts, src/extension/workerLaunch.ts): the first worker writes an entry after
// its first answer, the next one runs from it with the same answer; the folder is the one the
// extension passes (workerData.cacheDir) unless $WATTLENS_CACHE_DIR names another; a corrupt entry
// is not handed to V8 and is replaced.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const workerFile = join(root, 'dist', 'worker.js');
const modelFile = join(root, 'examples', 'models', 'cnn.py');
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(workerFile)) throw new Error('dist/worker.js is missing: run `npm run build` (npm test does)');
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-worker-code-cache-'));
  dirs.push(dir);
  return dir;
}

// whole entries only, not the temporary file one is written to before its rename
const codeEntries = (dir: string) =>
  existsSync(join(dir, 'code')) ? readdirSync(join(dir, 'code')).filter((f) => f.endsWith('.bin')) : [];
const hasEntry = (dir: string) => () => codeEntries(dir).length > 0;

/** Analyzes cnn.py in a fresh worker; ends it once `written()` holds (the entry is written after the answer) or `waitMs` passed. */
async function analyzeInWorker(env: NodeJS.ProcessEnv, workerData: unknown, written: () => boolean, waitMs = 5000): Promise<string> {
  const worker = new Worker(workerFile, { env, workerData });
  try {
    const answer = await new Promise<{ type: string; report?: { models: unknown[] } }>((done, fail) => {
      worker.on('error', fail);
      worker.on('message', (m: { type: string; seq?: number }) => {
        if (m.seq === 1) done(m);
      });
      worker.postMessage({ type: 'configure', workspaceRoots: [join(root, 'examples')] });
      worker.postMessage({
        type: 'open',
        uri: 'cnn',
        path: modelFile,
        language: 'python',
        version: 1,
        text: readFileSync(modelFile, 'utf8'),
      });
      worker.postMessage({ type: 'analyze', seq: 1, uri: 'cnn', version: 1, options: {} });
    });
    expect(answer.type).toBe('result');
    // written just after the first answer
    for (let i = 0; i < waitMs / 25 && !written(); i++) await new Promise((r) => setTimeout(r, 25));
    return JSON.stringify(answer.report?.models, (k, v: unknown) => (k === 'analysisMs' ? undefined : v));
  } finally {
    await worker.terminate();
  }
}

/** The environment without $WATTLENS_CACHE_DIR (the test run sets one), the default folder pointed away from the user's. */
function envWithout(cacheDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: tempDir() };
  delete env.WATTLENS_CACHE_DIR;
  if (cacheDir) env.WATTLENS_CACHE_DIR = cacheDir;
  return env;
}

describe('the analysis worker from the code cache', () => {
  it('writes an entry in the folder the extension gave, then runs from it with the same answer', async () => {
    const dir = tempDir();
    const env = envWithout();
    const first = await analyzeInWorker(env, { cacheDir: dir }, hasEntry(dir));
    const [entry] = codeEntries(dir);
    // named by what it is of: Node version, architecture and what `stat` says of the bundle
    expect(entry).toMatch(new RegExp(`^${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+(-\\d+){4}\\.bin$`));
    const written = readFileSync(join(dir, 'code', entry));
    expect(JSON.parse(first)).toHaveLength(1);
    expect(await analyzeInWorker(env, { cacheDir: dir }, () => false, 1000)).toBe(first);
    // accepted by V8, so not written again
    expect(readFileSync(join(dir, 'code', entry)).equals(written)).toBe(true);
    expect(codeEntries(dir)).toEqual([entry]);
    // nothing in the user's default folder
    expect(codeEntries(join(env.XDG_CACHE_HOME!, 'wattlens'))).toEqual([]);
  });

  it('$WATTLENS_CACHE_DIR wins over the folder the extension gave', async () => {
    const given = tempDir();
    const named = tempDir();
    await analyzeInWorker(envWithout(named), { cacheDir: given }, hasEntry(named));
    expect(codeEntries(named)).toHaveLength(1);
    expect(codeEntries(given)).toEqual([]);
  });

  it('a corrupt entry is ignored and replaced', async () => {
    const dir = tempDir();
    const env = envWithout(dir);
    const first = await analyzeInWorker(env, undefined, hasEntry(dir));
    const [entry] = codeEntries(dir);
    const good = readFileSync(join(dir, 'code', entry));
    const bad = Buffer.from(good);
    bad[bad.length - 64] ^= 0xff;
    writeFileSync(join(dir, 'code', entry), bad);
    const replaced = () => !readFileSync(join(dir, 'code', entry)).equals(bad);
    expect(await analyzeInWorker(env, undefined, replaced)).toBe(first);
    expect(replaced()).toBe(true);
  });
});
