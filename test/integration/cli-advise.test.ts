// `wattlens advise` end to end: the JSON contract, --fix printing the rewritten file, and
// one-line errors for bad input.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('advise', () => {
  it('--json prints the documented suggestion fields', () => {
    const r = run('advise', 'test/fixtures/advisor/attention_causal.py', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.file).toMatch(/attention_causal\.py$/);
    const s = out.suggestions.find((x: { rule: string }) => x.rule === 'sdpa');
    for (const k of ['rule', 'line', 'message', 'fixable', 'before', 'after', 'assumptions']) expect(s).toHaveProperty(k);
    for (const k of ['params', 'macs', 'activationBytes']) {
      expect(s.before).toHaveProperty(k);
      expect(s.after).toHaveProperty(k);
    }
    expect(s.fixable).toBe(true);
  });

  it('--fix RULE prints the rewritten file', () => {
    const r = run('advise', 'test/fixtures/advisor/attention_causal.py', '--fix', 'sdpa');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /y = F\.scaled_dot_product_attention\(q, k, v, dropout_p=self\.attn_dropout\.p if self\.training else 0\.0, is_causal=True\)/,
    );
    expect(r.stdout).not.toMatch(/F\.softmax\(att/);
  });

  it('--precision picks the autocast dtype and the precision of the training memory figures', () => {
    const autocast = (...flags: string[]) => {
      const r = run('advise', 'test/fixtures/advisor/train_script.py', '--json', ...flags);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).suggestions.find((x: { rule: string }) => x.rule === 'autocast-bf16');
    };
    const fp32 = autocast();
    const fp16 = autocast('--precision', 'fp16-mixed');
    const bf16 = autocast('--precision', 'bf16-mixed');
    expect(fp32.message).toMatch(/dtype=torch\.bfloat16/);
    expect(fp16.message).toMatch(/dtype=torch\.float16/);
    expect(fp16.assumptions.join(' ')).toMatch(/GradScaler/);
    // the script has no autocast: before is its fp32 step whatever the target precision
    expect(bf16.before.trainingMemoryBytes).toBe(fp32.before.trainingMemoryBytes);
    expect(fp16.before.trainingMemoryBytes).toBe(fp32.before.trainingMemoryBytes);
    expect(bf16.assumptions).toContain('before: analyzed with precision fp32');
    // mixed precision halves the activations kept for backward: less training memory after the rewrite
    expect(bf16.after.trainingMemoryBytes).toBeLessThan(bf16.before.trainingMemoryBytes);
    expect(fp16.after.trainingMemoryBytes).toBe(bf16.after.trainingMemoryBytes);
  });

  it.each([
    [
      'a precision the advisor does not know',
      ['advise', 'test/fixtures/advisor/train_script.py', '--precision', 'fp8'],
      /'fp8' is invalid/,
    ],
    ['an unknown rule', ['advise', 'test/fixtures/advisor/attention_causal.py', '--fix', 'nope'], /unknown rule "nope"/],
    ['a rule without an automatic fix', ['advise', 'test/fixtures/advisor/train_script.py', '--fix', 'item-sync'], /has no automatic fix/],
    ['a missing file', ['advise', 'nope.py'], /no such file/],
  ])('%s: one line, exit 2', (_n, args, message) => {
    const r = run(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
