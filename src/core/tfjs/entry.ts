// TensorFlow.js front end: entry points used by the CLI and the extension. Parses the file,
// evaluates it abstractly (imports included), finds the models it defines and reports each
// with the same ModelReport the Python engine produces. Never throws for bad input: problems
// go into the FileReport; only a bad --model / --input / --set raises AnalysisError.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { T } from './ast';
import type { AnalyzeOptions } from '../analysis/engine';
import { AnalysisError } from '../analysis/engine';
import { formatMB } from '../interp/sourceGuard';
import { jsLimitError } from '../interp/signals';
import type { FileReport, ModelReport } from '../report/types';
import { makeGlobals } from './builtins';
import { dedupe, findCandidates, modelIn, runCandidate, type BuiltModel, type Candidate } from './entries';
import { sourceName } from './astQueries';
import { BudgetExceeded, Evaluator, JsThrow, type ModuleRecord } from './evaluator';
import { ModelValue, TfSession, orderedLayers } from './graph';
import { resolveInputs } from './inputs';
import { WorkspaceModules, type SourceReader } from './modules';
import { parseSource } from './parse';
import { Replay } from './replay';
import { buildTfjsModelReport } from './report';
import { TfApi } from './tfApi';
import { JsClass, JsFunction, JsObject, Unknown, type Value, siteOf } from './values';

/** Steps for the module's top level (imports included) and for each model entry. */
const MODULE_BUDGET = 1_000_000;
const ENTRY_BUDGET = 2_000_000;
/** All entries of one file together: a file of many slow builders still ends in bounded time. */
const FILE_BUDGET = 10_000_000;
const MAX_ENTRIES = 50;
/** The analyzed TF.js file (imports have their own, smaller limit). */
// TF.js model files are a few KB; parsing and converting costs ~30 µs per statement, so a 0.9 MB
// minified line took 8 s and 1 GB. A larger file is a bundle, not a model: reported, not parsed.
export const MAX_TFJS_SOURCE_BYTES = 256 * 1024;

export { isTfjsFile } from './fileKind';

const diskReader: SourceReader = {
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  isFile: (p) => {
    try {
      return existsSync(p) && statSync(p).isFile();
    } catch {
      return false;
    }
  },
};

export interface TfjsAnalysisExtras {
  /** Reads imported files (default: disk). */
  reader?: SourceReader;
  /** Called with the files evaluated through imports (for re-analysis when they change). */
  onImports?: (files: string[]) => void;
  /** Workspace folders imports may read from, besides the file's own folder. */
  roots?: readonly string[];
}

export function analyzeTfjsFile(path: string, text: string, options: AnalyzeOptions = {}, extras: TfjsAnalysisExtras = {}): FileReport {
  const report: FileReport = { file: path, language: 'tfjs', models: [], problems: [] };
  try {
    analyzeInto(report, path, text, options, extras);
  } catch (e) {
    if (e instanceof AnalysisError) throw e;
    const limit = jsLimitError(e);
    if (limit)
      report.problems.push({ what: 'analysis', reason: `stopped: ${limit.message}; the models found before it are reported`, file: path });
    else report.problems.push({ what: 'analysis', reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, file: path });
  }
  return report;
}

