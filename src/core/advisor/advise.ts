// The advisor: runs the rules over a file, applies each rewrite to a copy of the text, checks
// that the copy parses, and re-runs the engine on it, so every "after" figure of a fixable
// suggestion comes from analyzing the rewritten code — never from a canned percentage.
import type { AnalysisEngine, AnalyzeOptions } from '../analysis/engine';
import type { ClassDef, Module, Stmt } from '../python/ast';
import type { FileReport, ModelReport } from '../report/types';
import { figuresOf } from './figures';
import { RULES } from './rules';
import type { Figures, Finding, LineEdit, Rule, RuleContext, RuleId, Suggestion } from './types';

export interface AdviceReport {
  file: string;
  suggestions: Suggestion[];
  /** Problems of the analysis itself, and fixes refused (e.g. a rewrite that would not parse). */
  problems: string[];
}

export interface AdviseOptions extends AnalyzeOptions {
  /** Only these rules (default: all but those that change the model). */
  rules?: RuleId[];
  /** Also run the rules that change the model (mixture of experts, 2:4 sparsity); off by default. */
  modelChanges?: boolean;
}

export const DOCS_BASE = 'https://github.com/wattlens/wattlens/blob/main/docs/advisor.md';

export function advise(
  engine: AnalysisEngine,
  file: string,
  text: string,
  options: AdviseOptions = {},
  ruleSet: Rule[] = RULES,
): AdviceReport {
  const report = engine.analyze(file, text, options);
  const ast = engine.pythonParser.parseModule(text);
  const lines = text.split('\n');
  const ctx: RuleContext = {
    file,
    text,
    lines,
    ast,
    report,
    options,
    // of the models built from a class, the one with known figures, then the largest
    modelUsing: (className) =>
      report.models
        .filter((m) => m.moduleClasses?.includes(className))
        .sort((a, b) => Number(b.macs !== null) - Number(a.macs !== null) || (b.uniqueParams ?? 0) - (a.uniqueParams ?? 0))[0],
  };
  const rules = ruleSet.filter((r) => (options.rules ? options.rules.includes(r.id) : !r.changesModel || options.modelChanges));
  const problems = report.problems.map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.what}: ${p.reason}`);
  const suggestions: Suggestion[] = [];
  for (const rule of rules) {
    let findings: Finding[];
    try {
      findings = rule.find(ctx);
    } catch (e) {
      problems.push(`rule ${rule.id} failed: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const f of findings) suggestions.push(toSuggestion(engine, ctx, f, problems));
  }
  suggestions.sort((a, b) => b.saving - a.saving || a.line - b.line);
  return { file, suggestions, problems };
}

/** The model a finding is about: the one built from the class around its line, else the file's first. */
function modelFor(ctx: RuleContext, line: number, explicit?: string): ModelReport | undefined {
  if (explicit) return ctx.report.models.find((m) => m.name === explicit);
  // a suggestion belongs to the model whose module tree holds the line's class, never to another one
  const cls = classAt(ctx.ast.body, line - 1);
  return cls ? ctx.modelUsing(cls.name) : ctx.report.models[0];
}

/** Why a suggestion has no figures: the model's first unknown, else the file's first problem. */
function unknownReason(ctx: RuleContext, model: ModelReport | undefined, line: number): string {
  const u = model?.unknowns[0] ?? ctx.report.problems[0];
  if (u) return `${u.what}: ${u.reason}`;
  const cls = classAt(ctx.ast.body, line - 1);
  return cls ? `no model analyzed in this file builds ${cls.name} (pick one with --model)` : 'no model could be analyzed';
}

function classAt(body: Stmt[], row: number): ClassDef | undefined {
  for (const s of body) if (s.k === 'class' && s.line <= row && row <= s.endLine) return classAt(s.body, row) ?? s;
  return undefined;
}

