// The extension host's side of the analysis worker (no vscode import, so it is unit-tested with a
// fake worker). It mirrors documents lazily (text is sent only when an analysis needs it), keeps
// one wanted analysis per document (a newer request replaces an older one that has not started),
// runs one at a time, drops answers for outdated versions, and restarts the worker when an
// analysis exceeds its time limit or the worker dies.
import { parseFromWorker, type AnalysisResult, type ToWorker } from '../core/editor/workerProtocol';
import type { AnalyzeOptions } from '../core/analysis/engine';
import type { AnalyzedLanguage } from '../core/editor/admission';

export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number> | void;
}

export interface MirroredDocument {
  uri: string;
  /** The path the engine analyzes the text as. */
  path: string;
  language: AnalyzedLanguage;
  version: number;
  text: string;
}

export type FailureKind = 'timeout' | 'crash' | 'failed';

export interface AnalysisClientOptions {
  createWorker(): WorkerLike;
  /** An analysis running longer than this restarts the worker. */
  timeoutMs: number;
  /** Extra time for the first analysis of a fresh worker (it loads the parser and the torch model). */
  startupGraceMs?: number;
  onResult(result: AnalysisResult, roundTripMs: number): void;
  onFailure(uri: string, version: number, kind: FailureKind, message: string): void;
  log(message: string): void;
  /** Lower runs first (the active editor's document); default 0. */
  priority?(uri: string): number;
}

interface Wanted {
  version: number;
  options: AnalyzeOptions;
}

interface InFlight {
  seq: number;
  uri: string;
  version: number;
  sentAt: number;
  timer: ReturnType<typeof setTimeout>;
}

const MAX_RESTARTS_PER_MINUTE = 5;

export class AnalysisClient {
  private worker: WorkerLike | undefined;
  private workerIsFresh = false;
  private readonly docs = new Map<string, MirroredDocument>();
  /** Version of each document the current worker has. */
  private readonly synced = new Map<string, number>();
  private readonly wanted = new Map<string, Wanted>();
  private inFlight: InFlight | undefined;
  private seq = 0;
  private roots: string[] = [];
  private readonly restarts: number[] = [];
  private disposed = false;

  constructor(private readonly options: AnalysisClientOptions) {}

  setWorkspaceRoots(roots: string[]): void {
    this.roots = roots;
    this.worker?.postMessage({ type: 'configure', workspaceRoots: roots });
  }

  /** Opens or replaces a document (text goes to the worker when an analysis needs it). */
  upsert(doc: MirroredDocument): void {
    const previous = this.docs.get(doc.uri);
    if (previous && (previous.path !== doc.path || previous.language !== doc.language)) this.synced.delete(doc.uri);
    this.docs.set(doc.uri, { ...doc });
  }

  close(uri: string): void {
    this.docs.delete(uri);
    this.wanted.delete(uri);
    if (this.synced.delete(uri)) this.worker?.postMessage({ type: 'close', uri });
  }

  has(uri: string): boolean {
    return this.docs.has(uri);
  }

  /** Imported modules are evaluated again at the next analysis (a workspace file changed). */
  invalidateImports(): void {
    this.worker?.postMessage({ type: 'invalidateImports' });
  }

  /** Asks for an analysis of the document's current version; replaces a waiting older request. */
  request(uri: string, options: AnalyzeOptions): void {
    const doc = this.docs.get(uri);
    if (!doc || this.disposed) return;
    this.wanted.set(uri, { version: doc.version, options });
    this.pump();
  }

  /** Whether an analysis of this document is waiting or running. */
  isBusy(uri: string): boolean {
    return this.wanted.has(uri) || this.inFlight?.uri === uri;
  }

