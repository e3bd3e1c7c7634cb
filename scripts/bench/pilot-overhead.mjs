// Harness overhead: step time of the same CPU training script with and without the pilot harness.
// Run after `npm run build` (uses dist/harness): `node scripts/bench/pilot-overhead.mjs`, or `npm run bench`.
//
// Method (printed with the result):
// - Same script, arguments and interpreter flags on both sides; both sides are timed by the script
//   itself (examples/training/mlp_regression.py --timing-log: perf_counter and process CPU time at
//   the end of every step), so process start, imports and setup are excluded the same way, and so
//   are the first SKIP steps (warm-up: allocator, caches, the harness's warm-up window).
// - Paired rounds (default): the plain and the harnessed run start together, one per core, and each
//   side's step time is taken over the same stretch of wall time (perf_counter is the system-wide
//   monotonic clock), so the machine's speed, which drifts by 10-30% between runs on a shared VM,
//   is the same for both. The launch order alternates. Mode "sequential" (WATTLENS_BENCH_MODE) runs
//   them one after the other instead (plain, harness, harness, plain, then the reverse).
// - Per round, overhead = harness / plain - 1; the result is the median over rounds. A/A rounds
//   (plain against plain, same method) measure the noise floor. The verdict uses the median ± its
//   uncertainty, 1.25 σ / √rounds with σ = 1.48 × MAD of the A/B round overheads or of the A/A
//   rounds, whichever is larger: ok when the band is within the target, above target when it is
//   all above, otherwise inconclusive (the machine is too noisy for the number of rounds).
// - The CPU-time overhead is printed as well: it counts every thread of each process, so a harness
//   thread taking CPU would show there even when it slowed both sides of a paired round.
// Env: WATTLENS_BENCH_PYTHON (default /usr/bin/python3), WATTLENS_BENCH_ROUNDS (A/B rounds, default 8),
//      WATTLENS_BENCH_MODE (paired | sequential), WATTLENS_BENCH_EPOCHS (default 1: 512 steps),
//      WATTLENS_BENCH_SKIP (default 50 steps), WATTLENS_BENCH_HARNESS (another wattlens_pilot.py).
// Exit code: 0 within target, 1 above target or inconclusive, 2 setup error.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const rounds = Number(process.env.WATTLENS_BENCH_ROUNDS ?? 8);
const mode = process.env.WATTLENS_BENCH_MODE ?? 'paired';
const epochs = Number(process.env.WATTLENS_BENCH_EPOCHS ?? 1);
const skip = Number(process.env.WATTLENS_BENCH_SKIP ?? 50);
const harness = process.env.WATTLENS_BENCH_HARNESS ?? join(root, 'dist', 'harness', 'wattlens_pilot.py');
const script = join(root, 'examples', 'training', 'mlp_regression.py');
const TARGET = 0.02; // ≤ 2% overhead (issue 5)
const MIN_COMMON_STEPS = 100;

if (!existsSync(harness)) {
  console.error('pilot-overhead: dist/harness is missing: run `npm run build` first');
  process.exit(2);
}
if (!(Number.isInteger(rounds) && rounds >= 3 && Number.isInteger(epochs) && epochs >= 1 && Number.isInteger(skip) && skip >= 1)) {
  console.error('pilot-overhead: WATTLENS_BENCH_ROUNDS must be an integer ≥ 3, _EPOCHS and _SKIP positive integers');
  process.exit(2);
}
if (mode !== 'paired' && mode !== 'sequential') {
  console.error(`pilot-overhead: WATTLENS_BENCH_MODE must be paired or sequential, got ${mode}`);
  process.exit(2);
}

