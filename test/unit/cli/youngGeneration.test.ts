// The CLI lets V8's young generation grow to its full size in fewer collections: a cold timm
// ViT keeps most of what it allocates (ASTs, classes), which each scavenge of a still small
// semi-space copied again. Counted with --trace-gc against the same run with the launcher's V8
// flags ignored (a preloaded script makes `v8.setFlagsFromString` do nothing).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuiltCli } from '../../support/builtCli';
import { tempDirsPerTest } from '../../support/tempDirs';

const root = REPO_ROOT;
const cli = requireBuiltCli();
const tempDir = tempDirsPerTest();
const workspace = join(root, 'test', 'fixtures', 'realworld', 'workspace');

function scavenges(ignoreFlags: boolean): number {
  const dir = tempDir('wattlens-gc-');
  const file = join(dir, 'vit.py');
  writeFileSync(file, "import timm\n\n\ndef build():\n    return timm.create_model('vit_base_patch16_224')\n");
  const noFlags = join(dir, 'no-flags.js');
  writeFileSync(noFlags, "require('node:v8').setFlagsFromString = () => {};\n");
  const pre = ignoreFlags ? ['-r', noFlags] : [];
  const r = spawnSync(process.execPath, ['--trace-gc', ...pre, cli, 'analyze', file, '--model', 'build', '--json'], {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, WATTLENS_CACHE_DIR: join(dir, 'cache') },
  });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('"params": 86567656');
  return r.stdout.split('\n').filter((l) => l.includes(': Scavenge ')).length;
}

describe('the CLI young generation', () => {
  it('a cold timm ViT takes fewer scavenges than with V8 defaults', () => {
    const defaults = scavenges(true);
    const tuned = scavenges(false);
    expect(defaults).toBeGreaterThan(0);
    expect(tuned).toBeLessThan(defaults);
  }, 60_000);
});