  dispose(): void {
    this.disposed = true;
    this.wanted.clear();
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.inFlight || this.disposed) return;
    const next = this.nextWanted();
    if (!next) return;
    const [uri, want] = next;
    this.wanted.delete(uri);
    const doc = this.docs.get(uri);
    if (!doc || doc.version !== want.version) return this.pump();
    const worker = this.ensureWorker();
    if (!worker) return;
    // every changed document goes over first: imports read the unsaved text of open files
    for (const d of this.docs.values()) this.sync(worker, d);
    const seq = ++this.seq;
    const limit = this.options.timeoutMs + (this.workerIsFresh ? (this.options.startupGraceMs ?? 0) : 0);
    const timer = setTimeout(() => this.onTimeout(seq, limit), limit);
    this.inFlight = { seq, uri, version: doc.version, sentAt: performance.now(), timer };
    worker.postMessage({ type: 'analyze', seq, uri, version: doc.version, options: want.options });
  }

  private nextWanted(): [string, Wanted] | undefined {
    let best: [string, Wanted] | undefined;
    let bestPriority = Infinity;
    for (const entry of this.wanted) {
      const p = this.options.priority?.(entry[0]) ?? 0;
      if (p < bestPriority) {
        best = entry;
        bestPriority = p;
      }
    }
    return best;
  }

  private sync(worker: WorkerLike, doc: MirroredDocument): void {
    const have = this.synced.get(doc.uri);
    if (have === doc.version) return;
    if (have === undefined) worker.postMessage({ type: 'open', uri: doc.uri, path: doc.path, language: doc.language, version: doc.version, text: doc.text });
    else worker.postMessage({ type: 'change', uri: doc.uri, version: doc.version, text: doc.text });
    this.synced.set(doc.uri, doc.version);
  }

  private ensureWorker(): WorkerLike | undefined {
    if (this.worker) return this.worker;
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > 60_000) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      this.options.log(`analysis worker restarted ${this.restarts.length} times in a minute; waiting before the next start`);
      setTimeout(() => this.pump(), 10_000);
      return undefined;
    }
    this.restarts.push(now);
    let worker: WorkerLike;
    try {
      worker = this.options.createWorker();
    } catch (e) {
      this.options.log(`could not start the analysis worker: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    this.worker = worker;
    this.workerIsFresh = true;
    this.synced.clear();
    worker.on('message', (data) => this.onMessage(worker, data));
    worker.on('error', (error) => this.onWorkerGone(worker, `analysis worker error: ${error.message}`));
    worker.on('exit', (code) => this.onWorkerGone(worker, `analysis worker exited with code ${code}`));
    worker.postMessage({ type: 'configure', workspaceRoots: this.roots });
    return worker;
  }

  private onMessage(worker: WorkerLike, data: unknown): void {
    if (worker !== this.worker) return;
    const parsed = parseFromWorker(data);
    if (!parsed.ok) {
      this.options.log(`ignored a malformed message from the analysis worker: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'log') {
      this.options.log(message.message);
      return;
    }
    const flight = this.inFlight;
    if (!flight || flight.seq !== message.seq) return;
    clearTimeout(flight.timer);
    this.inFlight = undefined;
    this.workerIsFresh = false;
    const current = this.docs.get(message.uri);
    // an answer for an outdated text never lands: a newer request is waiting or will come
    if (current && current.version === message.version) {
      if (message.type === 'result') this.options.onResult(message, performance.now() - flight.sentAt);
      else if (message.type === 'failed') this.options.onFailure(message.uri, message.version, 'failed', message.message);
    }
    this.pump();
  }

  private onTimeout(seq: number, limit: number): void {
    const flight = this.inFlight;
    if (!flight || flight.seq !== seq) return;
    this.inFlight = undefined;
    const message = `analysis exceeded ${limit} ms; the analysis worker was restarted`;
    this.options.log(`${flight.uri} v${flight.version}: ${message}`);
    this.dropWorker();
    this.options.onFailure(flight.uri, flight.version, 'timeout', message);
    this.pump();
  }

  private onWorkerGone(worker: WorkerLike, message: string): void {
    if (worker !== this.worker) return;
    this.options.log(message);
    this.worker = undefined;
    this.synced.clear();
    const flight = this.inFlight;
    if (flight) {
      clearTimeout(flight.timer);
      this.inFlight = undefined;
      this.options.onFailure(flight.uri, flight.version, 'crash', message);
    }
    this.pump();
  }

  private dropWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.synced.clear();
    void worker?.terminate();
  }
}
