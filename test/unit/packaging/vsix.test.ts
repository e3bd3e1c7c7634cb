// What `npm run package` puts into the .vsix (the list `vsce ls` prints, from .vscodeignore):
// what the installed extension loads, nothing else. Needs a built dist/ (npm test builds first).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_VSIX_BYTES, packedFiles, problems, REPO_ROOT, REQUIRED_FILES } from '../../../scripts/vsix-contents.mjs';

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
});

describe('the .vsix file list', () => {
  it('holds every file the extension loads and nothing the checks forbid', async () => {
    const files = await packedFiles();
    expect(problems(files)).toEqual([]);
    for (const required of REQUIRED_FILES) expect(files).toContain(required);
  });

  it('leaves out source maps, the CLI bundles, sources and the second copy of the harness', async () => {
    const files = await packedFiles();
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files).not.toContain('dist/cli.js');
    expect(files).not.toContain('dist/engine.js');
    expect(files).not.toContain('dist/cli-main.js');
    expect(files).toContain('dist/tfjs-engine.js'); // worker.js requires it on the first TF.js file
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('node_modules/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('wattlens_pilot.py'))).toEqual(['dist/harness/wattlens_pilot.py']);
  });
});

describe('the package checks', () => {
  const complete = [...REQUIRED_FILES];

  it('name each forbidden or missing file and an oversized package', () => {
    expect(problems(complete, 1_000_000)).toEqual([]);
    expect(problems([...complete, 'dist/cli.js', 'dist/worker.js.map'], 1_000_000)).toEqual([
      'dist/cli.js is a CLI bundle the extension never loads',
      'dist/worker.js.map is a source map',
    ]);
    expect(problems(complete.filter((f) => f !== 'dist/worker.js'))).toEqual(['dist/worker.js is missing']);
    expect(problems(complete, MAX_VSIX_BYTES + 1)).toEqual([`the package is 5.2 MB, over the 5 MiB budget`]);
  });
});