function analyzeInto(report: FileReport, path: string, text: string, options: AnalyzeOptions, extras: TfjsAnalysisExtras): void {
  // TypeScript's parser and the ESTree conversion take seconds per megabyte: a bundle is not a model file
  if (text.length > MAX_TFJS_SOURCE_BYTES) {
    report.problems.push({
      what: 'file',
      reason: `${path.split(/[\\/]/).pop()} is ${formatMB(text.length)}, over the ${formatMB(MAX_TFJS_SOURCE_BYTES)} limit for TensorFlow.js files: not analyzed`,
      file: path,
    });
    if (options.model)
      throw new AnalysisError(
        `${path} is over the ${formatMB(MAX_TFJS_SOURCE_BYTES)} limit for TensorFlow.js files; --model ${options.model} cannot be analyzed`,
      );
    return;
  }
  const parsed = parseSource(path, text);
  if ('error' in parsed) {
    report.problems.push({ what: 'syntax', reason: parsed.error.reason, file: path, line: parsed.error.line });
    if (options.model)
      throw new AnalysisError(`${path} has a syntax error (${parsed.error.reason}); --model ${options.model} cannot be analyzed`);
    return;
  }
  const program = parsed.program;
  for (const e of parsed.syntaxErrors) report.problems.push({ what: 'syntax', reason: e.reason, file: path, line: e.line });
  const session = new TfSession();
  const tf = new TfApi(session);
  const main: { file: string; record?: ModuleRecord } = { file: path };
  const modules = new WorkspaceModules(extras.reader ?? diskReader, tf, main, extras.roots);
  const ev = new Evaluator(makeGlobals(), modules, MODULE_BUDGET);
  modules.evaluator = ev;
  const record = ev.newModule(path);
  main.record = record;

  const set = options.set ?? {};
  const parseValue = (value: string): Value => parseSetValue(value, ev, record);
  if (Object.keys(set).length) {
    record.scope.pinned = new Set(Object.keys(set));
    for (const [k, v] of Object.entries(set)) record.scope.vars.set(k, parseValue(v));
  }

  const moduleStarted = performance.now();
  try {
    const thrown = ev.runModule(record, program);
    if (thrown) report.problems.push({ what: 'module', reason: thrown.reason, file: thrown.file ?? path, line: thrown.line });
  } catch (e) {
    const limit = jsLimitError(e);
    if (!(e instanceof BudgetExceeded) && !limit) throw e;
    const why = e instanceof BudgetExceeded ? e.message : limit!.message;
    const site = e instanceof BudgetExceeded ? siteOf(e) : undefined;
    report.problems.push({
      what: 'module',
      reason: `the module's top-level code stopped (${why}); names defined after that point are unknown`,
      file: site?.file ?? path,
      line: site?.line,
    });
  }
  const moduleMs = performance.now() - moduleStarted;
  const moduleUncertain = ev.uncertain;
  const moduleAssumed = ev.assumed;
  for (const p of modules.problems) report.problems.push({ what: 'import', reason: p.reason, file: p.file, line: p.line });
  applyConfigOverrides(record, set, parseValue);
  ev.file = path;
  const counters = session.snapshot();

  const reportOf = (b: BuiltModel, started: number): ModelReport => {
    const m = buildReport(b, path, options);
    m.analysisMs = Math.round((performance.now() - started + (b.candidate.kind === 'variable' ? moduleMs : 0)) * 100) / 100;
    return m;
  };

  if (options.model) {
    const started = performance.now();
    const built = explicitEntry(options.model, program, record, ev, set, parseValue, options);
    report.models.push(
      reportOf(
        { ...built, uncertain: [...moduleUncertain, ...built.uncertain], assumed: [...moduleAssumed, ...(built.assumed ?? [])] },
        started,
      ),
    );
    extras.onImports?.(modules.importedFiles);
    return;
  }

  const candidates = findCandidates(program, record, set, parseValue).slice(0, MAX_ENTRIES);
  const built: { b: BuiltModel; report?: ModelReport }[] = [];
  // variables first: builders run afterwards could change the models they hold
  for (const c of candidates.filter((x) => x.kind === 'variable')) {
    const started = performance.now();
    const model = c.build(ev) as ModelValue;
    const b: BuiltModel = { candidate: c, model, uncertain: moduleUncertain, assumed: moduleAssumed };
    built.push({ b, report: reportOf(b, started) });
  }
  let spent = 0;
  for (const c of candidates.filter((x) => x.kind !== 'variable')) {
    if (spent > FILE_BUDGET) {
      report.problems.push({
        what: c.name,
        reason: `not analyzed: the file's step budget was spent on the entries above it; pick it with --model ${c.name}`,
        file: path,
        line: c.line,
      });
      continue;
    }
    const started = performance.now();
    session.restore(counters);
    ev.resetRun(options.budget ?? ENTRY_BUDGET);
    const r = runCandidate(c, ev);
    spent += ev.steps;
    if ('failure' in r) {
      if (c.kind === 'builder')
        report.problems.push({ what: c.name, reason: r.failure, file: r.site?.file ?? path, line: r.site?.line ?? c.line });
      continue;
    }
    const model = modelIn(r.value);
    if (!model) continue;
    const b: BuiltModel = { candidate: c, model, uncertain: ev.uncertain, assumed: ev.assumed };
    built.push({ b, report: reportOf(b, started) });
  }
  const kept = new Set(dedupe(built.map((x) => x.b)));
  for (const x of built) if (kept.has(x.b) && x.report) report.models.push(x.report);
  report.models.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  extras.onImports?.(modules.importedFiles);
}

