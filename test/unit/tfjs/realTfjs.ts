// Runs small TF.js programs with the real @tensorflow/tfjs (pure-JS CPU backend) in one child
// process: each program's `build()` makes a model; its countParams(), trainable count and
// layers (class, countParams(), outputShape) come back. Used by tests that compare the
// analyzer with TF.js on programs written inside the test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '../../..');

export interface RealModel {
  countParams: number;
  trainableParams: number;
  layers: { className: string; params: number; outputShape: unknown }[];
}

export function tfjsAvailable(): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs');
    return true;
  } catch {
    return false;
  }
}

/** A file and the export that builds the model (a builder function, a class, or a model). */
export interface ModelSource {
  file: string;
  entry: string;
}

/** Builds every model with real TF.js (`build()` of a file by default); an error message for the ones that throw. */
export function buildWithRealTfjs(
  sources: Record<string, string | ModelSource>,
  workDir: string,
): Record<string, RealModel | { error: string }> {
  const out = join(workDir, 'bundles');
  mkdirSync(out, { recursive: true });
  const bundles: Record<string, { bundle: string; entry: string }> = {};
  for (const [id, source] of Object.entries(sources)) {
    const { file, entry } = typeof source === 'string' ? { file: source, entry: 'build' } : source;
    const bundle = join(out, `${id.replace(/\W+/g, '_')}.cjs`);
    buildSync({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      external: ['@tensorflow/*'],
      logLevel: 'silent',
    });
    bundles[id] = { bundle, entry };
  }
  const runner = join(out, 'runner.cjs');
  writeFileSync(
    runner,
    `const tf = require('@tensorflow/tfjs');
// weight values do not change counts or shapes: skip the orthogonal initializer's slow QR (RNN kernels)
Object.getPrototypeOf(tf.initializers.orthogonal({})).apply = function (shape, dtype) { return tf.zeros(shape, dtype); };
const bundles = ${JSON.stringify(bundles)};
const size = (ws) => ws.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
const out = {};
for (const [id, { bundle, entry }] of Object.entries(bundles)) {
  try {
    let m = entry.split('.').reduce((o, k) => (o == null ? o : o[k]), require(bundle));
    if (typeof m === 'function') m = /^class\\b/.test(Function.prototype.toString.call(m)) ? new m() : m();
    if (!(m instanceof tf.LayersModel)) m = m && Object.values(m).find((v) => v instanceof tf.LayersModel);
    const layers = [];
    const walk = (model) => { for (const l of model.layers) { if (l instanceof tf.LayersModel) walk(l); else if (l.getClassName() !== 'InputLayer') layers.push({ className: l.getClassName(), params: l.countParams(), outputShape: l.outputShape }); } };
    walk(m);
    out[id] = { countParams: m.countParams(), trainableParams: size(m.trainableWeights), layers };
  } catch (e) { out[id] = { error: String(e && e.message || e) }; }
}
process.stdout.write('\\n@@' + JSON.stringify(out));`,
  );
  const r = spawnSync(process.execPath, [runner], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`real TF.js run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.split('@@').pop()!);
}
