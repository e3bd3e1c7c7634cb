// Whole-process CLI time of a timm ViT (`timm.create_model('vit_base_patch16_224')`) found
// through the corpus workspace's venv site-packages (lazy imports), each run a new process, with
// the parse and code caches a previous run filled (result cache off: the engine at work), as a
// result-cache hit, and with no caches at all, beside Python importing torch and timm and
// building the same model, in paired rounds of the same run when /usr/bin/python3 has torch.
// WATTLENS_BENCH_BASELINE_CLI=path/to/an/older/dist/cli.js adds that CLI to each round (with
// warm caches, result cache off, and with empty caches of its own) and prints the per-round
// ratios baseline / CLI.
// Run alone with `node scripts/bench/timm-cold.mjs` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, median, pairedRounds, repoRoot as root, timed as timedProcess } from './lib/processRuns.mjs';

const cli = builtCli('timm-cold');
const workspace = join(root, 'test', 'fixtures', 'realworld', 'workspace');
const site = join(workspace, '.venv', 'lib', 'python3.11', 'site-packages');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const MODEL = 'vit_base_patch16_224';
const TARGET_MS = 1000;
const RUNS = Number(process.env.WATTLENS_BENCH_ROUNDS ?? 3);
const baseline = process.env.WATTLENS_BENCH_BASELINE_CLI;

const dir = mkdtempSync(join(tmpdir(), 'wattlens-timm-'));
const file = join(dir, 'vit.py');
writeFileSync(file, `import timm\n\n\ndef build():\n    return timm.create_model('${MODEL}')\n`);
const warmCache = join(dir, 'cache-warm');

/** `env` adds variables to this process's; `unset` names ones the command runs without. */
const timed = (cmd, args, env = {}, unset = []) => timedProcess(cmd, args, { env, unset, cwd: workspace });
const cliArgs = (cli) => [cli, 'analyze', file, '--model', 'build', '--json'];

try {
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  const script = `import sys; sys.path.insert(0, ${JSON.stringify(site)})\nimport torch, timm\nm = timm.create_model('${MODEL}')\nprint(sum(p.numel() for p in m.parameters()))`;
  const runners = {
    // a new process, with the parse and code caches a previous run filled; the engine at work
    'CLI, warm caches': () => timed(process.execPath, cliArgs(cli), { WATTLENS_CACHE_DIR: warmCache, WATTLENS_RESULT_CACHE: 'off' }),
    // the same run replayed from the result cache (nothing it read changed)
    'CLI, result-cache hit': () => timed(process.execPath, cliArgs(cli), { WATTLENS_CACHE_DIR: warmCache }),
    // a new process on a machine that never ran WattLens: nothing cached
    'CLI, empty caches': () => timed(process.execPath, cliArgs(cli), { WATTLENS_CACHE_DIR: mkdtempSync(join(dir, 'cache-empty-')) }),
  };
  // Node parses NODE_EXTRA_CA_CERTS' bundle at startup, before the CLI's code: where it is set, the
  // empty-caches line runs again without it, as on a machine that does not set it
  if (process.env.NODE_EXTRA_CA_CERTS)
    runners['CLI, empty caches, no NODE_EXTRA_CA_CERTS'] = () =>
      timed(process.execPath, cliArgs(cli), { WATTLENS_CACHE_DIR: mkdtempSync(join(dir, 'cache-empty-')) }, ['NODE_EXTRA_CA_CERTS']);
  const baselineWarm = join(dir, 'cache-baseline-warm');
  if (baseline) {
    runners['baseline CLI, warm caches'] = () =>
      timed(process.execPath, cliArgs(baseline), { WATTLENS_CACHE_DIR: baselineWarm, WATTLENS_RESULT_CACHE: 'off' });
    runners['baseline CLI, empty caches'] = () =>
      timed(process.execPath, cliArgs(baseline), { WATTLENS_CACHE_DIR: mkdtempSync(join(dir, 'cache-empty-')) });
    runners['baseline CLI, warm caches']();
  }
  if (probe.status === 0) runners['python + torch + timm building it'] = () => timed(python, ['-c', script]);
  runners['CLI, warm caches']();
  runners['CLI, result-cache hit']();
  const results = pairedRounds(runners, RUNS);
  let params = 'not built';
  let firstProblem = '';
  const last = results['CLI, warm caches'].at(-1);
  try {
    const report = JSON.parse(last.stdout);
    const m = report.models[0];
    if (m) params = `${m.params ?? '?'} params`;
    firstProblem = report.problems[0]?.reason ?? '';
  } catch {
    firstProblem = (last.stderr || '').split('\n')[0];
  }
  console.log(
    `timm ${MODEL} whole process (node dist/cli.js analyze, site-packages of workspace/.venv) on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${RUNS} paired rounds → ${params}${firstProblem ? `; first problem: ${firstProblem}` : ''}`,
  );
  for (const [name, runs] of Object.entries(results)) {
    const ok = runs.every((x) => x.status === 0);
    const target = name.startsWith('CLI')
      ? `  target ≤ ${TARGET_MS} ms: ${median(runs.map((x) => x.ms)) <= TARGET_MS ? 'met' : 'MISSED'}`
      : '';
    console.log(
      `${name.padEnd(44)} median ${median(runs.map((x) => x.ms)).toFixed(0)} ms (runs ${runs.map((x) => x.ms.toFixed(0)).join(', ')})${ok ? '' : ' FAILED'}${target}`,
    );
  }
  if (baseline)
    for (const caches of ['warm', 'empty']) {
      const ours = results[`CLI, ${caches} caches`];
      const ratio = median(results[`baseline CLI, ${caches} caches`].map((x, i) => x.ms / ours[i].ms));
      console.log(`baseline / CLI, ${caches} caches: ${ratio.toFixed(2)}× (median of per-round ratios)`);
    }
  if (probe.status !== 0) console.log(`python + torch + timm: skipped (${python} has no torch)`);
  else {
    const py = results['python + torch + timm building it'];
    const ratio = median(py.map((x, i) => x.ms / results['CLI, warm caches'][i].ms));
    console.log(
      `python's answer: ${py[0].status === 0 ? `${py[0].stdout.trim()} params` : `failed: ${py[0].stderr.trim().split('\n').pop()}`}; python / CLI (warm caches, result cache off) ${ratio.toFixed(1)}× (median of per-round ratios)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
