// The advisor run for an open document inside the analysis worker (this module loads the rules:
// worker bundle only). It reuses the document's incrementally parsed AST for the text it was
// given, so the advisor's own first analysis of that text hits the engine's per-model reuse
// instead of analyzing every model again; the rewritten copies parse and analyze as usual.
import { advise, type AdviceReport } from '../advisor/advise';
import type { LineEdit } from '../advisor/types';
import { AnalysisError, type AnalysisEngine, type AnalyzeOptions } from '../analysis/engine';
import type { Module as AstModule } from '../python/ast';
import { applyLineEdits } from './adviceEdits';

/** The advisor's report for `text` (whose parse is `ast`), with the same options as its analysis. */
export function adviseDocument(
  engine: AnalysisEngine,
  file: string,
  text: string,
  ast: AstModule | undefined,
  options: AnalyzeOptions,
): AdviceReport {
  // the engine as advise() uses it, answering the document's own text with the document's parse
  const parser = engine.pythonParser;
  const view = {
    analyze: (f: string, t: string, o?: AnalyzeOptions, a?: AstModule) =>
      engine.analyze(f, t, o, a ?? (ast && t === text ? ast : undefined)),
    pythonParser: { parseModule: (t: string) => (ast && t === text ? ast : parser.parseModule(t)) },
  } as unknown as AnalysisEngine;
  try {
    // every rule runs; the model-changing ones are shown only with wattlens.advisor.modelChanges (visibleSuggestions)
    return advise(view, file, text, { ...options, modelChanges: true });
  } catch (e) {
    // options the engine refuses (an unknown --model, …): said as a problem, never thrown at the editor
    if (e instanceof AnalysisError) return { file, suggestions: [], problems: [e.message] };
    throw e;
  }
}

export interface ParseCheck {
  parses: boolean;
  syntaxErrorsBefore: number;
  syntaxErrorsAfter: number;
  /** 1-based line of the first syntax error the edits add. */
  firstNewError?: number;
}

/** Whether `text` with `edits` applied parses with no more syntax errors than `text` (the advisor's own criterion). */
export function checkEditsParse(engine: AnalysisEngine, text: string, edits: LineEdit[]): ParseCheck {
  const before = engine.pythonParser.parseModule(text).syntaxErrors;
  const after = engine.pythonParser.parseModule(applyLineEdits(text, edits)).syntaxErrors;
  const parses = after.length <= before.length;
  const known = new Set(before.map((e) => e.text));
  const added = parses ? undefined : (after.find((e) => !known.has(e.text)) ?? after[0]);
  return {
    parses,
    syntaxErrorsBefore: before.length,
    syntaxErrorsAfter: after.length,
    ...(added ? { firstNewError: added.line + 1 } : {}),
  };
}
