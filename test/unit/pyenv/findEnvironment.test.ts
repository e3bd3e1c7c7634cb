// Finding the user's Python environment from files alone: small fake environments in
// test/fixtures/pyenv/ (venv with an editable .pth, conda, Windows layout), and hostile ones
// made here (a pyvenv.cfg that is a FIFO, huge, or a link outside; a site-packages link loop).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandLineWorkspaces, findPythonEnvironment } from '../../../src/core/pyenv/findEnvironment';

const FIX = resolve(__dirname, '../../fixtures/pyenv');
const SITE = join(FIX, 'venvws/.venv/lib/python3.11/site-packages');
const temps: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'wl-pyenv-'));
  temps.push(d);
  return d;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('findPythonEnvironment', () => {
  it('finds a workspace .venv, then the plain path lines of its .pth files, never their import lines', () => {
    const env = findPythonEnvironment({ workspaceRoots: [join(FIX, 'venvws')] });
    expect(env.importRoots).toEqual([SITE, join(FIX, 'venvws/editable_src')]);
    expect(env.sources).toEqual([`.venv in ${join(FIX, 'venvws')}`]);
    expect(env.notes).toEqual([]);
  });

  it('puts extra paths first, then the interpreter, $VIRTUAL_ENV, $CONDA_PREFIX and workspace venvs', () => {
    const extra = join(FIX, 'venvws/editable_src');
    const env = findPythonEnvironment({
      workspaceRoots: [join(FIX, 'venvws')],
      interpreter: join(FIX, 'winenv/Scripts/python.exe'),
      env: { CONDA_PREFIX: join(FIX, 'conda') },
      extraPaths: [extra],
    });
    expect(env.importRoots).toEqual([extra, join(FIX, 'winenv/Lib/site-packages'), join(FIX, 'conda/lib/python3.10/site-packages'), SITE]);
  });

  it('reads a conda prefix, a Windows venv and an interpreter inside a venv', () => {
    expect(findPythonEnvironment({ workspaceRoots: [], env: { CONDA_PREFIX: join(FIX, 'conda') } }).importRoots).toEqual([
      join(FIX, 'conda/lib/python3.10/site-packages'),
    ]);
    expect(findPythonEnvironment({ workspaceRoots: [], env: { VIRTUAL_ENV: join(FIX, 'winenv') } }).importRoots).toEqual([
      join(FIX, 'winenv/Lib/site-packages'),
    ]);
    // a venv's bin/python: the venv, not wherever the link points
    expect(findPythonEnvironment({ workspaceRoots: [], interpreter: join(FIX, 'venvws/.venv/bin/python') }).importRoots[0]).toBe(SITE);
    expect(findPythonEnvironment({ workspaceRoots: [], interpreter: join(FIX, 'conda/bin/python') }).importRoots).toEqual([
      join(FIX, 'conda/lib/python3.10/site-packages'),
    ]);
  });

  it('adds the base site-packages when include-system-site-packages = true, and not when false', () => {
    const d = temp();
    mkdirSync(join(d, 'venv/lib/python3.11/site-packages'), { recursive: true });
    const cfg = (include: boolean) =>
      writeFileSync(
        join(d, 'venv/pyvenv.cfg'),
        `home = ${join(FIX, 'base/bin')}\ninclude-system-site-packages = ${include}\nversion = 3.11.4\n`,
      );
    cfg(true);
    expect(findPythonEnvironment({ workspaceRoots: [], env: { VIRTUAL_ENV: join(d, 'venv') } }).importRoots).toEqual([
      join(d, 'venv/lib/python3.11/site-packages'),
      join(FIX, 'base/lib/python3.11/site-packages'),
    ]);
    cfg(false);
    expect(findPythonEnvironment({ workspaceRoots: [], env: { VIRTUAL_ENV: join(d, 'venv') } }).importRoots).toEqual([
      join(d, 'venv/lib/python3.11/site-packages'),
    ]);
  });

  it('skips what is missing with a reason and never throws', () => {
    const env = findPythonEnvironment({
      workspaceRoots: ['/nonexistent-ws'],
      interpreter: '/nonexistent/bin/python',
      env: { VIRTUAL_ENV: '/nonexistent-venv' },
      extraPaths: ['relative/dir', '/nonexistent-extra'],
    });
    expect(env.importRoots).toEqual([]);
    expect(env.notes.join('\n')).toMatch(/relative\/dir is not absolute/);
    expect(env.notes.join('\n')).toMatch(/nonexistent-extra is not a folder/);
    expect(env.notes.join('\n')).toMatch(/nonexistent-venv is not a folder/);
  });
});

