// `wattlens analyze` end to end through the built CLI (npm test builds first): the JSON
// contract, the readable table, and one-line errors with exit code 2 for bad input.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTruthFile } from '../fixtures/truth/truthSchema';
import { tempDirsPerFile } from '../support/tempDirs';

const fileTempDir = tempDirsPerFile();

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
});

describe('analyze --json', () => {
  it('prints the documented fields for every model', () => {
    const r = run('analyze', 'examples/models/cnn.py', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.file).toMatch(/examples\/models\/cnn\.py$/);
    expect(out.models.length).toBeGreaterThan(0);
    for (const m of out.models) {
      for (const k of [
        'name',
        'entry',
        'input',
        'params',
        'trainableParams',
        'uniqueParams',
        'macs',
        'flops',
        'activationBytes',
        'trainingMemoryBytes',
        'assumptions',
        'unknowns',
        'layers',
      ])
        expect(m, `model field ${k}`).toHaveProperty(k);
      expect(m.flops).toBe(2 * m.macs);
      for (const l of m.layers)
        for (const k of ['path', 'type', 'line', 'params', 'macs', 'flops', 'outputShape']) expect(l, `layer field ${k}`).toHaveProperty(k);
    }
  });

  it('builds a model from a call with literal arguments and takes one shape per forward input', () => {
    const truth = loadTruthFile('test/fixtures/truth/torchaudio.json').models.find((m) => m.name === 'Conformer')!;
    const file = 'test/fixtures/models/third_party/torchaudio-0.13.1/torchaudio/models/conformer.py';
    const r = run('analyze', file, '--model', truth.entry, '--input', truth.inputText, '--json');
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout).models[0];
    expect(m.entry).toBe(truth.entry);
    expect(m.input.source).toBe('cli');
    expect(m.uniqueParams).toBe(truth.uniqueParams);
    expect(m.macs).toBe(truth.macs);
  });

  it('--set overrides a config default and --batch/--precision/--optimizer change the training memory', () => {
    const base = JSON.parse(
      run('analyze', 'test/fixtures/models/third_party/nanogpt_model.py', '--model', 'GPT(GPTConfig())', '--input', '1x64', '--json')
        .stdout,
    ).models[0];
    const small = JSON.parse(
      run(
        'analyze',
        'test/fixtures/models/third_party/nanogpt_model.py',
        '--model',
        'GPT(GPTConfig())',
        '--input',
        '1x64',
        '--set',
        'n_layer=2',
        '--json',
      ).stdout,
    ).models[0];
    const gpt = loadTruthFile('test/fixtures/truth/gpt.json').models;
    expect(base.uniqueParams).toBe(gpt.find((m) => m.entry === 'GPT(GPTConfig())')!.uniqueParams);
    // two of twelve blocks: each block of GPT-2 small holds 7,087,872 parameters
    expect(base.uniqueParams - small.uniqueParams).toBe(10 * 7_087_872);
    const mem = JSON.parse(
      run('analyze', 'examples/models/cnn.py', '--batch', '32', '--precision', 'bf16-mixed', '--optimizer', 'sgd', '--json').stdout,
    ).models[0];
    const t = mem.trainingMemory[0];
    expect([t.batch, t.precision, t.optimizer, t.optimizerBytes]).toEqual([32, 'bf16-mixed', 'sgd', 0]);
    expect(t.weightsBytes).toBe(4 * mem.uniqueParams);
  });
});

