// `npm start`: builds WattLens, starts a real VS Code (code-server) with it installed and
// examples/ open, and prints the URL to open in a browser. Ctrl-C stops everything.
// Writes only inside the repo (.wattlens-cache/) and the code-server cache (see scripts/e2e/install.mjs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cacheDir, launchCodeServer, packageExtension, REPO_ROOT } from './e2e/code-server.mjs';

const STATE_DIR = join(REPO_ROOT, '.wattlens-cache', 'code-server');
const log = (line) => console.error(line);

function portFromEnv() {
  const value = process.env.WATTLENS_PORT ?? '0';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`WATTLENS_PORT must be a port number (0 picks a free one), not '${value}'`);
  return port;
}

async function main() {
  const port = portFromEnv();
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed (see above)');

  const vsix = await packageExtension({ log });
  const server = await launchCodeServer({
    workspace: join(REPO_ROOT, 'examples'),
    vsix,
    // Kept between runs, so the editor's layout and your settings survive a restart.
    stateDir: STATE_DIR,
    host: process.env.WATTLENS_HOST ?? '127.0.0.1',
    port,
    log,
  });

  console.log(`\nWattLens is running in VS Code at:\n\n  ${server.url}\n`);
  console.log(`(code-server from ${cacheDir()}, state in ${STATE_DIR}; Ctrl-C to stop)`);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping code-server…`);
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const { code, signal } = await server.exited;
  if (!stopping) {
    console.error(`code-server exited on its own (code ${code}, signal ${signal}). Its last output:\n${server.output().slice(-2000)}`);
    await server.stop();
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
