// Starts and stops a real VS Code (code-server) with WattLens installed, for `npm start` and
// the e2e tests. Everything a session writes goes to one state folder, except the Node 24 and
// code-server install, which lives in the shared cache (see install.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, envWithNode24 } from './install.mjs';

export { CODE_SERVER_VERSION, cacheDir, ensureCodeServer } from './install.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_ID = 'wattlens.wattlens';

/** User settings for a quiet, offline workbench; callers add their own on top. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'editor.inlayHints.enabled': 'on',
  'editor.codeLens': true,
};

// Restricted Mode: trust is on, nobody is asked, so the folder opens untrusted.
const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** The package `npm run package` writes: wattlens-<version>.vsix at the repo root. */
export function defaultVsixPath() {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return join(REPO_ROOT, `${name}-${version}.vsix`);
}

/**
 * Packages the built extension (dist/ must be built) into the .vsix `npm run package` writes, with
 * the same vsce settings but without its prepublish build, and returns its path. Written to a
 * temporary name, then renamed: a concurrent run installing the previous file keeps reading it.
 */
export async function packageExtension({ outFile = defaultVsixPath(), log = () => {} } = {}) {
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first.');
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const vsceDir = dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json'));
  const { pack } = createRequire(join(vsceDir, 'package.json'))('./out/package.js');
  const partial = `${outFile}.${process.pid}.partial`;
  log(`[wattlens-e2e] vsce package --no-dependencies --out ${outFile}`);
  try {
    // dependencies: false: esbuild bundles everything the extension runs, so node_modules stay out.
    await pack({ cwd: REPO_ROOT, packagePath: partial, dependencies: false });
    renameSync(partial, outFile);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new Error(`vsce package failed: ${error.message}`, { cause: error });
  }
  return outFile;
}

/**
 * Starts code-server with the extension installed and `workspace` open.
 * @returns a handle with the workbench `url`, the state folders, the server's `output()` so far,
 *          and `stop()`, which ends the whole process group and removes a temporary state folder.
 */
