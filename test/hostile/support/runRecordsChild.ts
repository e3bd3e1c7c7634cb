// Runs the synchronous run-record readers (what the CLI and the runner use) in a process of their
// own under the suite's yardstick: a reader that blocked on a FIFO or read /dev/zero would hang or
// blow up that process, not the test runner. The readers are bundled once with esbuild.
import { buildSync } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runContained, type Contained } from './contained';
import { tempDirsPerFile } from '../../support/tempDirs';

// the bundle's folder goes after the last test of the file that imports this module
const bundleDir = tempDirsPerFile();
let bundle: string | undefined;

function readersBundle(): string {
  if (bundle) return bundle;
  const dir = bundleDir('wattlens-hostile-readers-');
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(join(REPO, 'src/core/pilot/runStore'))};\nexport { readRunEvents } from ${JSON.stringify(join(REPO, 'src/core/pilot/eventFiles'))};\n`,
  );
  bundle = join(dir, 'readers.cjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
  return bundle;
}

/** Runs `expression` (with `m` the readers module) in a child and returns its JSON result with the yardstick's figures. */
export function runReader(expression: string, seconds?: number): Contained & { result: unknown } {
  const script = `const m = require(${JSON.stringify(readersBundle())}); Promise.resolve(${expression}).then((r) => process.stdout.write(JSON.stringify(r === undefined ? null : r)), (e) => { process.stderr.write('wattlens: ' + e.message + '\\n'); process.exitCode = 2; });`;
  const r = runContained([process.execPath, '-e', script], seconds === undefined ? {} : { seconds });
  let result: unknown;
  try {
    result = r.stdout ? JSON.parse(r.stdout) : undefined;
  } catch {
    result = undefined;
  }
  return { ...r, result };
}
