// For tests that run the built CLI as a user would: its path, a clear failure when it was not
// built, and temporary folders removed after each test.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll } from 'vitest';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** dist/cli.js; the file's tests fail at once, saying how to build it, when it is missing. */
export function requireBuiltCli(): string {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
  });
  return cli;
}

/** Makes temporary folders (`mkdtemp` with the prefix) that are removed after each test of the file. */
export function tempDirsPerTest(): (prefix: string) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
