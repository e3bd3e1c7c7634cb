// Temporary folders for tests, each removed when what made it ends: the test, or the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, onTestFinished } from 'vitest';

const remove = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Makes temporary folders (`mkdtemp` with the prefix) that are removed after each test of the file. */
export function tempDirsPerTest(): (prefix: string) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) remove(d);
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/**
 * Makes temporary folders that are removed after the last test of the file (or of the describe block
 * where it is called): for folders made at the top of a file or in `beforeAll`.
 */
export function tempDirsPerFile(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs.splice(0)) remove(d);
  });
  return (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** A temporary folder removed when the running test ends: for helpers that tests call. */
export function tempDirForTest(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => remove(dir));
  return dir;
}
