// `npm start` / `npm test` on a fresh clone: the system packages first, then the locked npm
// dependencies. `node scripts/ensure-deps.mjs start|test`; runs before node_modules exist, so it
// uses Node's built-ins only. Each step is skipped when its result is already there.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { installPlan, missingSystemPackages } from './system-deps.mjs';

const root = join(import.meta.dirname, '..');
const purpose = process.argv[2] === 'start' ? 'start' : 'test';

function fail(message) {
  console.error(`wattlens: ${message}`);
  process.exit(1);
}

const plan = installPlan(missingSystemPackages(purpose), purpose, {
  debian: existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get'),
  root: process.getuid?.() === 0,
});
if (plan.kind === 'ask') fail(plan.message);
if (plan.kind === 'apt') {
  console.error(`wattlens: ${plan.message}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  if (update.status !== 0) fail('apt-get update failed (see above)');
  const install = spawnSync('apt-get', ['install', '-y', '-q', ...plan.packages], { stdio: 'inherit', env });
  if (install.status !== 0) fail('apt-get install failed (see above)');
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.error('wattlens: installing npm dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('npm ci failed (see above)');
}