describe('analyze --gpu', () => {
  const gpt = ['examples/training/tiny_gpt.py', '--model', 'TinyGPT(20, 256, d=512, layers=8, heads=8)', '--input', '64x256'];

  it('adds models[].stepEstimate: a band of step time and energy, labelled, with its basis', () => {
    const fp32 = JSON.parse(run('analyze', ...gpt, '--gpu', 'H100 SXM', '--json').stdout).models[0];
    const bf16 = JSON.parse(run('analyze', ...gpt, '--gpu', 'NVIDIA H100 80GB HBM3', '--precision', 'bf16-mixed', '--json').stdout)
      .models[0];
    expect(fp32.stepEstimate).toMatchObject({ gpu: 'H100 SXM', precision: 'fp32', batch: 64, label: 'estimated' });
    expect(bf16.stepEstimate).toMatchObject({ gpu: 'H100 SXM', precision: 'bf16', batch: 64 });
    const { timeS, joules, basis } = fp32.stepEstimate;
    expect(timeS.low).toBeLessThan(timeS.mid);
    expect(timeS.mid).toBeLessThan(timeS.high);
    expect(joules.low).toBeLessThan(joules.high);
    expect(basis.length).toBeGreaterThan(5);
    // the GEMM-bound GPT runs far faster on bf16 tensor cores than on fp32 CUDA cores
    expect(fp32.stepEstimate.timeS.mid / bf16.stepEstimate.timeS.mid).toBeGreaterThan(5);
    // without --gpu there is no estimate at all
    expect(JSON.parse(run('analyze', ...gpt, '--json').stdout).models[0].stepEstimate).toBeUndefined();
  });

  it('an unknown GPU exits 2 with the names it knows; a GPU without the precision gives null and why', () => {
    const r = run('analyze', ...gpt, '--gpu', 'Mystery 9000');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^wattlens: --gpu: no GPU profile matches "Mystery 9000"; known GPUs: H100 SXM, .*MI300X \(or cpu, cpu:THREADS for this machine’s CPU\)$/,
    );
    const t4 = JSON.parse(run('analyze', ...gpt, '--gpu', 'T4', '--precision', 'bf16-mixed', '--json').stdout).models[0];
    expect(t4.stepEstimate).toBeNull();
    expect(t4.stepEstimateReason).toBe('the T4 has no bf16 tensor cores (datasheet); choose fp32 or fp16');
  });

  it('--cpu-blas reference runs a CPU estimate’s fp32 matmuls at the reference BLAS’s measured efficiency', () => {
    const tiny = ['examples/training/tiny_gpt.py', '--model', 'TinyGPT(20, 32, d=64, layers=2, heads=4)', '--input', '32x32'];
    const optimized = JSON.parse(run('analyze', ...tiny, '--gpu', 'cpu:1', '--json').stdout).models[0].stepEstimate;
    const reference = JSON.parse(run('analyze', ...tiny, '--gpu', 'cpu:1', '--cpu-blas', 'reference', '--json').stdout).models[0]
      .stepEstimate;
    // the GEMM-bound tiny GPT: 2-4% of one thread's peak instead of 30-80%
    expect(reference.timeS.mid / optimized.timeS.mid).toBeGreaterThan(5);
    expect(reference.basis.join('\n')).toMatch(/on the reference BLAS \(torch built with BLAS_INFO=generic\)/);
    const gpu = run('analyze', ...tiny, '--gpu', 'H100 SXM', '--cpu-blas', 'reference', '--json');
    expect(gpu.code).toBe(2);
    expect(gpu.stderr.trim()).toBe('wattlens: --cpu-blas applies to --gpu cpu only');
  });
});

describe('analyze --model CALL --set on a config object', () => {
  // minGPT builds its config with GPT.get_default_config() (a CfgNode filled by __dict__.update);
  // --set changes it after it is built and before GPT reads it. Truth from real torch 1.13:
  // GPT.get_default_config() with the same attributes set, GPT(config), parameters summed, and
  // scripts/truth/torch_macs.py count(model, torch.zeros(1, 32, dtype=torch.long)).
  const mingpt = 'test/fixtures/realworld/workspace/minGPT/mingpt/model.py';
  const small = ['--set', 'model_type=None', '--set', 'n_layer=2', '--set', 'n_head=2', '--set', 'n_embd=64'];

  it('builds GPT(GPT.get_default_config()) with the overrides, exact against torch', () => {
    const r = run(
      'analyze',
      mingpt,
      '--model',
      'GPT(GPT.get_default_config())',
      ...small,
      '--set',
      'vocab_size=100',
      '--set',
      'config.block_size=32',
      '--input',
      '1x32',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout).models[0];
    expect(m.entry).toBe('GPT(GPT.get_default_config())');
    expect(m.params).toBe(114_944);
    expect(m.macs).toBe(3_612_672);
  });

  it('names the config a --set reached nowhere, or the attribute it lacks, in one line (exit 2)', () => {
    for (const [set, message] of [
      ['config.n_layr=2', /--set config\.n_layr: the CfgNode object has no attribute or key 'n_layr'/],
      ['cfg.n_layer=2', /--set cfg\.n_layer: no config object named 'cfg'/],
      ['model.n_layer=', /--set expects NAME=VALUE or PATH\.TO\.NAME=VALUE/],
      ['model..n_layer=2', /--set expects NAME=VALUE or PATH\.TO\.NAME=VALUE/],
    ] as const) {
      const r = run('analyze', mingpt, '--model', 'GPT(GPT.get_default_config())', '--set', set);
      expect(r.code, set).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const broken = run('analyze', mingpt, '--model', 'GPT(GPT.get_default_config()');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/--model "GPT\(GPT\.get_default_config\(\)" is not a Python call/);
  });
});

