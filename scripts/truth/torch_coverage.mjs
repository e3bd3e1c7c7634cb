// The node step of scripts/truth/torch_api_coverage.py: asks the engine's catalogue about every
// name of src/core/ops/data/torchApi.json and writes src/core/ops/data/torchCoverage.json.
// Bundles src/core/torch/apiCoverage.ts with esbuild (no build of dist/ needed). Run from the
// repository root: node scripts/truth/torch_coverage.mjs
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATA = join('src', 'core', 'ops', 'data');
const dir = mkdtempSync(join(tmpdir(), 'wattlens-coverage-'));
try {
  const out = join(dir, 'coverage.cjs');
  await build({
    entryPoints: ['src/core/torch/apiCoverage.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  const { torchApiCoverage } = createRequire(import.meta.url)(out);
  const api = JSON.parse(readFileSync(join(DATA, 'torchApi.json'), 'utf8'));
  const coverage = torchApiCoverage(api);
  writeFileSync(join(DATA, 'torchCoverage.json'), `${JSON.stringify(coverage, null, 1)}\n`);
  console.log('namespace                         cost  shape unknown');
  for (const [ns, c] of Object.entries(coverage.summary))
    console.log(`${ns.padEnd(32)} ${String(c.cost).padStart(5)} ${String(c.shape).padStart(6)} ${String(c.unknown).padStart(7)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
