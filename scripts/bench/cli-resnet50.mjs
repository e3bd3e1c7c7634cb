// Whole-process CLI time and peak memory on resnet50 from torchvision's source, beside Python
// answering the same question in the same run: importing torch and torchvision, building resnet50
// and counting its parameters, and the same plus a forward pass counting MACs with hooks.
// Paired runs (each round runs every command once, in turn); medians, and the median of the
// per-round ratios. The CLI runs three ways, each beside Python: with a warm parse cache and the
// result cache off (the engine at work: a later run after any change), replaying its stored result
// (a later run with nothing changed: src/cli/resultCache.ts), and with an empty cache folder (the
// first run on a machine). WATTLENS_BENCH_BASELINE_CLI=path/to/an/older/dist/cli.js adds it.
// Where NODE_EXTRA_CA_CERTS is set, Node parses that certificate bundle at startup, before any of
// the CLI's code runs (tens of ms for the system bundle): the engine line then runs a second time
// without it, as on a machine that does not set it, and `node -e 0` shows that cost both ways.
// Run alone with `node scripts/bench/cli-resnet50.mjs` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, median, pairedRounds, repoRoot as root, timed as timedProcess } from './lib/processRuns.mjs';

const cli = builtCli('cli-resnet50');
const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
const baseline = process.env.WATTLENS_BENCH_BASELINE_CLI;
const ROUNDS = Number(process.env.WATTLENS_BENCH_ROUNDS ?? 5);
const TARGET_PARAMS_RATIO = 10;
const TARGET_MACS_RATIO = 15;
const TARGET_RSS_MB = 150;
const resnet = join(root, 'test', 'fixtures', 'models', 'third_party', 'torchvision-0.14.1a0', 'torchvision', 'models', 'resnet.py');
const cliArgs = ['analyze', resnet, '--model', 'resnet50', '--input', '1x3x224x224', '--json'];

const PY_PARAMS = 'import torch, torchvision.models as M\nm = M.resnet50()\nprint(sum(p.numel() for p in m.parameters()))';
const PY_MACS = `import torch, torchvision.models as M
m = M.resnet50().eval()
macs = 0
def conv(mod, i, o):
    global macs
    macs += o.numel() * (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
def linear(mod, i, o):
    global macs
    macs += o.numel() * mod.in_features
for mod in m.modules():
    if isinstance(mod, torch.nn.Conv2d): mod.register_forward_hook(conv)
    elif isinstance(mod, torch.nn.Linear): mod.register_forward_hook(linear)
with torch.no_grad():
    m(torch.zeros(1, 3, 224, 224))
print(sum(p.numel() for p in m.parameters()), macs)`;

const scratch = mkdtempSync(join(tmpdir(), 'wattlens-bench-cli-'));
const warmCache = join(scratch, 'warm');
const rssFile = join(scratch, 'rss');

