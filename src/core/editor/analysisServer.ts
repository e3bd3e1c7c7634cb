// The analysis worker's brain, free of worker_threads so it can be tested directly: it mirrors
// the editor's open documents (one incrementally reparsed PythonDocument each), serves their
// unsaved text to imports before the disk, runs one analysis at a time in arrival order, and
// skips a request when a newer one for the same document is already waiting.
import { basename, dirname, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AnalysisEngine, AnalysisError, diskHost, type AnalyzeOptions, type ModelListener } from '../analysis/engine';
import type { SourceHost } from '../interp/imports';
import type { Module as AstModule } from '../python/ast';
import { PythonDocument } from '../python/parser';
import { defaultParseCache } from '../python/parseCache';
import type { FileReport, ModelReport } from '../report/types';
import { analyzeTfjsFile } from '../tfjs/entry';
import type { AnalyzedLanguage } from './admission';
import { adviseDocument, checkEditsParse } from './adviceCompute';
import { encodeModels } from './resultDelta';
import { ScriptLoopFinder } from './scriptLoops';
import type { FromWorker, OutlineEntry, ToWorker } from './workerProtocol';

const WARMUP_FILE = '/__wattlens_warmup__/warmup.py';
const WARMUP_SOURCE =
  'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass Warm(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 2)\n\n    def forward(self, x):\n        return F.relu(self.fc(x))\n';

interface OpenDocument {
  path: string;
  language: AnalyzedLanguage;
  version: number;
  text: string;
  /** Created on the first analysis (the parser loads lazily). */
  python?: PythonDocument;
}

type AnalyzeRequest = Extract<ToWorker, { type: 'analyze' }>;
type AdviseRequest = Extract<ToWorker, { type: 'advise' }>;
type ParseCheckRequest = Extract<ToWorker, { type: 'parseCheck' }>;

export interface AnalysisServerOptions {
  post(message: FromWorker): void;
  /** Creates the engine (tests may pass their own); default: AnalysisEngine.create. */
  createEngine?(host: SourceHost, workspaceRoots: string[]): Promise<AnalysisEngine>;
  /** The disk, for files that are not open. */
  disk?: SourceHost;
}

export class AnalysisServer {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly queue: ToWorker[] = [];
  private draining: Promise<void> | undefined;
  private engine: Promise<AnalysisEngine> | undefined;
  private engineLoadMs: number | undefined;
  private workspaceRoots: string[] = [];
  private environment: Extract<ToWorker, { type: 'configure' }>['environment'];
  private changedModelsOnly = false;
  private partialResults = false;
  /** Documents with a full result sent since they were opened (partial results go only to the others). */
  private readonly answered = new Set<string>();
  private parseCacheDir: string | undefined;
  /** The models of the last result sent per document (with changedModelsOnly). */
  private readonly sentModels = new Map<string, ModelReport[]>();
  private readonly disk: SourceHost;
  private readonly loops = new ScriptLoopFinder();

  /** Imports (Python and TF.js alike) read open editor buffers first, then the disk. */
  private readonly host: SourceHost = {
    readFile: (path) => this.openText(path) ?? this.disk.readFile(path),
    isFile: (path) => this.openText(path) !== undefined || this.disk.isFile(path),
    // with the open buffers of that folder, saved or not
    listDir: (path) => {
      const names = this.disk.listDir?.(path);
      return names && [...names, ...[...this.docs.values()].filter((d) => dirname(d.path) === path).map((d) => basename(d.path))];
    },
  };

  constructor(private readonly options: AnalysisServerOptions) {
    this.disk = options.disk ?? diskHost;
  }

