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
export function missingSystemPackages(purpose) {
  return SYSTEM_NEEDS.filter((need) => need.for.includes(purpose) && !need.met());
}
