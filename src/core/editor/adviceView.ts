// How the advisor's suggestions look in the editor, as pure data: the advisor settings, one
// diagnostic per suggestion (range, severity, code, message with before → after figures, their
// unit, convention and source), the quick-fix titles, which rewrites are preferred, the rows of
// the "Show Suggestions" list, and where each rule's explanation is in docs/advisor.md.
import type { Figures, Suggestion } from '../advisor/types';
import { formatBytes, formatCost, formatCount, type CostConvention } from '../report/format';
import { plainText } from './text';

/** `auto`: Hint (no squiggle), Information for a suggestion saving at least `informationThreshold`. */
export type AdvisorSeverity = 'auto' | 'information' | 'hint' | 'warning' | 'off';

export interface AdvisorSettings {
  enabled: boolean;
  severity: AdvisorSeverity;
  /** Relative saving (0–1) from which `auto` shows a suggestion as Information. */
  informationThreshold: number;
  disabledRules: string[];
  /** Show the rules that change the model (mixture of experts, 2:4 sparsity): a quality or capacity trade. */
  modelChanges: boolean;
}

export const DEFAULT_ADVISOR_SETTINGS: Readonly<AdvisorSettings> = Object.freeze({
  enabled: true,
  severity: 'auto',
  informationThreshold: 0.2,
  disabledRules: [],
  modelChanges: false,
});

/** Rules whose suggestion is a different model (advisor rules with `changesModel`), hidden unless asked for. */
export const MODEL_CHANGE_RULES: ReadonlySet<string> = new Set(['semi-structured-sparsity', 'mixture-of-experts']);

/** Setting keys under `wattlens.`, as contributed in package.json. */
export const ADVISOR_SETTING_KEYS = {
  enabled: 'advisor.enabled',
  severity: 'advisor.severity',
  informationThreshold: 'advisor.informationThreshold',
  disabledRules: 'advisor.disabledRules',
  modelChanges: 'advisor.modelChanges',
} as const;

const SEVERITIES: readonly AdvisorSeverity[] = ['auto', 'information', 'hint', 'warning', 'off'];

/** Builds the advisor settings from raw values; a wrong value takes its default. */
export function readAdvisorSettings(get: (key: string) => unknown): AdvisorSettings {
  const enabled = get(ADVISOR_SETTING_KEYS.enabled);
  const severity = get(ADVISOR_SETTING_KEYS.severity);
  const rules = get(ADVISOR_SETTING_KEYS.disabledRules);
  const threshold = get(ADVISOR_SETTING_KEYS.informationThreshold);
  const modelChanges = get(ADVISOR_SETTING_KEYS.modelChanges);
  return {
    enabled: typeof enabled === 'boolean' ? enabled : DEFAULT_ADVISOR_SETTINGS.enabled,
    severity:
      typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity)
        ? (severity as AdvisorSeverity)
        : DEFAULT_ADVISOR_SETTINGS.severity,
    informationThreshold:
      typeof threshold === 'number' && threshold >= 0 && threshold <= 1 ? threshold : DEFAULT_ADVISOR_SETTINGS.informationThreshold,
    disabledRules: Array.isArray(rules) ? rules.filter((r): r is string => typeof r === 'string').map((r) => r.trim()) : [],
    modelChanges: typeof modelChanges === 'boolean' ? modelChanges : DEFAULT_ADVISOR_SETTINGS.modelChanges,
  };
}

/** The suggestions a user sees: disabled rules left out, ranked by estimated saving (then by line). */
export function visibleSuggestions(
  suggestions: readonly Suggestion[],
  settings: Pick<AdvisorSettings, 'disabledRules'> & Partial<Pick<AdvisorSettings, 'modelChanges'>>,
): Suggestion[] {
  const off = new Set(settings.disabledRules);
  return suggestions
    .filter((s) => !off.has(s.rule) && (settings.modelChanges || !MODEL_CHANGE_RULES.has(s.rule)))
    .sort((a, b) => b.saving - a.saving || a.line - b.line);
}

/** Rewrites proven to compute the same results (test/integration/advisor-equivalence): offered as the preferred fix. */
export const PREFERRED_RULES: ReadonlySet<string> = new Set(['sdpa', 'mha-sdpa', 'checkpointing', 'fused-optimizer']);

const FIX_TITLES: Record<string, string> = {
  sdpa: 'Use F.scaled_dot_product_attention',
  'mha-sdpa': 'Pass need_weights=False to nn.MultiheadAttention',
  checkpointing: 'Run each block under torch.utils.checkpoint',
  'fused-optimizer': 'Use foreach=True in the optimizer',
  'autocast-bf16': 'Run the forward pass and loss under torch.autocast (bf16)',
  'dataloader-workers': 'Add num_workers=4, pin_memory=True to the DataLoader',
};

/** The quick fix's title: what the rewrite does and what it saves. */
export function fixTitle(s: Suggestion, unit: CostConvention): string {
  const what = FIX_TITLES[s.rule] ?? `Apply the ${s.rule} rewrite`;
  const change = figureChanges(s.before, s.after, unit)[0];
  return `WattLens: ${what}${change ? ` (${change})` : ''}`;
}

/** A stable id of a suggestion within one advice result. */
export function suggestionId(s: Suggestion, index: number): string {
  return `${s.rule}@${s.line}#${index}`;
}

interface FigureRow {
  label: string;
  key: keyof Figures;
  format(v: number | null, unit: CostConvention): string;
}