  /** Queues a message; resolves when the queue is empty again (messages run one at a time, in order). */
  receive(message: ToWorker): Promise<void> {
    this.queue.push(message);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const message = this.queue.shift()!;
      try {
        await this.handle(message);
      } catch (e) {
        this.options.post({
          type: 'log',
          message: `worker: ${message.type} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        });
        if (message.type === 'analyze' || message.type === 'advise' || message.type === 'parseCheck')
          this.options.post({ type: 'failed', seq: message.seq, uri: message.uri, version: message.version, message: errorText(e) });
      }
    }
  }

  private async handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'configure':
        this.workspaceRoots = message.workspaceRoots;
        this.environment = message.environment;
        this.changedModelsOnly = message.changedModelsOnly ?? false;
        this.partialResults = message.partialResults ?? false;
        this.parseCacheDir ??= message.parseCacheDir;
        if (this.engine) this.configureEngine(await this.engine);
        return;
      case 'open': {
        this.docs.get(message.uri)?.python?.dispose();
        this.sentModels.delete(message.uri);
        this.answered.delete(message.uri);
        this.docs.set(message.uri, { path: message.path, language: message.language, version: message.version, text: message.text });
        // start loading the parser and engine now, while the editor debounces the first analysis
        void this.loadEngine().catch(() => {});
        return;
      }
      case 'change': {
        const doc = this.docs.get(message.uri);
        if (!doc || message.version < doc.version) return;
        doc.version = message.version;
        doc.text = message.text;
        return;
      }
      case 'close':
        this.sentModels.delete(message.uri);
        this.answered.delete(message.uri);
        this.docs.get(message.uri)?.python?.dispose();
        this.docs.delete(message.uri);
        return;
      case 'invalidateImports':
        if (this.engine) (await this.engine).invalidateImports();
        return;
      case 'analyze':
        return this.analyze(message);
      case 'warmup':
        return this.warmUp();
      case 'advise':
        return this.advise(message);
      case 'parseCheck':
        return this.parseCheck(message);
    }
  }

  /** Workspace roots and the Python environment found from them (re-read at every `configure`). */
  private configureEngine(engine: AnalysisEngine): void {
    engine.setWorkspaceRoots(this.workspaceRoots);
    const env = this.environment;
    engine.setEnvironment({
      workspaceRoots: this.workspaceRoots,
      interpreter: env?.interpreter,
      extraPaths: env?.extraPaths,
      env: { VIRTUAL_ENV: env?.virtualEnv, CONDA_PREFIX: env?.condaPrefix },
    });
  }

  /**
   * The document's parse, brought up to date. Its first one takes the parse cache's AST when the
   * cache holds exactly this text (the file opened before, or imported by an analysis): no
   * tree-sitter warm-up before the first hints. The tree for incremental edits is built right after.
   */
  private pythonDocument(engine: AnalysisEngine, uri: string, doc: OpenDocument): PythonDocument {
    if (doc.python) {
      doc.python.update(doc.text);
      return doc.python;
    }
    let fresh: PythonDocument | undefined;
    const { ast, cached } = engine.documentAst(doc.path, doc.text, () => (fresh = new PythonDocument(engine.pythonParser, doc.text)).ast);
    const python = fresh ?? new PythonDocument(engine.pythonParser, doc.text, ast);
    doc.python = python;
    // after this turn's answer; not for a document closed or reopened since
    if (cached) setTimeout(() => this.docs.get(uri)?.python === python && python.ensureTree(), 0);
    return python;
  }

  private loadEngine(): Promise<AnalysisEngine> {
    if (!this.engine) {
      const started = performance.now();
      const create =
        this.options.createEngine ??
        ((host, roots) => AnalysisEngine.create({ host, workspaceRoots: roots, parseCache: this.parseCache() }));
      this.engine = create(this.host, this.workspaceRoots).then((engine) => {
        this.engineLoadMs = performance.now() - started;
        this.configureEngine(engine);
        return engine;
      });
      // a failed load is retried by the next request
      this.engine.catch(() => (this.engine = undefined));
    }
    return this.engine;
  }

  private async analyze(request: AnalyzeRequest): Promise<void> {
    const { post } = this.options;
    const skip = (reason: string) => post({ type: 'skipped', seq: request.seq, uri: request.uri, version: request.version, reason });
    const doc = this.docs.get(request.uri);
    if (!doc) return skip('the document is not open');
    if (this.newerRequestWaiting(request)) return skip('superseded by a newer request');
    const engine = await this.loadEngine();
    // the engine may have loaded while newer edits arrived
    if (doc.version !== request.version) return skip(`superseded: the document is at version ${doc.version}`);
    if (this.newerRequestWaiting(request)) return skip('superseded by a newer request');

    const loadMs = this.engineLoadMs;
    this.engineLoadMs = undefined;
    const started = performance.now();
    let ast: AstModule | undefined;
    if (doc.language === 'python') ast = this.pythonDocument(engine, request.uri, doc).ast;
    const parsed = performance.now();
    const outline = ast ? outlineOf(ast) : [];
    const timings = (now: number) => ({
      parseMs: round(parsed - started),
      analyzeMs: round(now - parsed),
      ...(loadMs !== undefined ? { engineLoadMs: round(loadMs) } : {}),
    });
    // a document's first analysis shows its first model while the others are analyzed
    const onModel: ModelListener | undefined =
      this.partialResults && !this.answered.has(request.uri)
        ? (soFar, entries) => {
            if (soFar.models.length !== 1 || entries < 2) return;
            post({
              type: 'result',
              partial: true,
              seq: request.seq,
              uri: request.uri,
              version: request.version,
              report: { ...soFar, models: [...soFar.models], problems: [...soFar.problems] },
              outline,
              imports: [],
              timings: timings(performance.now()),
            });
          }
        : undefined;
    const { report, tfjsImports } = this.runAnalysis(engine, doc, request.options, ast, onModel);
    const loops = ast ? this.trainingLoopsOf(engine, doc, ast) : [];
    const done = performance.now();
    let models: Pick<FileReport, 'models'> & { modelsFrom?: (number | null)[] } = { models: report.models };
    if (this.changedModelsOnly) {
      const encoded = encodeModels(this.sentModels.get(request.uri), report.models);
      this.sentModels.set(request.uri, report.models);
      models = { models: encoded.models, modelsFrom: encoded.modelsFrom };
    }
    this.answered.add(request.uri);
    post({
      type: 'result',
      seq: request.seq,
      uri: request.uri,
      version: request.version,
      report: { ...report, models: models.models },
      ...(models.modelsFrom ? { modelsFrom: models.modelsFrom } : {}),
      outline,
      trainingLoops: loops.map((l) => l.line),
      trainingLoopLengths: loops.map((l) => l.length),
      imports: tfjsImports ?? engine.importedFiles(),
      timings: timings(done),
    });
  }

  /** The document's training loops, with the optimizer-building functions of its workspace imports. */
  private trainingLoopsOf(engine: AnalysisEngine, doc: OpenDocument, ast: AstModule) {
    const roots = this.workspaceRoots;
    const files = engine.importedFiles().filter((f) => f.endsWith('.py') && roots.some((r) => f.startsWith(r.endsWith(sep) ? r : r + sep)));
    return this.loops.find(ast, doc.text, { parser: engine.pythonParser, files, readFile: (p) => this.host.readFile(p) });
  }

  /**
   * The advisor's suggestions for a document version, with the options of its analysis. Skipped
   * like an analysis when outdated or superseded; the document's parse is shared with its analyses.
   */
  private async advise(request: AdviseRequest): Promise<void> {
    const { post } = this.options;
    const skip = (reason: string) => post({ type: 'skipped', seq: request.seq, uri: request.uri, version: request.version, reason });
    const doc = this.docs.get(request.uri);
    if (!doc) return skip('the document is not open');
    if (doc.language !== 'python') return skip('the advisor reads Python files');
    if (this.newerWorkWaiting(request)) return skip('superseded by a newer request');
    const engine = await this.loadEngine();
    if (doc.version !== request.version) return skip(`superseded: the document is at version ${doc.version}`);
    if (this.newerWorkWaiting(request)) return skip('superseded by a newer request');
    this.engineLoadMs = undefined;
    const started = performance.now();
    const report = adviseDocument(engine, doc.path, doc.text, this.pythonDocument(engine, request.uri, doc).ast, request.options);
    post({
      type: 'advice',
      seq: request.seq,
      uri: request.uri,
      version: request.version,
      suggestions: report.suggestions,
      problems: report.problems,
      timings: { adviseMs: round(performance.now() - started) },
    });
  }

  /** Whether the edits of a fix give a text that parses (checked before the editor applies them). */
  private async parseCheck(request: ParseCheckRequest): Promise<void> {
    const engine = await this.loadEngine();
    const check = checkEditsParse(engine, request.text, request.edits);
    this.options.post({ type: 'parseChecked', seq: request.seq, uri: request.uri, version: request.version, ...check });
  }

  /** An analysis or advice request for a newer version of the same document waits behind this one. */
  private newerWorkWaiting(request: AdviseRequest): boolean {
    return this.queue.some(
      (m) =>
        (m.type === 'analyze' || m.type === 'advise' || m.type === 'change') &&
        m.uri === request.uri &&
        (m.type === 'change' ? m.version > request.version : m.seq > request.seq),
    );
  }

  /** Dispatch by language: the Python engine, or the TF.js front end (same FileReport). */
  private runAnalysis(
    engine: AnalysisEngine,
    doc: OpenDocument,
    options: AnalyzeOptions,
    ast: AstModule | undefined,
    onModel?: ModelListener,
  ): { report: FileReport; tfjsImports?: string[] } {
    try {
      if (doc.language === 'tfjs') {
        let tfjsImports: string[] = [];
        const report = analyzeTfjsFile(doc.path, doc.text, options, {
          reader: this.host,
          roots: this.workspaceRoots,
          onImports: (files) => (tfjsImports = files),
        });
        return { report, tfjsImports };
      }
      return { report: engine.analyze(doc.path, doc.text, options, ast, onModel) };
    } catch (e) {
      // AnalysisError: options the engine refuses, said in the report rather than thrown
      if (!(e instanceof AnalysisError)) throw e;
      return { report: { file: doc.path, language: doc.language, models: [], problems: [{ what: 'analysis', reason: e.message }] } };
    }
  }

  /** The parse cache in the user's folder; $WATTLENS_CACHE_DIR wins over the folder the editor gave. */
  private parseCache() {
    const env = process.env;
    return defaultParseCache(env.WATTLENS_CACHE_DIR || !this.parseCacheDir ? env : { ...env, WATTLENS_CACHE_DIR: this.parseCacheDir });
  }

  /** Loads the engine and runs a tiny model, so the torch model is built before the first real request. */
  private async warmUp(): Promise<void> {
    const started = performance.now();
    const engine = await this.loadEngine();
    engine.analyze(WARMUP_FILE, WARMUP_SOURCE, {});
    engine.invalidateImports();
    this.engineLoadMs = undefined;
    this.options.post({ type: 'ready', engineLoadMs: round(performance.now() - started) });
  }

  private newerRequestWaiting(request: AnalyzeRequest): boolean {
    return this.queue.some((m) => m.type === 'analyze' && m.uri === request.uri && m.seq > request.seq);
  }

  /** The unsaved text of an open source file (a notebook's concatenated cells are no importable file). */
  private openText(path: string): string | undefined {
    if (path.endsWith('.ipynb')) return undefined;
    for (const doc of this.docs.values()) if (doc.path === path) return doc.text;
    return undefined;
  }
}

/** Top-level classes and functions with their 1-based line ranges. */
export function outlineOf(ast: AstModule): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  for (const s of ast.body) {
    if (s.k !== 'class' && s.k !== 'def') continue;
    const firstRow = Math.min(s.line, ...s.decorators.map((d) => d.line));
    out.push({ name: s.name, kind: s.k, line: s.line + 1, firstLine: firstRow + 1, endLine: s.endLine + 1 });
  }
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
