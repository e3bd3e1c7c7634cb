// For tests that run the built CLI as a user would: its path, and a clear failure when it was
// not built.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll } from 'vitest';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** dist/cli.js; the file's tests fail at once, saying how to build it, when it is missing. */
export function requireBuiltCli(): string {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
  });
  return cli;
}
