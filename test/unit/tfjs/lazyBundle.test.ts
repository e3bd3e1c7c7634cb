// The built CLI loads the TF.js front end (dist/tfjs-engine.js, TypeScript's parser inside) for
// TF.js files only: a Python file must not pay for compiling it (scripts/build.mjs, lazyEntry.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
// prints, at exit, the bundles the process loaded
const listLoaded = `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).map((p) => require('path').basename(p))) + '\\n'))`;

function loadedBundles(file: string) {
  const r = spawnSync(
    process.execPath,
    ['-e', `${listLoaded}; process.argv.splice(1, 0, ${JSON.stringify(cli)}); require(${JSON.stringify(cli)})`, 'analyze', file, '--json'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, WATTLENS_CACHE_DIR: 'off' } },
  );
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: JSON.parse(line?.slice(7) ?? '[]') as string[] };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
});

describe('the CLI loads the TF.js front end on demand', () => {
  it('a Python file: tfjs-engine.js is not loaded', () => {
    const r = loadedBundles('examples/models/mlp.py');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).models.length).toBeGreaterThan(0);
    expect(r.loaded).toContain('cli.js');
    expect(r.loaded).not.toContain('tfjs-engine.js');
  });

  it('the CLI and worker bundles do not carry TypeScript; tfjs-engine.js does', () => {
    // esbuild marks each bundled file with a path comment
    const carriesTypeScript = (bundle: string) => readFileSync(join(root, 'dist', bundle), 'utf8').includes('node_modules/typescript/');
    expect(carriesTypeScript('cli-main.js')).toBe(false);
    expect(carriesTypeScript('worker-main.js')).toBe(false);
    expect(carriesTypeScript('tfjs-engine.js')).toBe(true);
  });

  it('a TF.js file: tfjs-engine.js is loaded and analyzes it', () => {
    const r = loadedBundles('test/fixtures/tfjs/mnist_cnn.ts');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).language).toBe('tfjs');
    expect(r.loaded).toContain('tfjs-engine.js');
  });

  it('an option the TF.js front end refuses is still a one-line usage error (exit 2)', () => {
    const refused = spawnSync(process.execPath, [cli, 'analyze', 'test/fixtures/tfjs/mnist_cnn.ts', '--model', 'Nope'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^wattlens: no model named "Nope"/);
    expect(refused.stderr).not.toMatch(/internal error/);
  });
});