describe('hostile environments', () => {
  function workspaceWithVenv(): { ws: string; venv: string; site: string } {
    const ws = temp();
    const venv = join(ws, '.venv');
    const site = join(venv, 'lib/python3.11/site-packages');
    mkdirSync(site, { recursive: true });
    return { ws, venv, site };
  }

  it('a pyvenv.cfg that is a FIFO is not opened (no hang), the layout still counts', () => {
    const { ws, venv, site } = workspaceWithVenv();
    execFileSync('mkfifo', [join(venv, 'pyvenv.cfg')]);
    const env = findPythonEnvironment({ workspaceRoots: [ws] });
    expect(env.notes.join('\n')).toMatch(/pyvenv\.cfg is not a regular file: not read/);
    expect(env.importRoots).toEqual([site]);
  });

  it('a huge pyvenv.cfg or .pth is not read', () => {
    const { ws, venv, site } = workspaceWithVenv();
    writeFileSync(join(venv, 'pyvenv.cfg'), '');
    truncateSync(join(venv, 'pyvenv.cfg'), 2 * 1024 * 1024 * 1024);
    writeFileSync(join(site, 'big.pth'), '');
    truncateSync(join(site, 'big.pth'), 100 * 1024 * 1024);
    const env = findPythonEnvironment({ workspaceRoots: [ws] });
    expect(env.notes.filter((n) => /over the 65536 bytes expected of it: not read/.test(n))).toHaveLength(2);
    expect(env.importRoots).toEqual([site]);
  });

  it('a workspace venv that links outside, or whose .pth or site-packages point outside, is skipped', () => {
    const outside = temp();
    mkdirSync(join(outside, 'lib/python3.11/site-packages'), { recursive: true });
    writeFileSync(join(outside, 'pyvenv.cfg'), 'home = /usr/bin\n');
    const ws = temp();
    symlinkSync(outside, join(ws, '.venv'));
    expect(findPythonEnvironment({ workspaceRoots: [ws] }).notes.join('\n')).toMatch(/\.venv links outside the workspace: skipped/);

    const { ws: ws2, site } = workspaceWithVenv();
    writeFileSync(join(ws2, '.venv/pyvenv.cfg'), 'home = /usr/bin\n');
    writeFileSync(join(site, 'escape.pth'), `${outside}\n/\n`);
    const env = findPythonEnvironment({ workspaceRoots: [ws2] });
    expect(env.importRoots).toEqual([site]);
    expect(env.notes.filter((n) => /lies outside the workspace: skipped/.test(n))).toHaveLength(2);

    const ws3 = temp();
    mkdirSync(join(ws3, 'env/lib/python3.11'), { recursive: true });
    writeFileSync(join(ws3, 'env/pyvenv.cfg'), 'home = /usr/bin\n');
    symlinkSync(join(outside, 'lib/python3.11/site-packages'), join(ws3, 'env/lib/python3.11/site-packages'));
    const env3 = findPythonEnvironment({ workspaceRoots: [ws3] });
    expect(env3.importRoots).toEqual([]);
    expect(env3.notes.join('\n')).toMatch(/site-packages \(in env in .*\) links outside the workspace: skipped/);
  });

  it('a site-packages that is a link loop is skipped with a reason', () => {
    const ws = temp();
    mkdirSync(join(ws, 'venv/lib/python3.11'), { recursive: true });
    writeFileSync(join(ws, 'venv/pyvenv.cfg'), 'home = /usr/bin\n');
    symlinkSync(join(ws, 'venv/lib/python3.11/site-packages'), join(ws, 'venv/lib/python3.11/site-packages'));
    const env = findPythonEnvironment({ workspaceRoots: [ws] });
    expect(env.importRoots).toEqual([]);
    expect(env.notes.join('\n')).toMatch(/no site-packages/);
  });
});

describe('commandLineWorkspaces', () => {
  it('adds the nearest folder above the file that holds a venv', () => {
    expect(commandLineWorkspaces(join(FIX, 'venvws/editable_src/mylib/__init__.py'), '/')).toEqual(['/', join(FIX, 'venvws')]);
    expect(commandLineWorkspaces(join(FIX, 'venvws/x.py'), join(FIX, 'venvws'))).toEqual([join(FIX, 'venvws')]);
  });
});
