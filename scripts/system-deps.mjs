// The system packages `npm start` and `npm test` need, named as Debian/Ubuntu packages, and
// which of them this machine lacks. Node built-ins only (runs before `npm ci`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const onLinux = process.platform === 'linux';
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const pythonHasTorch = () =>
  spawnSync('/usr/bin/python3', ['-c', 'import torch, torchvision, torchaudio'], { stdio: 'ignore' }).status === 0;

/** Each need: the Debian packages that meet it, why, for which command, and whether it is met. */
export const SYSTEM_NEEDS = [
  {
    apt: ['build-essential'],
    why: 'a C++ compiler and make, for the native modules of code-server (the VS Code both commands run)',
    for: ['start', 'test'],
    met: () => !onLinux || (hasCommand('make') && hasCommand('g++')),
  },
  {
    apt: ['libkrb5-dev'],
    why: "the Kerberos headers code-server's `kerberos` module builds against",
    for: ['start', 'test'],
    met: () => !onLinux || ['/usr/include/krb5.h', '/usr/include/gssapi/gssapi.h'].some((h) => existsSync(h)),
  },
  {
    apt: ['python3-torch', 'python3-torchvision', 'python3-torchaudio'],
    why: 'CPU PyTorch under /usr/bin/python3, the ground truth of the tests and the interpreter of pilot runs',
    for: ['test'],
    met: () => !onLinux || pythonHasTorch(),
  },
  {
    apt: ['chromium'],
    why: 'the browser the end-to-end tests drive (or set WATTLENS_CHROMIUM to another Chromium)',
    for: ['test'],
    met: () => !onLinux || existsSync(process.env.WATTLENS_CHROMIUM ?? '/usr/bin/chromium'),
  },
];

/** The needs of `npm <purpose>` ('start' or 'test') this machine does not meet. */
export function missingSystemPackages(purpose, needs = SYSTEM_NEEDS) {
  return needs.filter((need) => need.for.includes(purpose) && !need.met());
}

/**
 * What to do about the missing needs: nothing; install them with apt-get (root on Debian or
 * Ubuntu); or stop with a message that names each need and the one command to run.
 */
export function installPlan(missing, purpose, { debian, root }) {
  if (missing.length === 0) return { kind: 'none' };
  const packages = missing.flatMap((need) => need.apt);
  const why = missing.map((need) => `  ${need.apt.join(' ')}: ${need.why}`).join('\n');
  if (debian && root) return { kind: 'apt', packages, message: `installing system packages for \`npm ${purpose}\`:\n${why}` };
  if (debian)
    return {
      kind: 'ask',
      message: `\`npm ${purpose}\` needs these system packages:\n${why}\nInstall them with:\n\n  sudo apt-get install -y ${packages.join(' ')}\n`,
    };
  return {
    kind: 'ask',
    message:
      `\`npm ${purpose}\` needs (named as Debian/Ubuntu packages; install your system's equivalent):\n${why}\n` +
      `On Debian or Ubuntu: sudo apt-get install -y ${packages.join(' ')}\n`,
  };
}
