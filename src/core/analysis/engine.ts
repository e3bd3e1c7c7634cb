// The analysis engine: one long-lived interpreter (native torch and imported workspace
// files are built once and reused), and one call per analysis of a file's text.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { installBuiltins } from '../interp/builtins';
import { Interpreter, type UnmodelledLog } from '../interp/interpreter';
import { WorkspaceLoader, moduleIdentity, type NativeModuleFactory, type SourceHost } from '../interp/imports';
import type { ModuleContext } from '../interp/moduleContext';
import { Scope } from '../interp/scope';
import { BudgetExceeded, PyRaise, jsLimitError } from '../interp/signals';
import { starImportNames } from '../interp/staticNames';
import { STDLIB } from '../interp/stdlib';
import { Poly, resetUnknownSymbols } from '../interp/symbolic';
import { PyClass, PyDict, PyFunction, PyInstance, PyModule, PyPartial, PyTuple, SymInt, Unknown, type Value } from '../interp/values';
import { allModules, parameterTensors, switchMode } from '../torch/nnModule';
import type { Module as AstModule, Stmt } from '../python/ast';
import { releaseTrees } from '../python/deferredBodies';
import { loadPythonParser, type ParserAssets, type PythonParser } from '../python/parser';
import { defaultParseCache, type ParseCache } from '../python/parseCache';
import { unparse } from '../python/unparse';
import { walkStatements } from '../python/walk';
import { groupDigits } from '../report/format';
import type { FileReport, InputSpec, ModelReport, OptimizerKind, Precision, Unknown as ReportUnknown } from '../report/types';
import { attachRecorder, CostRecorder } from '../torch/recorder';
import { DTYPES, Tensor } from '../torch/tensor';
import { isModuleClass } from '../torch/moduleAttrs';
import { TorchTensorSemantics } from '../torch/tensorSemantics';
import { NATIVE_ROOTS, TORCH_NATIVES } from '../torch/torchModules';
import { EINOPS_NATIVES } from '../torch/einops/module';
import { numpyModule } from '../torch/numpyModule';
import { findPythonEnvironment, type EnvironmentQuery, type PythonEnvironment } from '../pyenv/findEnvironment';
import { buildModelReport } from './buildReport';
import { PART_OF_ANOTHER } from './notBuilt';
import { isKeptAllNote } from '../ops/filterCounts';
import { LIBRARY_PATCHES } from '../torch/libraryPatches';
import { detectionCountsAssumption } from './detectionCounts';
import { constructionBlockers, forwardBlockers, unknownLoopCause, unmodelledValues } from './unmodelled';
import { applyToArguments, configMember, isConfigObject, runUndo, setConfigPath, type BoundArgument, type Undo } from './configOverrides';
import { definitionDirective } from './directive';
import { planDefinitionPatch } from './definitionPatch';
import { BuiltModels, sameState, stateFingerprint, unitsOf, type BuiltModel } from './builtModels';
import { statementAt } from './statementAt';
import {
  defaultInput,
  directiveInput,
  findModelCall,
  formatShapes,
  isInputTuple,
  parseInputShapes,
  type DimSpec,
  type InputArg,
  type ResolvedInput,
} from './inputSpec';
import { givenDtypes } from './inputDtypes';

export interface AnalyzeOptions {
  /** A class name, a builder name, or a call with literal arguments: 'Conformer(input_dim=80)'. */
  model?: string;
  /** One shape per positional argument of forward: "1x3x224x224" or "1x100x80,1"; a tuple in parentheses: "35x10,(2x10x200,2x10x200)". */
  input?: string;
  /** NAME=VALUE overrides of module constants, config fields and entry arguments. */
  set?: Record<string, string>;
  batch?: number;
  precision?: Precision;
  optimizer?: OptimizerKind;
  /** Value of the sequence-length symbol T when nothing else fixes it. */
  seqLen?: number;
  /** Step budget of one model's construction and forward pass. */
  budget?: number;
}

export interface EngineOptions {
  host?: SourceHost;
  /** Workspace folders searched for absolute imports. */
  workspaceRoots?: string[];
  /** Where the user's Python environment is looked for (site-packages searched after the workspace). */
  environment?: EnvironmentQuery;
  /** Library packages load their submodules on first use (default true; false loads eagerly, for comparison). */
  lazyImports?: boolean;
  parserAssets?: ParserAssets;
  /** A parser to use instead of loading one (`PythonParser.unloaded()`: files come from the parse cache only). */
  parser?: PythonParser;
  /** Converted ASTs kept across processes (python/parseCache.ts); default: the user's cache folder in a built engine; null: none. */
  parseCache?: ParseCache | null;
  /**
   * The analyzed file goes through the parse cache too (the CLI, which reads files from disk);
   * off for the editor and the advisor, whose texts are unsaved buffers and rewrites.
   */
  cacheAnalyzedFile?: boolean;
}

export class AnalysisError extends Error {}

/** Called after each model of a file analysis: the report so far (not to be kept: it grows) and the number of entries tried in all. */
export type ModelListener = (soFar: Readonly<FileReport>, entries: number) => void;

const DEFAULT_BUDGET = 5_000_000;
const MODULE_BUDGET = 1_000_000;
/** Entries (classes and builders) of one file analyzed without --model, and the steps they may take together. */
const MAX_ENTRIES = 300;
const FILE_BUDGET = 50_000_000;
/** Steps of all the modules one analysis imports for the first time, together. */
const IMPORTS_BUDGET = 3_000_000;
const NOT_BUILDERS =
  /^(main|train|test|eval|evaluate|run|fit|predict|infer|inference|demo|benchmark|profile|export|load|save|setup|parse_args|get_args)(_|$)/;

export const diskHost: SourceHost = {
  onDisk: true,
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  isFile: (p) => {
    try {
      // one stat, no exception for a missing file: imports probe every root for every module
      return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      return false;
    }
  },
  listDir: (p) => {
    try {
      return readdirSync(p);
    } catch {
      return undefined;
    }
  },
};

export class AnalysisEngine {
  private readonly it: Interpreter;
  private readonly loader: WorkspaceLoader;
  private readonly host: SourceHost;
  private workspaceRoots: string[];
  private environment: PythonEnvironment | undefined;
  private readonly parseCache: ParseCache | undefined;
  private readonly cacheAnalyzedFile: boolean;

  private constructor(
    private readonly parser: PythonParser,
    options: EngineOptions,
  ) {
    this.host = options.host ?? diskHost;
    this.workspaceRoots = options.workspaceRoots ?? [];
    this.parseCache = options.parseCache === undefined ? defaultParseCache() : (options.parseCache ?? undefined);
    this.cacheAnalyzedFile = options.cacheAnalyzedFile ?? false;
    const natives: Record<string, NativeModuleFactory> = { ...STDLIB, ...TORCH_NATIVES, ...EINOPS_NATIVES, numpy: numpyModule };
    this.loader = new WorkspaceLoader({
      host: this.host,
      parse: (text, path) => this.parseFile(path, text, true),
      astOnDisk: this.host.onDisk && this.parseCache ? (path) => this.parseCache!.onDisk(path) : undefined,
      natives,
      // numpy is native too: its installed source (C extensions) is never read
      nativeRoots: [...NATIVE_ROOTS, 'numpy'],
      moduleBudget: MODULE_BUDGET,
      importsBudget: IMPORTS_BUDGET,
      lazy: options.lazyImports,
      starNames: (file, text) => (this.parseCache ? this.parseCache.starNames(file, text, starImportNames) : starImportNames(text)),
      patches: LIBRARY_PATCHES,
    });
    this.it = new Interpreter({
      budget: DEFAULT_BUDGET,
      maxDepth: 180,
      loader: this.loader,
      foreign: new TorchTensorSemantics(),
      // the torch prelude when dist/prelude-ast.json is missing (running from source): cached as files are
      parse: (text, file) => this.parseFile(file, text),
    });
    installBuiltins(this.it);
    if (options.environment) this.setEnvironment(options.environment);
  }