describe('analyze, readable output', () => {
  it('shows totals with units, the input source and the assumptions', () => {
    const r = run('analyze', 'examples/models/cnn.py');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/parameters\s+[\d.]+[KMG]? \(\d+\)/);
    expect(r.stdout).toMatch(/forward\s+[\d.]+ [KMGT]?MACs = [\d.]+ [KMGT]?FLOPs\s+\[estimated, static analysis\]/);
    expect(r.stdout).toMatch(/Assumptions:/);
    expect(r.stdout).toMatch(/input\s+\S+\s+\[/);
  });
});

describe('unknown figures', () => {
  const dir = fileTempDir('wattlens-cli-unknown-');

  it('a failed forward: every row reads ? (never 0 MACs) and the blocking unknown is the first line under the header', () => {
    const r = run(
      'analyze',
      'test/fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py',
      '--model',
      'resnet50',
      '--input',
      '1xAx224',
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^resnet50 /);
    expect(lines[1]).toMatch(/^ {2}blocked\s+forward cost at resnet\.py:\d+ \(forward raised RuntimeError/);
    const rows = lines.filter((l) => /^\s+(conv1|layer\d\.\d\.conv\d|fc)\s/.test(l));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(row).toMatch(/\? MACs/);
    expect(r.stdout).not.toMatch(/\b0 MACs/);
  });

  it('nothing built: the classes found are listed with their reason, exit code 3', () => {
    const file = join(dir, 'parts.py');
    writeFileSync(
      file,
      `import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)


class Net(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.blocks = nn.ModuleList([Block(8) for _ in range(depth)])
`,
    );
    const r = run('analyze', file);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Net: not built with default arguments/);
    expect(r.stdout).toMatch(/Not built:\n {2}- Block: a part of another model/);
    expect(r.stderr).toMatch(/no model could be analyzed/);
    const json = run('analyze', file, '--json');
    expect(json.code).toBe(3);
    const report = JSON.parse(json.stdout);
    expect(report.models).toEqual([]);
    expect(report.notBuilt[0]).toMatchObject({ what: 'Block', line: 4 });
  });
});

describe('bad input: one clear line on stderr, exit code 2, no stack trace', () => {
  const dir = fileTempDir('wattlens-cli-');
  const notPython = join(dir, 'notes.txt');
  writeFileSync(notPython, 'hello');
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['analyze', join(dir, 'nope.py')], /no such file/],
    ['an unknown model name', ['analyze', 'examples/models/cnn.py', '--model', 'NoSuchNet'], /no model named "NoSuchNet"/],
    ['a malformed --input', ['analyze', 'examples/models/cnn.py', '--input', '1x3xabcx-2'], /malformed input shape/],
    ['a file that is not Python', ['analyze', notPython], /not a Python/],
    ['an unknown optimizer', ['analyze', 'examples/models/cnn.py', '--optimizer', 'lion'], /optimizer/],
    ['a bad --batch', ['analyze', 'examples/models/cnn.py', '--batch', '0'], /--batch expects a positive integer/],
    ['a malformed --set', ['analyze', 'examples/models/cnn.py', '--set', 'oops'], /--set expects NAME=VALUE/],
    [
      'a dotted --set on a TensorFlow.js file',
      ['analyze', 'test/fixtures/tfjs/text_classifier.ts', '--set', 'a.b=1'],
      /--set a\.b: dotted paths reach Python config objects/,
    ],
    [
      'a --set value that is neither Python nor a name',
      ['analyze', 'examples/models/gpt.py', '--set', 'n_layer=twelve'],
      /is not a Python value or a name/,
    ],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const r = run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
