// What each advisor rule finds, what it leaves alone, and the figures it attaches. (Rewrites
// are checked against real torch in test/integration/advisor-equivalence.test.ts.)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise, applyEdits, type AdviceReport } from '../../../src/core/advisor/advise';
import type { Rule, Suggestion } from '../../../src/core/advisor/types';
import { AnalysisEngine } from '../../../src/core/analysis/engine';

const root = resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'advisor', name);
let engine: AnalysisEngine;

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
});

function adviseFile(path: string, options = {}): AdviceReport {
  return advise(engine, path, readFileSync(path, 'utf8'), options);
}
function adviseText(text: string, name = 'snippet.py', options = {}): AdviceReport {
  return advise(engine, fixture(name), text, options);
}
const rules = (r: AdviceReport) => r.suggestions.map((s) => `${s.rule}${s.fixable ? '*' : ''}@${s.line}`);
const find = (r: AdviceReport, rule: string) => r.suggestions.find((s) => s.rule === rule);

describe('sdpa', () => {
  it('offers the rewrite for hand-written causal attention and shows the memory it saves', () => {
    const r = adviseFile(fixture('attention_causal.py'));
    const s = find(r, 'sdpa')!;
    expect(s.fixable).toBe(true);
    expect(s.line).toBe(26);
    expect(s.after.macs).toBe(s.before.macs); // same products, no T×T matrix kept
    expect(s.after.activationBytes!).toBeLessThan(s.before.activationBytes!);
    expect(s.edits!.some((e) => e.lines.join('').includes('is_causal=True'))).toBe(true);
  });

  it('does not rewrite attention whose weights are read afterwards', () => {
    const text = readFileSync(fixture('attention_plain.py'), 'utf8').replace(
      'return self.proj(out.transpose(1, 2).reshape(B, N, C))',
      'return self.proj(out.transpose(1, 2).reshape(B, N, C)), weights',
    );
    const s = find(adviseText(text, 'attention_plain.py'), 'sdpa')!;
    expect(s.fixable).toBe(false);
    expect(s.message).toMatch(/keeps the T×T attention weights, which later code reads/);
  });

  it('leaves a manual fallback next to an existing scaled_dot_product_attention path alone (nanoGPT)', () => {
    const r = adviseFile(join(root, 'test', 'fixtures', 'models', 'third_party', 'nanogpt_model.py'));
    expect(find(r, 'sdpa')).toBeUndefined();
  });
});

describe('attention layers', () => {
  it('mha-sdpa adds need_weights=False where the weights are dropped', () => {
    const r = adviseFile(fixture('mha_block.py'));
    expect(rules(r).filter((x) => x.startsWith('mha-sdpa'))).toEqual(['mha-sdpa*@18', 'mha-sdpa*@21']);
    expect(find(r, 'mha-sdpa')!.after.activationBytes!).toBeLessThan(find(r, 'mha-sdpa')!.before.activationBytes!);
  });

  it('local-attention estimates the window saving from the engine’s attention figures at long T', () => {
    const r = adviseFile(join(root, 'test', 'fixtures', 'models', 'third_party', 'nanogpt_model.py'));
    const s = find(r, 'local-attention')!;
    expect(s.afterSource).toBe('estimate');
    // nanoGPT at T=1024: per layer 2·T·T·768 score MACs over 12 layers; a 256 window keeps a quarter
    const scoreMacs = 12 * 2 * 1024 * 1024 * 768;
    expect(s.before.macs! - s.after.macs!).toBe(Math.round(scoreMacs * (1 - 256 / 1024)));
  });
});

