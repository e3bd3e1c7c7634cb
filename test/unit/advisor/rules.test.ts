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
    // nanoGPT at T=1024: per layer 2·T·T·768 score MACs over 12 layers; causal, so a flash kernel
    // already computes about half of them: a 256 window saves (1/2 − 256/1024) of them, not 3/4
    const scoreMacs = 12 * 2 * 1024 * 1024 * 768;
    expect(s.before.macs! - s.after.macs!).toBe(Math.round(scoreMacs * (1 / 2 - 256 / 1024)));
    expect(s.assumptions.join(' ')).toMatch(/already skips the masked half/);
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

// Real third-party files: the corpus under test/fixtures/realworld/workspace (pinned copies).
const corpus = (path: string) => join(root, 'test', 'fixtures', 'realworld', 'workspace', path);

describe('attention as real projects write it', () => {
  it('finds vit-pytorch’s nn.Softmax-module attention and rewrites it without blank-line debris', () => {
    const path = corpus('vit-pytorch/vit_pytorch/vit.py');
    const text = readFileSync(path, 'utf8');
    const r = advise(engine, path, text, {
      model:
        'ViT(image_size=256, patch_size=32, num_classes=1000, dim=1024, depth=6, heads=16, mlp_dim=2048, dropout=0.1, emb_dropout=0.1)',
      input: '1x3x256x256',
      rules: ['sdpa'],
    });
    const s = find(r, 'sdpa')!;
    expect(s.fixable).toBe(true);
    expect(s.model).toBe('ViT');
    const fixed = applyEdits(text, s.edits!);
    expect(fixed).toContain('scaled_dot_product_attention(q, k, v, dropout_p=self.dropout.p if self.training else 0.0, scale=self.scale)');
    expect(fixed).not.toMatch(/\n[ \t]*\n[ \t]*\n[ \t]*out = torch\.nn\.functional/);
  });

  it('leaves out scale= when it is provably the default 1/√(head size) (minGPT, segment-anything)', () => {
    for (const file of ['minGPT/mingpt/model.py', 'segment-anything/segment_anything/modeling/transformer.py']) {
      const s = find(adviseFile(corpus(file), { rules: ['sdpa'] }), 'sdpa')!;
      expect(s.fixable, file).toBe(true);
      expect(s.edits!.flatMap((e) => e.lines).join('\n'), file).not.toContain('scale=');
    }
  });

  it('notes attention it cannot rewrite, naming what blocks the fused kernel (Swin, guided-diffusion)', () => {
    const swin = adviseFile(corpus('Swin-Transformer/models/swin_transformer.py'), { rules: ['sdpa'] }).suggestions;
    expect(swin).toHaveLength(1); // one attention, softmax in both branches of the mask's if/else
    expect(swin[0].fixable).toBe(false);
    expect(swin[0].message).toMatch(/WindowAttention\.forward .*different branches/);
    const unet = adviseFile(corpus('guided-diffusion/guided_diffusion/unet.py'), { rules: ['sdpa'] }).suggestions;
    expect(unet.map((s) => s.message.match(/in (\w+)\.forward/)![1]).sort()).toEqual(['QKVAttention', 'QKVAttentionLegacy']);
    expect(unet[0].message).toMatch(/einsum 'bct,bcs->bts' is not/);
  });

  it('notes Hugging Face eager attention that returns its weights and applies head_mask', () => {
    const text = readFileSync(fixture('attention_variants.py'), 'utf8')
      .replace(
        '        attn_output = torch.matmul(attn_weights, value)\n        attn_output = attn_output.transpose(1, 2).reshape(B, T, C)\n        return self.c_proj(attn_output)',
        '        if head_mask is not None:\n            attn_weights = attn_weights * head_mask\n        attn_output = torch.matmul(attn_weights, value)\n        attn_output = attn_output.transpose(1, 2).reshape(B, T, C)\n        return self.c_proj(attn_output), attn_weights',
      )
      .replace('def forward(self, hidden_states):', 'def forward(self, hidden_states, head_mask=None):');
    const s = adviseText(text, 'attention_variants.py', { rules: ['sdpa'] }).suggestions.find((x) => x.line >= 80 && x.line < 100)!;
    expect(s.fixable).toBe(false);
    expect(s.message).toMatch(/head_mask multiplies the attention weights/);
    expect(s.message).toMatch(/the attention weights are returned/);
  });

  it('a suggestion belongs to the model holding its class; without one it says why figures are unknown', () => {
    const r = adviseFile(corpus('minGPT/mingpt/model.py'), { rules: ['sdpa'] });
    const s = find(r, 'sdpa')!;
    expect(s.model).toBeUndefined(); // not NewGELU, the only model built with defaults
    expect(s.figuresUnknown).toMatch(/GPT: not built with default arguments/);
    expect(s.assumptions).toContain(`figures unknown: ${s.figuresUnknown}`);
  });

  it('CLIP’s nn.MultiheadAttention: batch_first=False and a −inf causal mask named as fast-path blockers', () => {
    const s = find(adviseFile(corpus('CLIP/clip/model.py'), { rules: ['mha-sdpa'] }), 'mha-sdpa')!;
    expect(s.fixable).toBe(false);
    expect(s.message).toMatch(/batch_first=False/);
    expect(s.message).toMatch(/is_causal=True/);
    expect(s.message).toMatch(/build_attention_mask/);
  });
});

