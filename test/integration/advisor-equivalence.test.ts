// Every automatic advisor rewrite keeps the program correct: the original and the rewritten
// file run with real torch on the same weights and inputs give the same outputs (rtol 1e-4),
// the rewritten code parses, and the engine's "after" figures equal real torch's counts of
// the rewritten model.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise, fixAll, type AdviseOptions } from '../../src/core/advisor/advise';
import type { RuleId, Suggestion } from '../../src/core/advisor/types';
import { AnalysisEngine } from '../../src/core/analysis/engine';
import { PYTHON } from '../support/torchTruth';
import { tempDirForTest, tempDirsPerFile } from '../support/tempDirs';

const fileTempDir = tempDirsPerFile();

const root = resolve(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'advisor');

interface Case {
  label: string;
  file: string;
  rule: RuleId;
  /** Python expression building the model in the file's namespace. */
  entry: string;
  /** The model name the suggestion reports (the engine's entry). */
  model: string;
  inputs: { shape: number[]; long?: boolean }[];
  /** Advice options (a model call and input for third-party files without defaults, a batch). */
  options?: AdviseOptions;
  /** Import roots of a third-party file, relative to the repository, and its package for relative imports. */
  sysPath?: string[];
  package?: string;
}

const corpus = 'test/fixtures/realworld/workspace';

const CASES: Case[] = [
  {
    label: 'causal self-attention with a tril buffer and nn.Dropout',
    file: 'attention_causal.py',
    rule: 'sdpa',
    entry: 'Block()',
    model: 'Block',
    inputs: [{ shape: [2, 32, 64] }],
  },
  {
    label: 'non-causal attention, scale by division, F.dropout',
    file: 'attention_plain.py',
    rule: 'sdpa',
    entry: 'PatchAttention()',
    model: 'PatchAttention',
    inputs: [{ shape: [2, 49, 96] }],
  },
  {
    label: 'additive padding mask passed to forward',
    file: 'attention_masked.py',
    rule: 'sdpa',
    entry: 'MaskedAttention()',
    model: 'MaskedAttention',
    inputs: [{ shape: [2, 16, 32] }, { shape: [2, 1, 1, 16] }],
  },
  {
    label: '3-D bmm attention with a boolean triu mask built in between',
    file: 'attention_masked.py',
    rule: 'sdpa',
    entry: 'BmmAttention()',
    model: 'BmmAttention',
    inputs: [{ shape: [4, 10, 24] }],
  },
  {
    label: 'nn.MultiheadAttention calls that drop the weights, one spanning lines',
    file: 'mha_block.py',
    rule: 'mha-sdpa',
    entry: 'EncoderBlock()',
    model: 'EncoderBlock',
    inputs: [{ shape: [64, 2, 128] }],
  },
  {
    label: 'vit-pytorch Attention: nn.Softmax module, nn.Dropout',
    file: 'attention_variants.py',
    rule: 'sdpa',
    entry: 'ViTAttention()',
    model: 'ViTAttention',
    inputs: [{ shape: [2, 16, 64] }],
  },
  {
    label: 'einsum scores and values',
    file: 'attention_variants.py',
    rule: 'sdpa',
    entry: 'EinsumAttention()',
    model: 'EinsumAttention',
    inputs: [{ shape: [2, 24, 32] }],
  },
  {
    label: 'Hugging Face eager: torch.where over a tril buffer with finfo.min → is_causal',
    file: 'attention_variants.py',
    rule: 'sdpa',
    entry: 'WhereCausalAttention()',
    model: 'WhereCausalAttention',
    inputs: [{ shape: [2, 16, 48] }],
  },
  {
    label: 'torch.baddbmm with alpha and an additive bias',
    file: 'attention_variants.py',
    rule: 'sdpa',
    entry: 'BaddbmmAttention()',
    model: 'BaddbmmAttention',
    inputs: [{ shape: [3, 10, 16] }, { shape: [1, 10, 10] }],
  },
  {
    label: 'deit/timm Attention: q pre-scaled, (attn @ v) inside a longer expression',
    file: 'attention_variants.py',
    rule: 'sdpa',
    entry: 'TimmAttention()',
    model: 'TimmAttention',
    inputs: [{ shape: [2, 17, 48] }],
  },
  {
    label: 'minGPT CausalSelfAttention (third-party file, default scale left out)',
    file: `${corpus}/minGPT/mingpt/model.py`,
    rule: 'sdpa',
    entry: 'CausalSelfAttention(CN(n_embd=64, n_head=4, block_size=32, attn_pdrop=0.1, resid_pdrop=0.1))',
    model: 'CausalSelfAttention',
    inputs: [{ shape: [2, 32, 64] }],
    options: { model: 'CausalSelfAttention(CN(n_embd=64, n_head=4, block_size=32, attn_pdrop=0.1, resid_pdrop=0.1))', input: '2x32x64' },
    sysPath: [`${corpus}/minGPT`],
  },
  {
    label: 'segment-anything Attention: k.permute(0, 1, 3, 2), scale from q.shape',
    file: `${corpus}/segment-anything/segment_anything/modeling/transformer.py`,
    rule: 'sdpa',
    entry: 'Attention(64, 4, downsample_rate=2)',
    model: 'Attention',
    inputs: [{ shape: [2, 16, 64] }, { shape: [2, 20, 64] }, { shape: [2, 20, 64] }],
    options: { model: 'Attention(64, 4, downsample_rate=2)', input: '2x16x64,2x20x64,2x20x64' },
    sysPath: [`${corpus}/segment-anything`],
    package: 'segment_anything.modeling',
  },
  {
    label: 'nanoGPT: blocks in a ModuleList inside a ModuleDict under checkpoint',
    file: 'test/fixtures/models/third_party/nanogpt_model.py',
    rule: 'checkpointing',
    entry: 'GPT(GPTConfig(block_size=64, vocab_size=128, n_layer=3, n_head=4, n_embd=64))',
    model: 'GPT',
    inputs: [{ shape: [4, 64], long: true }],
    options: {
      model: 'GPT(GPTConfig(block_size=64, vocab_size=128, n_layer=3, n_head=4, n_embd=64))',
      input: '4x64',
      batch: 12,
    },
  },
  {
    label: 'vit-pytorch ViT-like nested ModuleList: two block calls per loop body',
    file: 'deep_stack.py',
    rule: 'checkpointing',
    entry: 'PairStack()',
    model: 'PairStack',
    inputs: [{ shape: [16, 256, 64] }],
  },
  {
    label: 'a ModuleList of residual blocks run under torch.utils.checkpoint',
    file: 'deep_stack.py',
    rule: 'checkpointing',
    entry: 'DeepStack()',
    model: 'DeepStack',
    inputs: [{ shape: [16, 256, 64] }],
  },
];