describe('large layers', () => {
  it('semi-structured-sparsity counts half the MACs of eligible Linear layers', () => {
    const r = adviseFile(fixture('lm_vocab.py'), { modelChanges: true });
    const s = r.suggestions.find((x) => x.rule === 'semi-structured-sparsity' && x.model === 'WideMLP')!;
    const rows = 8 * 512;
    expect(s.before.macs! - s.after.macs!).toBe((rows * 1024 * 4096 * 2) / 2);
  });

  it('mixture-of-experts states the active-parameter ratio', () => {
    const s = adviseFile(fixture('lm_vocab.py'), { modelChanges: true }).suggestions.find(
      (x) => x.rule === 'mixture-of-experts' && x.model === 'WideMLP',
    )!;
    expect(s.message).toMatch(/25% of the expert parameters are active per token/);
    expect(s.after.macs).toBe(s.before.macs);
    expect(s.assumptions.join(' ')).toMatch(/capacity trade, not a saving/);
  });

  it('leaves the model-changing rules out unless asked for (a quality or capacity trade, not a saving)', () => {
    const r = adviseFile(fixture('lm_vocab.py'));
    expect(r.suggestions.map((s) => s.rule)).not.toContain('mixture-of-experts');
    expect(r.suggestions.map((s) => s.rule)).not.toContain('semi-structured-sparsity');
    expect(adviseFile(fixture('lm_vocab.py'), { rules: ['mixture-of-experts'] }).suggestions.length).toBeGreaterThan(0);
  });

  it('vocab-padding re-analyzes the model with the padded vocabulary', () => {
    const s = find(adviseFile(fixture('lm_vocab.py')), 'vocab-padding')!;
    expect(s.afterSource).toBe('reanalysis');
    expect(s.fixable).toBe(false);
    // two 256-wide tables (embedding, head) grow by 50304 − 50257 = 47 rows
    expect(s.after.params! - s.before.params!).toBe(2 * 47 * 256);
  });
});

describe('training scripts', () => {
  it('flags the habits of a plain fp32 script, with the trained model’s figures', () => {
    const r = adviseFile(fixture('train_script.py'));
    expect(new Set(r.suggestions.map((s) => s.rule))).toEqual(
      new Set(['autocast-bf16', 'dataloader-workers', 'fused-optimizer', 'torch-compile', 'item-sync']),
    );
    const autocast = find(r, 'autocast-bf16')!;
    expect(autocast.model).toBe('Classifier');
    expect(autocast.after.trainingMemoryBytes!).toBeLessThan(autocast.before.trainingMemoryBytes!);
  });

  it('says nothing about mixed precision when the script already uses autocast', () => {
    const text = readFileSync(fixture('train_script.py'), 'utf8').replace(
      '            logits = model(x)\n            loss = loss_fn(logits, y)',
      '            with torch.autocast("cuda"):\n                logits = model(x)\n                loss = loss_fn(logits, y)',
    );
    expect(find(adviseText(text, 'train_script.py'), 'autocast-bf16')).toBeUndefined();
  });

  it('checkpointing reports the memory saved and the recompute MACs it costs', () => {
    const s = find(adviseFile(fixture('deep_stack.py')), 'checkpointing')!;
    expect(s.fixable).toBe(true);
    expect(s.after.trainingMemoryBytes!).toBeLessThan(s.before.trainingMemoryBytes! / 2);
    // one extra forward of the blocks: the 12 blocks hold all but the head's MACs
    expect(s.after.trainingMacs! - s.before.trainingMacs!).toBeGreaterThan(0.99 * s.before.macs!);
  });
});

describe('the advisor itself', () => {
  it('refuses a rewrite that would not parse, and says so', () => {
    const broken: Rule = {
      id: 'sdpa',
      title: 'test rule',
      find: () => [{ rule: 'sdpa', line: 1, message: 'broken edit', edits: [{ startLine: 0, endLine: 0, lines: ['def (:'] }] }],
    };
    const path = fixture('deep_stack.py');
    const r = advise(engine, path, readFileSync(path, 'utf8'), {}, [broken]);
    expect(r.suggestions[0].fixable).toBe(false);
    expect(r.problems.join('\n')).toMatch(/rewrite would not parse/);
  });

  it('ranks suggestions by their saving', () => {
    const r = adviseFile(fixture('lm_vocab.py'));
    const savings = r.suggestions.map((s: Suggestion) => s.saving);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
  });

  it('applies line edits from the bottom so earlier rows stay valid', () => {
    expect(
      applyEdits('a\nb\nc', [
        { startLine: 0, endLine: 0, lines: ['A1', 'A2'] },
        { startLine: 2, endLine: 2, lines: [] },
      ]),
    ).toBe('A1\nA2\nb');
  });
});
