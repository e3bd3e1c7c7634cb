// dist/cli.js loads tree-sitter only when a file misses the parse cache: a run whose every file
// is cached answers without it, and a run where an imported file changed since (a miss found in
// the middle of the analysis) analyzes again with the parser and answers as a run without cache.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const cli = requireBuiltCli();
const tempDirWithPrefix = tempDirsPerTest();

function tempDir(): string {
  return tempDirWithPrefix('wattlens-lazy-parser-');
}

function analyze(work: string, cacheDir: string) {
  const r = spawnSync(process.execPath, [cli, 'analyze', join(work, 'pkg', 'model.py'), '--model', 'Net', '--json'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, WATTLENS_CACHE_DIR: cacheDir, WATTLENS_RESULT_CACHE: 'off', WATTLENS_DEBUG: '1' },
  });
  expect(r.status, r.stderr).toBe(0);
  return { params: (JSON.parse(r.stdout) as { models: { params: number }[] }).models[0].params, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI parser, loaded on a parse-cache miss', () => {
  it('is not loaded when every file is cached; a changed import is analyzed again with it, as without cache', () => {
    const work = tempDir();
    const cache = tempDir();
    mkdirSync(join(work, 'pkg'));
    writeFileSync(join(work, 'pkg', '__init__.py'), '');
    const layers = (width: number) => `import torch.nn as nn\n\ndef block():\n    return nn.Linear(8, ${width})\n`;
    writeFileSync(join(work, 'pkg', 'layers.py'), layers(16));
    writeFileSync(
      join(work, 'pkg', 'model.py'),
      'import torch.nn as nn\nfrom .layers import block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = block()\n\n    def forward(self, x):\n        return self.b(x)\n',
    );
    const cold = analyze(work, cache);
    expect(cold.params).toBe(8 * 16 + 16);
    expect(cold.stderr).not.toMatch(/not loaded/);
    const warm = analyze(work, cache);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.stderr).toMatch(/parse cache: every file came from it; the parser was not loaded/);
    // the analyzed file is unchanged and cached; its import is not
    writeFileSync(join(work, 'pkg', 'layers.py'), layers(32));
    const changed = analyze(work, cache);
    expect(changed.stderr).toMatch(/a file missed it; analyzing again with the parser/);
    expect(changed.params).toBe(8 * 32 + 32);
    expect(changed.stdout).toBe(analyze(work, 'off').stdout);
    expect(analyze(work, cache).stderr).toMatch(/the parser was not loaded/);
  });
});