  /** Finds the user's Python environment again (settings or a pyvenv.cfg changed); nothing runs. */
  setEnvironment(query: EnvironmentQuery | undefined): PythonEnvironment | undefined {
    this.environment = query ? findPythonEnvironment(query) : undefined;
    this.builtModels.clear();
    this.modelCache.clear();
    this.lastReport.clear();
    this.lastModule.clear();
    return this.environment;
  }

  /** The environment found: import roots after the workspace, where they came from, what was skipped. */
  get pythonEnvironment(): PythonEnvironment | undefined {
    return this.environment;
  }

  static async create(options: EngineOptions = {}): Promise<AnalysisEngine> {
    const parser = options.parser ?? (await loadPythonParser(options.parserAssets));
    return new AnalysisEngine(parser, options);
  }

  get pythonParser(): PythonParser {
    return this.parser;
  }

  setWorkspaceRoots(roots: string[]): void {
    this.workspaceRoots = roots;
    this.builtModels.clear();
    this.modelCache.clear();
    this.lastReport.clear();
    this.lastModule.clear();
  }

  /** A workspace file changed (on disk or in an editor): imported modules are evaluated again. */
  invalidateImports(): void {
    this.loader.invalidateFiles();
    this.builtModels.clear();
    this.modelCache.clear();
    this.lastReport.clear();
    this.lastModule.clear();
  }

  /** Files this engine evaluated through imports (for re-analysis when they change). */
  importedFiles(): string[] {
    return [...this.loader.loadedFiles];
  }

  /**
   * Parses and analyzes a Python file's text. Never throws for bad input: problems are in the report.
   * `onModel` sees each model as soon as it is done (the editor shows the first before the rest).
   */
  analyze(file: string, text: string, options: AnalyzeOptions = {}, ast?: AstModule, onModel?: ModelListener): FileReport {
    this.onModel = onModel;
    try {
      return this.analyzeText(file, text, options, ast);
    } finally {
      this.onModel = undefined;
      // after the run: the function bodies it converted are stored converted
      this.parseCache?.flush();
      releaseTrees();
    }
  }

  private onModel: ModelListener | undefined;

  private analyzeText(file: string, text: string, options: AnalyzeOptions, ast: AstModule | undefined): FileReport {
    const parsed = ast ?? this.parseCached(file, text);
    // the same statements, comments and options as last time: the same report
    const last = this.lastReport.get(file);
    const key = JSON.stringify([options, [...parsed.directives]]);
    if (last && last.key === key && last.body.length === parsed.body.length && last.body.every((s, i) => s === parsed.body[i]))
      return { ...last.report, models: [...last.report.models], problems: [...last.report.problems] };
    this.tracking = ast !== undefined;
    const report = this.analyzeParsed(file, parsed, options, text);
    this.lastReport.set(file, {
      key,
      body: parsed.body,
      report: { ...report, models: [...report.models], problems: [...report.problems] },
    });
    return report;
  }

  /** The last whole-file result per file, returned again while nothing it depends on changed. */
  private readonly lastReport = new Map<string, { key: string; body: Stmt[]; report: FileReport }>();

  /** Models of the last analysis whose construction was reused (only forward ran); for tests and benches. */
  constructionsReused = 0;

  private analyzeParsed(file: string, parsed: AstModule, options: AnalyzeOptions, text: string): FileReport {
    this.constructionsReused = 0;
    const report: FileReport = { file, language: 'python', models: [], problems: [] };
    resetUnknownSymbols();
    for (const e of parsed.syntaxErrors.slice(0, 5))
      report.problems.push({ what: 'syntax', reason: `syntax error near "${e.text.split('\n')[0]}"`, file, line: e.line + 1 });
    for (const x of (parsed.notAnalyzed ?? []).slice(0, 5))
      report.problems.push({ what: 'nesting', reason: x.reason, file, line: x.line + 1 });
    // one memory budget and one imports budget for the module code, its imports and every model
    this.it.memory.reset();
    this.loader.beginAnalysis();
    const identity = moduleIdentity(file, this.host);
    this.loader.setRoots([...this.workspaceRoots, identity.packageRoot, dirname(file)], this.environment?.importRoots ?? []);
    this.resetInterpreter(MODULE_BUDGET * 2);
    const ctx = this.runModuleCode(file, identity, parsed, options, report, text);
    if (!ctx) return report;
    for (const [mod, problem] of this.loader.problems) report.problems.push({ what: `import ${mod}`, reason: problem });
    this.applyConfigOverrides(ctx, options.set ?? {});
    const moduleUndo: Undo[] = [];
    try {
      return this.analyzeEntries(file, parsed, ctx, options, report, moduleUndo);
    } finally {
      runUndo(moduleUndo);
    }
  }

  private analyzeEntries(
    file: string,
    parsed: AstModule,
    ctx: ModuleContext,
    options: AnalyzeOptions,
    report: FileReport,
    moduleUndo: Undo[],
  ): FileReport {
    let entries: Entry[];
    try {
      entries = this.findEntries(parsed, ctx, options);
      this.applyModuleLevelOverrides(ctx, options.set ?? {}, moduleUndo);
      this.currentOptionsSet = options.set ?? {};
      this.overridesReached = new Set();
    } catch (e) {
      if (e instanceof AnalysisError) throw e;
      return this.internalError(report, e);
    }
    const reuse = this.reuseFor(file, parsed, options);
    // a file of 30,000 builders still ends in bounded time: the first entries, and a step budget for them all
    if (entries.length > MAX_ENTRIES) {
      report.problems.push({
        what: 'entries',
        reason: `${entries.length} classes and builders: the first ${MAX_ENTRIES} were analyzed; pick another with --model`,
        file,
      });
      entries = entries.slice(0, MAX_ENTRIES);
    }
    let spent = 0;
    let fromCache = false;
    for (const entry of entries) {
      if (spent > FILE_BUDGET) {
        report.problems.push({
          what: entry.name,
          reason: `not analyzed: the file's step budget was spent on the entries above it; pick it with --model ${entry.name}`,
          file,
          line: entry.line ?? undefined,
        });
        continue;
      }
      const started = nowMs();
      try {
        const cached = reuse.get(entry);
        if (cached) {
          fromCache = true;
          report.problems.push(...cached.problems);
          if (cached.skipped) (report.notBuilt ??= []).push(cached.skipped);
          if (cached.model) {
            report.models.push({ ...cached.model, analysisMs: 0 });
            this.onModel?.(report, entries.length);
          }
          continue;
        }
        const problems: FileReport['problems'] = [];
        this.it.depTrace = { file, lines: new Set() };
        this.skipReason = undefined;
        const model = this.analyzeEntry(entry, parsed, ctx, file, options, { ...report, problems });
        spent += this.it.steps;
        const skipped = !model && !problems.length && this.skipReason ? notBuilt(entry, file, this.skipReason) : undefined;
        reuse.store(entry, model, problems, this.it.depTrace.lines, skipped);
        this.it.depTrace = undefined;
        report.problems.push(...problems);
        if (skipped) (report.notBuilt ??= []).push(skipped);
        if (model) {
          model.analysisMs = Math.round((nowMs() - started) * 100) / 100;
          report.models.push(model);
          this.onModel?.(report, entries.length);
        }
      } catch (e) {
        this.it.depTrace = undefined;
        if (e instanceof AnalysisError) throw e;
        report.problems.push({
          what: entry.name,
          reason: `internal error while analyzing: ${e instanceof Error ? e.message : String(e)}`,
          file,
          line: entry.line ?? undefined,
        });
      }
    }
    // without --model, a path no entry's arguments held is a mistake (a cached entry was checked when it was built)
    const missed = Object.keys(options.set ?? {}).filter(
      (k) => k.includes('.') && !isConfigObject(ctx.scope.vars.get(k.split('.')[0])) && !this.overridesReached.has(k),
    );
    if (missed.length && !fromCache && !options.model)
      throw new AnalysisError(
        `--set ${missed[0]}: no config object named '${missed[0].split('.')[0]}' in ${file} or among its models' arguments`,
      );
    return report;
  }

  /** Reports of the models of each file, with the top-level statements they depended on. */
  private readonly modelCache = new Map<string, Map<string, CachedModel>>();

