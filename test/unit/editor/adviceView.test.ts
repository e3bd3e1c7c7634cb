// Advisor suggestions as the editor shows them: diagnostic ranges, severities, codes and messages
// (before → after figures with units, convention and source), the settings, the suggestion list
// rows, and the docs anchors of every rule. Suggestions come from the real advisor.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../../src/core/advisor/advise';
import { RULES } from '../../../src/core/advisor/rules';
import type { Suggestion } from '../../../src/core/advisor/types';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import {
  DEFAULT_ADVISOR_SETTINGS,
  diagnosticOf,
  figureChanges,
  figuresLine,
  fixTitle,
  MODEL_CHANGE_RULES,
  PREFERRED_RULES,
  readAdvisorSettings,
  ruleDocLines,
  suggestionItem,
  visibleSuggestions,
} from '../../../src/core/editor/adviceView';
import { formatBytes, formatCost } from '../../../src/core/report/format';

const root = resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'advisor', name);
let engine: AnalysisEngine;
let attention: Suggestion;
let training: Suggestion[];

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
  attention = advise(engine, fixture('attention_causal.py'), readFileSync(fixture('attention_causal.py'), 'utf8')).suggestions.find(
    (s) => s.rule === 'sdpa',
  )!;
  const train = join(root, 'examples', 'models', 'train_cnn.py');
  training = advise(engine, train, readFileSync(train, 'utf8'), { optimizer: 'adamw', precision: 'fp32' }).suggestions;
});

describe('advisor diagnostics', () => {
  it('covers the suggestion’s lines, with the rule as code and the chosen severity', () => {
    const d = diagnosticOf(attention, 'information', 'macs', 200)!;
    expect(d.startLine).toBe(attention.line - 1);
    expect(d.endLine).toBe(attention.endLine! - 1);
    expect(d.code).toBe('sdpa');
    expect(d.severity).toBe('information');
    expect(diagnosticOf(attention, 'hint', 'macs', 200)!.severity).toBe('hint');
    expect(diagnosticOf(attention, 'off', 'macs', 200)).toBeUndefined();
  });

  it('says what changes, before → after with units, and where the after figures come from', () => {
    const d = diagnosticOf(attention, 'information', 'macs', 200)!;
    expect(d.message.startsWith(attention.message)).toBe(true);
    expect(d.message).toContain(
      `activations ${formatBytes(attention.before.activationBytes)} → ${formatBytes(attention.after.activationBytes)}`,
    );
    expect(d.message).toContain('(engine on the rewritten code)');
    expect(d.message).toContain(`${attention.model}: `);
    expect(d.message).toContain('Quick fix available.');
    // message, then the figures on a line of their own (the Problems panel shows it under the row), then the assumptions
    const [first, second, third] = d.message.split('\n');
    expect(first).toBe(attention.message);
    expect(second).toMatch(/^\w+: activations .* \(engine on the rewritten code\)\. Quick fix available\.$/);
    expect(third).toBe(`Assumptions: ${attention.assumptions.join('; ')}`);
    // unchanged figures (the same MACs) are not listed as changes
    expect(d.message).not.toContain('forward ');
    for (const a of attention.assumptions) expect(d.message).toContain(a);
  });

  it('names the cost convention: MACs or FLOPs (2 × MACs)', () => {
    const s: Suggestion = { ...attention, after: { ...attention.after, macs: attention.before.macs! / 2 } };
    expect(figureChanges(s.before, s.after, 'macs')).toContain(
      `forward ${formatCost(s.before.macs, 'macs')} → ${formatCost(s.after.macs, 'macs')}`,
    );
    expect(figuresLine(s, 'flops')).toContain(`forward ${formatCost(s.before.macs, 'flops')} → ${formatCost(s.after.macs, 'flops')}`);
    expect(formatCost(s.before.macs, 'flops')).toContain('FLOPs');
  });

  it('lists the largest relative change first and shows unknown figures as ?', () => {
    const changes = figureChanges(
      { params: 100, macs: 1000, activationBytes: 4096 },
      { params: 110, macs: 1000, activationBytes: 1024 },
      'macs',
    );
    expect(changes).toEqual(['activations 4.00 KiB → 1.00 KiB', 'params 100 → 110']);
    const unknown: Suggestion = { ...attention, after: { ...attention.after, activationBytes: null } };
    expect(figuresLine(unknown, 'macs')).toContain('→ ? B');
    expect(figuresLine(unknown, 'macs')).toContain('? = not known to the analysis');
  });

  it('labels estimates and unchanged figures, with their assumptions', () => {
    const estimate = training.find((s) => s.afterSource === 'unchanged')!;
    expect(estimate).toBeDefined();
    const d = diagnosticOf(estimate, 'warning', 'macs', 500)!;
    expect(d.message).toContain('unchanged (what it saves is time, which a pilot run measures)');
    expect(d.message).not.toContain('Quick fix');
    const est: Suggestion = { ...attention, fixable: false, afterSource: 'estimate', assumptions: ['8 experts, top-2 routing'] };
    expect(diagnosticOf(est, 'information', 'macs', 200)!.message).toContain("(estimated from the engine's per-layer figures)");
    expect(diagnosticOf(est, 'information', 'macs', 200)!.message).toContain('Assumptions: 8 experts, top-2 routing');
  });

  it('keeps the range inside the document even when the suggestion points past it', () => {
    const d = diagnosticOf({ ...attention, line: 50, endLine: 60 }, 'information', 'macs', 40)!;
    expect([d.startLine, d.endLine]).toEqual([39, 39]);
    expect(diagnosticOf(attention, 'information', 'macs', 0)).toBeUndefined();
  });
});

