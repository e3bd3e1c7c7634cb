// Directories watched on disk in a workspace of 3,000 data folders and one model file, before and
// after the watch moved to VS Code's watcher (which honours files.watcherExclude and which the
// workbench runs anyway): before, chokidar walked the whole workspace (depth 24, sources only);
// after, chokidar watches only the pilot run records (the folder, .wattlens, .wattlens/runs).
// Run alone with `node scripts/bench/watcher.mjs` (npm run bench runs it too).
import { build } from 'esbuild';
import { watch } from 'chokidar';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const DATA_FOLDERS = 3000;

// The run-record filter as the extension ships it (TypeScript, bundled here).
const bundled = await build({
  entryPoints: [join(root, 'src/extension/pilot/runRecordWatcher.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  external: ['chokidar'],
  logLevel: 'error',
});
const bundleFile = join(mkdtempSync(join(tmpdir(), 'wattlens-bench-')), 'runRecordWatcher.cjs');
writeFileSync(bundleFile, bundled.outputFiles[0].text);
const { isRunRecordPath } = createRequire(import.meta.url)(bundleFile);

const workspace = mkdtempSync(join(tmpdir(), 'wattlens-watch-'));
for (let i = 0; i < DATA_FOLDERS; i++) {
  const dir = join(workspace, 'data', `class_${String(i).padStart(4, '0')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sample_0.jpg'), '');
}
writeFileSync(join(workspace, 'train.py'), 'import torch\n');
mkdirSync(join(workspace, '.wattlens', 'runs'), { recursive: true });

// The filter of the workspace watcher before this change (chokidar over the workspace).
const SKIPPED = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', 'site-packages', '.wattlens']);
const oldIgnored = (path, stats) => SKIPPED.has(basename(path)) || (stats?.isFile() && !/\.(py|ts|js)$/.test(path));

async function measure(label, folders, options) {
  const started = performance.now();
  const watcher = watch(folders, { ignoreInitial: true, ...options });
  await new Promise((resolve) => watcher.once('ready', resolve));
  const ms = performance.now() - started;
  const dirs = Object.keys(watcher.getWatched()).filter((d) => d.startsWith(workspace)).length;
  await watcher.close();
  console.log(`${label.padEnd(62)} ${String(dirs).padStart(5)} directories watched, ready in ${ms.toFixed(0).padStart(5)} ms`);
}

try {
  console.log(`workspace: ${DATA_FOLDERS} data folders (one file each), train.py, .wattlens/runs`);
  await measure('before: chokidar over the workspace (depth 24, sources)', [workspace], { ignored: oldIgnored, depth: 24 });
  await measure('after: chokidar on the run records only (depth 2)', [workspace], {
    ignored: (path) => !isRunRecordPath([workspace], path),
    depth: 2,
    followSymlinks: false,
  });
  console.log("after: model sources come from VS Code's workspace watcher (files.watcherExclude applies), no watch of WattLens's own");
} finally {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(join(bundleFile, '..'), { recursive: true, force: true });
}
