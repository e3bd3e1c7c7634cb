// .wattlens/ gets its own .gitignore when WattLens makes the folder, and never again after.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWattlensDir, WATTLENS_GITIGNORE } from '../../../src/core/pilot/wattlensFiles';

const made: string[] = [];
const workspace = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-gitignore-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('.wattlens/.gitignore', () => {
  it('is written on the first write into .wattlens, ignoring everything in it', () => {
    const ws = workspace();
    ensureWattlensDir(ws, 'runs');
    expect(readFileSync(join(ws, '.wattlens', '.gitignore'), 'utf8')).toBe(WATTLENS_GITIGNORE);
    expect(WATTLENS_GITIGNORE.trim().split('\n').at(-1)).toBe('*');
  });

  it('is left as the user made it, or deleted it, once the folder exists', () => {
    const ws = workspace();
    ensureWattlensDir(ws, 'runs');
    writeFileSync(join(ws, '.wattlens', '.gitignore'), '/*\n!/runs/\n');
    ensureWattlensDir(ws, 'panel');
    expect(readFileSync(join(ws, '.wattlens', '.gitignore'), 'utf8')).toBe('/*\n!/runs/\n');
    rmSync(join(ws, '.wattlens', '.gitignore'));
    ensureWattlensDir(ws, 'runs');
    expect(existsSync(join(ws, '.wattlens', '.gitignore'))).toBe(false);
  });

  it('is not added to a .wattlens folder that a repository already has', () => {
    const ws = workspace();
    mkdirSync(join(ws, '.wattlens', 'runs'), { recursive: true });
    ensureWattlensDir(ws, 'runs');
    expect(existsSync(join(ws, '.wattlens', '.gitignore'))).toBe(false);
  });
});
