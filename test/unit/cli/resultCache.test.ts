// dist/cli.js replays a stored `analyze --json` result only while everything the analysis read is
// unchanged: editing an imported file, adding a module that shadows one, another option or
// another value of an environment variable it read each analyze again; WATTLENS_CACHE_DIR=off
// and WATTLENS_RESULT_CACHE=off store nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const cli = requireBuiltCli();
const tempDir = tempDirsPerTest();

const helpers = (width: number) => `import torch.nn as nn\n\ndef block():\n    return nn.Linear(8, ${width})\n`;
const MODEL =
  'import torch.nn as nn\nfrom helpers import block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = block()\n';

/** A workspace (the current folder) with app/model.py importing helpers from app/. */
function workspace() {
  const work = tempDir('wattlens-result-cache-');
  const cache = tempDir('wattlens-result-cache-dir-');
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'model.py'), MODEL);
  writeFileSync(join(work, 'app', 'helpers.py'), helpers(16));
  const run = (extra: string[] = [], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [cli, 'analyze', 'app/model.py', '--model', 'Net', '--json', ...extra], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, WATTLENS_CACHE_DIR: cache, WATTLENS_DEBUG: '1', ...env },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { models: { params: number; trainingMemory: { batch: number }[] }[] };
    return { params: report.models[0].params, report, stdout: r.stdout, replayed: r.stderr.includes('result cache: replayed') };
  };
  return { work, cache, run };
}

describe('the result cache', () => {
  it('replays an unchanged analysis; an edited imported file is analyzed again', () => {
    const { work, run } = workspace();
    const first = run();
    expect(first).toMatchObject({ params: 8 * 16 + 16, replayed: false });
    const second = run();
    expect(second.replayed).toBe(true);
    expect(second.stdout).toBe(first.stdout);
    writeFileSync(join(work, 'app', 'helpers.py'), helpers(32));
    expect(run()).toMatchObject({ params: 8 * 32 + 32, replayed: false });
    expect(run()).toMatchObject({ params: 8 * 32 + 32, replayed: true });
  });

  it('a new module that shadows the imported one is found', () => {
    const { work, run } = workspace();
    run();
    expect(run().replayed).toBe(true);
    // the workspace (current folder) is searched before the analyzed file's folder
    writeFileSync(join(work, 'helpers.py'), helpers(64));
    expect(run()).toMatchObject({ params: 8 * 64 + 64, replayed: false });
  });

  it('another option or another value of an environment variable the analysis read is analyzed again', () => {
    const { run } = workspace();
    run([], { VIRTUAL_ENV: '/nowhere/a' });
    expect(run([], { VIRTUAL_ENV: '/nowhere/a' }).replayed).toBe(true);
    expect(run([], { VIRTUAL_ENV: '/nowhere/b' }).replayed).toBe(false);
    const batch = run(['--batch', '4'], { VIRTUAL_ENV: '/nowhere/a' });
    expect(batch.replayed).toBe(false);
    expect(batch.report.models[0].trainingMemory[0].batch).toBe(4);
    expect(run(['--batch', '4'], { VIRTUAL_ENV: '/nowhere/a' }).replayed).toBe(true);
  });

  it('a step estimate on the local CPU (--gpu cpu) is analyzed each time: the CPU is not in the record', () => {
    const { run } = workspace();
    run(['--gpu', 'cpu']);
    expect(run(['--gpu', 'cpu']).replayed).toBe(false);
    expect(run(['--gpu=cpu:2']).replayed).toBe(false);
    run(['--gpu', 'H100-SXM']);
    expect(run(['--gpu', 'H100-SXM']).replayed).toBe(true);
  });

  it("an entry under another key's file name (a name collision) is not replayed", () => {
    const { cache, run } = workspace();
    const results = join(cache, 'results');
    run(['--batch', '2']);
    const [entryOf2] = readdirSync(results);
    const four = run(['--batch', '4']);
    const [entryOf4] = readdirSync(results).filter((n) => n !== entryOf2);
    copyFileSync(join(results, entryOf2), join(results, entryOf4));
    const again = run(['--batch', '4']);
    expect(again.replayed).toBe(false);
    expect(again.stdout).toBe(four.stdout);
  });

  it('a replay whose files are all known by stat does not load node:crypto', () => {
    const cache = tempDir('wattlens-result-cache-dir-');
    const preload = join(tempDir('wattlens-result-cache-preload-'), 'modules.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write('MODULES ' + JSON.stringify(process.moduleLoadList) + '\\n'));\n",
    );
    // a file of the repository, unchanged for longer than a replay's 3 s of doubt
    const run = () =>
      spawnSync(process.execPath, ['-r', preload, cli, 'analyze', 'examples/models/cnn.py', '--json'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, WATTLENS_CACHE_DIR: cache, WATTLENS_DEBUG: '1' },
      });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const replay = run();
    expect(replay.stderr).toContain('result cache: replayed');
    expect(replay.stdout).toBe(first.stdout);
    // the last: a replay writes the first run's stderr (this preload's line included) again
    const line = replay.stderr
      .split('\n')
      .filter((l) => l.startsWith('MODULES '))
      .pop();
    const modules = JSON.parse(line!.slice('MODULES '.length)) as string[];
    expect(modules.filter((m) => /crypto/.test(m))).toEqual([]);
  });

  it('WATTLENS_RESULT_CACHE=off and WATTLENS_CACHE_DIR=off store and replay nothing', () => {
    const { cache, run } = workspace();
    run([], { WATTLENS_RESULT_CACHE: 'off' });
    expect(existsSync(join(cache, 'results'))).toBe(false);
    expect(run([], { WATTLENS_RESULT_CACHE: 'off' }).replayed).toBe(false);
    run([], { WATTLENS_CACHE_DIR: 'off' });
    expect(run([], { WATTLENS_CACHE_DIR: 'off' }).replayed).toBe(false);
    expect(existsSync(join(cache, 'results')) ? readdirSync(join(cache, 'results')) : []).toEqual([]);
  });
});
