// `wattlens analyze` leaves as soon as its report is written: it does not wait for work still
// pending in the process (here a timer a preloaded script leaves, standing in for V8's background
// work), yet its whole output arrives, its exit code holds, and its 'exit' handlers run.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const root = REPO_ROOT;
const cli = requireBuiltCli();
const tempDir = tempDirsPerTest();

function analyze(...args: string[]) {
  const dir = tempDir('wattlens-exit-');
  const pending = join(dir, 'pending.js');
  writeFileSync(
    pending,
    "setTimeout(() => process.stdout.write('LATE'), 8000);\nprocess.on('exit', () => process.stderr.write('exit handlers ran\\n'));\n",
  );
  const r = spawnSync(process.execPath, ['-r', pending, cli, 'analyze', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WATTLENS_CACHE_DIR: join(dir, 'cache'), WATTLENS_RESULT_CACHE: 'off' },
  });
  return { ...r, cache: join(dir, 'cache') };
}

describe('analyze leaves once its report is written', () => {
  it('with the whole report, exit code 0 and its exit handlers run (the code cache written)', () => {
    const r = analyze('examples/models/cnn.py', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('LATE');
    expect((JSON.parse(r.stdout) as { models: unknown[] }).models.length).toBeGreaterThan(0);
    expect(r.stderr).toBe('exit handlers ran\n');
    expect(readdirSync(join(r.cache, 'code'))).toHaveLength(1);
  });

  it('keeps the exit code of a budget exceeded', () => {
    const r = analyze('examples/models/cnn.py', '--max-params', '1');
    expect(r.status).toBe(3);
    expect(r.stdout).not.toContain('LATE');
    expect(r.stdout).toMatch(/params/i);
    expect(r.stderr).toMatch(/wattlens: budget: .* exceeds --max-params/);
  });
});
