// The CLI as a CI gate, through the built CLI (npm test builds first): reproducible --json,
// budgets and advice thresholds that exit 3 with one line per failure, the --depth tree.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
});

describe('analyze --json for CI', () => {
  it('prints the same bytes on every run, with schemaVersion, a relative file and no timings', () => {
    const first = run('analyze', 'examples/models/gpt.py', '--json');
    const second = run('analyze', 'examples/models/gpt.py', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const out = JSON.parse(first.stdout);
    expect(out.schemaVersion).toBe(1);
    expect(out.file).toBe('examples/models/gpt.py');
    expect(first.stdout).not.toContain('analysisMs');
    expect(first.stdout).not.toContain(root);
  });

  it('adds each model’s analysis time with --timings', () => {
    const out = JSON.parse(run('analyze', 'examples/models/cnn.py', '--json', '--timings').stdout);
    expect(out.models.every((m: { analysisMs?: unknown }) => typeof m.analysisMs === 'number')).toBe(true);
  });

  it('reports the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(run('--version').stdout.trim()).toBe(version);
  });
});

describe('budgets', () => {
  // cnn.py: CifarCNN has 620,810 parameters, 86.8 MMACs forward, 15.2 MiB training memory (batch 8, fp32, AdamW)
  it('exit 0 when every model is within its budgets', () => {
    const r = run('analyze', 'examples/models/cnn.py', '--max-params', '1M', '--max-macs', '100M', '--max-training-memory', '16MiB');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('exit 3 with one line per exceeded budget, the report still printed', () => {
    const r = run('analyze', 'examples/models/cnn.py', '--max-params', '600k', '--max-macs', '0.05G', '--max-training-memory', '15MiB');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('CifarCNN');
    expect(r.stderr.trim().split('\n')).toEqual([
      'wattlens: budget: CifarCNN: parameters 621K (620810) exceeds --max-params 600K (600000)',
      expect.stringMatching(/^wattlens: budget: CifarCNN: forward 86\.8 MMACs \(\d+\) exceeds --max-macs 50\.0 MMACs \(50000000\)$/),
      expect.stringMatching(
        /^wattlens: budget: CifarCNN: training memory 15\.2 MiB \(\d+\) exceeds --max-training-memory 15\.0 MiB \(15728640\)$/,
      ),
    ]);
  });

  it('exit 3 with --json too, and 2 for a malformed budget', () => {
    expect(run('analyze', 'examples/models/cnn.py', '--json', '--max-params', '600k').code).toBe(3);
    const bad = run('analyze', 'examples/models/cnn.py', '--max-params', '600 apples');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('advise --fail-on-saving', () => {
  it('exit 3 naming each suggestion that saves at least the threshold, 0 when none does', () => {
    const failing = run('advise', 'examples/models/gpt.py', '--fail-on-saving', '50');
    expect(failing.code).toBe(3);
    const lines = failing.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^wattlens: advice: [\w-]+ at line \d+ \(GPT\) saves (\d+)%, at or over --fail-on-saving 50%$/);
    expect(run('advise', 'examples/models/gpt.py', '--fail-on-saving', '100').code).toBe(0);
    expect(run('advise', 'examples/models/gpt.py', '--fail-on-saving', 'lots').code).toBe(2);
  });
});

describe('analyze --depth', () => {
  it('prints the layers as a tree in forward order with subtree sums, cut at the depth', () => {
    const r = run('analyze', 'examples/models/gpt.py', '--depth', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/├─blocks\s+108 inside\s+10\.6M\s+15\.7 GMACs\s+83%/);
    expect(r.stdout).toMatch(/│ {2}├─0\s+18 inside\s+1\.77M\s+2\.62 GMACs\s+14%/);
    expect(r.stdout).toMatch(/└─add@93\s+add\s+93/);
    expect(r.stdout).not.toContain('c_attn'); // depth 3
  });

  it('stops at 40 rows unless --all', () => {
    const cut = run('analyze', 'examples/models/gpt.py', '--depth', '4');
    expect(cut.stdout).toMatch(/… \d+ more rows \(--all shows every row\)/);
    const all = run('analyze', 'examples/models/gpt.py', '--depth', '4', '--all');
    expect(all.stdout).not.toContain('more rows');
    expect(all.stdout).toContain('c_attn');
  });
});
