// Harness overhead: step time of the same CPU training script with and without the pilot harness.
// Run alone with `node scripts/bench/pilot-overhead.mjs` after `npm run build` (uses dist/harness).
// Env: WATTLENS_BENCH_PYTHON (default /usr/bin/python3), WATTLENS_BENCH_ROUNDS (default 3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const rounds = Number(process.env.WATTLENS_BENCH_ROUNDS ?? 3);
const harness = join(root, 'dist', 'harness', 'wattlens_pilot.py');
const script = join(root, 'examples', 'training', 'mlp_regression.py');
const TARGET = 0.02; // ≤ 2% overhead (issue 5)

if (!existsSync(harness)) {
  console.error('pilot-overhead: dist/harness is missing: run `npm run build` first');
  process.exit(2);
}

function loopSecondsPerStep(withHarness) {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-bench-'));
  const timing = join(dir, 'timing.json');
  const scriptArgs = [script, '--epochs', '1', '--timing-log', timing];
  const argv = withHarness
    ? [harness, '--run-dir', dir, '--measure-gpus', 'none', '--cpu-watts-min', '1', '--cpu-watts-max', '4', '--', ...scriptArgs]
    : scriptArgs;
  const res = spawnSync(python, argv, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${withHarness ? 'harness' : 'plain'} run failed: ${res.stderr.split('\n').slice(-2).join(' ')}`);
  const { loopS, steps } = JSON.parse(readFileSync(timing, 'utf8'));
  return loopS / steps;
}

const plain = [];
const pilot = [];
for (let i = 0; i < rounds; i++) {
  // alternate so that drifting machine load hits both sides alike
  plain.push(loopSecondsPerStep(false));
  pilot.push(loopSecondsPerStep(true));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p = median(plain);
const h = median(pilot);
const overhead = h / p - 1;
const ms = (s) => `${(s * 1000).toFixed(3)} ms`;
console.log('pilot harness overhead (examples/training/mlp_regression.py, 512 steps, CPU, 1 thread)');
console.log(`  step time without harness   ${ms(p)}   (median of ${rounds})`);
console.log(`  step time with harness      ${ms(h)}   (median of ${rounds})`);
console.log(`  overhead                    ${(overhead * 100).toFixed(2)}%   reference: target ≤ ${TARGET * 100}%  ${overhead <= TARGET ? 'ok' : 'ABOVE TARGET'}`);