describe('advisor quick fixes and the suggestion list', () => {
  it('prefers only the rewrites proven equivalent', () => {
    expect([...PREFERRED_RULES].sort()).toEqual(['checkpointing', 'fused-optimizer', 'mha-sdpa', 'sdpa']);
    expect(PREFERRED_RULES.has('autocast-bf16')).toBe(false);
    expect(PREFERRED_RULES.has('dataloader-workers')).toBe(false);
  });

  it('titles a fix with what it does and its largest change', () => {
    expect(fixTitle(attention, 'macs')).toBe(
      `WattLens: Use F.scaled_dot_product_attention (activations ${formatBytes(attention.before.activationBytes)} → ${formatBytes(attention.after.activationBytes)})`,
    );
    const autocast = training.find((s) => s.rule === 'autocast-bf16')!;
    expect(fixTitle(autocast, 'macs')).toMatch(/^WattLens: Run the forward pass and loss under torch.autocast \(bf16\) \(training memory /);
  });

  it('ranks by saving, leaves out disabled rules, and describes each row', () => {
    const ranked = visibleSuggestions([...training].reverse(), { disabledRules: ['torch-compile'] });
    expect(ranked.map((s) => s.rule)).not.toContain('torch-compile');
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].saving).toBeGreaterThanOrEqual(ranked[i].saving);
    const item = suggestionItem(attention, 'macs');
    expect(item.label).toBe(`sdpa: ${attention.message}`);
    expect(item.description).toBe(`line ${attention.line} · quick fix · saves ${Math.round(attention.saving * 100)}%`);
    expect(item.detail).toContain('→');
  });

  it('reads the advisor settings, falling back to the defaults on wrong values', () => {
    expect(readAdvisorSettings(() => undefined)).toEqual({
      enabled: true,
      severity: 'auto',
      informationThreshold: 0.2,
      disabledRules: [],
      modelChanges: false,
    });
    const raw: Record<string, unknown> = {
      'advisor.enabled': false,
      'advisor.severity': 'hint',
      'advisor.informationThreshold': 0.5,
      'advisor.disabledRules': ['sdpa', 3, ' item-sync '],
      'advisor.modelChanges': true,
    };
    expect(readAdvisorSettings((k) => raw[k])).toEqual({
      enabled: false,
      severity: 'hint',
      informationThreshold: 0.5,
      disabledRules: ['sdpa', 'item-sync'],
      modelChanges: true,
    });
    const wrong = readAdvisorSettings(
      (k) =>
        ({ 'advisor.severity': 'error', 'advisor.enabled': 'yes', 'advisor.disabledRules': 'sdpa', 'advisor.informationThreshold': 5 })[k],
    );
    expect(wrong.severity).toBe('auto');
    expect(wrong.informationThreshold).toBe(0.2);
  });

  it('auto severity: a hint (no squiggle) below the threshold, information from it on', () => {
    const small = { ...attention, saving: 0.05 };
    const large = { ...attention, saving: 0.5 };
    const unknown = { ...attention, saving: 0 };
    expect(diagnosticOf(small, 'auto', 'macs', 200)!.severity).toBe('hint');
    expect(diagnosticOf(unknown, 'auto', 'macs', 200, 0)!.severity).toBe('hint');
    expect(diagnosticOf(large, 'auto', 'macs', 200)!.severity).toBe('information');
    expect(diagnosticOf(large, 'auto', 'macs', 200, 0.6)!.severity).toBe('hint');
  });

  it('hides the rules that change the model unless asked for', () => {
    const moe = { ...attention, rule: 'mixture-of-experts' as const };
    expect(visibleSuggestions([attention, moe], { disabledRules: [] }).map((s) => s.rule)).toEqual(['sdpa']);
    expect(visibleSuggestions([attention, moe], { disabledRules: [], modelChanges: true }).map((s) => s.rule)).toContain(
      'mixture-of-experts',
    );
  });
});

describe('rule explanations', () => {
  it('finds a heading in docs/advisor.md for every rule', () => {
    const lines = ruleDocLines(readFileSync(join(root, 'docs', 'advisor.md'), 'utf8'));
    const text = readFileSync(join(root, 'docs', 'advisor.md'), 'utf8').split('\n');
    for (const rule of RULES) {
      const line = lines.get(rule.id);
      expect(line, rule.id).toBeDefined();
      expect(text[line! - 1]).toMatch(/^##/);
      expect(text[line! - 1]).toContain(rule.id);
    }
  });

  it('the settings in package.json match the ones read', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: {
        configuration: { properties: Record<string, { default: unknown; enum?: string[]; items?: { enum: string[] } }> }[];
        commands: { command: string }[];
      };
    };
    const props = Object.assign(
      {},
      ...pkg.contributes.configuration.map((section) => section.properties),
    ) as (typeof pkg.contributes.configuration)[number]['properties'];
    expect(props['wattlens.advisor.enabled'].default).toBe(true);
    expect(props['wattlens.advisor.severity'].default).toBe('auto');
    expect(props['wattlens.advisor.severity'].enum).toEqual(['auto', 'information', 'hint', 'warning', 'off']);
    expect(props['wattlens.advisor.informationThreshold'].default).toBe(DEFAULT_ADVISOR_SETTINGS.informationThreshold);
    expect(props['wattlens.advisor.modelChanges'].default).toBe(false);
    // the rules the setting hides are the ones the advisor marks as changing the model
    expect(
      RULES.filter((r) => r.changesModel)
        .map((r) => r.id)
        .sort(),
    ).toEqual([...MODEL_CHANGE_RULES].sort());
    expect(props['wattlens.advisor.disabledRules'].items!.enum.sort()).toEqual(RULES.map((r) => r.id).sort());
    expect(pkg.contributes.commands.map((c) => c.command)).toContain('wattlens.showSuggestions');
  });
});