function toSuggestion(engine: AnalysisEngine, ctx: RuleContext, f: Finding, problems: string[]): Suggestion {
  const found = f.modelCall ? buildCall(engine, ctx, ctx.text, f.modelCall, f.beforeOptions) : modelFor(ctx, f.line, f.estimate?.model);
  // the file's own report ran with the user's options: re-run it where the script decides them
  const model = found && f.beforeOptions && !f.modelCall ? reanalyze(engine, ctx, ctx.text, found, f.beforeOptions) : found;
  const before = figuresOf(model);
  // advice without figures still stands; it says what blocked them
  const unknown = before.macs === null ? unknownReason(ctx, model, f.line) : undefined;
  if (unknown) f = { ...f, assumptions: [...(f.assumptions ?? []), `figures unknown: ${unknown}`] };
  const base = {
    rule: f.rule,
    line: f.line,
    endLine: f.endLine,
    message: f.message,
    model: model?.name,
    before,
    docs: `${DOCS_BASE}#${f.rule}`,
    ...(unknown ? { figuresUnknown: unknown } : {}),
  };
  if (f.edits) {
    const rewritten = applyEdits(ctx.text, f.edits);
    const check = engine.pythonParser.parseModule(rewritten);
    if (check.syntaxErrors.length > ctx.ast.syntaxErrors.length) {
      problems.push(`line ${f.line}: the ${f.rule} rewrite would not parse; offered as a suggestion only`);
      return { ...base, fixable: false, after: before, afterSource: 'unchanged', saving: 0, assumptions: f.assumptions ?? [] };
    }
    const afterReport = model ? reanalyze(engine, ctx, rewritten, model, f.afterOptions) : undefined;
    const after = figuresOf(afterReport);
    return {
      ...base,
      fixable: true,
      after,
      afterSource: 'reanalysis',
      saving: savingOf(before, after),
      assumptions: [
        ...(f.assumptions ?? []),
        ...(f.beforeOptions ? [`before: analyzed with ${describeOptions(f.beforeOptions)}`] : []),
        ...(f.afterOptions ? [`after: analyzed with ${describeOptions(f.afterOptions)}`] : []),
      ],
      edits: f.edits,
    };
  }
  if (f.hypotheticalEdits && model) {
    const after = figuresOf(reanalyze(engine, ctx, applyEdits(ctx.text, f.hypotheticalEdits), model, f.afterOptions));
    return { ...base, fixable: false, after, afterSource: 'reanalysis', saving: savingOf(before, after), assumptions: f.assumptions ?? [] };
  }
  if (f.estimate) {
    return {
      ...base,
      fixable: false,
      after: f.estimate.after,
      afterSource: 'estimate',
      saving: savingOf(before, f.estimate.after),
      assumptions: [...f.estimate.assumptions, ...(f.assumptions ?? [])],
    };
  }
  return { ...base, fixable: false, after: before, afterSource: 'unchanged', saving: 0, assumptions: f.assumptions ?? [] };
}

/** A model built from a call in the script's namespace (`Net(width=32)`), analyzed with the advice options. */
function buildCall(
  engine: AnalysisEngine,
  ctx: RuleContext,
  text: string,
  call: string,
  extra?: Partial<AnalyzeOptions>,
): ModelReport | undefined {
  try {
    return engine.analyze(ctx.file, text, { ...ctx.options, ...extra, model: call }).models[0];
  } catch {
    return undefined;
  }
}

function reanalyze(
  engine: AnalysisEngine,
  ctx: RuleContext,
  text: string,
  model: ModelReport,
  extra?: Partial<AnalyzeOptions>,
): ModelReport | undefined {
  if (model.entryKind === 'call') return buildCall(engine, ctx, text, model.entry, extra);
  const entry = model.name;
  const input = ctx.options.input ?? (model.input.source === 'cli' || model.input.source === 'none' ? undefined : model.input.text);
  const r: FileReport = engine.analyze(ctx.file, text, { ...ctx.options, ...extra, model: entry, input });
  return r.models[0];
}

function describeOptions(o: Partial<AnalyzeOptions>): string {
  return Object.entries(o)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** The larger relative saving of MACs, activation memory or training memory (0 when unknown or none). */
function savingOf(before: Figures, after: Figures): number {
  const rel = (b: number | null | undefined, a: number | null | undefined) =>
    b && a !== null && a !== undefined && b > 0 ? (b - a) / b : 0;
  return Math.max(
    0,
    rel(before.macs, after.macs),
    rel(before.activationBytes, after.activationBytes),
    rel(before.trainingMemoryBytes, after.trainingMemoryBytes),
  );
}

/** Applies line edits (0-based rows) to a text; later edits first so earlier rows stay valid. */
export function applyEdits(text: string, edits: LineEdit[]): string {
  const lines = text.split('\n');
  for (const e of [...edits].sort((a, b) => b.startLine - a.startLine)) lines.splice(e.startLine, e.endLine - e.startLine + 1, ...e.lines);
  return lines.join('\n');
}

/** The whole file rewritten by every fix of one rule (CLI --fix). */
export function fixAll(report: AdviceReport, text: string, rule: RuleId): { text: string; applied: number } {
  const edits = report.suggestions.filter((s) => s.rule === rule && s.fixable && s.edits).flatMap((s) => s.edits!);
  // overlapping edits cannot both apply: keep the first of each overlap
  const kept: LineEdit[] = [];
  for (const e of edits.sort((a, b) => a.startLine - b.startLine)) {
    const last = kept[kept.length - 1];
    if (last && e.startLine <= last.endLine && !(e.endLine < e.startLine && e.startLine === last.startLine)) continue;
    kept.push(e);
  }
  return { text: applyEdits(text, kept), applied: kept.length };
}

export type { Module };
