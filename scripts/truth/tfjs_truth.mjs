#!/usr/bin/env node
// Ground truth for the TF.js analyzer: builds every fixture model with real @tensorflow/tfjs
// (its pure-JS CPU backend; no native code) and writes test/fixtures/tfjs/truth/<fixture>.json
// with model.countParams(), the trainable count, and per layer (model.layers order, nested
// models expanded, input layers left out) its name, class, countParams() and outputShape.
//
// Each model is built in a fresh Node process, as a program that imports the fixture and
// calls its builder would: TF.js numbers unnamed layers with process-wide counters, and the
// analyzer reproduces those names.
//
// TF.js counts no MACs, so their truth comes from PyTorch: test/fixtures/tfjs/macs_cases.json
// pairs TF.js layers with the PyTorch modules that do the same arithmetic, and real torch
// with scripts/truth/torch_macs.py (torchvision's convention) counts them into
// truth/macs.json (skipped with a note when torch is missing; WATTLENS_PYTHON picks Python).
//
//   npm run truth:tfjs            rewrite the truth files
//   npm run truth:tfjs -- --check build again and fail when a committed truth file differs
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test/fixtures/tfjs');
const TRUTH = join(FIXTURES, 'truth');
const CACHE = join(ROOT, 'node_modules/.cache/wattlens-tfjs-truth');

/** Fixture → the entries the analyzer reports for it (names as the analyzer gives them). */
export const MANIFEST = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));

async function buildOne(fixture, entry, outFile) {
  const { build } = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  // CommonJS output loads both ES-module and require() fixtures
  const bundle = join(CACHE, `${fixture.replace(/[^\w]/g, '_')}.cjs`);
  await build({
    entryPoints: [join(FIXTURES, fixture)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    external: ['@tensorflow/*'],
    logLevel: 'error',
  });
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const mod = createRequire(import.meta.url)(bundle);
  let value = entry.split('.').reduce((o, k) => (o == null ? o : o[k]), mod);
  if (typeof value === 'function') value = /^class\b/.test(Function.prototype.toString.call(value)) ? new value() : await value();
  const model = value instanceof tf.LayersModel ? value : value && Object.values(value).find((v) => v instanceof tf.LayersModel);
  if (!model) throw new Error(`${fixture}: ${entry} did not give a tf.LayersModel`);
  const layers = [];
  const walk = (m, prefix) => {
    for (const l of m.layers) {
      if (l instanceof tf.LayersModel) walk(l, `${prefix}${l.name}/`);
      else if (l.getClassName() !== 'InputLayer')
        layers.push({ name: prefix + l.name, className: l.getClassName(), params: l.countParams(), outputShape: l.outputShape });
    }
  };
  walk(model, '');
  const size = (ws) => ws.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  const result = {
    countParams: model.countParams(),
    trainableParams: size(model.trainableWeights),
    inputShapes: model.inputs.map((t) => t.shape),
    outputShapes: model.outputs.map((t) => t.shape),
    layers,
  };
  writeFileSync(outFile, JSON.stringify(result));
}

function buildInChild(fixture, entry) {
  const out = join(CACHE, `${fixture.replace(/[^\w]/g, '_')}__${entry.replace(/[^\w]/g, '_')}.json`);
  mkdirSync(CACHE, { recursive: true });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', fixture, entry, out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${fixture} ${entry}: ${r.stderr || r.stdout}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** One layer per line, so diffs of truth files stay readable. */
function formatTruth(truth) {
  const models = Object.entries(truth.models).map(([name, m]) => {
    const { layers, ...rest } = m;
    const head = Object.entries(rest).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const rows = layers.map((l) => `        ${JSON.stringify(l)}`);
    return `    ${JSON.stringify(name)}: {\n${head.join(',\n')},\n      "layers": [\n${rows.join(',\n')}\n      ]\n    }`;
  });
  return `{\n  "fixture": ${JSON.stringify(truth.fixture)},\n  "tfjs": ${JSON.stringify(truth.tfjs)},\n  "models": {\n${models.join(',\n')}\n  }\n}\n`;
}

const TORCH_MACS = `
import json, sys
import torch, torch.nn as nn
sys.path.insert(0, sys.argv[1])
from torch_macs import profile

class Fn(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f
    def forward(self, *xs):
        return self.f(*xs)

out = {}
for case in json.load(open(sys.argv[2]))['cases']:
    torch.manual_seed(0)
    model = eval(case['torch']).eval()
    p = profile(model, tuple(torch.randn(*s) for s in case['inputs']))
    if p.uncounted_ops:
        raise SystemExit(f"{case['name']}: ops the counter cannot see: {p.uncounted_ops}")
    out[case['name']] = p.macs
print(json.dumps({'torch': torch.__version__, 'macs': out}))
`;

/** MACs of the PyTorch twins of macs_cases.json, from real torch. */
function torchMacs() {
  const python = process.env.WATTLENS_PYTHON ?? '/usr/bin/python3';
  const r = spawnSync(python, ['-c', TORCH_MACS, join(ROOT, 'scripts/truth'), join(FIXTURES, 'macs_cases.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) return { skipped: (r.stderr || r.error?.message || 'no python').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--one') return buildOne(args[1], args[2], args[3]);
  const check = args.includes('--check');
  const tfVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')).version;
  mkdirSync(TRUTH, { recursive: true });
  let differ = 0;
  for (const [fixture, entries] of Object.entries(MANIFEST)) {
    const models = {};
    for (const entry of entries) models[entry] = buildInChild(fixture, entry);
    const truth = { fixture, tfjs: tfVersion, models };
    const file = join(TRUTH, `${fixture.replace(/\.[^.]+$/, '').replace(/[\\/]/g, '__')}.json`);
    const text = formatTruth(truth);
    if (check) {
      const same = existsSync(file) && readFileSync(file, 'utf8') === text;
      if (!same) differ++;
      process.stdout.write(`${same ? 'same   ' : 'DIFFERS'} ${fixture}\n`);
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${file.slice(ROOT.length + 1)} (${entries.length} model${entries.length === 1 ? '' : 's'})\n`);
    }
  }
  const macs = torchMacs();
  const macsFile = join(TRUTH, 'macs.json');
  if ('skipped' in macs) process.stdout.write(`MAC truth not made (PyTorch unavailable: ${macs.skipped})\n`);
  else {
    const text = `${JSON.stringify(macs, null, 2)}\n`;
    if (check) {
      const same = existsSync(macsFile) && readFileSync(macsFile, 'utf8') === text;
      if (!same) differ++;
      process.stdout.write(`${same ? 'same   ' : 'DIFFERS'} macs (torch ${macs.torch})\n`);
    } else {
      writeFileSync(macsFile, text);
      process.stdout.write(`wrote ${macsFile.slice(ROOT.length + 1)} (${Object.keys(macs.macs).length} layers, torch ${macs.torch})\n`);
    }
  }
  if (differ) {
    process.stderr.write(`${differ} truth file(s) differ from what @tensorflow/tfjs ${tfVersion} builds now\n`);
    process.exit(1);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
