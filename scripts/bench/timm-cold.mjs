// Cold whole-process CLI time of a timm ViT (`timm.create_model('vit_base_patch16_224')`) found
// through the corpus workspace's venv site-packages (lazy imports), beside Python importing torch
// and timm and building the same model, measured in the same run when /usr/bin/python3 has torch.
// Run alone with `node scripts/bench/timm-cold.mjs` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('timm-cold: dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
const workspace = join(root, 'test', 'fixtures', 'realworld', 'workspace');
const site = join(workspace, '.venv', 'lib', 'python3.11', 'site-packages');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const MODEL = 'vit_base_patch16_224';
const TARGET_MS = 2000;
const RUNS = 3;

const dir = mkdtempSync(join(tmpdir(), 'wattlens-timm-'));
const file = join(dir, 'vit.py');
writeFileSync(file, `import timm\n\n\ndef build():\n    return timm.create_model('${MODEL}')\n`);

function timed(cmd, args, options) {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  return { ms: performance.now() - started, r };
}

try {
  const cliRuns = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const { ms, r } = timed(process.execPath, [cli, 'analyze', file, '--model', 'build', '--json'], { cwd: workspace });
    cliRuns.push(ms);
    last = r;
  }
  let params = 'not built';
  let firstProblem = '';
  try {
    const report = JSON.parse(last.stdout);
    const m = report.models[0];
    if (m) params = `${m.params ?? '?'} params`;
    firstProblem = report.problems[0]?.reason ?? '';
  } catch {
    firstProblem = (last.stderr || '').split('\n')[0];
  }
  const best = Math.min(...cliRuns);
  console.log(
    `timm ${MODEL} cold CLI (node dist/cli.js analyze, site-packages of workspace/.venv): best of ${RUNS} ${best.toFixed(0)} ms` +
      ` (runs ${cliRuns.map((x) => x.toFixed(0)).join(', ')}; target ≤ ${TARGET_MS} ms) → ${params}${firstProblem ? `; first problem: ${firstProblem}` : ''}`,
  );

  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status === 0) {
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(site)})\nimport torch, timm\nm = timm.create_model('${MODEL}')\nprint(sum(p.numel() for p in m.parameters()))`;
    const { ms, r } = timed(python, ['-c', script], { cwd: workspace });
    console.log(
      `python + torch + timm building it (${python}): ${ms.toFixed(0)} ms → ${r.status === 0 ? `${r.stdout.trim()} params` : `failed: ${r.stderr.trim().split('\n').pop()}`}`,
    );
  } else console.log(`python + torch + timm: skipped (${python} has no torch)`);
  if (best > TARGET_MS) console.log(`timm-cold: over the ${TARGET_MS} ms target`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