  /**
   * Per-model reuse: a model is analyzed again only when a top-level statement it used changed
   * (a function it called, a class it built or read), when any other top-level statement changed
   * (imports, constants), or when the options or imported files changed. Statements are compared
   * by identity: PythonDocument keeps unchanged statements' AST objects across edits.
   */
  private reuseFor(file: string, ast: AstModule, options: AnalyzeOptions) {
    // `# wattlens:` comments are not statements: they are part of the key
    const optionsKey = JSON.stringify([options, [...ast.directives]]);
    const globals = ast.body.filter((s) => s.k !== 'def' && s.k !== 'class');
    const present = new Set(ast.body);
    let cache = this.modelCache.get(file);
    if (!cache) this.modelCache.set(file, (cache = new Map<string, CachedModel>()));
    const c = cache;
    const keyOf = (entry: Entry) => `${optionsKey}|${entry.name}|${entry.call ?? ''}`;
    const topLevelAt = (row: number) => statementAt(ast.body, row);
    return {
      get: (entry: Entry): CachedModel | undefined => {
        const hit = c.get(keyOf(entry));
        if (
          !hit ||
          this.moduleCallsChanged ||
          hit.globals.length !== globals.length ||
          hit.globals.some((s, i) => s !== globals[i]) ||
          !hit.deps.every((s) => present.has(this.sameCode.get(s) ?? s))
        )
          return undefined;
        hit.deps = hit.deps.map((s) => this.sameCode.get(s) ?? s);
        return hit;
      },
      store: (
        entry: Entry,
        model: ModelReport | undefined,
        problems: FileReport['problems'],
        lines: Set<number>,
        skipped?: ReportUnknown,
      ) => {
        const deps = new Set<Stmt>();
        for (const l of lines) {
          const s = topLevelAt(l);
          if (s) deps.add(s);
        }
        // the entry's own definition always counts
        if (entry.def) deps.add(topLevelAt(entry.def.line) ?? entry.def);
        if (c.size > 200) c.clear();
        c.set(keyOf(entry), { model, problems, skipped, globals, deps: [...deps] });
      },
    };
  }

  /** The last parse of each file, reused while its text is unchanged (the CLI and batch callers). */
  private readonly astCache = new Map<string, { text: string; ast: AstModule }>();

  private parseCached(file: string, text: string): AstModule {
    const hit = this.astCache.get(file);
    if (hit && hit.text === text) return hit.ast;
    const ast = this.cacheAnalyzedFile ? this.parseFile(file, text) : this.parser.parseModule(text);
    if (this.astCache.size > 32) this.astCache.delete(this.astCache.keys().next().value!);
    this.astCache.set(file, { text, ast });
    return ast;
  }

  /**
   * An open document's AST: the parse cache's when it holds exactly this text (a file opened again,
   * or one the analysis of another imported), else `convert`'s, which is then stored.
   */
  documentAst(path: string, text: string, convert: () => AstModule): { ast: AstModule; cached: boolean } {
    let cached = true;
    const make = () => ((cached = false), convert());
    return { ast: this.parseCache ? this.parseCache.parse(path, text, make) : make(), cached };
  }

  /** `deferBodies`: an imported file, whose function bodies are converted when first run (python/deferredBodies.ts). */
  private parseFile(path: string, text: string, deferBodies = false): AstModule {
    const parse = (t: string) => this.parser.parseModule(t, { deferBodies });
    return this.parseCache ? this.parseCache.parse(path, text, parse) : parse(text);
  }

  /** The module state of each file's last run, to re-run only the functions an edit changed. */
  private readonly lastModule = new Map<
    string,
    {
      key: string;
      body: Stmt[];
      lines: string[];
      ctx: ModuleContext;
      problems: FileReport['problems'];
      moduleUnits: Set<number>;
      unmodelled: UnmodelledLog['values'];
    }
  >();

  /**
   * The analysis is of an editor document's parse (an AST passed in): its module namespace and
   * built models are kept for the next edit. Other texts of the same file (the advisor's
   * rewrites, the CLI) run on their own and leave those alone.
   */
  private tracking = false;

  /** Top-level statements the last edit replaced by ones that differ only in docstrings (models using them are reused). */
  private sameCode = new Map<Stmt, Stmt>();

  /** The last module run changed a function its module code had called: no model report is reused. */
  private moduleCallsChanged = false;

  /** Models built in the last module namespace, reused while their construction's code is unchanged. */
  private readonly builtModels = new BuiltModels();