export async function launchCodeServer({
  workspace,
  vsix,
  stateDir,
  trust = 'disabled',
  settings = {},
  env = {},
  host = '127.0.0.1',
  port = 0,
  readyTimeoutMs = 60_000,
  log = () => {},
} = {}) {
  if (!workspace || !existsSync(workspace)) throw new Error(`Workspace folder not found: ${workspace}`);
  if (vsix && !existsSync(vsix)) throw new Error(`Extension package not found: ${vsix}`);
  if (trust !== 'disabled' && trust !== 'restricted') throw new Error(`trust must be 'disabled' or 'restricted', not '${trust}'`);
  const tools = await ensureCodeServer({ log });

  const temporary = !stateDir;
  const root = stateDir ? resolve(stateDir) : mkdtempSync(join(tmpdir(), 'wattlens-cs-'));
  const dirs = stateFolders(root);
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const userSettings = { ...BASE_SETTINGS, ...(trust === 'restricted' ? RESTRICTED_MODE_SETTINGS : {}), ...settings };
  const settingsFile = join(dirs.userSettings, 'settings.json');
  // A kept state folder keeps the settings its user changed since the first start.
  if (temporary || !existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(userSettings, null, 2));

  const childEnv = {
    ...envWithNode24(tools),
    // Keep code-server's config, caches and sockets out of the real home and /tmp.
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    // WattLens's own caches too, even when the caller's environment names a folder (the test runs do)
    WATTLENS_CACHE_DIR: join(dirs.home, '.cache', 'wattlens'),
    TMPDIR: dirs.tmp,
    ...env,
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const cleanUp = () => temporary && rmSync(root, { recursive: true, force: true });

  try {
    if (vsix) {
      const install = await runToEnd(tools.node, [tools.codeServerEntry, ...common, '--force', '--install-extension', vsix], {
        env: childEnv,
      });
      if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
        throw new Error(`Installing ${vsix} into code-server failed (exit ${install.code}):\n${install.output}`);
      }
    }
  } catch (error) {
    cleanUp();
    throw error;
  }

  const args = [
    tools.codeServerEntry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trust === 'disabled' ? ['--disable-workspace-trust'] : []),
    resolve(workspace),
  ];
  // detached: the server leads its own process group, so stop() reaches the extension host too.
  const child = spawn(tools.node, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.on('error', (error) => (output += `\n${error.message}\n`));
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const killOnExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    killGroup(child.pid, 'SIGTERM');
    // The extension host and other helpers get a moment to save their state, then are killed.
    await waitForGroupExit(child.pid, 5_000);
    killGroup(child.pid, 'SIGKILL');
    await exited;
    cleanUp();
  };

  try {
    const baseUrl = await waitForListening(() => output, exited, readyTimeoutMs);
    await waitForHealthy(baseUrl, readyTimeoutMs);
    const url = `${baseUrl}?folder=${encodeURIComponent(resolve(workspace))}`;
    log(`[wattlens-e2e] code-server ready at ${url}`);
    return {
      url,
      baseUrl,
      pid: child.pid,
      stateDir: root,
      userDataDir: dirs.userData,
      extensionsDir: dirs.extensions,
      output: () => output,
      exited,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- code-server output ---\n${output.slice(-4000)}`, { cause: error });
  }
}

/**
 * Text an extension wrote to its output channel `channel` in this code-server session: VS Code
 * mirrors every output channel into a log file of the current extension host. '' when none yet.
 */
export function readOutputChannel(userDataDir, channel) {
  const hostDir = newestExtensionHostDir(userDataDir);
  if (!hostDir) return '';
  const suffix = `-${channel}.log`;
  return findFiles(hostDir, (name) => name.endsWith(suffix))
    .sort()
    .map((file) => readFileSync(file, 'utf8'))
    .join('');
}

/** The current extension host's own log (activations, extension errors). '' when none yet. */
export function readExtensionHostLog(userDataDir) {
  const hostDir = newestExtensionHostDir(userDataDir);
  const file = hostDir && join(hostDir, 'remoteexthost.log');
  return file && existsSync(file) ? readFileSync(file, 'utf8') : '';
}

// logs/<session timestamp>/exthost<N>/: each browser connection starts a new extension host.
function newestExtensionHostDir(userDataDir) {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  const session = readdirSync(logs).sort().at(-1);
  if (!session) return undefined;
  const hosts = readdirSync(join(logs, session))
    .map((name) => /^exthost(\d+)$/.exec(name))
    .filter(Boolean)
    .sort((a, b) => Number(a[1]) - Number(b[1]));
  return hosts.length ? join(logs, session, hosts.at(-1)[0]) : undefined;
}

function stateFolders(root) {
  return {
    userData: join(root, 'user-data'),
    userSettings: join(root, 'user-data', 'User'),
    extensions: join(root, 'extensions'),
    home: join(root, 'home'),
    tmp: socketSafeTmp(join(root, 'tmp')),
  };
}

// VS Code puts its IPC sockets (vscode-ipc-<uuid>.sock, 52 characters) in TMPDIR, and a Unix
// socket path may not exceed 107 bytes; a deep checkout falls back to the system temp folder.
function socketSafeTmp(preferred) {
  return Buffer.byteLength(preferred) + 53 <= 107 ? preferred : tmpdir();
}

function findFiles(dir, matches) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, matches));
    else if (matches(entry.name)) found.push(path);
  }
  return found;
}

async function waitForGroupExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return; // no process left in the group
    }
    await delay(50);
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function waitForListening(getOutput, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exit;
  exited.then((result) => (exit = result));
  while (Date.now() < deadline) {
    const match = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(getOutput());
    if (match) return `${match[1]}/`;
    if (exit) throw new Error(`code-server exited before listening (code ${exit.code}, signal ${exit.signal})`);
    await delay(100);
  }
  throw new Error(`code-server did not start listening within ${timeoutMs / 1000} s`);
}

async function waitForHealthy(baseUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(new URL('healthz', baseUrl));
      if (response.ok) return;
    } catch {
      // Not accepting connections yet.
    }
    await delay(200);
  }
  throw new Error(`code-server at ${baseUrl} did not answer /healthz within ${timeoutMs / 1000} s`);
}

function runToEnd(command, args, options) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? 1, output }));
  });
}

function delay(ms) {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}