const ROWS: FigureRow[] = [
  { label: 'params', key: 'params', format: (v) => formatCount(v) },
  { label: 'forward', key: 'macs', format: (v, u) => formatCost(v, u) },
  { label: 'per training step', key: 'trainingMacs', format: (v, u) => formatCost(v, u) },
  { label: 'activations', key: 'activationBytes', format: (v) => formatBytes(v) },
  { label: 'training memory', key: 'trainingMemoryBytes', format: (v) => formatBytes(v) },
];

const value = (f: Figures, key: keyof Figures): number | null => f[key] ?? null;

/** The figures a suggestion changes, largest relative change first: "activations 946 MiB → 226 MiB". */
export function figureChanges(before: Figures, after: Figures, unit: CostConvention): string[] {
  const changed = ROWS.filter(
    (r) => value(before, r.key) !== value(after, r.key) && !(value(before, r.key) === null && value(after, r.key) === null),
  );
  const rel = (r: FigureRow) => {
    const b = value(before, r.key);
    const a = value(after, r.key);
    return b !== null && a !== null && b !== 0 ? Math.abs(b - a) / Math.abs(b) : Infinity;
  };
  return changed
    .sort((x, y) => rel(y) - rel(x))
    .map((r) => `${r.label} ${r.format(value(before, r.key), unit)} → ${r.format(value(after, r.key), unit)}`);
}

/** Where the after figures come from, in words. */
export function sourceLabel(s: Suggestion): string {
  if (s.afterSource === 'reanalysis') return s.fixable ? 'engine on the rewritten code' : 'engine on a changed copy';
  if (s.afterSource === 'estimate') return "estimated from the engine's per-layer figures";
  return 'unchanged';
}

/** The figures line: "GPT: activations 946 MiB → 226 MiB, training memory … (engine on the rewritten code)". */
export function figuresLine(s: Suggestion, unit: CostConvention): string {
  const changes = figureChanges(s.before, s.after, unit);
  const model = s.model ? `${plainText(s.model, 200)}: ` : '';
  const unknown = [...changes].some((c) => c.includes('?')) ? '; ? = not known to the analysis' : '';
  if (!changes.length) {
    const base =
      s.before.macs !== null
        ? `${formatCost(s.before.macs, unit)} forward, activations ${formatBytes(s.before.activationBytes)}`
        : 'figures';
    return `${model}${base} unchanged (${s.afterSource === 'unchanged' ? 'what it saves is time, which a pilot run measures' : sourceLabel(s)})`;
  }
  return `${model}${changes.join(', ')} (${sourceLabel(s)}${unknown})`;
}

export interface SuggestionDiagnostic {
  /** 0-based, inclusive. */
  startLine: number;
  endLine: number;
  severity: Exclude<AdvisorSeverity, 'off' | 'auto'>;
  /** The rule id (the diagnostic's code). */
  code: string;
  message: string;
}

/** The diagnostic of a suggestion; undefined when the severity is 'off'. Lines are clamped to the document. */
export function diagnosticOf(
  s: Suggestion,
  severity: AdvisorSeverity,
  unit: CostConvention,
  lineCount: number,
  informationThreshold = DEFAULT_ADVISOR_SETTINGS.informationThreshold,
): SuggestionDiagnostic | undefined {
  if (severity === 'off' || lineCount < 1) return undefined;
  const start = Math.min(Math.max(1, s.line), lineCount);
  const end = Math.min(Math.max(start, s.endLine ?? s.line), lineCount);
  const assumptions = s.assumptions.length ? `\nAssumptions: ${s.assumptions.join('; ')}` : '';
  const fix = s.fixable ? ' Quick fix available.' : '';
  // the Problems panel shows the first line in its row and the next ones below it: the figures get a line of their own
  return {
    startLine: start - 1,
    endLine: end - 1,
    // auto: no squiggle for small or unknown savings
    severity: severity === 'auto' ? (s.saving >= informationThreshold && s.saving > 0 ? 'information' : 'hint') : severity,
    code: s.rule,
    message: `${s.message}\n${figuresLine(s, unit)}.${fix}${assumptions}`,
  };
}

export interface SuggestionItem {
  /** "sdpa: Hand-written attention …" */
  label: string;
  /** "fixable · saves 76%" / "estimate" / "no rewrite" */
  description: string;
  /** The before → after figures with their source. */
  detail: string;
}

/** A row of the "WattLens: Show Suggestions" list. */
export function suggestionItem(s: Suggestion, unit: CostConvention): SuggestionItem {
  const saving = s.saving > 0 ? ` · saves ${Math.round(s.saving * 100)}%` : '';
  const kind = s.fixable
    ? 'quick fix'
    : s.afterSource === 'estimate'
      ? 'estimate'
      : s.afterSource === 'reanalysis'
        ? 'engine on a changed copy, no rewrite'
        : 'no rewrite';
  return { label: `${s.rule}: ${s.message}`, description: `line ${s.line} · ${kind}${saving}`, detail: figuresLine(s, unit) };
}

/**
 * The 1-based line of each rule's heading in docs/advisor.md: `## sdpa`, or a heading that
 * lists several rules (`## alignment, vocab-padding, channels-last`).
 */
export function ruleDocLines(markdown: string): Map<string, number> {
  const out = new Map<string, number>();
  markdown.split('\n').forEach((line, i) => {
    const m = /^#{2,3}\s+(.+?)\s*$/.exec(line);
    if (!m) return;
    for (const part of m[1].split(',')) {
      const id = part.trim().replace(/`/g, '');
      if (/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) && !out.has(id)) out.set(id, i + 1);
    }
  });
  return out;
}
