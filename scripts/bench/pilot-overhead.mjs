// Harness overhead: step time of the same CPU training script with and without the pilot harness.
// Run after `npm run build` (uses dist/harness): `node scripts/bench/pilot-overhead.mjs`, or `npm run bench`.
//
// Method (printed with the result):
// - Same script, same arguments, same interpreter flags on both sides; both sides are timed by the
//   script itself (examples/training/mlp_regression.py --timing-log: perf_counter and process CPU
//   time at the end of every step), so process start, imports, data setup and the first SKIP steps
//   (warm-up: allocator, caches, the harness's warm-up window) are excluded the same way.
// - Rounds alternate the order (plain, harness, harness, plain / harness, plain, plain, harness) so
//   that a drift in machine load hits both sides alike; per round, overhead = harness / plain - 1
//   from the two runs of each side; the result is the median over rounds.
// - The two runs of one side within a round give the noise floor (A/A spread); above the target, the
//   machine cannot resolve the target and the verdict is "inconclusive". Otherwise the verdict uses the
//   median ± its uncertainty (1.25 × σ / √rounds, σ = 1.48 × MAD of the round overheads): ok when the
//   whole band is within the target, above target when the whole band is above it, else inconclusive.
// Env: WATTLENS_BENCH_PYTHON (default /usr/bin/python3), WATTLENS_BENCH_ROUNDS (default 5),
//      WATTLENS_BENCH_EPOCHS (default 1: 512 steps), WATTLENS_BENCH_SKIP (default 50 steps),
//      WATTLENS_BENCH_HARNESS (another wattlens_pilot.py, e.g. an older version to compare).
// Exit code: 0 within target, 1 above target or inconclusive, 2 setup error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const rounds = Number(process.env.WATTLENS_BENCH_ROUNDS ?? 5);
const epochs = Number(process.env.WATTLENS_BENCH_EPOCHS ?? 1);
const skip = Number(process.env.WATTLENS_BENCH_SKIP ?? 50);
const harness = process.env.WATTLENS_BENCH_HARNESS ?? join(root, 'dist', 'harness', 'wattlens_pilot.py');
const script = join(root, 'examples', 'training', 'mlp_regression.py');
const TARGET = 0.02; // ≤ 2% overhead (issue 5)

if (!existsSync(harness)) {
  console.error('pilot-overhead: dist/harness is missing: run `npm run build` first');
  process.exit(2);
}
if (!(Number.isInteger(rounds) && rounds >= 1 && Number.isInteger(epochs) && epochs >= 1 && Number.isInteger(skip) && skip >= 1)) {
  console.error('pilot-overhead: WATTLENS_BENCH_ROUNDS, _EPOCHS and _SKIP must be positive integers');
  process.exit(2);
}