  /**
   * Runs the file's top level. When the only statements that changed since the last run are
   * `def`s, only those run again in the last run's namespace (a def just binds its name, and
   * the other code looks names up when it runs); anything else runs the whole module again.
   */
  private runModuleCode(
    file: string,
    identity: { name: string; packageName: string },
    parsed: AstModule,
    options: AnalyzeOptions,
    report: FileReport,
    text: string,
  ): ModuleContext | undefined {
    const it = this.it;
    const key = JSON.stringify([options.set ?? {}, this.workspaceRoots]);
    // the editor's document and other texts of the same path (rewrites, the CLI) each keep their own namespace
    const slot = `${this.tracking ? 'document' : 'text'}:${file}`;
    const last = this.lastModule.get(slot);
    const lines = text.split('\n');
    // a changed function the module's code called (a decorator, `X = f()`) may change any module-level value
    this.moduleCallsChanged = !!last && last.key === key && parsed.body.some((s, i) => s !== last.body[i] && last.moduleUnits.has(s.line));
    this.sameCode = new Map();
    // only function and method bodies changed: they take their new code in place
    const patch =
      last && last.key === key ? planDefinitionPatch(last.body, parsed.body, last.lines, lines, last.ctx, it, last.moduleUnits) : undefined;
    if (last && patch) {
      try {
        patch.apply();
        this.sameCode = patch.sameCode;
        this.moduleUnmodelled = last.unmodelled;
        last.body = parsed.body;
        last.lines = lines;
        if (this.tracking) this.builtModels.changed(file, last.ctx, patch.rows);
        report.problems.push(...last.problems);
        return last.ctx;
      } catch (e) {
        if (!(e instanceof PyRaise) && !(e instanceof BudgetExceeded)) throw e;
      }
    }
    // from here on the namespace is run or re-bound anew: no model built in it is reused
    if (this.tracking) this.builtModels.forget(file);
    if (last && !patch && last.key === key && last.body.length === parsed.body.length) {
      const changed = parsed.body.filter((s, i) => s !== last.body[i]);
      // a function the module's code called (a decorator, `X = f()`) changes what the module holds
      const calledByModule = changed.some((s) => last.moduleUnits.has(s.line));
      const onlyDefs = parsed.body.every(
        (s, i) =>
          s === last.body[i] ||
          (s.k === 'def' && last.body[i].k === 'def' && (s as { name: string }).name === (last.body[i] as { name: string }).name),
      );
      if (onlyDefs && !calledByModule) {
        it.frames.push({ module: last.ctx, line: 0, name: '<module>' });
        try {
          this.moduleUnmodelled = last.unmodelled;
          for (const s of changed) it.execBlock([s], last.ctx.scope);
          last.body = parsed.body;
          last.lines = lines;
          report.problems.push(...last.problems);
          return last.ctx;
        } catch (e) {
          // fall through to a full run
          if (!(e instanceof PyRaise) && !(e instanceof BudgetExceeded)) throw e;
        } finally {
          it.frames.pop();
        }
      }
    }
    const ctx = this.moduleContext(file, identity);
    const constants = Object.entries(options.set ?? {}).filter(([k]) => !k.includes('.'));
    if (constants.length) ctx.scope.pinned = new Set(constants.map(([k]) => k));
    for (const [k, v] of constants) ctx.scope.vars.set(k, this.parseValue(v, ctx));
    const problems: FileReport['problems'] = [];
    it.unmodelled = { values: [], control: [] };
    const moduleTrace = { file, lines: new Set<number>() };
    it.depTrace = moduleTrace;
    try {
      const raised = it.runModule(parsed, ctx);
      const loop = raised && unknownLoopCause(it.unmodelled!, file);
      if (raised)
        problems.push({
          what: 'module',
          reason: loop
            ? `${loop.reason}; the module code then raised ${describeRaise(raised)}`
            : `module code raised ${describeRaise(raised, { siteShownFor: file })}`,
          file: loop ? loop.file : raised.file,
          line: loop ? loop.line : (raised.line ?? 0) + 1,
        });
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) {
        this.internalError(report, e);
        return undefined;
      }
      problems.push({
        what: 'module',
        reason: 'the module code exceeded the step budget; names after that point are unknown',
        file,
        line: (e.line ?? 0) + 1,
      });
    } finally {
      it.depTrace = undefined;
    }
    for (const v of unmodelledValues(it.unmodelled.values.filter((v) => v.file === file)))
      problems.push({ ...v, what: `module code: ${v.what}`, reason: `${v.reason}; names that depend on it are unknown` });
    this.moduleUnmodelled = it.unmodelled.values;
    it.unmodelled = undefined;
    report.problems.push(...problems);
    this.lastModule.set(slot, {
      key,
      body: parsed.body,
      lines,
      ctx,
      problems,
      moduleUnits: unitsOf(parsed, moduleTrace.lines),
      unmodelled: this.moduleUnmodelled,
    });
    return ctx;
  }

  /** Why the last entry analyzed was not built, when it is no problem (a part of another model). */
  private skipReason: string | undefined;

  /** The unmodelled APIs the module code met (their unknowns may flow into a model). */
  private moduleUnmodelled: UnmodelledLog['values'] = [];

  /** A JavaScript limit (stack, array size) hit outside any Python call, as the Python exception it stands for. */
  private asSignal(e: unknown): unknown {
    return jsLimitError(e) ? this.it.asPyRaise(e) : e;
  }

  private internalError(report: FileReport, e: unknown): FileReport {
    report.problems.push({ what: 'analysis', reason: `internal error: ${e instanceof Error ? e.message : String(e)}` });
    return report;
  }

  private resetInterpreter(budget: number): void {
    const it = this.it;
    it.steps = 0;
    it.budget = budget;
    it.frames.length = 0;
    it.notes.clear();
    it.symbolBounds.clear();
    it.unmodelled = undefined;
    attachRecorder(it, undefined);
  }

  private moduleContext(file: string, identity: { name: string; packageName: string }): ModuleContext {
    const mod = new PyModule(identity.name, file);
    mod.attrs.set('__name__', identity.name);
    mod.attrs.set('__file__', file);
    return { name: identity.name, packageName: identity.packageName, file, scope: new Scope('module', null, mod.attrs), module: mod };
  }

  /** A Python literal or expression given on the command line, evaluated in the module. */
  private parseValue(text: string, ctx: ModuleContext): Value {
    const ast = this.parser.parseModule(`__wattlens_value__ = ${text}\n`);
    const stmt = ast.body[0];
    if (ast.syntaxErrors.length || !stmt || stmt.k !== 'assign') throw new AnalysisError(`--set value "${text}" is not a Python value`);
    const value = this.evalIn(stmt.value, ctx);
    // a bare word is a name to Python: say so rather than set an unknown
    if (value instanceof Unknown && value.reason.startsWith('raised NameError'))
      throw new AnalysisError(`--set value "${text}" is not a Python value or a name of the file (quote a string: "'${text}'")`);
    return value;
  }

  private evalIn(expr: Extract<Stmt, { k: 'assign' }>['value'], ctx: ModuleContext): Value {
    const it = this.it;
    it.frames.push({ module: ctx, line: expr.line, name: '<wattlens>' });
    try {
      return it.evalExpr(expr, ctx.scope);
    } catch (caught) {
      const e = this.asSignal(caught);
      if (e instanceof PyRaise) return new Unknown(`raised ${describeRaise(e)}`);
      if (e instanceof BudgetExceeded) return new Unknown('step budget exhausted');
      throw e;
    } finally {
      it.frames.pop();
    }
  }

  /**
   * `--set cfg.model.depth=4` where `cfg` is a module-level name: set once, before any model is
   * built. Other paths are applied to each entry's arguments when it is built (`overrideArguments`).
   */
  private applyModuleLevelOverrides(ctx: ModuleContext, set: Record<string, string>, undo: Undo[]): void {
    for (const [key, text] of Object.entries(set)) {
      const path = key.split('.');
      if (path.length === 1) continue;
      const root = ctx.scope.vars.get(path[0]);
      if (root === undefined || !isConfigObject(root)) continue;
      this.it.frames.push({ module: ctx, line: 0, name: '<wattlens>' });
      try {
        const error = setConfigPath(this.it, root, path.slice(1), this.parseValue(text, ctx), undo);
        if (error) throw new AnalysisError(`--set ${key}: ${error}`);
      } finally {
        this.it.frames.pop();
      }
    }
  }

  /** --set also changes dataclass / config defaults of the same name (GPTConfig.n_layer). */
  private applyConfigOverrides(ctx: ModuleContext, set: Record<string, string>): void {
    for (const v of ctx.scope.vars.values()) {
      if (!(v instanceof PyClass) || !v.dataclassFields || v.file !== ctx.file) continue;
      for (const f of v.dataclassFields) if (f.name in set) f.default = ctx.scope.vars.get(f.name);
    }
  }

  private findEntries(ast: AstModule, ctx: ModuleContext, options: AnalyzeOptions): Entry[] {
    const defs = new Map<string, Extract<Stmt, { k: 'class' | 'def' }>>();
    for (const s of ast.body) if (s.k === 'class' || s.k === 'def') defs.set(s.name, s);
    if (options.model) {
      const spec = options.model.trim();
      const callMatch = /^([A-Za-z_][\w.]*)\s*\(/.exec(spec);
      const name = callMatch ? callMatch[1] : spec;
      const value = ctx.scope.vars.get(name.split('.')[0]);
      if (!/^[A-Za-z_][\w.]*$/.test(name) || value === undefined)
        throw new AnalysisError(
          `no model named "${name}" in ${ctx.file}${defs.size ? ` (classes and builders: ${[...defs.keys()].join(', ')})` : ''}`,
        );
      const def = defs.get(name);
      return [
        withDirective(ast, {
          name,
          call: callMatch ? spec : undefined,
          kind: callMatch ? 'call' : def?.k === 'def' ? 'builder' : 'class',
          line: def ? def.line + 1 : null,
          def,
          explicit: true,
        }),
      ];
    }
    const entries: Entry[] = [];
    for (const [name, def] of defs) {
      const v = ctx.scope.vars.get(name);
      if (def.k === 'class' && v instanceof PyClass && isModuleClass(v))
        entries.push({ name, kind: 'class', line: def.line + 1, def, explicit: false });
      else if (
        def.k === 'def' &&
        !name.startsWith('_') &&
        !NOT_BUILDERS.test(name) &&
        def.params.every((p) => p.default || p.kind === 'varargs' || p.kind === 'varkw' || (p.kind === 'kwonly' && p.default))
      )
        entries.push({ name, kind: 'builder', line: def.line + 1, def, explicit: false });
    }
    return entries.map((e) => withDirective(ast, e));
  }

  /** The --set of the analysis running (an entry's comment may add its own). */
  private currentOptionsSet: Record<string, string> = {};

  /** The --set paths some entry's arguments held, in this analysis. */
  private overridesReached = new Set<string>();

  /** Overrides applied to the arguments of the entry being built, undone when its analysis ends. */
  private entryUndo: Undo[] = [];

  private analyzeEntry(
    entry: Entry,
    ast: AstModule,
    ctx: ModuleContext,
    file: string,
    options: AnalyzeOptions,
    report: FileReport,
  ): ModelReport | undefined {
    const outer = this.entryUndo;
    this.entryUndo = [];
    try {
      return this.analyzeOneEntry(entry, ast, ctx, file, options, report);
    } finally {
      runUndo(this.entryUndo);
      this.entryUndo = outer;
    }
  }

  private analyzeOneEntry(
    entry: Entry,
    ast: AstModule,
    ctx: ModuleContext,
    file: string,
    options: AnalyzeOptions,
    report: FileReport,
  ): ModelReport | undefined {
    const it = this.it;
    this.resetInterpreter(options.budget ?? DEFAULT_BUDGET);
    const set = { ...entry.directiveSet, ...options.set };
    // build, or take the model built before when its construction's code is unchanged
    const builtKey =
      !this.tracking || Object.keys(set).length ? undefined : JSON.stringify([options.budget, entry.name, entry.call, entry.kind]);
    const held = builtKey ? this.builtModels.get(file, builtKey, ctx) : undefined;
    // the state a fresh construction leaves, checked when the model is taken again: a forward pass that
    // changed it, or anything run since (another model's, the module's), makes it built again
    const reused = held && sameState(held.fingerprint, held.model, ctx) ? held : undefined;
    if (held) this.builtModels.delete(file, builtKey!);
    let fresh: BuiltModel | undefined;
    let model: Value;
    let built: UnmodelledLog;
    let moduleValues: number;
    if (reused) {
      this.constructionsReused++;
      model = reused.model;
      built = { values: [...reused.unmodelled.values], control: [...reused.unmodelled.control] };
      moduleValues = reused.moduleValues;
      for (const [k, v] of reused.notes) it.notes.set(k, v);
      for (const [k, v] of reused.bounds) it.symbolBounds.set(k, v);
      it.steps = reused.steps;
      for (const l of reused.lines) it.depTrace?.lines.add(l);
    } else {
      built = { values: [...this.moduleUnmodelled], control: [] };
      moduleValues = built.values.length;
      const construction = this.construct(entry, ast, ctx, file, options, report, set, built);
      if (!construction.ok) return construction.model;
      model = construction.model;
      if (builtKey) {
        const lines = [...(it.depTrace?.lines ?? [])];
        fresh = {
          ctx,
          model,
          unmodelled: { values: [...built.values], control: [...built.control] },
          moduleValues,
          notes: [...it.notes],
          bounds: [...it.symbolBounds],
          steps: it.steps,
          lines,
          units: unitsOf(ast, entry.def ? [...lines, entry.def.line] : lines),
          fingerprint: stateFingerprint(model, ctx),
        };
      }
    }
    return this.runForward(entry, ast, ctx, file, options, set, model, built, moduleValues, builtKey, reused ?? fresh);
  }

  /** Builds the entry's model; `ok: false` with what the entry's analysis returns when it built no nn.Module. */
  private construct(
    entry: Entry,
    ast: AstModule,
    ctx: ModuleContext,
    file: string,
    options: AnalyzeOptions,
    report: FileReport,
    set: Record<string, string>,
    built: UnmodelledLog,
  ): { ok: true; model: PyInstance } | { ok: false; model: ModelReport | undefined } {
    const it = this.it;
    let model: Value;
    it.unmodelled = built;
    try {
      model = this.build(entry, ctx, set);
    } catch (caught) {
      it.unmodelled = undefined;
      if (caught instanceof AnalysisError && (entry.fromDirective || (entry.directiveSet && !entry.explicit))) {
        report.problems.push({ what: entry.name, reason: `# wattlens: ${caught.message}`, file, line: entry.line ?? undefined });
        return { ok: false, model: undefined };
      }
      const e = this.asSignal(caught);
      const loop = e instanceof PyRaise ? unknownLoopCause(built) : undefined;
      const reason =
        e instanceof PyRaise
          ? loop
            ? `${loop.reason}; then ${describeRaise(e)}`
            : describeRaise(e)
          : e instanceof BudgetExceeded
            ? budgetExceeded('construction', e)
            : undefined;
      if (!reason) throw e;
      if (!entry.explicit && e instanceof PyRaise && isMissingArgument(e)) {
        // a root model (not a part other definitions build) is built the way the file builds it,
        // or from a config class's defaults
        for (const call of partOfAnother(entry.name, ast) || entry.alternative ? [] : alternativeBuilds(entry.name, ast, ctx)) {
          const model = this.analyzeEntry(
            { ...entry, call: call.text, kind: 'call', explicit: false, alternative: call.why },
            ast,
            ctx,
            file,
            options,
            { ...report, problems: [] },
          );
          if (model) return { ok: false, model };
        }
        // parts of another model are analyzed inside it; only a root model that cannot be built is a problem
        if (!partOfAnother(entry.name, ast) && !entry.alternative)
          report.problems.push({
            what: entry.name,
            reason: `not built with default arguments (${String(e.exc.payload)}); pick it with --model '${entry.name}(...)'`,
            file,
            line: entry.line ?? undefined,
          });
        else this.skipReason = `${PART_OF_ANOTHER}; it needs arguments (${String(e.exc.payload)})`;
        return { ok: false, model: undefined };
      }
      if (!entry.explicit && entry.kind === 'builder') {
        this.skipReason = `could not be built: ${reason}`;
        return { ok: false, model: undefined };
      }
      report.problems.push({ what: entry.name, reason: `could not be built: ${reason}`, file, line: entry.line ?? undefined });
      return { ok: false, model: undefined };
    }
    if (!(model instanceof PyInstance) || !model.module) {
      // an instance of a class whose base did not resolve (a library that is not installed) says which
      const why = model instanceof Unknown ? model.reason : model instanceof PyInstance ? model.cls.unknownBaseReason() : undefined;
      if (entry.explicit) throw new AnalysisError(`${entry.call ?? entry.name} does not build an nn.Module${why ? ` (${why})` : ''}`);
      // a function that returns something else is no builder; one whose result is unknown may be
      if (model instanceof Unknown) this.skipReason = `builds an unknown value (${model.reason})`;
      return { ok: false, model: undefined };
    }
    it.unmodelled = undefined;
    // eval mode, as inference reports assume: model.eval(), which runs a class's own `train`
    try {
      switchMode(it, model, false);
    } catch (e) {
      if (!(e instanceof PyRaise) && !(e instanceof BudgetExceeded)) throw e;
      report.problems.push({
        what: entry.name,
        reason: `model.eval() ${e instanceof PyRaise ? `raised ${describeRaise(e)}` : 'ran out of steps'}`,
        file,
      });
      for (const m of allModules(model)) m.attrs.set('training', false);
    }
    return { ok: true, model };
  }

  /** Input, forward pass and report of a built model; keeps the model for the next analysis (checked when taken again). */
  private runForward(
    entry: Entry,
    ast: AstModule,
    ctx: ModuleContext,
    file: string,
    options: AnalyzeOptions,
    set: Record<string, string>,
    model: PyInstance,
    built: UnmodelledLog,
    moduleValues: number,
    builtKey: string | undefined,
    kept: BuiltModel | undefined,
  ): ModelReport {
    const it = this.it;

    const batch = options.batch ?? 1;
    const seqLen = options.seqLen ?? 1024;
    const input = this.resolveInput(entry, ast, ctx, model, options, batch, seqLen);
    // forward
    const recorder = new CostRecorder();
    let forwardFailure: ReportUnknown | undefined;
    let forwardOut: Value | undefined;
    const ran: UnmodelledLog = { values: [...built.values], control: [] };
    const builtValues = built.values.length;
    if (input.source !== 'none') {
      const args = forwardArguments(input);
      attachRecorder(it, recorder);
      it.steps = 0;
      it.unmodelled = ran;
      try {
        const out = it.call(model, { positional: args, keywords: new Map() });
        forwardOut = out;
        if (out instanceof Unknown && recorder.events.length === 0)
          forwardFailure = {
            what: 'forward cost',
            reason: `forward returned an unknown value: ${out.reason}`,
            file: out.file,
            line: out.line,
          };
      } catch (caught) {
        const e = this.asSignal(caught);
        const loop = e instanceof PyRaise ? unknownLoopCause(ran) : undefined;
        if (e instanceof PyRaise)
          forwardFailure = loop
            ? { what: 'forward cost', reason: `${loop.reason}; forward then raised ${describeRaise(e)}`, file: loop.file, line: loop.line }
            : {
                what: 'forward cost',
                reason: `forward raised ${describeRaise(e, { siteShownFor: e.file })}`,
                file: e.file,
                line: oneBased(e.line),
              };
        else if (e instanceof BudgetExceeded)
          forwardFailure = {
            what: 'forward cost',
            reason: budgetExceeded('forward', e),
            file: e.file,
            line: oneBased(e.line),
          };
        else throw e;
      } finally {
        it.unmodelled = undefined;
        attachRecorder(it, undefined);
      }
    }
    // symbol values, known after forward (it may state bounds)
    const bindings: Record<string, number> = {};
    for (const shape of input.shapes)
      for (const d of shape)
        if (typeof d === 'string') {
          const fromSet = set[d] !== undefined && /^\d+$/.test(set[d]) ? Number(set[d]) : undefined;
          bindings[d] = fromSet ?? (d === 'B' || d === 'N' ? batch : d === 'T' || d === 'L' || d === 'S' ? seqLen : NaN);
          if (Number.isNaN(bindings[d])) delete bindings[d];
          // the code's own bound (assert T <= block_size) caps a default length
          const bound = it.symbolBounds.get(d);
          if (fromSet === undefined && bound !== undefined && bindings[d] !== undefined && bindings[d] > bound) {
            bindings[d] = bound;
            it.note(`${d} = ${bound}: the largest value the code allows (${d} ≤ ${bound})`);
          }
        }

    const counts =
      model instanceof PyInstance && forwardOut !== undefined
        ? detectionCountsAssumption(model, forwardOut, recorder.moduleCalls, [...it.notes.values()].some(isKeptAllNote))
        : undefined;
    const inputSpec: InputSpec = {
      shapes: input.shapes,
      text: input.shapes.length ? formatShapes(input.args ?? input.shapes) : '?',
      source: input.source,
      detail: input.detail,
      bindings: Object.keys(bindings).length ? bindings : undefined,
    };
    if (builtKey && kept) this.builtModels.set(file, builtKey, kept);
    const firstBatch = input.shapes[0]?.[0];
    const inputBatch = typeof firstBatch === 'number' ? firstBatch : typeof firstBatch === 'string' ? (bindings[firstBatch] ?? 1) : 1;
    return buildModelReport({
      file,
      name: entry.name,
      entry: entry.call ?? (entry.kind === 'builder' ? `${entry.name}()` : `${entry.name}()`),
      entryKind: entry.kind,
      line: entry.line,
      model,
      recorder: input.source === 'none' ? undefined : recorder,
      input: inputSpec,
      bindings,
      batch: options.batch ?? inputBatch,
      inputBatch,
      precision: options.precision ?? 'fp32',
      optimizer: options.optimizer ?? 'adamw',
      forwardFailure,
      buildBlockers: constructionBlockers(built),
      forwardBlockers: forwardFailure ? [] : forwardBlockers(ran, builtValues),
      unmodelled: unmodelledValues(built.values.slice(moduleValues)),
      figureNotes: input.dtypeNote || counts ? [input.dtypeNote, counts].filter((n): n is string => !!n) : undefined,
      notes: [...(entry.alternative ? [`${entry.call}: ${entry.alternative}`] : []), ...it.notes.values()].slice(0, 20),
    });
  }

  private build(entry: Entry, ctx: ModuleContext, set: Record<string, string>): Value {
    const it = this.it;
    it.frames.push({ module: ctx, line: (entry.line ?? 1) - 1, name: '<wattlens>' });
    try {
      if (entry.call) {
        const ast = this.parser.parseModule(`__wattlens_model__ = ${entry.call}\n`);
        const stmt = ast.body[0];
        if (ast.syntaxErrors.length || !stmt || stmt.k !== 'assign' || stmt.value.k !== 'call')
          throw new AnalysisError(`--model "${entry.call}" is not a Python call`);
        const call = stmt.value;
        if (call.args.some((a) => a.kind === 'star' || a.kind === 'kwstar')) {
          this.overrideArguments(entry, ctx, [], set);
          return it.evalExpr(call, ctx.scope);
        }
        // the arguments (configs included) are built first, then changed by --set, then passed
        const fn = it.evalExpr(call.fn, ctx.scope);
        const positional = call.args.filter((a) => a.kind === 'pos').map((a) => it.evalExpr(a.value, ctx.scope));
        const keywords = new Map(call.args.filter((a) => a.kind === 'kw').map((a) => [a.name!, it.evalExpr(a.value, ctx.scope)]));
        this.overrideArguments(entry, ctx, bindArguments(fn, positional, keywords), set);
        return it.call(fn, { positional, keywords });
      }
      const target = ctx.scope.vars.get(entry.name);
      const keywords = new Map<string, Value>();
      const params = entryParams(target);
      for (const [k, text] of Object.entries(set)) if (params.includes(k)) keywords.set(k, this.parseValue(text, ctx));
      this.overrideArguments(entry, ctx, bindArguments(target, [], keywords), set);
      return it.call(target ?? null, { positional: [], keywords });
    } finally {
      it.frames.pop();
    }
  }

  /** --set on the config objects among the entry's arguments (defaults included), after they were built. */
  private overrideArguments(entry: Entry, ctx: ModuleContext, args: BoundArgument[], set: Record<string, string>): void {
    // a path from a module-level config was set before any entry, unless only this entry's comment asks for it
    const moduleRoot = (key: string) => (key.includes('.') ? ctx.scope.vars.get(key.split('.')[0]) : undefined);
    for (const [key, text] of Object.entries(set)) {
      const root = moduleRoot(key);
      if (!isConfigObject(root) || this.currentOptionsSet[key] !== undefined) continue;
      const error = setConfigPath(this.it, root!, key.split('.').slice(1), this.parseValue(text, ctx), this.entryUndo);
      if (error) throw new AnalysisError(`set ${key}: ${error}`);
    }
    const overrides = Object.entries(set)
      .filter(([key]) => !isConfigObject(moduleRoot(key)))
      .map(([key, text]) => ({ key, value: () => this.parseValue(text, ctx) }));
    if (!overrides.length) return;
    const { unresolved: missed, error } = applyToArguments(this.it, args, overrides, this.entryUndo);
    if (error) throw new AnalysisError(error);
    const unresolved = missed.filter((key) => !this.applyToModuleDefault(ctx, key, set[key]));
    for (const { key } of overrides) if (!unresolved.includes(key)) this.overridesReached.add(key);
    // a plain name from a comment must name a parameter or a config attribute (there is no module constant to pin)
    const plainMissed = overrides.find(
      ({ key }) =>
        !key.includes('.') &&
        this.currentOptionsSet[key] === undefined &&
        !args.some((a) => a.param === key || (isConfigObject(a.value) && configMember(this.it, a.value, key) !== undefined)),
    );
    if (plainMissed && !entry.explicit)
      throw new AnalysisError(
        `set ${plainMissed.key}: no parameter or config attribute named '${plainMissed.key}' for ${entry.call ?? entry.name}`,
      );
    const fromComment = unresolved.filter((k) => this.currentOptionsSet[k] === undefined);
    if (fromComment.length && !entry.explicit)
      throw new AnalysisError(
        `set ${fromComment[0]}: no config object named '${fromComment[0].split('.')[0]}' among the arguments of ${entry.call ?? entry.name}`,
      );
    if (unresolved.length && entry.explicit) {
      const names = args.map((a) => a.param).filter((p) => p !== undefined);
      throw new AnalysisError(
        `--set ${unresolved[0]}: no config object named '${unresolved[0].split('.')[0]}' among the module's names or the arguments of ${entry.call ?? entry.name}${names.length ? ` (${names.join(', ')})` : ''}`,
      );
    }
  }

  /**
   * A path no argument reached (`MODEL.SWIN.DEPTHS` for `swin_from_defaults()`, whose builder
   * clones the yacs defaults `_C` and builds from the clone): set it on the module-level config
   * objects that have its first name (the defaults and any module-level copy of them), before the
   * builder copies and reads them. False when none has it.
   */
  private applyToModuleDefault(ctx: ModuleContext, key: string, text: string): boolean {
    const path = key.split('.');
    const holders = new Set<Value>();
    for (const v of ctx.scope.vars.values())
      if (!(v instanceof PyModule) && isConfigObject(v) && configMember(this.it, v, path[0]) !== undefined) holders.add(v);
    for (const root of holders) {
      const error = setConfigPath(this.it, root, path, this.parseValue(text, ctx), this.entryUndo);
      if (error) throw new AnalysisError(`--set ${key}: ${error}`);
    }
    if (holders.size) this.overridesReached.add(key);
    return holders.size > 0;
  }

  private resolveInput(
    entry: Entry,
    ast: AstModule,
    ctx: ModuleContext,
    model: PyInstance,
    options: AnalyzeOptions,
    batch: number,
    seqLen: number,
  ): ResolvedInput {
    const forward = model.cls.lookup('forward');
    const required =
      forward instanceof PyFunction
        ? forward.params.slice(1).filter((p) => !p.default && (p.kind === 'pos' || p.kind === 'posonly')).length
        : 1;
    const given = (parsed: { shapes: DimSpec[][]; args: InputArg[] }) => {
      const { dtypes, note } = givenDtypes(model, parsed.args, () => this.firstInputDtype(model));
      return {
        shapes: parsed.shapes,
        dtypes,
        ...(note ? { dtypeNote: note } : {}),
        ...(parsed.args.some(isInputTuple) ? { args: parsed.args } : {}),
      };
    };
    if (options.input) {
      const parsed = parseInputShapes(options.input);
      if ('error' in parsed) throw new AnalysisError(parsed.error);
      return { ...given(parsed), source: 'cli', detail: '--input' };
    }
    if (entry.def) {
      const text = directiveInput(
        ast,
        entry.def.line,
        entry.def.decorators.map((d) => d.line),
      );
      if (text) {
        const parsed = parseInputShapes(text);
        if (!('error' in parsed))
          return {
            ...given(parsed),
            source: 'comment',
            detail: `# wattlens: input=${text} above ${entry.name}`,
          };
      }
    }
    // a comment above the model's class in the file that defines it (a model imported by a script)
    const cls = model.cls;
    if (cls.def && cls.file && cls.file !== ctx.file) {
      const defAst = this.loader.astOf(cls.file);
      const text =
        defAst &&
        directiveInput(
          defAst,
          cls.def.line,
          cls.def.decorators.map((d) => d.line),
        );
      if (text) {
        const parsed = parseInputShapes(text);
        if (!('error' in parsed))
          return {
            ...given(parsed),
            source: 'comment',
            detail: `# wattlens: input=${text} above ${cls.name} in ${cls.file.split('/').pop()}`,
          };
      }
      // or a call of the model on literal tensors in that file
      const mod = this.loader.moduleOfFile(cls.file);
      const call = defAst && mod ? findModelCall(defAst, cls.name) : undefined;
      if (call && mod) {
        const defCtx: ModuleContext = {
          name: mod.name,
          packageName: mod.name,
          file: cls.file,
          scope: new Scope('module', null, mod.attrs),
          module: mod,
        };
        const found = this.shapesOfCall(call, defCtx);
        if (found) return { ...found, source: 'call', detail: `the call at line ${call.line + 1} of ${cls.file.split('/').pop()}` };
      }
    }
    if (entry.def) {
      const call = findModelCall(ast, entry.name);
      const found = call ? this.shapesOfCall(call, ctx) : undefined;
      if (call && found) return { ...found, source: 'call', detail: `the call at line ${call.line + 1}` };
    }
    const fromWeights = entry.def?.k === 'def' ? weightsCropInput(entry.def, ctx, model, batch) : undefined;
    if (fromWeights) return fromWeights;
    const guess = defaultInput(model, batch, seqLen);
    if (guess && required <= 1) return guess;
    if (required > 1)
      return {
        shapes: [],
        dtypes: [],
        source: 'none',
        detail: `forward takes ${required} inputs; give their shapes with --input or a # wattlens: input= comment`,
      };
    return {
      shapes: [],
      dtypes: [],
      source: 'none',
      detail: 'no input shape: give one with --input or a # wattlens: input= comment above the model',
    };
  }

  /** Shapes of the literal tensors a call in the file passes to the model (torch.randn(1, 3, 32, 32)). */
  private shapesOfCall(
    call: { args: Parameters<AnalysisEngine['evalIn']>[0][] },
    ctx: ModuleContext,
  ): { shapes: DimSpec[][]; dtypes: ('float' | 'long')[] } | undefined {
    const shapes: DimSpec[][] = [];
    const dtypes: ('float' | 'long')[] = [];
    for (const a of call.args) {
      const t = this.evalIn(a, ctx);
      if (!(t instanceof Tensor) || !t.shape) return undefined;
      shapes.push(t.shape.map((d) => (typeof d === 'number' ? d : d.toString())));
      dtypes.push(t.dtype.isFloat ? 'float' : 'long');
    }
    return { shapes, dtypes };
  }

  private firstInputDtype(model: PyInstance): 'float' | 'long' {
    const guess = defaultInput(model, 1, 1);
    return guess?.dtypes[0] ?? 'float';
  }
}

