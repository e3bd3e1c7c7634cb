// What imports may read: regular files inside the roots after symlinks, within size.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportGuard, MAX_IMPORTED_BYTES, MAX_IMPORTED_TOTAL_BYTES } from '../../../src/core/interp/sourceGuard';

const base = mkdtempSync(join(tmpdir(), 'wattlens-guard-'));
const ws = join(base, 'ws');
const out = join(base, 'out');
mkdirSync(ws);
mkdirSync(out);
writeFileSync(join(ws, 'ok.py'), 'X = 1\n');
writeFileSync(join(out, 'secret.py'), 'X = 1\n');
symlinkSync(join(out, 'secret.py'), join(ws, 'link.py'));
symlinkSync(out, join(ws, 'pkg'));
symlinkSync(join(ws, 'ok.py'), join(ws, 'alias.py'));
execFileSync('mkfifo', [join(ws, 'pipe.py')]);
writeFileSync(join(ws, 'big.py'), Buffer.alloc(MAX_IMPORTED_BYTES + 1, 0x23));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('ImportGuard', () => {
  const guard = () => new ImportGuard([ws]);

  it('lets a regular file inside the roots through, also through a symlink that stays inside', () => {
    expect(guard().reasonNotToRead(join(ws, 'ok.py'))).toBeUndefined();
    expect(guard().reasonNotToRead(join(ws, 'alias.py'))).toBeUndefined();
  });

  it('refuses file and folder symlinks whose real path is outside the roots', () => {
    expect(guard().reasonNotToRead(join(ws, 'link.py'))).toMatch(/^link\.py resolves to .*secret\.py, outside the workspace: not read$/);
    expect(guard().reasonNotToRead(join(ws, 'pkg', 'secret.py'))).toMatch(/outside the workspace/);
    expect(guard().reasonNotToRead('/etc/passwd')).toMatch(/outside the workspace/);
  });

  it('refuses a FIFO without opening it, and a module over the size limit', () => {
    expect(guard().reasonNotToRead(join(ws, 'pipe.py'))).toBe('pipe.py is not a regular file: not read');
    expect(guard().reasonNotToRead(join(ws, 'big.py'))).toBe('big.py is 1 MB, over the 1 MB limit for imported modules: not read');
  });

  it('a root reached through a symlink is the same root', () => {
    symlinkSync(ws, join(base, 'wslink'));
    expect(new ImportGuard([join(base, 'wslink')]).reasonNotToRead(join(ws, 'ok.py'))).toBeUndefined();
  });

  it('counts the bytes read by one analysis against the total, until reset', () => {
    const g = guard();
    const sized = join(ws, 'mid.py');
    writeFileSync(sized, Buffer.alloc(MAX_IMPORTED_BYTES, 0x23));
    for (let i = 0; i < MAX_IMPORTED_TOTAL_BYTES / MAX_IMPORTED_BYTES; i++) expect(g.reasonNotToRead(sized)).toBeUndefined();
    expect(g.reasonNotToRead(sized)).toMatch(/^mid\.py not read: the analysis already read 4 MB of imported source \(limit 4 MB\)$/);
    g.resetTotal();
    expect(g.reasonNotToRead(sized)).toBeUndefined();
  });

  it('text held in an editor buffer is checked by its length', () => {
    expect(guard().reasonTextTooLarge('/w/m.py', 'x'.repeat(MAX_IMPORTED_BYTES + 1))).toMatch(/over the 1 MB limit/);
    expect(guard().reasonTextTooLarge('/w/m.py', 'x = 1')).toBeUndefined();
  });
});