/** One run; seconds per step (wall and process CPU) over steps skip+1..last, as the script timed them. */
function run(withHarness) {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-bench-'));
  try {
    const timing = join(dir, 'timing.json');
    const scriptArgs = [script, '--epochs', String(epochs), '--timing-log', timing];
    // the harness as the runner starts it (src/core/pilot/runner.ts), without a budget: the script runs to its end
    const argv = withHarness
      ? ['-u', harness, '--run-dir', dir, '--warmup', '3', '--measure-gpus', 'none',
         '--cpu-watts-min', '0.74', '--cpu-watts-max', '3.5', '--', ...scriptArgs]
      : ['-u', ...scriptArgs];
    const res = spawnSync(python, argv, { encoding: 'utf8' });
    if (res.status !== 0) {
      const last = (res.stderr || res.error?.message || '').trim().split('\n').pop();
      throw new Error(`${withHarness ? 'harnessed' : 'plain'} run failed: ${last}`);
    }
    const t = JSON.parse(readFileSync(timing, 'utf8'));
    const n = t.stepEnds.length;
    if (n <= skip + 10) throw new Error(`only ${n} steps: fewer than ${skip} warm-up + 10 measured`);
    const steps = n - 1 - (skip - 1);
    return {
      wall: (t.stepEnds[n - 1] - t.stepEnds[skip - 1]) / steps,
      cpu: (t.stepCpu[n - 1] - t.stepCpu[skip - 1]) / steps,
      steps,
      total: n,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => `${(s * 1000).toFixed(3)} ms`;
const pct = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}%`;

const load0 = loadavg()[0];
const torchVersion = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim() || 'unknown';
const perRound = [];
let measured = null;
try {
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [false, true, true, false] : [true, false, false, true];
    const runs = order.map((h) => ({ h, ...run(h) }));
    measured ??= runs[0];
    const plain = runs.filter((x) => !x.h);
    const pilot = runs.filter((x) => x.h);
    const mean = (xs, k) => (xs[0][k] + xs[1][k]) / 2;
    perRound.push({
      plain: plain.map((x) => x.wall),
      pilot: pilot.map((x) => x.wall),
      wall: mean(pilot, 'wall') / mean(plain, 'wall') - 1,
      cpu: mean(pilot, 'cpu') / mean(plain, 'cpu') - 1,
      aa: [Math.abs(plain[0].wall / plain[1].wall - 1), Math.abs(pilot[0].wall / pilot[1].wall - 1)],
      plainCpu: plain.map((x) => x.cpu),
      pilotCpu: pilot.map((x) => x.cpu),
    });
  }
} catch (err) {
  console.error(`pilot-overhead: ${err.message}`);
  process.exit(2);
}

const wall = median(perRound.map((r) => r.wall));
const cpu = median(perRound.map((r) => r.cpu));
const noise = median(perRound.flatMap((r) => r.aa));
const plainStep = median(perRound.flatMap((r) => r.plain));
const pilotStep = median(perRound.flatMap((r) => r.pilot));
const plainCpu = median(perRound.flatMap((r) => r.plainCpu));
const pilotCpu = median(perRound.flatMap((r) => r.pilotCpu));

console.log(`pilot harness overhead (${harness}): examples/training/mlp_regression.py --epochs ${epochs} (${measured.total} steps, CPU, 1 torch thread), ${python}, torch ${torchVersion}`);
console.log(`method: both sides timed by the script itself at the end of every step; steps ${skip + 1}–${measured.total} measured (process start, setup and the first ${skip} steps excluded);`);
console.log(`        ${rounds} rounds alternating plain-harness-harness-plain / harness-plain-plain-harness; overhead = harness / plain − 1 per round, median over rounds`);
console.log('round   plain ms/step (2 runs)   harness ms/step (2 runs)   overhead wall   overhead CPU');
perRound.forEach((r, i) => {
  const two = (xs) => xs.map((x) => (x * 1000).toFixed(3)).join('  ');
  console.log(`  ${String(i + 1).padEnd(5)} ${two(r.plain).padEnd(24)} ${two(r.pilot).padEnd(26)} ${pct(r.wall).padStart(13)}  ${pct(r.cpu).padStart(13)}`);
});
console.log(`step time, wall (measured)   without harness ${ms(plainStep)}   with harness ${ms(pilotStep)}   (medians of ${2 * rounds} runs each)`);
console.log(`step time, CPU  (measured)   without harness ${ms(plainCpu)}   with harness ${ms(pilotCpu)}`);
console.log(`overhead, wall               ${pct(wall)}   median of ${rounds} rounds (range ${pct(Math.min(...perRound.map((r) => r.wall)))} … ${pct(Math.max(...perRound.map((r) => r.wall)))})`);
console.log(`overhead, CPU time           ${pct(cpu)}   median of ${rounds} rounds`);
console.log(`noise floor (A/A)            ${(noise * 100).toFixed(2)}%   median spread between two runs of the same side in a round`);
console.log(`machine load average         ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`);
// uncertainty of the median over rounds: 1.2533 × σ / √rounds, σ from the median absolute deviation
// (1.4826 × MAD) so that one disturbed round does not decide it
const mad = median(perRound.map((r) => Math.abs(r.wall - wall)));
const u = rounds >= 3 ? (1.2533 * 1.4826 * mad) / Math.sqrt(rounds) : Infinity;
console.log(`uncertainty of the median    ±${(u * 100).toFixed(2)}%   (1.25 × 1.48 × MAD of the round overheads / √${rounds})`);
let verdict;
let code;
if (noise > TARGET) {
  verdict = `INCONCLUSIVE: two runs of the same side differ by ${(noise * 100).toFixed(1)}% (median), more than the target: the machine is too busy to resolve it; rerun on an idle machine`;
  code = 1;
} else if (wall + u <= TARGET) {
  verdict = 'ok';
  code = 0;
} else if (wall - u > TARGET) {
  verdict = 'ABOVE TARGET';
  code = 1;
} else {
  verdict = `INCONCLUSIVE: ${pct(wall)} ± ${(u * 100).toFixed(2)}% straddles the target; rerun with more rounds (WATTLENS_BENCH_ROUNDS)`;
  code = 1;
}
console.log(`target ≤ ${TARGET * 100}% (wall): ${verdict}`);
process.exit(code);
