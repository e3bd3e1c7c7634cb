// Global setup of the unit and e2e test runs: everything the tests start (the built CLI, the
// analysis worker, code-server) keeps its WattLens caches (the parse cache, the CLI's code cache:
// $WATTLENS_CACHE_DIR, see src/core/python/parseCache.ts) in a folder of this run, removed at its
// end, never in the user's ~/.cache/wattlens. A test that needs a cache of its own sets its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-test-cache-'));
  const previous = process.env.WATTLENS_CACHE_DIR;
  process.env.WATTLENS_CACHE_DIR = dir;
  return () => {
    if (previous === undefined) delete process.env.WATTLENS_CACHE_DIR;
    else process.env.WATTLENS_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