function buildReport(b: BuiltModel, path: string, options: AnalyzeOptions): ModelReport {
  const model = b.model;
  const inputs = resolveInputs(model, options);
  const replay = new Replay();
  if (inputs.hasInput || model.kind === 'functional' || model.layers.length) replay.run(model, inputs.results);
  const structural = [...collectProblems(model), ...replay.errors, ...b.uncertain];
  return buildTfjsModelReport({
    file: path,
    name: b.candidate.name,
    entry: b.candidate.entry,
    line: b.candidate.line,
    model,
    rows: replay.orderedRows(model),
    input: inputs.spec,
    hasInput: inputs.hasInput,
    batch: inputs.batch,
    batchAssumption: inputs.batchAssumption,
    precision: options.precision ?? 'fp32',
    optimizer: options.optimizer ?? 'adamw',
    structural,
    notes: [
      ...(b.candidate.missingArguments?.length
        ? [
            `${b.candidate.entry} was analyzed as called without arguments: ${b.candidate.missingArguments.join(', ')} ${b.candidate.missingArguments.length === 1 ? 'has' : 'have'} no default and ${b.candidate.missingArguments.length === 1 ? 'is' : 'are'} undefined; pick a call with --model '${b.candidate.name}(...)'`,
          ]
        : []),
      ...(b.assumed ?? []),
    ],
  });
}

/** Problems of a model and of the models nested in it. */
function collectProblems(model: ModelValue, seen = new Set<ModelValue>()): Unknown[] {
  if (seen.has(model)) return [];
  seen.add(model);
  const out = [...model.problems];
  if (model.kind === 'functional' && model.outputs.length === 0 && model.problems.length === 0)
    out.push(new Unknown(`${model.name} has no outputs`));
  for (const l of orderedLayers(model))
    if (l instanceof ModelValue) out.push(...collectProblems(l, seen), ...(l.inputProblem ? [l.inputProblem] : []));
  return out;
}

