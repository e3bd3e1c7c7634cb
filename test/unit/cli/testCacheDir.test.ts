// Tests never write to the user's ~/.cache/wattlens: the run's global setup (test/support/cacheDir.ts)
// points WATTLENS_CACHE_DIR to a temporary folder of this run, and a CLI started as the tests
// start it keeps its parse cache and code cache there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wattlensCacheDir } from '../../../src/core/python/parseCache';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

describe("the test run's cache folder", () => {
  it('is a temporary folder of this run, not the home cache', () => {
    const dir = process.env.WATTLENS_CACHE_DIR;
    expect(dir, 'WATTLENS_CACHE_DIR is not set by the global setup').toBeTruthy();
    expect(resolve(dir!).startsWith(resolve(tmpdir()) + sep)).toBe(true);
    expect(resolve(dir!).startsWith(join(homedir(), '.cache'))).toBe(false);
    expect(existsSync(dir!)).toBe(true);
    expect(wattlensCacheDir()).toBe(dir);
  });

  it('holds the caches of a CLI started with the inherited environment', () => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
    const r = spawnSync(process.execPath, [cli, 'analyze', 'examples/models/cnn.py', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const dir = process.env.WATTLENS_CACHE_DIR!;
    // the code cache of dist/cli-main.js and the parse cache's entry of the analyzed file
    expect(readdirSync(join(dir, 'code')).length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'ast')).length).toBeGreaterThan(0);
  });
});