interface CachedModel {
  model: ModelReport | undefined;
  problems: FileReport['problems'];
  /** Why a class or builder found was not built, when no problem says so. */
  skipped?: ReportUnknown;
  /** The module's non-definition statements when the model was analyzed. */
  globals: Stmt[];
  /** The top-level definitions the analysis used. */
  deps: Stmt[];
}

interface Entry {
  name: string;
  call?: string;
  kind: ModelReport['entryKind'];
  line: number | null;
  def?: Extract<Stmt, { k: 'class' | 'def' }>;
  /** Asked for by --model: failures are errors, not skips. */
  explicit: boolean;
  /** How a class that needs arguments was built instead (stated as an assumption). */
  alternative?: string;
  /** `set` overrides of the `# wattlens:` comment above the definition (--set wins). */
  directiveSet?: Record<string, string>;
  /** The call comes from a `# wattlens: model=` comment: its mistakes are problems, not usage errors. */
  fromDirective?: boolean;
}

/**
 * torchvision-style builders declare their pretrained weights (`ResNet50_Weights.verify(weights)`),
 * whose eval transform names the image size their published figures use. The member whose
 * meta["num_params"] equals the built model's parameters gives the crop size.
 */
/**
 * Concrete parameter counts of built models. A model is counted before its first forward pass and
 * reused (builtModels.ts) only while its state, parameters included, is the one it was built with.
 */
