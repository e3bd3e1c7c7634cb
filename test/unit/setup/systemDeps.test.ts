// What `npm start` and `npm test` do about missing system packages on a fresh machine.
import { describe, expect, it } from 'vitest';
import { installPlan, missingSystemPackages, SYSTEM_NEEDS, type SystemNeed } from '../../../scripts/system-deps.mjs';

const need = (apt: string[], purposes: ('start' | 'test')[], met: boolean): SystemNeed => ({
  apt,
  why: `${apt[0]} is needed`,
  for: purposes,
  met: () => met,
});

describe('system packages', () => {
  it('asks for the packages .ci/run installed: code-server build headers for both commands, torch and chromium for the tests', () => {
    const forStart = SYSTEM_NEEDS.filter((n) => n.for.includes('start')).flatMap((n) => n.apt);
    const forTest = SYSTEM_NEEDS.filter((n) => n.for.includes('test')).flatMap((n) => n.apt);
    expect(forStart).toEqual(expect.arrayContaining(['libkrb5-dev']));
    expect(forStart).not.toContain('chromium');
    expect(forTest).toEqual(
      expect.arrayContaining(['libkrb5-dev', 'python3-torch', 'python3-torchvision', 'python3-torchaudio', 'chromium']),
    );
  });

  it('checks only the needs of the command that runs', () => {
    const needs = [need(['libkrb5-dev'], ['start', 'test'], false), need(['chromium'], ['test'], false), need(['x'], ['test'], true)];
    expect(missingSystemPackages('start', needs).flatMap((n) => n.apt)).toEqual(['libkrb5-dev']);
    expect(missingSystemPackages('test', needs).flatMap((n) => n.apt)).toEqual(['libkrb5-dev', 'chromium']);
  });

  it('installs with apt-get as root on Debian/Ubuntu, else prints the one command to run', () => {
    const missing = [need(['libkrb5-dev'], ['test'], false), need(['chromium'], ['test'], false)];
    expect(installPlan([], 'test', { debian: true, root: true })).toEqual({ kind: 'none' });
    expect(installPlan(missing, 'test', { debian: true, root: true })).toMatchObject({
      kind: 'apt',
      packages: ['libkrb5-dev', 'chromium'],
    });
    const asked = installPlan(missing, 'test', { debian: true, root: false });
    expect(asked.kind).toBe('ask');
    expect(asked.kind === 'ask' && asked.message).toContain('sudo apt-get install -y libkrb5-dev chromium');
    expect(asked.kind === 'ask' && asked.message).toContain('chromium: chromium is needed');
    const elsewhere = installPlan(missing, 'start', { debian: false, root: true });
    expect(elsewhere.kind === 'ask' && elsewhere.message).toMatch(/install your system's equivalent/);
  });
});
