// Bundles the extension, its analysis worker and the CLI with esbuild, and copies the
// tree-sitter runtime and Python grammar next to them (nothing is downloaded at run time).
import { build } from 'esbuild';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
mkdirSync('dist', { recursive: true });
// outputs of earlier builds that nothing loads any more (the .vsix ships all of dist/)
for (const gone of ['advice-worker.js', 'advice-worker.js.map']) rmSync(join('dist', gone), { force: true });

// web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle lacks: use its CJS build
const treeSitterCjs = join(dirname(require.resolve('web-tree-sitter/tree-sitter.wasm')), 'tree-sitter.cjs');

// Names the parser, AST converter and star-import scanner this build carries: entries of the persistent parse cache
// (src/core/python/parseCache.ts) made by another build are not read.
const buildId = createHash('sha256');
for (const f of readdirSync('src/core/python').sort()) buildId.update(f).update(readFileSync(join('src/core/python', f)));
buildId.update(readFileSync('src/core/interp/staticNames.ts')); // the star-import names it also keeps
for (const asset of ['web-tree-sitter/tree-sitter.wasm', '@vscode/tree-sitter-wasm/wasm/tree-sitter-python.wasm'])
  buildId.update(readFileSync(require.resolve(asset)));

// web-tree-sitter's getValue/setValue (every cursor move and question marshals through them)
// test their type argument with String.prototype.endsWith, a builtin call each: 2.4 million
// calls, ~7% of the CLI's instructions on a timm ViT with no caches. A character test instead.
const POINTER_TYPE_TEST = 'if (type.endsWith("*")) type = "*";';
const fastTreeSitterGlue = {
  name: 'fast-tree-sitter-glue',
  setup(b) {
    b.onLoad({ filter: /tree-sitter\.cjs$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (text.split(POINTER_TYPE_TEST).length !== 3) throw new Error(`${args.path}: the getValue/setValue patch no longer applies`);
      return { contents: text.replaceAll(POINTER_TYPE_TEST, 'if (type.charCodeAt(type.length - 1) === 42) type = "*";'), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
  alias: { 'web-tree-sitter': treeSitterCjs },
  define: { WATTLENS_BUILD_ID: JSON.stringify(buildId.digest('hex').slice(0, 16)) },
  plugins: [fastTreeSitterGlue],
};

// The CLI and the analysis worker load the TF.js front end (and TypeScript's parser, ~11 MB)
// from dist/tfjs-engine.js on their first TF.js file: see src/core/tfjs/lazyEntry.ts.
const tfjsDir = resolve('src/core/tfjs') + sep;
const lazyTfjs = {
  name: 'lazy-tfjs',
  setup(b) {
    b.onResolve({ filter: /\/tfjs\/entry$/ }, (args) =>
      args.importer.startsWith(tfjsDir) ? undefined : { path: join(tfjsDir, 'lazyEntry.ts') },
    );
  },
};

// commander requires child_process (with net, dgram and streams: ~8 ms of a CLI start) for
// executable subcommands, which the CLI has none of: loaded when commander would spawn one
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let cp; module.exports = { spawn: (...a) => (cp ??= require('node:child_process')).spawn(...a) };",
      loader: 'js',
    }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' }),
  // the analysis worker: a small entry that runs worker-main.js from V8's code cache (src/extension/workerLaunch.ts),
  // which is built like cli-main.js (ASCII, read as a one-byte string)
  build({ ...common, entryPoints: { worker: 'src/extension/workerLaunch.ts' }, outdir: 'dist' }),
  build({
    ...common,
    entryPoints: { 'worker-main': 'src/extension/analysisWorker.ts' },
    outdir: 'dist',
    plugins: [lazyTfjs, fastTreeSitterGlue],
    minifyWhitespace: true,
  }),
  // schemas (zod) the extension needs only after activation: required by src/extension/lazy.ts
  build({ ...common, entryPoints: { lazy: 'src/extension/lazyModules.ts' }, outdir: 'dist' }),
  // the CLI: a small launcher that runs cli-main.js from V8's code cache (src/node/codeCache.ts)
  build({ ...common, entryPoints: { cli: 'src/cli/launch.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  // without comments (some are not ASCII): an ASCII bundle is read as a one-byte string, not decoded and widened
  // as a CommonJS module's function, which src/node/codeCache.ts compiles as read (MODULE_FUNCTION there)
  build({
    ...common,
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    outdir: 'dist',
    plugins: [lazyTfjs, lazyChildProcess, fastTreeSitterGlue],
    minifyWhitespace: true,
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  }),
  // `wattlens pilot` (the runner, run records and their zod schemas), required by cli-main.js when
  // the command runs (src/cli/pilotOptions.ts)
  build({
    ...common,
    entryPoints: { 'cli-pilot': 'src/cli/pilotCommand.ts' },
    outdir: 'dist',
    plugins: [lazyTfjs, fastTreeSitterGlue],
    minifyWhitespace: true,
  }),
  // the core as a library, for benchmarks and scripts
  build({ ...common, entryPoints: { engine: 'src/core/index.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { 'tfjs-engine': 'src/core/tfjs/bundle.ts' }, outdir: 'dist' }),
  // the report panel and pilot UI, loaded by extension.js on first use (keeps activation light)
  build({ ...common, entryPoints: { panel: 'src/extension/panel/panelFeature.ts' }, outdir: 'dist' }),
  // the report panel's browser bundle (Lit, @vscode-elements/elements, uPlot, its CSS as text): main.js
  build({
    entryPoints: { main: 'webview/src/main.ts' },
    outdir: 'webview/dist',
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    tsconfig: 'webview/tsconfig.json',
    loader: { '.css': 'text' },
  }),
]);
chmodSync('dist/cli.js', 0o755);
// src/node/codeCache.ts reads an ASCII bundle as a one-byte string; anything else costs every start ~25 ms
if (!isAscii(readFileSync('dist/cli-main.js')))
  console.warn('build: dist/cli-main.js is not ASCII (a non-ASCII regular expression or template?): every CLI start decodes it');
if (!isAscii(readFileSync('dist/worker-main.js')))
  console.warn('build: dist/worker-main.js is not ASCII (a non-ASCII regular expression or template?): every worker start decodes it');

// Parser runtime and grammar: the only binary assets, located at run time beside the bundles.
const treeSitterDir = dirname(require.resolve('web-tree-sitter/tree-sitter.wasm'));
copyFileSync(join(treeSitterDir, 'tree-sitter.wasm'), 'dist/tree-sitter.wasm');
const grammarDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
copyFileSync(join(grammarDir, 'tree-sitter-python.wasm'), 'dist/tree-sitter-python.wasm');

// Pilot harness (Python, run by the user's interpreter): shipped as plain files beside the bundles.
mkdirSync('dist/harness', { recursive: true });
for (const f of readdirSync('src/pilot/harness')) {
  if (f.endsWith('.py')) copyFileSync(join('src/pilot/harness', f), join('dist/harness', f));
}

// The torch.nn prelude (Python source inside the bundle) converted once here, not at every start.
const { serializePrelude } = require('../dist/engine.js');
writeFileSync('dist/prelude-ast.json', await serializePrelude());