const parameterCounts = new WeakMap<PyInstance, number>();

function weightsCropInput(
  def: Extract<Stmt, { k: 'def' }>,
  ctx: ModuleContext,
  model: PyInstance,
  batch: number,
): ResolvedInput | undefined {
  const enums = new Set<string>();
  walkStatements(def.body, (e) => {
    if (e.k === 'call' && e.fn.k === 'attr' && e.fn.name === 'verify' && e.fn.obj.k === 'name') enums.add(e.fn.obj.id);
  });
  if (!enums.size) return undefined;
  let params = parameterCounts.get(model);
  if (params === undefined)
    parameterCounts.set(model, (params = parameterTensors(model).reduce((s, t) => s + (t.concreteNumel() ?? NaN), 0)));
  for (const name of enums) {
    const cls = ctx.scope.vars.get(name);
    if (!(cls instanceof PyClass)) continue;
    const members = [...cls.dict.values()].filter((v): v is PyInstance => v instanceof PyInstance && v.cls === cls);
    const info = members.map((m) => {
      const w = m.attrs.get('value');
      const meta = w instanceof PyInstance ? w.attrs.get('meta') : undefined;
      const transforms = w instanceof PyInstance ? w.attrs.get('transforms') : undefined;
      const crop = transforms instanceof PyPartial ? transforms.keywords.get('crop_size') : undefined;
      const numParams = meta instanceof PyDict ? meta.get('num_params') : undefined;
      return {
        name: String(m.attrs.get('name')),
        crop: typeof crop === 'number' ? crop : undefined,
        numParams: typeof numParams === 'number' ? numParams : undefined,
      };
    });
    const match = info.find((i) => i.crop && i.numParams === params);
    if (match?.crop)
      return {
        shapes: [[batch, 3, match.crop, match.crop]],
        dtypes: ['float'],
        source: 'default',
        detail: `the eval crop size of ${name}.${match.name} (${match.crop}×${match.crop}), the weights whose ${groupDigits(params)} parameters this builder makes`,
      };
  }
  return undefined;
}

