// Where the Python harness lives: beside the bundle (dist/harness) or in the source tree.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ENTRY = 'wattlens_pilot.py';

export function findHarness(explicitDir?: string): string {
  const candidates = [
    explicitDir,
    process.env.WATTLENS_HARNESS_DIR,
    join(__dirname, 'harness'), // dist/harness next to dist/cli.js and dist/extension.js
    resolve(__dirname, '..', '..', 'pilot', 'harness'), // src/core/pilot → src/pilot/harness (tests)
    resolve(__dirname, '..', 'src', 'pilot', 'harness'),
  ].filter((d): d is string => !!d);
  for (const dir of candidates) if (existsSync(join(dir, ENTRY))) return join(dir, ENTRY);
  throw new Error(`the pilot harness (${ENTRY}) was not found; looked in ${candidates.join(', ')}`);
}
