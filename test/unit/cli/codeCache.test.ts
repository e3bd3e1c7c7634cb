// dist/cli.js runs dist/cli-main.js from V8's code cache in the user's cache folder: the second
// run uses the entry the first wrote and answers the same; a corrupt entry is not handed to V8
// (the run compiles again and replaces it); WATTLENS_CACHE_DIR=off writes nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const root = REPO_ROOT;
const cli = requireBuiltCli();
const tempDir = tempDirsPerTest();

function run(cacheDir: string, launcher = cli) {
  const r = spawnSync(process.execPath, [launcher, 'analyze', 'examples/models/cnn.py', '--json'], {
    cwd: root,
    encoding: 'utf8',
    // the result cache would replay the second run without loading cli-main.js
    env: { ...process.env, WATTLENS_CACHE_DIR: cacheDir, WATTLENS_RESULT_CACHE: 'off' },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.stringify(JSON.parse(r.stdout), (k, v: unknown) => (k === 'analysisMs' ? undefined : v));
}

const codeEntries = (dir: string) => (existsSync(join(dir, 'code')) ? readdirSync(join(dir, 'code')) : []);

describe('the CLI from the code cache', () => {
  it('writes an entry, then runs from it with the same answer', () => {
    const dir = tempDir('wattlens-code-cache-');
    const first = run(dir);
    const [entry] = codeEntries(dir);
    // named by what it is of: Node version, architecture and what `stat` says of the bundle
    expect(entry).toMatch(new RegExp(`^${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+(-\\d+){4}\\.bin$`));
    const written = readFileSync(join(dir, 'code', entry));
    expect(run(dir)).toBe(first);
    // accepted, so not written again
    expect(readFileSync(join(dir, 'code', entry)).equals(written)).toBe(true);
    expect(codeEntries(dir)).toEqual([entry]);
  });

  it('a corrupt entry is ignored and replaced', () => {
    const dir = tempDir('wattlens-code-cache-');
    const first = run(dir);
    const [entry] = codeEntries(dir);
    const good = readFileSync(join(dir, 'code', entry));
    const bad = Buffer.from(good);
    bad[bad.length - 64] ^= 0xff;
    writeFileSync(join(dir, 'code', entry), bad);
    expect(run(dir)).toBe(first);
    expect(readFileSync(join(dir, 'code', entry)).equals(bad)).toBe(false);
    writeFileSync(join(dir, 'code', entry), 'garbage');
    expect(run(dir)).toBe(first);
  });

  it('an entry others may write to is not used', () => {
    const dir = tempDir('wattlens-code-cache-');
    const first = run(dir);
    const [entry] = codeEntries(dir);
    const path = join(dir, 'code', entry);
    const bad = Buffer.from(readFileSync(path));
    // a valid-looking entry (its checksum recomputed would pass), but group-writable: not trusted
    chmodSync(path, 0o664);
    writeFileSync(path, bad);
    const before = statSync(path).mtimeMs;
    expect(run(dir)).toBe(first);
    // not accepted, so written again (privately)
    expect(statSync(path).mtimeMs).toBeGreaterThanOrEqual(before);
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('an entry a run that compiled little wrote (--help) is replaced once, by the first analysis', () => {
    const dir = tempDir('wattlens-code-cache-');
    const help = spawnSync(process.execPath, [cli, '--help'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, WATTLENS_CACHE_DIR: dir },
    });
    expect(help.status).toBe(0);
    const [entry] = codeEntries(dir);
    const small = readFileSync(join(dir, 'code', entry));
    const first = run(dir);
    const full = readFileSync(join(dir, 'code', entry));
    expect(full.length).toBeGreaterThan(small.length);
    expect(run(dir)).toBe(first);
    expect(readFileSync(join(dir, 'code', entry)).equals(full)).toBe(true);
  });

  it('--version (or -V) answers as commander would, without loading the CLI: no entry is written', () => {
    const dir = tempDir('wattlens-code-cache-');
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(process.execPath, [cli, flag], { cwd: root, encoding: 'utf8', env: { ...process.env, WATTLENS_CACHE_DIR: dir } });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.stderr).toBe('');
    }
    expect(codeEntries(dir)).toEqual([]);
  });

  it('a rewritten bundle, even with the same text, is another entry', () => {
    const dir = tempDir('wattlens-code-cache-');
    const dist = tempDir('wattlens-code-cache-dist-');
    for (const f of readdirSync(join(root, 'dist')))
      if (/^(cli(-main)?\.js|prelude-ast\.json|.*\.wasm)$/.test(f)) copyFileSync(join(root, 'dist', f), join(dist, f));
    const first = run(dir, join(dist, 'cli.js'));
    const [entry] = codeEntries(dir);
    writeFileSync(join(dist, 'cli-main.js'), readFileSync(join(dist, 'cli-main.js')));
    expect(run(dir, join(dist, 'cli.js'))).toBe(first);
    expect(codeEntries(dir)).toHaveLength(2);
    expect(codeEntries(dir)).toContain(entry);
  });

  it('WATTLENS_CACHE_DIR=off runs without a cache', () => {
    const dir = tempDir('wattlens-code-cache-');
    const cached = run(dir);
    const cwdBefore = readdirSync(root).sort();
    expect(run('off')).toBe(cached);
    expect(readdirSync(root).sort()).toEqual(cwdBefore);
  });
});