/** Whether another class or function of the file constructs `name` (then it is a part, not a model). */
function partOfAnother(name: string, ast: AstModule): boolean {
  return (
    callersByName(ast)
      .get(name)
      ?.some((caller) => caller !== name) ?? false
  );
}

/** Per file, which top-level classes and functions call each name: one walk of the file, not one per class asked about. */
const callersOfNames = new WeakMap<AstModule, Map<string, string[]>>();

function callersByName(ast: AstModule): Map<string, string[]> {
  let callers = callersOfNames.get(ast);
  if (callers) return callers;
  const found = new Map<string, string[]>();
  for (const s of ast.body) {
    if (s.k !== 'class' && s.k !== 'def') continue;
    walkStatements(s.body, (e) => {
      if (e.k !== 'call' || e.fn.k !== 'name') return;
      const list = found.get(e.fn.id) ?? [];
      if (!list.includes(s.name)) list.push(s.name);
      found.set(e.fn.id, list);
    });
  }
  callers = found;
  callersOfNames.set(ast, callers);
  return callers;
}

/**
 * Ways to build a class that needs arguments, without running the file: the constructor calls
 * the file itself makes (`GPT(config)` with `config = GPTConfig(n_layer=2)` just above), then a
 * dataclass config of the module with all defaults (`GPT(GPTConfig())`).
 */
