// Every automatic advisor rewrite keeps the program correct: the original and the rewritten
// file run with real torch on the same weights and inputs give the same outputs (rtol 1e-4),
// the rewritten code parses, and the engine's "after" figures equal real torch's counts of
// the rewritten model.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise, fixAll } from '../../src/core/advisor/advise';
import type { RuleId, Suggestion } from '../../src/core/advisor/types';
import { AnalysisEngine } from '../../src/core/analysis/engine';
import { PYTHON } from '../support/torchTruth';

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
}

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
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-advisor-'));
  const pyCases = CASES.map((c, i) => {
    const file = join(fixtures, c.file);
    const text = readFileSync(file, 'utf8');
    const report = advise(engine, file, text, { rules: [c.rule] });
    const s = report.suggestions.find((x) => x.rule === c.rule && x.model === c.model);
    if (s) suggestions.set(c.label, s);
    const rewritten = join(dir, `rewritten_${i}.py`);
    const fixed = fixAll(report, text, c.rule).text;
    writeFileSync(rewritten, fixed);
    // the rewritten file itself must parse cleanly
    expect(engine.pythonParser.parseModule(fixed).syntaxErrors, `${c.label}: rewritten code does not parse`).toEqual([]);
    return { original: file, rewritten, entry: c.entry, inputs: c.inputs };
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
// seeds and print the same final loss.
describe('advisor rewrites of a training script keep its results', () => {
  const script = join(fixtures, 'train_script.py');
  const text = readFileSync(script, 'utf8');
  const runScript = (path: string) =>
    execFileSync(PYTHON, [path], { encoding: 'utf8', cwd: fixtures, timeout: 120_000 }).trim().split('\n').pop()!;
  let original = '';
  let engine: AnalysisEngine;
  beforeAll(async () => {
    engine = await AnalysisEngine.create({});
    original = runScript(script);
  }, 120_000);

  it.each(['autocast-bf16', 'dataloader-workers', 'fused-optimizer'] as RuleId[])(
    '%s',
    (rule) => {
      const report = advise(engine, script, text, { rules: [rule] });
      const s = report.suggestions.find((x) => x.rule === rule);
      expect(s?.fixable, JSON.stringify(report.problems)).toBe(true);
      const { text: fixed, applied } = fixAll(report, text, rule);
      expect(applied).toBeGreaterThan(0);
      expect(fixed).not.toBe(text);
      expect(engine.pythonParser.parseModule(fixed).syntaxErrors).toEqual([]);
      const dir = mkdtempSync(join(tmpdir(), `wattlens-${rule}-`));
      const path = join(dir, 'train_script.py');
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