/** A run that must succeed: wall time of the whole process, its peak RSS, its stdout. */
function timed(cmd, args, env = {}, unset = []) {
  const r = timedProcess(cmd, args, { env, unset, rssFile });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${r.stderr.trim().split('\n').pop()}`);
  return r;
}

const ENGINE = 'CLI, parse cache only (engine at work)';
const HIT = 'CLI, result-cache hit';
const runners = {
  [ENGINE]: () => timed(process.execPath, [cli, ...cliArgs], { WATTLENS_CACHE_DIR: warmCache, WATTLENS_RESULT_CACHE: 'off' }),
  [HIT]: () => timed(process.execPath, [cli, ...cliArgs], { WATTLENS_CACHE_DIR: warmCache }),
  'CLI, empty parse cache': () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    return timed(process.execPath, [cli, ...cliArgs], { WATTLENS_CACHE_DIR: empty });
  },
};
const extraCerts = process.env.NODE_EXTRA_CA_CERTS ? ['NODE_EXTRA_CA_CERTS'] : [];
const ENGINE_NO_CERTS = 'CLI, engine at work, no NODE_EXTRA_CA_CERTS';
if (extraCerts.length) {
  runners[ENGINE_NO_CERTS] = () =>
    timed(process.execPath, [cli, ...cliArgs], { WATTLENS_CACHE_DIR: warmCache, WATTLENS_RESULT_CACHE: 'off' }, extraCerts);
  runners['node -e 0'] = () => timed(process.execPath, ['-e', '0']);
  runners['node -e 0, no NODE_EXTRA_CA_CERTS'] = () => timed(process.execPath, ['-e', '0'], {}, extraCerts);
}
const baselineCache = join(scratch, 'baseline');
if (baseline)
  runners['baseline CLI (WATTLENS_BENCH_BASELINE_CLI)'] = () =>
    timed(process.execPath, [baseline, ...cliArgs], { WATTLENS_CACHE_DIR: baselineCache, WATTLENS_RESULT_CACHE: 'off' });
const hasTorch = spawnSync(python, ['-c', 'import torch, torchvision'], { encoding: 'utf8' }).status === 0;
if (hasTorch) {
  runners['python: import torch + build + count params'] = () => timed(python, ['-c', PY_PARAMS]);
  runners['python: the same + forward counting MACs'] = () => timed(python, ['-c', PY_MACS]);
}

try {
  runners[ENGINE](); // fills the warm parse cache
  runners[HIT](); // stores the result
  if (baseline) runners['baseline CLI (WATTLENS_BENCH_BASELINE_CLI)'](); // its warm parse cache
  const results = pairedRounds(runners, ROUNDS);
  const cliOut = JSON.parse(results[ENGINE][0].stdout).models[0];
  if (results[HIT].some((r) => r.stdout !== results[ENGINE][0].stdout)) throw new Error('the replayed result differs from the analysis');
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${ROUNDS} paired rounds; resnet50 → CLI ${cliOut.params} params, ${cliOut.macs} MACs`,
  );
  for (const [name, runs] of Object.entries(results)) {
    const rss = median(runs.map((r) => r.rssMb));
    console.log(
      `${name.padEnd(48)} median ${median(runs.map((r) => r.ms)).toFixed(0)} ms  (runs ${runs.map((r) => r.ms.toFixed(0)).join(', ')})  peak RSS ${Number.isNaN(rss) ? 'n/a' : `${rss.toFixed(0)} MB`}`,
    );
  }
  if (hasTorch) {
    const py = results['python: the same + forward counting MACs'][0].stdout.trim();
    console.log(`python's answer: ${py} (params, MACs of Conv2d + Linear)`);
  } else console.log(`python: skipped (${python} has no torch)`);
  const ratio = (ref, of) => median(results[ref].map((r, i) => r.ms / results[of][i].ms));
  const verdict = (x, target) => `${x.toFixed(1)}× (target ≥ ${target}×: ${x >= target ? 'met' : 'MISSED'})`;
  for (const of of [ENGINE, ...(extraCerts.length ? [ENGINE_NO_CERTS] : []), HIT, 'CLI, empty parse cache']) {
    if (!hasTorch) break;
    console.log(`${of}: vs python params ${verdict(ratio('python: import torch + build + count params', of), TARGET_PARAMS_RATIO)}`);
    console.log(`${of}: vs python MACs   ${verdict(ratio('python: the same + forward counting MACs', of), TARGET_MACS_RATIO)}`);
  }
  if (baseline)
    console.log(
      `baseline / CLI (engine at work): ${ratio('baseline CLI (WATTLENS_BENCH_BASELINE_CLI)', ENGINE).toFixed(2)}× (median of per-round ratios)`,
    );
  if (extraCerts.length)
    console.log(
      `NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): Node parses it at startup, ` +
        `${(median(results['node -e 0'].map((r) => r.ms)) - median(results['node -e 0, no NODE_EXTRA_CA_CERTS'].map((r) => r.ms))).toFixed(0)} ms of \`node -e 0\` here`,
    );
  const rss = Math.max(...[ENGINE, HIT, 'CLI, empty parse cache'].flatMap((k) => results[k].map((r) => r.rssMb)));
  if (!Number.isNaN(rss))
    console.log(
      `CLI peak RSS, largest of all runs: ${rss.toFixed(0)} MB (target ≤ ${TARGET_RSS_MB} MB: ${rss <= TARGET_RSS_MB ? 'met' : 'MISSED'})`,
    );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