function alternativeBuilds(name: string, ast: AstModule, ctx: ModuleContext): { text: string; why: string }[] {
  const out: { text: string; why: string }[] = [];
  const seen = new Set<string>();
  const add = (text: string, why: string) => {
    if (!seen.has(text) && out.length < 4) {
      seen.add(text);
      out.push({ text, why });
    }
  };
  const visit = (body: Stmt[]) => {
    body.forEach((s, i) => {
      const value = s.k === 'assign' ? s.value : s.k === 'expr' ? s.e : undefined;
      let call = value;
      while (call?.k === 'call' && call.fn.k === 'attr' && ['to', 'cuda', 'train', 'eval'].includes(call.fn.name)) call = call.fn.obj;
      if (call?.k === 'call' && call.fn.k === 'name' && call.fn.id === name) {
        // names defined just above in the same block are replaced by their values
        const args = call.args.map((a) => {
          if (a.value.k !== 'name') return a;
          const id = a.value.id;
          const def = body
            .slice(0, i)
            .reverse()
            .find((p) => p.k === 'assign' && p.targets.length === 1 && p.targets[0].k === 'name' && p.targets[0].id === id);
          return def && def.k === 'assign' ? { ...a, value: def.value } : a;
        });
        add(unparse({ ...call, args }), `built as in the file (line ${call.line + 1})`);
      }
      for (const b of [
        s.k === 'def' || s.k === 'class' ? s.body : [],
        ...('orelse' in s ? [s.orelse as Stmt[]] : []),
        ...(s.k === 'if' || s.k === 'for' || s.k === 'while' || s.k === 'with' || s.k === 'try' ? [s.body] : []),
      ])
        visit(b);
    });
  };
  visit(ast.body);
  const cls = ctx.scope.vars.get(name);
  const init = cls instanceof PyClass ? cls.lookup('__init__') : undefined;
  const required =
    init instanceof PyFunction ? init.params.slice(1).filter((p) => !p.default && p.kind !== 'varargs' && p.kind !== 'varkw') : [];
  if (required.length === 1)
    for (const [k, v] of ctx.scope.vars)
      if (
        v instanceof PyClass &&
        v.dataclassFields &&
        v.file === ctx.file &&
        v.dataclassFields.every((f) => f.default !== undefined || f.factory !== undefined)
      )
        add(`${name}(${k}())`, `built with the defaults of ${k}`);
  return out;
}

/** The arguments of a call of `fn` with the parameters they bind to, and the defaults of the others. */
function bindArguments(fn: Value | undefined, positional: Value[], keywords: Map<string, Value>): BoundArgument[] {
  const fnc = fn instanceof PyClass ? fn.lookup('__init__') : fn;
  const params = fnc instanceof PyFunction ? fnc.params.slice(fn instanceof PyClass ? 1 : 0) : [];
  const out: BoundArgument[] = [];
  const given = new Set<string>();
  positional.forEach((value, i) => {
    const p = params[i];
    const named = p && (p.kind === 'pos' || p.kind === 'posonly');
    if (named) given.add(p.name);
    out.push({ param: named ? p.name : undefined, value });
  });
  for (const [name, value] of keywords) {
    given.add(name);
    out.push({ param: name, value });
  }
  if (fnc instanceof PyFunction)
    for (const p of params)
      if (!given.has(p.name) && fnc.defaults.has(p.name)) out.push({ param: p.name, value: fnc.defaults.get(p.name)! });
  return out;
}

/** An entry with what the `# wattlens:` comment above its definition asks: how to build it (unless --model is a call), what to set. */
function withDirective(ast: AstModule, entry: Entry): Entry {
  if (!entry.def) return entry;
  const d = definitionDirective(
    ast,
    entry.def.line,
    entry.def.decorators.map((x) => x.line),
  );
  if (!d || (!d.model && !d.set.length)) return entry;
  const out: Entry = { ...entry, directiveSet: d.set.length ? Object.fromEntries(d.set) : undefined };
  if (d.model && !entry.call) Object.assign(out, { call: d.model, kind: 'call', fromDirective: true });
  return out;
}

function entryParams(v: Value | undefined): string[] {
  if (v instanceof PyFunction) return v.params.map((p) => p.name);
  if (v instanceof PyClass) {
    const init = v.lookup('__init__');
    if (init instanceof PyFunction) return init.params.slice(1).map((p) => p.name);
  }
  return [];
}

function toDim(d: DimSpec): number | Poly {
  return typeof d === 'number' ? d : Poly.symbol(d);
}

/** The values forward is called with: a tensor per shape, a tuple per parenthesised group. */
function forwardArguments(input: ResolvedInput): Value[] {
  let next = 0;
  const build = (arg: InputArg): Value => {
    if (isInputTuple(arg)) return new PyTuple(arg.tuple.map(build));
    return new Tensor(arg.map(toDim), input.dtypes[next++] === 'long' ? DTYPES.int64 : DTYPES.float32);
  };
  return (input.args ?? input.shapes).map(build);
}

function isMissingArgument(e: PyRaise): boolean {
  return e.exc.cls.name === 'TypeError' && /missing required argument|takes \d+ positional/.test(String(e.exc.payload));
}

function notBuilt(entry: Entry, file: string, reason: string): ReportUnknown {
  return { what: entry.name, reason, file, line: entry.line ?? undefined };
}

function oneBased(line: number | undefined): number | undefined {
  return line === undefined ? undefined : line + 1;
}

/** `file.py:12` from a 0-based line; undefined when the site is unknown (nothing is better than `?:1`). */
function shortSite(file: string | undefined, line: number | undefined): string | undefined {
  if (file === undefined) return undefined;
  const name = file.split(/[\\/]/).slice(-1)[0];
  return line === undefined ? name : `${name}:${line + 1}`;
}

/**
 * "TypeError: boom (model.py:5)". `siteShownFor`: the file whose lines the caller's message shows
 * next to it (its own `file`/`line` fields); a raise there leaves its site out, so it is shown once.
 */
export function describeRaise(e: PyRaise, { siteShownFor }: { siteShownFor?: string } = {}): string {
  const msg = typeof e.exc.payload === 'string' && e.exc.payload ? `: ${e.exc.payload}` : '';
  const shownApart = siteShownFor !== undefined && e.file === siteShownFor && e.line !== undefined;
  const site = shownApart ? undefined : shortSite(e.file, e.line);
  return `${e.exc.cls.name}${msg}${site ? ` (${site})` : ''}`;
}

function budgetExceeded(what: string, e: BudgetExceeded): string {
  const site = shortSite(e.file, e.line);
  return `${what} exceeded the step budget${site ? ` at ${site}` : ''}`;
}

export type { ReportUnknown, SymInt };

/** Milliseconds on a monotonic clock; node:perf_hooks (with its observers and histograms) cost a CLI run ~2 ms to load. */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
