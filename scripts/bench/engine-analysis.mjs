// Static analysis speed: cold analysis of the largest model file of the corpus after parser
// init, and re-analysis after a one-line edit; side by side with what the same answer costs
// in Python (import torch, build the model, count its parameters).
// Run alone with `node scripts/bench/engine-analysis.mjs` after `npm run build`.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, Worker } from 'node:worker_threads';
import { median } from './lib/processRuns.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const enginePath = join(root, 'dist', 'engine.js');
if (!existsSync(enginePath)) {
  console.error('engine-analysis: dist/engine.js is missing: run `npm run build` first');
  process.exit(2);
}
const { AnalysisEngine, PythonDocument, ANALYSIS_WORKER_LIMITS } = require(enginePath);

// The extension analyzes in a worker thread with ANALYSIS_WORKER_LIMITS (a larger young
// generation): the figures are measured the same way.
if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { resourceLimits: ANALYSIS_WORKER_LIMITS });
  worker.on('error', (err) => {
    console.error(`engine-analysis: ${err.stack ?? err.message}`);
    process.exitCode = 2;
  });
  worker.on('exit', (code) => {
    if (code) process.exitCode = code;
  });
} else {
  const python = process.env.WATTLENS_BENCH_PYTHON ?? '/usr/bin/python3';
  const TARGET_COLD_MS = 50;
  const TARGET_EDIT_MS = 10;

  function pyFiles(dir) {
    return readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return pyFiles(p);
      return name.endsWith('.py') && name !== '__init__.py' ? [p] : [];
    });
  }

  // model files: the ones that define nn.Module subclasses (not helper or data modules)
  const corpus = pyFiles(join(root, 'test', 'fixtures', 'models'))
    .map((p) => ({ path: p, text: readFileSync(p, 'utf8') }))
    .filter((f) => /class \w+\((nn\.|torch\.nn\.)?Module\)/.test(f.text))
    .map((f) => ({ path: f.path, lines: f.text.split('\n').length }));
  corpus.sort((a, b) => b.lines - a.lines);
  const largest = corpus[0];
  const text = readFileSync(largest.path, 'utf8');

  let t = performance.now();
  const engine = await AnalysisEngine.create({ workspaceRoots: [] });
  const parserInitMs = performance.now() - t;

  // cold: a fresh engine's first analysis of the file (imports and torch built on the way)
  t = performance.now();
  const cold = engine.analyze(largest.path, text, {});
  const coldMs = performance.now() - t;
  const entryModel = cold.models[0];

  // the same file analyzed again from scratch in the warm engine (torch and imports built; no
  // model reused: a different seqLen makes every model's cache key new)
  const fullRuns = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    engine.analyze(largest.path, text, { seqLen: 2000 + i });
    fullRuns.push(performance.now() - t);
  }
  const oneModelRuns = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    engine.analyze(largest.path, text, { model: entryModel.name, seqLen: 3000 + i });
    oneModelRuns.push(performance.now() - t);
  }
  const reuseRuns = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    engine.analyze(largest.path, text, {});
    reuseRuns.push(performance.now() - t);
  }

  // a one-line edit inside the first builder, as the editor sees it: incremental reparse,
  // reconversion of the changed statement only, then analysis of the edited model, and of the
  // whole file (models that do not depend on the edited definition are reused)
  const doc = new PythonDocument(engine.pythonParser, text);
  const lines = text.split('\n');
  const builderLine = lines.findIndex((l) => l.startsWith(`def ${entryModel.name}(`));
  // a number in the builder's code (a docstring edit changes no code: every model would be reused)
  const editLine = lines.findIndex((l, i) => i > builderLine && /w_0=\d+/.test(l));
  const edit = (i) => {
    const edited = [...lines];
    edited[editLine] = edited[editLine].replace(/w_0=\d+/, `w_0=${[48, 56, 64][i % 3]}`);
    doc.update(edited.join('\n'));
  };
  const modelEditRuns = [];
  const fileEditRuns = [];
  engine.analyze(largest.path, doc.source, {}, doc.ast);
  for (let i = 0; i < 10; i++) {
    t = performance.now();
    edit(2 * i);
    engine.analyze(largest.path, doc.source, { model: entryModel.name }, doc.ast);
    modelEditRuns.push(performance.now() - t);
    t = performance.now();
    edit(2 * i + 1);
    engine.analyze(largest.path, doc.source, {}, doc.ast);
    fileEditRuns.push(performance.now() - t);
  }

  // reference: Python importing torch, building the same model and counting its parameters
  let pythonMs = null;
  const rel = relative(join(root, 'test', 'fixtures', 'models', 'third_party'), largest.path);
  if (rel.includes('torchvision')) {
    const code = `import time; t=time.perf_counter(); import torch, torchvision.models as M; m=getattr(M, '${entryModel.name}')(); n=sum(p.numel() for p in m.parameters()); print(n, (time.perf_counter()-t)*1000)`;
    const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
    if (r.status === 0) pythonMs = Number(r.stdout.trim().split(/\s+/)[1]);
  }

  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(
    `corpus: ${corpus.length} model files; largest ${relative(root, largest.path)} (${largest.lines} lines, ${cold.models.length} models)`,
  );
  console.log(
    `measured in a worker thread with the analysis worker's limits (young generation ${ANALYSIS_WORKER_LIMITS.maxYoungGenerationSizeMb} MB), as the extension runs it`,
  );
  console.log(`parser init                          ${ms(parserInitMs)}`);
  console.log(`cold analysis, whole file (${cold.models.length} models)  ${ms(coldMs)}   (includes building torch and the imported files)`);
  console.log(
    `whole file again, nothing reused    ${ms(median(fullRuns))} median of ${fullRuns.length}   (${cold.models.length} models; torch and imports already built)`,
  );
  console.log(`whole file again, unchanged         ${ms(median(reuseRuns))} median   (module code re-run, every model reused)`);
  console.log(
    `analysis of one model (${entryModel.name})    ${ms(median(oneModelRuns))} median   target ≤ ${TARGET_COLD_MS} ms ${median(oneModelRuns) <= TARGET_COLD_MS ? 'met' : 'MISSED'}`,
  );
  console.log(
    `re-analysis of the model after a one-line edit  ${ms(median(modelEditRuns))} median of ${modelEditRuns.length}   target ≤ ${TARGET_EDIT_MS} ms ${median(modelEditRuns) <= TARGET_EDIT_MS ? 'met' : 'MISSED'}`,
  );
  console.log(
    `re-analysis of the whole file after that edit   ${ms(median(fileEditRuns))} median   (the other ${cold.models.length - 1} models reused)`,
  );
  console.log(`python: import torch + build ${entryModel.name} + count params   ${pythonMs === null ? 'n/a (no torch)' : ms(pythonMs)}`);
}