/** --model: a variable, a builder, a class, or a call with arguments: 'createModel(64)'. */
function explicitEntry(
  spec: string,
  program: TSESTree.Program,
  record: ModuleRecord,
  ev: Evaluator,
  set: Record<string, string>,
  parseValue: (t: string) => Value,
  options: AnalyzeOptions,
): Omit<BuiltModel, 'uncertain'> & { uncertain: Unknown[] } {
  const parsed = parseSource('<--model>.ts', `(${spec});`);
  const stmt = 'program' in parsed && parsed.program.body.length === 1 ? parsed.program.body[0] : undefined;
  if (!stmt || stmt.type !== T.ExpressionStatement) throw new AnalysisError(`--model "${spec}" is not a JavaScript expression`);
  const expr = stmt.expression;
  let root: TSESTree.Node = expr;
  while (root.type === T.CallExpression || root.type === T.MemberExpression || root.type === T.NewExpression)
    root = root.type === T.MemberExpression ? root.object : root.callee;
  const candidates = findCandidates(program, record, set, parseValue).map((c) => c.name);
  const listed = candidates.length ? ` (models, builders and classes: ${candidates.join(', ')})` : '';
  if (root.type !== T.Identifier || !record.scope.vars.has(root.name))
    throw new AnalysisError(`no model named "${root.type === T.Identifier ? root.name : spec}" in ${record.file}${listed}`);
  ev.resetRun(options.budget ?? ENTRY_BUDGET);
  const line = declarationLine(program, root.name);
  const called = /^([\w$.]+)\s*\(/.exec(spec.trim());
  const name = /^[\w$.]+$/.test(spec.trim()) ? spec.trim() : (called?.[1] ?? spec.trim());
  const candidate: Candidate = { name, kind: 'builder', line: line ?? 0, entry: spec, build: () => undefined };
  let value: Value;
  try {
    value = ev.eval(expr, record.scope);
    if (value instanceof JsFunction) {
      const fnCandidate = findCandidates(program, record, set, parseValue).find((c) => c.name === sourceName(expr));
      value = fnCandidate ? fnCandidate.build(ev) : ev.callFunction(value, undefined, [], { file: record.file, line: line ?? 0 });
      candidate.entry = `${spec}()`;
    } else if (value instanceof JsClass) {
      const cls = value;
      const c = findCandidates(program, record, set, parseValue).find((x) => x.kind === 'class' && x.name === cls.name);
      value = c ? c.build(ev) : ev.construct(value, [], { file: record.file, line: line ?? 0 });
    }
  } catch (e) {
    if (e instanceof BudgetExceeded) throw new AnalysisError(`${spec} did not finish: ${e.message}`);
    if (e instanceof JsThrow) throw new AnalysisError(`${spec} ${e.message}`);
    throw e;
  }
  const model = modelIn(value);
  if (!model)
    throw new AnalysisError(
      `${spec} does not build a TensorFlow.js model (tf.sequential or tf.model)${value instanceof Unknown ? `: ${value.reason}` : ''}`,
    );
  candidate.line = line ?? candidate.line;
  return { candidate: { ...candidate, line: line ?? 0 }, model, uncertain: [...ev.uncertain], assumed: [...ev.assumed] };
}

function declarationLine(program: TSESTree.Program, name: string): number | null {
  for (const stmt of program.body) {
    const d = stmt.type === T.ExportNamedDeclaration || stmt.type === T.ExportDefaultDeclaration ? stmt.declaration : stmt;
    if (!d) continue;
    if ((d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration) && d.id?.name === name) return d.loc.start.line;
    if (d.type === T.VariableDeclaration)
      for (const x of d.declarations) if (x.id.type === T.Identifier && x.id.name === name) return x.loc.start.line;
  }
  return null;
}

/** A --set value: a JavaScript expression (number, string, array, object literal). */
function parseSetValue(text: string, ev: Evaluator, record: ModuleRecord): Value {
  const parsed = parseSource('<--set>.ts', `(${text});`);
  const stmt = 'program' in parsed ? parsed.program.body[0] : undefined;
  if (!stmt || stmt.type !== T.ExpressionStatement) throw new AnalysisError(`--set value "${text}" is not a JavaScript value`);
  const prevFile = ev.file;
  try {
    return ev.eval(stmt.expression, record.scope);
  } catch {
    return new Unknown(`--set value "${text}" could not be evaluated`);
  } finally {
    ev.file = prevFile;
  }
}

/** --set also changes fields of top-level config objects (CONFIG.units) for builders that read them later. */
function applyConfigOverrides(record: ModuleRecord, set: Record<string, string>, parseValue: (t: string) => Value): void {
  if (!Object.keys(set).length) return;
  for (const v of record.scope.vars.values()) {
    if (!(v instanceof JsObject) || v.cls) continue;
    for (const k of Object.keys(set)) if (v.props.has(k)) v.props.set(k, parseValue(set[k]));
  }
}
