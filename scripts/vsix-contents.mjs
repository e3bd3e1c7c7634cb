// What the .vsix holds, and the checks a release must pass: at most 5 MB, no source maps, none
// of the CLI's bundles, every file the installed extension loads. `node scripts/vsix-contents.mjs
// [FILE.vsix]` checks a built package (default: the one `npm run package` writes); the unit
// test checks the file list vsce would pack (test/unit/packaging/vsix.test.ts).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MAX_VSIX_BYTES = 5 * 1024 * 1024;

const vsceDir = dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json'));
const vsceRequire = createRequire(join(vsceDir, 'package.json'));

/** Files the extension loads at run time (dist/extension.js, its worker, lazy bundles, assets). */
export const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'media/icon.png',
  'media/wattlens-panel.svg',
  'media/walkthrough/open-model.md',
  'dist/extension.js',
  'dist/lazy.js',
  'dist/panel.js',
  'dist/worker.js',
  'dist/worker-main.js',
  'dist/tfjs-engine.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-python.wasm',
  'dist/prelude-ast.json',
  'dist/harness/wattlens_pilot.py',
  'webview/dist/main.js',
  'docs/advisor.md',
];

/** Paths that must never ship: source maps, the CLI's bundles, sources, tests. */
export function forbiddenReason(path) {
  if (path.endsWith('.map')) return 'a source map';
  if (['dist/cli.js', 'dist/cli-main.js', 'dist/engine.js'].includes(path)) return 'a CLI bundle the extension never loads';
  if (/^(src|test|scripts|examples|node_modules)\//.test(path)) return 'sources, tests or dependencies (bundled into dist/)';
  return undefined;
}

/** The files `vsce package` would put into the .vsix from this checkout (as `vsce ls`). */
export async function packedFiles(cwd = REPO_ROOT) {
  const { listFiles } = vsceRequire('./out/package.js');
  return (await listFiles({ cwd, dependencies: false })).map((f) => f.replaceAll('\\', '/')).sort();
}

// vsce stores these under its own names inside the package.
const RENAMED_BY_VSCE = { 'readme.md': 'README.md', 'changelog.md': 'CHANGELOG.md', 'license.txt': 'LICENSE' };

/** The files inside a built .vsix, relative to the extension's folder, by their names in the checkout. */
export async function vsixEntries(vsixPath) {
  const { readZip } = vsceRequire('./out/zip.js');
  const entries = await readZip(vsixPath, (name) => name.startsWith('extension/'));
  return [...entries.keys()]
    .map((name) => name.slice('extension/'.length))
    .map((name) => RENAMED_BY_VSCE[name] ?? name)
    .sort();
}

/** One line per problem with a file list (and, given one, a package size); [] when it is fine. */
export function problems(files, sizeBytes) {
  const found = [];
  for (const path of files) {
    const reason = forbiddenReason(path);
    if (reason) found.push(`${path} is ${reason}`);
  }
  for (const path of REQUIRED_FILES) if (!files.includes(path)) found.push(`${path} is missing`);
  if (sizeBytes !== undefined && sizeBytes > MAX_VSIX_BYTES)
    found.push(`the package is ${(sizeBytes / 1e6).toFixed(1)} MB, over the ${MAX_VSIX_BYTES / 1024 / 1024} MiB budget`);
  return found;
}

export function defaultVsixPath() {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return join(REPO_ROOT, `${name}-${version}.vsix`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const vsix = resolve(process.argv[2] ?? defaultVsixPath());
  const size = statSync(vsix).size;
  const files = await vsixEntries(vsix);
  const found = problems(files, size);
  if (found.length > 0) {
    console.error(`${vsix}:\n${found.map((line) => `  ${line}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`${vsix}: ${files.length} files, ${(size / 1e6).toFixed(2)} MB (budget ${MAX_VSIX_BYTES / 1024 / 1024} MiB)`);
}
