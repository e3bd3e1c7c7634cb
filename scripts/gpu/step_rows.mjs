#!/usr/bin/env node
// Measured training steps against the static step estimate, as docs/validation.md's table rows.
//
//   npm run build
//   node scripts/gpu/step_rows.mjs OUT/steps.json [--gpu "H100 SXM"] [--host OUT/host-cuda.json]
//   node scripts/gpu/step_rows.mjs scripts/gpu/holdout_steps.json      # docs/validation.md's hold-out rows
//
// A steps file is what scripts/gpu/step_models.py writes ({environment, cases: [{case, entry,
// input, precision, stepTimeS, gpuJoulesPerStep}]}); a case may also name its `file` (default
// scripts/gpu/step_models.py), `device` (a GPU profile name or cpu:THREADS; default --gpu, else
// the environment's GPU), `optimizer`, `joulesPerStep` with `joulesLabel` (a CPU's estimated energy),
// a range [min, max] of measured step times, and `cpuBlas: "reference"` with `batchFeed`
// ("dataloader" or "none", as a pilot's record shows). Each estimate is the
// CLI's: `node dist/cli.js analyze FILE --model ENTRY --input INPUT --gpu DEVICE --precision P
// --optimizer O --json` (models[0].stepEstimate); a case with cpuBlas runs the same estimate with the
// reference BLAS's matmul efficiency and the pilot's batch feed (what a CPU pilot stores), through
// src/core/gpu/stepEstimate.ts bundled on the fly. --host adds the per-op host time that
// host_overhead.py --device cuda measured against the estimate's band for a GPU's host. --json
// prints the rows as JSON instead of Markdown.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const gpuFlag = flag('--gpu');
const hostFile = flag('--host');
const asJson = args.includes('--json') && args.splice(args.indexOf('--json'), 1);
const [stepsFile] = args;
if (!stepsFile) {
  console.error('usage: node scripts/gpu/step_rows.mjs STEPS.json [--gpu NAME] [--host HOST.json] [--json]');
  process.exit(2);
}
const steps = JSON.parse(readFileSync(stepsFile, 'utf8'));

let bundled;
async function engine() {
  if (bundled) return bundled;
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'step-rows-'));
  // the bundle is only needed until it is imported: nothing is left in the temp folder, even on failure
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { estimateStep } from ${JSON.stringify(join(root, 'src/core/gpu/stepEstimate.ts'))};`,
        `export { stepGpu } from ${JSON.stringify(join(root, 'src/core/gpu/stepEstimates.ts'))};`,
      ].join('\n'),
    );
    const out = join(dir, 'engine.mjs');
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
    bundled = await import(pathToFileURL(out).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return bundled;
}

function analyze(c, device, precision) {
  const file = c.file ?? 'scripts/gpu/step_models.py';
  const cli = ['dist/cli.js', 'analyze', file, '--model', c.entry, '--input', c.input, '--precision', precision];
  cli.push('--optimizer', c.optimizer ?? 'adamw', '--json');
  if (!c.cpuBlas) cli.push('--gpu', device);
  const report = JSON.parse(execFileSync('node', cli, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 }));
  return report.models[0];
}

async function estimateOf(c) {
  const device = c.device ?? gpuFlag ?? steps.environment?.gpu;
  if (!device) throw new Error(`${c.case}: no device (give --gpu NAME)`);
  const precision = c.precision === 'bf16' ? 'bf16-mixed' : c.precision === 'fp16' ? 'fp16-mixed' : 'fp32';
  const model = analyze(c, device, precision);
  if (!c.cpuBlas) {
    if (!model.stepEstimate) throw new Error(`${c.case}: no estimate (${model.stepEstimateReason ?? 'unknown reason'})`);
    return model.stepEstimate;
  }
  const { estimateStep, stepGpu } = await engine();
  const d = stepGpu(device);
  if (!d.ok) throw new Error(`${c.case}: ${d.message}`);
  const r = estimateStep(model, d.profile, {
    precision: 'fp32',
    optimizer: c.optimizer ?? 'adamw',
    cpuBlas: c.cpuBlas,
    batchFeed: c.batchFeed,
  });
  if (!r.ok) throw new Error(`${c.case}: ${r.reason}`);
  return r.estimate;
}

const sig = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3));
const ms = (s) => `${sig(s * 1e3)} ms`;
const pct = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(Math.abs(x) < 0.1 ? 1 : 0)}%`;
const band = (b, f) =>
  `${f(b.low).replace(/ \S+$/, '')} · ${f(b.mid).replace(/ \S+$/, '')} · ${f(b.high)} (${(b.high / b.low).toFixed(1)}×)`;