interface Outcome {
  maxAbsDiff?: number;
  allclose?: boolean;
  params?: number;
  macs?: number;
  error?: string;
}

const suggestions = new Map<string, Suggestion>();
let outcomes: Outcome[] = [];

beforeAll(async () => {
  const engine = await AnalysisEngine.create({});
  const dir = fileTempDir('wattlens-advisor-');
  const pyCases = CASES.map((c, i) => {
    const file = c.file.startsWith('test/') ? join(root, c.file) : join(fixtures, c.file);
    const text = readFileSync(file, 'utf8');
    const report = advise(engine, file, text, { ...c.options, rules: [c.rule] });
    const s = report.suggestions.find((x) => x.rule === c.rule && x.model === c.model);
    if (s) suggestions.set(c.label, s);
    const rewritten = join(dir, `rewritten_${i}.py`);
    const fixed = fixAll(report, text, c.rule).text;
    writeFileSync(rewritten, fixed);
    // the rewritten file itself must parse cleanly
    expect(engine.pythonParser.parseModule(fixed).syntaxErrors, `${c.label}: rewritten code does not parse`).toEqual([]);
    return {
      original: file,
      rewritten,
      entry: c.entry,
      inputs: c.inputs,
      sysPath: (c.sysPath ?? []).map((p) => join(root, p)),
      package: c.package,
    };
  });
  const casesFile = join(dir, 'cases.json');
  writeFileSync(casesFile, JSON.stringify(pyCases));
  const stdout = execFileSync(PYTHON, [join(root, 'test', 'support', 'equivalence.py'), casesFile], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  outcomes = JSON.parse(stdout.trim().split('\n').pop()!);
}, 180_000);

describe('advisor rewrites keep outputs and their figures match real torch', () => {
  it.each(CASES.map((c, i) => [c.label, c.rule, i] as const))('%s (%s)', (label, _rule, i) => {
    const s = suggestions.get(label);
    expect(s, 'no fixable suggestion').toBeDefined();
    expect(s!.fixable).toBe(true);
    expect(s!.afterSource).toBe('reanalysis');
    const o = outcomes[i];
    expect(o.error, o.error).toBeUndefined();
    expect(o.allclose, `max |Δ| = ${o.maxAbsDiff}`).toBe(true);
    expect(s!.after.params).toBe(o.params);
    expect(s!.after.macs).toBe(o.macs);
  });
});

// Training-script rewrites: the original and rewritten scripts run to the end with the same
// seeds and print the same final loss (CPU: the autocast is enabled only on the script's CUDA device).
const SCRIPTS: { script: string; rules: RuleId[]; options?: AdviseOptions; label?: string }[] = [
  { script: 'train_script.py', rules: ['autocast-bf16', 'dataloader-workers', 'fused-optimizer'] },
  // pytorch/examples mnist: forward one line above the loss, the script's own device, Adadelta
  { script: 'mnist_train.py', rules: ['autocast-bf16', 'fused-optimizer'] },
  { script: 'mnist_train.py', rules: ['autocast-bf16'], options: { precision: 'fp16-mixed' }, label: 'fp16 with GradScaler' },
];

describe.each(SCRIPTS)('advisor rewrites of $script keep its results $label', ({ script: name, rules, options }) => {
  const script = join(fixtures, name);
  const text = readFileSync(script, 'utf8');
  const runScript = (path: string) =>
    execFileSync(PYTHON, [path], { encoding: 'utf8', cwd: fixtures, timeout: 120_000 }).trim().split('\n').pop()!;
  let original = '';
  let engine: AnalysisEngine;
  beforeAll(async () => {
    engine = await AnalysisEngine.create({});
    original = runScript(script);
  }, 120_000);

  it.each(rules)(
    '%s',
    (rule) => {
      const report = advise(engine, script, text, { ...options, rules: [rule] });
      const s = report.suggestions.find((x) => x.rule === rule);
      expect(s?.fixable, JSON.stringify(report.problems)).toBe(true);
      const { text: fixed, applied } = fixAll(report, text, rule);
      expect(applied).toBeGreaterThan(0);
      expect(fixed).not.toBe(text);
      expect(engine.pythonParser.parseModule(fixed).syntaxErrors).toEqual([]);
      const dir = tempDirForTest(`wattlens-${rule}-`);
      const path = join(dir, name);
      writeFileSync(path, fixed);
      const out = runScript(path);
      const [a, b] = [original, out].map((line) =>
        line
          .match(/final loss ([\d.]+) total ([\d.]+)/)!
          .slice(1)
          .map(Number),
      );
      expect(Math.abs(a[0] - b[0])).toBeLessThanOrEqual(1e-4 * Math.abs(a[0]));
      expect(Math.abs(a[1] - b[1])).toBeLessThanOrEqual(1e-4 * Math.abs(a[1]));
    },
    120_000,
  );
});

// The autocast block must cover the forward pass: with CPU autocast forced on, the model's output
// inside the rewritten step is bf16 (a block around the loss alone would leave it fp32).
describe('autocast-bf16 covers the forward pass, not only the loss', () => {
  it('the forward call of mnist_train.py runs in bf16 under the rewritten block', async () => {
    const engine = await AnalysisEngine.create({});
    const script = join(fixtures, 'mnist_train.py');
    const text = readFileSync(script, 'utf8');
    const report = advise(engine, script, text, { rules: ['autocast-bf16'] });
    const fixed = fixAll(report, text, 'autocast-bf16').text;
    // force the CPU path on: device type cpu, autocast(cpu, bf16); record the dtype the model returns
    const forced = fixed
      .replace(
        /torch\.autocast\(device_type="cuda", dtype=torch\.bfloat16\) if [^)]*\)\.type == "cuda"/,
        'torch.autocast(device_type="cpu", dtype=torch.bfloat16) if True',
      )
      .replace('        loss.backward()', '        print("forward dtype", output.dtype)\n        loss.backward()');
    expect(forced).toContain('device_type="cpu"');
    const dir = tempDirForTest('wattlens-autocast-');
    writeFileSync(join(dir, 'mnist_train.py'), forced);
    const out = execFileSync(PYTHON, [join(dir, 'mnist_train.py')], { encoding: 'utf8', timeout: 120_000 });
    expect(out).toContain('forward dtype torch.bfloat16');
  }, 120_000);
});
