// A warm CLI run (parse cache and code cache filled, result cache off) loads neither node:crypto nor
// node:perf_hooks: their modules cost more to load than the hashing and timing they did. Entries
// are checked by CRC-32 and the analyzed file is known by `stat` (src/core/python/entryChecksum.ts).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const root = REPO_ROOT;
const cli = requireBuiltCli();
const tempDir = tempDirsPerTest();
const RESNET = 'test/fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py';

function run(cacheDir: string, preload?: string, nodeFlags: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      ...(preload ? ['--require', preload] : []),
      cli,
      'analyze',
      RESNET,
      '--model',
      'resnet50',
      '--input',
      '1x3x224x224',
      '--json',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, WATTLENS_CACHE_DIR: cacheDir, WATTLENS_RESULT_CACHE: 'off' } },
  );
  expect(r.status, r.stderr).toBe(0);
  return r;
}

describe('a warm CLI run', () => {
  it('answers as the cold run did without loading node:crypto or node:perf_hooks', () => {
    const dir = tempDir('wattlens-warm-modules-');
    const preload = join(dir, 'report-modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => process.stderr.write('MODULES ' + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))) + '\\n'));\n`,
    );
    const cache = join(dir, 'cache');
    const cold = run(cache).stdout;
    run(cache);
    const warm = run(cache, preload);
    expect(warm.stdout).toBe(cold);
    const line = warm.stderr.split('\n').find((l) => l.startsWith('MODULES '));
    const loaded = JSON.parse(line!.slice('MODULES '.length)) as string[];
    expect(loaded).toContain('v8');
    expect(loaded).not.toContain('crypto');
    expect(loaded).not.toContain('perf_hooks');
  });

  // Node's built-in modules carry V8 code caches bound to V8's flags: one loaded after the
  // launcher changes a flag is compiled from source (and its cache made anew) on every run
  it("compiles none of Node's built-in modules from source", () => {
    const dir = tempDir('wattlens-warm-builtins-');
    const preload = join(dir, 'report-builtins.cjs');
    writeFileSync(
      preload,
      `const { internalBinding } = require('internal/test/binding');
process.on('exit', () => process.stderr.write('FROM SOURCE ' + JSON.stringify([...internalBinding('builtins').getCacheUsage().compiledWithoutCache]) + '\\n'));\n`,
    );
    const cache = join(dir, 'cache');
    run(cache);
    run(cache);
    // stdout is a pipe here, as in a shell pipeline or a CI log
    const warm = run(cache, preload, ['--expose-internals', '--no-warnings']);
    const line = warm.stderr.split('\n').find((l) => l.startsWith('FROM SOURCE '));
    expect(JSON.parse(line!.slice('FROM SOURCE '.length))).toEqual([]);
  });
});
