// Installs code-server (a real VS Code served to a browser) and the Node 24 it needs into a
// cache folder outside the repo, once per version; later runs reuse it. Run directly to warm
// the cache (CI does): `node scripts/e2e/install.mjs`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import lockfile from 'proper-lockfile';

export const CODE_SERVER_VERSION = '4.139.1';
// code-server 4.139 runs on Node 24 only; it comes from the npm registry's `node` package.
export const NODE_SPEC = 'node@24';

/** Cache folder for this code-server version: $WATTLENS_E2E_CACHE or ~/.cache/wattlens-e2e/<version>. */
export function cacheDir() {
  const root = process.env.WATTLENS_E2E_CACHE
    ? resolve(process.env.WATTLENS_E2E_CACHE)
    : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wattlens-e2e');
  return join(root, CODE_SERVER_VERSION);
}

/** Where the installed tools live inside a cache folder. */
export function toolPaths(dir = cacheDir()) {
  const nodePrefix = join(dir, 'node24');
  const nodeBinDir = join(nodePrefix, 'node_modules', '.bin');
  const codeServerPrefix = join(dir, 'code-server');
  return {
    dir,
    nodeBinDir,
    node: join(nodeBinDir, 'node'),
    // The node package ships headers beside the binary; native modules must build against them.
    nodeHeadersDir: join(nodePrefix, 'node_modules', 'node', 'node_modules', `node-linux-${process.arch}`),
    codeServerPrefix,
    codeServerEntry: join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, 'installed.json'),
  };
}

/** True when the cache already holds a finished install of this version. */
export function isInstalled(dir = cacheDir()) {
  const paths = toolPaths(dir);
  if (!existsSync(paths.marker) || !existsSync(paths.node) || !existsSync(paths.codeServerEntry)) return false;
  try {
    return JSON.parse(readFileSync(paths.marker, 'utf8')).codeServer === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

/**
 * Makes sure Node 24 and code-server are in the cache and returns their paths. Installs at most
 * once: concurrent callers wait on a lock, and a finished install is marked by installed.json.
 */
export async function ensureCodeServer({ log = (line) => console.error(line) } = {}) {
  const dir = cacheDir();
  if (isInstalled(dir)) return toolPaths(dir);

  checkKerberosHeaders();
  mkdirSync(dir, { recursive: true });
  const release = await lockfile.lock(dir, {
    lockfilePath: `${dir}.lock`,
    stale: 60_000, // the lock's mtime is refreshed while we hold it; a dead holder frees it after a minute
    retries: { retries: 600, minTimeout: 1_000, maxTimeout: 2_000 },
  });
  try {
    if (isInstalled(dir)) return toolPaths(dir); // another process finished while we waited
    const paths = toolPaths(dir);
    const started = Date.now();
    log(`[wattlens-e2e] Installing Node 24 and code-server ${CODE_SERVER_VERSION} into ${dir} (once; 3-5 minutes on 2 cores)…`);
    rmSync(paths.codeServerPrefix, { recursive: true, force: true });
    await npmInstall(join(dir, 'node24'), NODE_SPEC, process.env, log);
    await npmInstall(paths.codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, envWithNode24(paths), log);
    if (!existsSync(paths.codeServerEntry)) throw new Error(`code-server install finished but ${paths.codeServerEntry} is missing`);
    const seconds = Math.round((Date.now() - started) / 1000);
    writeFileSync(
      paths.marker,
      JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_SPEC, seconds, at: new Date().toISOString() }, null, 2),
    );
    log(`[wattlens-e2e] Installed in ${seconds} s.`);
    return paths;
  } finally {
    await release();
  }
}

// What an outer npm (`npm test`) tells its scripts about itself. The inner npm would take
// npm_config_user_agent ("npm/10 node/v20 …") as its own setting and hand it to code-server's
// postinstall, which reads the Node version from it and refuses anything but Node 24.
const OUTER_NPM_VARIABLES = [
  'npm_config_user_agent',
  'npm_config_npm_version',
  'npm_config_node_gyp',
  'npm_config_local_prefix',
  'npm_execpath',
  'npm_node_execpath',
  'npm_command',
  'npm_lifecycle_event',
  'npm_lifecycle_script',
  'npm_package_json',
  'NODE',
];

/** Environment for running npm or code-server under Node 24 (the project itself stays on its own Node). */
export function envWithNode24(paths = toolPaths(), base = process.env) {
  const inherited = Object.fromEntries(Object.entries(base).filter(([name]) => !OUTER_NPM_VARIABLES.includes(name)));
  return {
    ...inherited,
    PATH: `${paths.nodeBinDir}${delimiter}${base.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeHeadersDir,
    // npm 6 and older run install scripts as `nobody` when root, who cannot write the cache;
    // npm 7+ always runs them as the caller and warns about the then-unknown setting.
    ...(npmMajorVersion() < 7 ? { npm_config_unsafe_perm: 'true' } : {}),
  };
}

function npmMajorVersion() {
  const result = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  return Number.parseInt(result.stdout ?? '', 10) || 0;
}

function checkKerberosHeaders() {
  if (process.platform !== 'linux') return;
  const found = ['/usr/include/krb5.h', '/usr/include/gssapi/gssapi.h'].some((header) => existsSync(header));
  if (!found) {
    throw new Error('code-server needs the Kerberos headers to build: install them with `apt-get install -y libkrb5-dev` (Debian/Ubuntu).');
  }
}

// Each install gets its own prefix folder with an empty package.json, so npm never walks up
// into a project above the cache.
async function npmInstall(prefix, spec, env, log) {
  mkdirSync(prefix, { recursive: true });
  const manifest = join(prefix, 'package.json');
  if (!existsSync(manifest)) writeFileSync(manifest, '{ "private": true }\n');
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, spec];
  log(`[wattlens-e2e] npm ${args.join(' ')}`);
  const { code, tail } = await run('npm', args, { cwd: prefix, env });
  if (code !== 0) throw new Error(`npm install ${spec} failed (exit ${code}). Last output:\n${tail}`);
}

function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, tail }));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureCodeServer()
    .then((paths) => console.log(`code-server ${CODE_SERVER_VERSION} ready in ${paths.dir}`))
    .catch((error) => {
      console.error(`wattlens-e2e: ${error.message}`);
      process.exit(1);
    });
}
