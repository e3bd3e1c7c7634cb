// The npm package is the CLI: its bundle and the files it reads beside it (.npmignore), not the
// extension, the tests or the sources. Needs a built dist/ (npm test builds first).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');

describe('npm pack', () => {
  it('ships the CLI runtime only', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(files).toContain(pkg.bin.wattlens.replace(/^\.\//, ''));
    // esbuild bundles every library into dist/: installing the CLI downloads nothing else
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/cli-main.js',
        'dist/cli-pilot.js',
        'dist/tfjs-engine.js',
        'dist/tree-sitter.wasm',
        'dist/tree-sitter-python.wasm',
        'dist/prelude-ast.json',
        'dist/harness/wattlens_pilot.py',
      ]),
    );
    const other = files.filter(
      (f) =>
        !/^dist\/(cli\.js|cli-(main|pilot)\.js|tfjs-engine\.js|tree-sitter(-python)?\.wasm|prelude-ast\.json|harness\/\w+\.py)$/.test(f),
    );
    expect(other).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
  });
});