/** One run of the script, plain or under the harness; resolves to its per-step clock readings. */
function run(withHarness) {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-bench-'));
  const timing = join(dir, 'timing.json');
  const scriptArgs = [script, '--epochs', String(epochs), '--timing-log', timing];
  // the harness as the runner starts it (src/core/pilot/runner.ts), without a budget: the script runs to its end
  const argv = withHarness
    ? [
        '-u',
        harness,
        '--run-dir',
        dir,
        '--warmup',
        '3',
        '--measure-gpus',
        'none',
        '--cpu-watts-min',
        '0.74',
        '--cpu-watts-max',
        '3.5',
        '--',
        ...scriptArgs,
      ]
    : ['-u', ...scriptArgs];
  return new Promise((resolveRun, reject) => {
    const child = spawn(python, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-2000)));
    child.on('error', (err) => reject(new Error(`${python}: ${err.message}`)));
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`${withHarness ? 'harnessed' : 'plain'} run failed: ${stderr.trim().split('\n').pop()}`);
        const t = JSON.parse(readFileSync(timing, 'utf8'));
        if (t.stepEnds.length <= skip + MIN_COMMON_STEPS)
          throw new Error(`only ${t.stepEnds.length} steps: fewer than ${skip} + ${MIN_COMMON_STEPS}`);
        resolveRun({ ends: t.stepEnds, cpu: t.stepCpu });
      } catch (err) {
        reject(err);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** Seconds per step (wall, CPU) over the steps that end inside [lo, hi], skipping the warm-up. */
function perStep(r, lo = -Infinity, hi = Infinity) {
  let first = -1;
  let last = -1;
  for (let i = skip - 1; i < r.ends.length; i++) {
    if (r.ends[i] < lo || r.ends[i] > hi) continue;
    if (first < 0) first = i;
    last = i;
  }
  const steps = last - first;
  if (first < 0 || steps < MIN_COMMON_STEPS)
    throw new Error(
      `the two runs overlap by ${Math.max(0, steps)} steps only (need ${MIN_COMMON_STEPS}): on a fast machine one run can end before the other starts its steps; use more steps (WATTLENS_BENCH_EPOCHS) or WATTLENS_BENCH_MODE=sequential`,
    );
  return { wall: (r.ends[last] - r.ends[first]) / steps, cpu: (r.cpu[last] - r.cpu[first]) / steps, steps };
}

/** A pair run at the same time, timed over their common stretch: [first, second] per-step figures. */
async function paired(aHarness, bHarness, swap) {
  const [r1, r2] = await Promise.all(swap ? [run(bHarness), run(aHarness)] : [run(aHarness), run(bHarness)]);
  const [ra, rb] = swap ? [r2, r1] : [r1, r2];
  const lo = Math.max(ra.ends[skip - 1], rb.ends[skip - 1]);
  const hi = Math.min(ra.ends.at(-1), rb.ends.at(-1));
  return [perStep(ra, lo, hi), perStep(rb, lo, hi)];
}

/** Sequential: ABBA (or BAAB), each run alone; the two runs of each side are averaged. */
async function sequential(aHarness, bHarness, swap) {
  const order = swap ? [bHarness, aHarness, aHarness, bHarness] : [aHarness, bHarness, bHarness, aHarness];
  const res = [];
  for (const h of order) res.push(perStep(await run(h)));
  const [a, b] = swap
    ? [
        [res[1], res[2]],
        [res[0], res[3]],
      ]
    : [
        [res[0], res[3]],
        [res[1], res[2]],
      ];
  const avg = (x) => ({ wall: (x[0].wall + x[1].wall) / 2, cpu: (x[0].cpu + x[1].cpu) / 2, steps: x[0].steps });
  return [avg(a), avg(b)];
}

// for an even count, the mean of the two middle values (the shared median takes the upper one)
const medianAveragingMiddlePair = (xs) => {
  const s = [...xs].sort((p, q) => p - q);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mad = (xs, center) => medianAveragingMiddlePair(xs.map((x) => Math.abs(x - center)));
const ms = (s) => `${(s * 1000).toFixed(3)} ms`;
const pct = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}%`;

const load0 = loadavg()[0];
const torchVersion = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
const pair = mode === 'paired' ? paired : sequential;
const ab = [];
const aa = [];
const aaRounds = Math.floor(rounds / 2);
console.log(`pilot harness overhead: ${harness}`);
console.log(
  `script: examples/training/mlp_regression.py --epochs ${epochs} (${512 * epochs} steps, CPU, 1 torch thread), ${python}, torch ${torchVersion}`,
);
if (mode === 'paired') {
  console.log(
    `method: ${rounds} paired rounds, plain and harnessed started together and timed by the script itself over the same stretch of`,
  );
  console.log(
    `        wall time, after their first ${skip} steps; ${aaRounds} A/A round${aaRounds === 1 ? '' : 's'} (plain and plain) the same way; overhead = harness / plain − 1`,
  );
} else {
  console.log(`method: ${rounds} sequential rounds (plain-harness-harness-plain, then the reverse), timed by the script itself after its`);
  console.log(
    `        first ${skip} steps; ${aaRounds} A/A round${aaRounds === 1 ? '' : 's'} (plain, plain) the same way; overhead = harness / plain − 1`,
  );
}
console.log('round   plain ms/step   harness ms/step   overhead wall   overhead CPU   steps timed');
// each round is printed when it ends, so that an interrupted bench still shows what it measured
const printRound = (r, i) =>
  console.log(
    `  ${String(i + 1).padEnd(5)} ${(r.plain.wall * 1000).toFixed(3).padStart(13)} ${(r.pilot.wall * 1000).toFixed(3).padStart(17)} ${pct(r.wall).padStart(15)} ${pct(r.cpu).padStart(14)} ${String(Math.min(r.plain.steps, r.pilot.steps)).padStart(13)}`,
  );
try {
  for (let r = 0; r < rounds; r++) {
    const [plain, pilot] = await pair(false, true, r % 2 === 1);
    ab.push({ plain, pilot, wall: pilot.wall / plain.wall - 1, cpu: pilot.cpu / plain.cpu - 1 });
    printRound(ab.at(-1), r);
    if (r % 2 === 1) {
      const [p1, p2] = await pair(false, false, false);
      aa.push(p2.wall / p1.wall - 1);
      console.log(
        `  A/A   ${(p1.wall * 1000).toFixed(3).padStart(13)} ${(p2.wall * 1000).toFixed(3).padStart(17)} ${pct(aa.at(-1)).padStart(15)}   (plain vs plain)`,
      );
    }
  }
} catch (err) {
  console.error(`pilot-overhead: ${err.message}`);
  process.exit(2);
}

const wall = medianAveragingMiddlePair(ab.map((r) => r.wall));
const cpu = medianAveragingMiddlePair(ab.map((r) => r.cpu));
const sigmaAB =
  1.4826 *
  mad(
    ab.map((r) => r.wall),
    wall,
  );
const sigmaAA = 1.4826 * mad(aa, 0);
const u = (1.2533 * Math.max(sigmaAB, sigmaAA)) / Math.sqrt(rounds);

console.log(`A/A rounds (plain vs plain): ${aa.map(pct).join('  ')}`);
console.log(
  `step time, wall (measured)  without harness ${ms(medianAveragingMiddlePair(ab.map((r) => r.plain.wall)))}   with harness ${ms(medianAveragingMiddlePair(ab.map((r) => r.pilot.wall)))}   (medians over rounds)`,
);
console.log(
  `step time, CPU  (measured)  without harness ${ms(medianAveragingMiddlePair(ab.map((r) => r.plain.cpu)))}   with harness ${ms(medianAveragingMiddlePair(ab.map((r) => r.pilot.cpu)))}`,
);
console.log(
  `overhead, wall              ${pct(wall)} ± ${(u * 100).toFixed(2)}%   median of ${rounds} rounds (range ${pct(Math.min(...ab.map((r) => r.wall)))} … ${pct(Math.max(...ab.map((r) => r.wall)))})`,
);
console.log(`overhead, CPU time          ${pct(cpu)}   median of ${rounds} rounds`);
console.log(
  `noise                       σ ${(sigmaAB * 100).toFixed(2)}% between A/B rounds, ${(sigmaAA * 100).toFixed(2)}% between A/A rounds; ± = 1.25 × the larger / √${rounds}`,
);
console.log(`machine load average        ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end`);
let verdict;
let code;
if (wall + u <= TARGET) {
  verdict = 'ok';
  code = 0;
} else if (wall - u > TARGET) {
  verdict = 'ABOVE TARGET';
  code = 1;
} else {
  verdict = `INCONCLUSIVE: ${pct(wall)} ± ${(u * 100).toFixed(2)}% straddles the target; the machine is too noisy: rerun when it is idle or with more rounds (WATTLENS_BENCH_ROUNDS)`;
  code = 1;
}
console.log(`target ≤ ${TARGET * 100}% (wall): ${verdict}`);
process.exit(code);