describe('training scripts by data flow (pytorch/examples mnist)', () => {
  const mnist = () => fixture('mnist_train.py');

  it('autocast wraps the forward call that feeds the loss, not backward, on the script’s own device', () => {
    const text = readFileSync(mnist(), 'utf8');
    const s = find(adviseFile(mnist(), { rules: ['autocast-bf16'] }), 'autocast-bf16')!;
    const fixed = applyEdits(text, s.edits!);
    expect(fixed).toMatch(
      /with \(torch\.autocast\(device_type="cuda", dtype=torch\.bfloat16\) if torch\.device\(device\)\.type == "cuda" else contextlib\.nullcontext\(\)\):\n {12}output = model\(data\)\n {12}loss = F\.nll_loss\(output, target\)\n {8}loss\.backward\(\)/,
    );
  });

  it('fp16 brings a GradScaler around backward and the optimizer step', () => {
    const text = readFileSync(mnist(), 'utf8');
    const s = find(adviseFile(mnist(), { rules: ['autocast-bf16'], precision: 'fp16-mixed' }), 'autocast-bf16')!;
    const fixed = applyEdits(text, s.edits!);
    expect(fixed).toContain('dtype=torch.float16');
    expect(fixed).toContain('scaler = torch.cuda.amp.GradScaler(enabled=torch.device(device).type == "cuda")');
    expect(fixed).toContain('scaler.scale(loss).backward()');
    expect(fixed).toMatch(/scaler\.step\(optimizer\)\n {8}scaler\.update\(\)/);
  });

  it('fused-optimizer covers Adadelta; item-sync finds .item() in the evaluation loop', () => {
    const r = adviseFile(mnist());
    expect(find(r, 'fused-optimizer')!.message).toMatch(/torch\.optim\.Adadelta/);
    expect(find(r, 'item-sync')!.line).toBe(59);
    expect(find(r, 'item-sync')!.message).toMatch(/evaluation loop/);
  });
});

describe('checkpointing any container of repeated blocks', () => {
  it('nanoGPT at batch 12: blocks in a ModuleList inside a ModuleDict, saving from the engine’s own figures', () => {
    const r = adviseFile(join(root, 'test', 'fixtures', 'models', 'third_party', 'nanogpt_model.py'), {
      batch: 12,
      rules: ['checkpointing'],
    });
    const s = find(r, 'checkpointing')!;
    expect(s.fixable).toBe(true);
    expect(s.message).toMatch(/Activations are 82% of GPT's training memory .* self\.transformer\.h/);
    expect(s.after.trainingMemoryBytes!).toBeLessThan(s.before.trainingMemoryBytes!);
    expect(s.after.trainingMacs!).toBeGreaterThan(s.before.trainingMacs!);
    expect(s.edits![0].lines[0].trim()).toBe('x = checkpoint(block, x, use_reentrant=False)');
  });

  it('a loop over [attention, feed-forward] pairs checkpoints both calls (vit-pytorch’s Transformer)', () => {
    const s = adviseFile(fixture('deep_stack.py'), { rules: ['checkpointing'] }).suggestions.find((x) => x.model === 'PairStack')!;
    expect(s.edits!.slice(0, 2).map((e) => e.lines[0].trim())).toEqual([
      'x = checkpoint(attn, x, use_reentrant=False) + x',
      'x = checkpoint(ff, x, use_reentrant=False) + x',
    ]);
  });
});