function compare(measured, b) {
  const [lo, hi] = Array.isArray(measured) ? measured : [measured, measured];
  const errors = [b.mid / hi - 1, b.mid / lo - 1];
  const inBand = [lo, hi].map((x) => x >= b.low && x <= b.high);
  return {
    error: lo === hi ? pct(errors[0]) : `${pct(errors[0])} … ${pct(errors[1])}`,
    errors,
    inBand: inBand.every(Boolean) ? 'yes' : inBand.some(Boolean) ? 'partly' : '**no**',
  };
}

const rows = [];
for (const c of steps.cases) {
  if (c.error) {
    rows.push({ case: c.case, precision: c.precision, failed: c.error });
    continue;
  }
  try {
    const e = await estimateOf(c);
    const t = compare(c.stepTimeS, e.timeS);
    const joules = c.gpuJoulesPerStep ?? c.joulesPerStep ?? null;
    const j = joules === null ? null : compare(joules, e.joules);
    rows.push({
      case: c.case,
      device: e.gpu,
      precision: c.precision,
      measured: c.stepTimeS,
      estimate: e.timeS,
      ...t,
      joules,
      joulesLabel: c.joulesLabel,
      joulesEstimate: e.joules,
      joulesError: j?.error ?? null,
      joulesErrors: j?.errors ?? null,
      joulesInBand: j?.inBand ?? null,
      host: e.host,
    });
  } catch (err) {
    rows.push({ case: c.case, precision: c.precision, failed: String(err.message ?? err).split('\n')[0] });
  }
}

if (asJson) {
  console.log(JSON.stringify(rows, null, 1));
} else {
  const env = steps.environment ?? {};
  if (env.torch)
    console.log(
      `Measured with torch ${env.torch}${env.gpu ? ` on ${env.gpu}` : ''} (${env.date ?? 'undated'}); estimates of ${new Date().toISOString().slice(0, 10)}.\n`,
    );
  console.log(
    '| case | device | precision | measured step | estimate: low · mid · high (width) | error | in band | measured J/step | estimate: low · mid · high | error | in band |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    if (r.failed) {
      console.log(`| ${r.case} | — | ${r.precision ?? ''} | failed: ${r.failed.replaceAll('|', '\\|')} | | | | | | | |`);
      continue;
    }
    const measured = Array.isArray(r.measured) ? `${sig(r.measured[0] * 1e3)}–${ms(r.measured[1])}` : ms(r.measured);
    const j = (x) => (x >= 1 ? `${sig(x)} J` : `${sig(x * 1e3)} mJ`);
    // a band in one unit, the one its high end needs
    const jBand = (x) => (r.joulesEstimate.high >= 1 ? `${sig(x)} J` : `${sig(x * 1e3)} mJ`);
    const jCols =
      r.joules === null
        ? '— | — | — | —'
        : `${j(r.joules)}${r.joulesLabel ? ` (${r.joulesLabel})` : ''} | ${band(r.joulesEstimate, jBand).replace(/ \(\d+\.\d×\)$/, '')} | ${r.joulesError} | ${r.joulesInBand}`;
    console.log(
      `| ${r.case} | ${r.device} | ${r.precision} | ${measured} | ${band(r.estimate, ms)} | ${r.error} | ${r.inBand} | ${jCols} |`,
    );
  }
}

if (hostFile) {
  const host = JSON.parse(readFileSync(hostFile, 'utf8'));
  const table = JSON.parse(readFileSync(join(root, 'src/core/gpu/hostCosts.json'), 'utf8'));
  const f = JSON.parse(readFileSync(join(root, 'src/core/gpu/stepModel.json'), 'utf8'));
  const u = table.usPerOp;
  const gpuBand = Object.fromEntries(['low', 'mid', 'high'].map((e) => [e, u[e] * f.gpuHostScale[e] + f.cudaLaunchUs[e]]));
  console.log(
    `\nHost µs per launch of forward, loss and backward on this GPU's host (${host.madeWith}): measured ${host.usPerOp.low} · ${host.usPerOp.mid} · ${host.usPerOp.high}; the estimate's band for a GPU's host ${sig(gpuBand.low)} · ${sig(gpuBand.mid)} · ${sig(gpuBand.high)} (framework per op × gpuHostScale + cudaLaunchUs)`,
  );
  for (const [k, v] of Object.entries(host.optimizerUs ?? {}))
    console.log(`- optimizer ${k}: ${v.perStepUs.mid} µs per step + ${v.perTensorUs.mid} µs per tensor (mid)`);
  if (host.h2dCopyUs) console.log(`- host-to-device copy of a pageable batch: ${JSON.stringify(host.h2dCopyUs)}`);
}
