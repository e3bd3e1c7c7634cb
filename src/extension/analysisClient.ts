// The extension host's side of the analysis worker (no vscode import, so it is unit-tested with a
// fake worker). It mirrors documents lazily (text is sent only when an analysis needs it), keeps
// one wanted analysis per document (a newer request replaces an older one that has not started),
// runs one at a time and drops answers for outdated versions. Work that a newer edit made stale
// is cancelled by handing over to a warm spare worker; an analysis over the time limit or a dead
// worker is reported and the worker replaced.
import type { AdviceMessage, AnalysisResult, FromWorker, ParseCheckMessage, ToWorker } from '../core/editor/workerProtocol';
import type { LineEdit } from '../core/advisor/types';
import type { AnalyzeOptions } from '../core/analysis/engine';
import type { AnalyzedLanguage } from '../core/editor/admission';
import { decodeModels } from '../core/editor/resultDelta';
import type { ModelReport } from '../core/report/types';

export interface WorkerLike {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): unknown;
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

/** The user's Python environment as the editor knows it (the worker finds site-packages from it). */
export type PythonEnvironmentSettings = NonNullable<Extract<ToWorker, { type: 'configure' }>['environment']>;

export interface AnalysisClientOptions {
  createWorker(): WorkerLike;
  /** Validates a message from the worker (workerProtocol's parseFromWorker). */
  parseMessage(data: unknown): { ok: true; message: FromWorker } | { ok: false; error: string };
  /** An analysis running longer than this restarts the worker. */
  timeoutMs: number;
  /** Extra time for the first analysis of a fresh worker (it loads the parser and the torch model). */
  startupGraceMs?: number;
  /** A superseded analysis still running after this long is cancelled (the spare worker takes over). */
  cancelAfterMs?: number;
  /** Keep a warm spare worker, started this long after the first result; undefined: no spare. */
  spareAfterMs?: number;
  onResult(result: AnalysisResult, roundTripMs: number): void;
  /**
   * The first model of a document's first analysis, while the others are analyzed (only for the
   * version the document is at; never a final answer: onResult or onFailure follows).
   */
  onPartialResult?(result: AnalysisResult, roundTripMs: number): void;
  onFailure(uri: string, version: number, kind: FailureKind, message: string): void;
  log(message: string): void;
  /** Timing hook (WATTLENS_TRACE): a request sent, an answer for an outdated version dropped. */
  step?(uri: string, version: number, what: string): void;
  /** The worker's parse cache folder (the extension's global storage); default: the user's cache folder. */
  parseCacheDir?: string;
  /** Lower runs first (the active editor's document); default 0. */
  priority?(uri: string): number;
  /** Time limit of one advice request (it re-analyzes every rewrite); default 4 × timeoutMs. */
  adviceTimeoutMs?: number;
  /** Running advice is cancelled for a waiting analysis after this long (default 500 ms): a hand-over costs the warm worker's caches. */
  adviceCancelAfterMs?: number;
}

/** The advisor's answer for a document version, or why there is none (`stale`: the document moved on, ask again). */
export type AdviceAnswer = { ok: true; advice: AdviceMessage; roundTripMs: number } | { ok: false; reason: string; stale: boolean };

export type ParseCheckAnswer = { ok: true; check: ParseCheckMessage } | { ok: false; reason: string };

interface WantedAdvice {
  version: number;
  options: AnalyzeOptions;
  optionsKey: string;
  waiters: ((answer: AdviceAnswer) => void)[];
}

interface WantedCheck {
  uri: string;
  version: number;
  text: string;
  edits: LineEdit[];
  resolve(answer: ParseCheckAnswer): void;
}

interface Wanted {
  version: number;
  options: AnalyzeOptions;
}

interface InFlight {
  /** Analyses answer through onResult / onFailure; advice and parse checks through their promises. */
  kind?: 'advise' | 'parseCheck';
  settle?(message: FromWorker | undefined, failure?: string, stale?: boolean): void;
  /** The advice request being answered (later callers for the same version and options join it). */
  advice?: WantedAdvice;
  seq: number;
  uri: string;
  version: number;
  /** An analysis's options (asked again when its answer cannot be put together). */
  options?: AnalyzeOptions;
  sentAt: number;
  timer: ReturnType<typeof setTimeout>;
  cancelTimer?: ReturnType<typeof setTimeout>;
  /** A newer version waits and this one ran past cancelAfterMs: cancel as soon as a spare is warm. */
  overdue?: boolean;
}

interface Slot {
  worker: WorkerLike;
  /** No analysis answered yet: the first one also loads the engine. */
  fresh: boolean;
  /** A spare that finished its warm-up (handing over to a cold one would cost more than it saves). */
  ready?: boolean;
  /** The models of the last result this worker sent per document (it sends only the changed ones). */
  models: Map<string, ModelReport[]>;
}

const MAX_RESTARTS_PER_MINUTE = 5;
const DEFAULT_CANCEL_AFTER_MS = 250;
const DEFAULT_ADVICE_CANCEL_AFTER_MS = 500;

export class AnalysisClient {
  private active: Slot | undefined;
  private spare: Slot | undefined;
  private spareTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly docs = new Map<string, MirroredDocument>();
  /** Version of each document the active worker has. */
  private readonly synced = new Map<string, number>();
  private readonly wanted = new Map<string, Wanted>();
  /** Advice wanted per document (after every wanted analysis), and parse checks (before them). */
  private readonly wantedAdvice = new Map<string, WantedAdvice>();
  private readonly checks: WantedCheck[] = [];
  private inFlight: InFlight | undefined;
  private seq = 0;
  private roots: string[] = [];
  private environment: PythonEnvironmentSettings | undefined;
  /** Times of unplanned restarts (timeouts, crashes); cancellations are planned and not counted. */
  private readonly restarts: number[] = [];
  private disposed = false;

  constructor(private readonly options: AnalysisClientOptions) {}

  setWorkspaceRoots(roots: string[]): void {
    this.roots = roots;
    this.postConfigure();
  }

  /** Where the worker looks for the user's Python environment; imports are evaluated again. */
  setPythonEnvironment(environment: PythonEnvironmentSettings): void {
    this.environment = environment;
    this.postConfigure();
  }

  private postConfigure(): void {
    for (const slot of [this.active, this.spare]) slot?.worker.postMessage(this.configureMessage());
  }

  private configureMessage() {
    return {
      type: 'configure',
      workspaceRoots: this.roots,
      environment: this.environment,
      changedModelsOnly: true,
      ...(this.options.onPartialResult ? { partialResults: true } : {}),
      ...(this.options.parseCacheDir ? { parseCacheDir: this.options.parseCacheDir } : {}),
    } as const;
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
    this.dropAdvice(uri, 'the document was closed');
    this.active?.models.delete(uri);
    if (this.synced.delete(uri)) this.active?.worker.postMessage({ type: 'close', uri });
  }

  /** Imported modules are evaluated again at the next analysis (a workspace file changed). */
  invalidateImports(): void {
    for (const slot of [this.active, this.spare]) slot?.worker.postMessage({ type: 'invalidateImports' });
  }

  /** Asks for an analysis of the document's current version; replaces a waiting older request. */
  request(uri: string, options: AnalyzeOptions): void {
    const doc = this.docs.get(uri);
    if (!doc || this.disposed) return;
    this.wanted.set(uri, { version: doc.version, options });
    const flight = this.inFlight;
    // a stale analysis of this document, or advice (of any document: analyses come first), is cancelled
    if (
      flight &&
      ((flight.kind === undefined && flight.uri === uri && flight.version < doc.version) || flight.kind === 'advise') &&
      !flight.cancelTimer
    ) {
      const after =
        flight.kind === 'advise'
          ? (this.options.adviceCancelAfterMs ?? DEFAULT_ADVICE_CANCEL_AFTER_MS)
          : (this.options.cancelAfterMs ?? DEFAULT_CANCEL_AFTER_MS);
      const wait = Math.max(0, flight.sentAt + after - performance.now());
      flight.cancelTimer = setTimeout(() => this.cancel(flight), wait);
    }
    this.pump();
  }

  /**
   * Starts the worker now, when an analysis is about to be asked for (a document just opened): its
   * thread boots and loads its bundle while the host goes on (activation, the debounce timer).
   */
  prestart(): void {
    if (!this.disposed && !this.active && !this.spare) this.ensureActive();
  }

  /** Whether an analysis of this document is waiting or running. */
  isBusy(uri: string): boolean {
    return this.wanted.has(uri) || (this.inFlight?.uri === uri && this.inFlight.kind === undefined);
  }

  /**
   * Asks for the advisor's suggestions for `version` of a document (its current one), computed
   * with the options of its analysis. Runs after every wanted analysis; a request for the same
   * version and options shares the answer; an edit makes it answer `stale`.
   */
  advise(uri: string, version: number, options: AnalyzeOptions): Promise<AdviceAnswer> {
    const doc = this.docs.get(uri);
    if (this.disposed) return Promise.resolve({ ok: false, reason: 'the analysis client was disposed', stale: false });
    if (!doc || doc.version !== version)
      return Promise.resolve({
        ok: false,
        reason: doc ? `the document is at version ${doc.version}` : 'the document is not open',
        stale: true,
      });
    const optionsKey = JSON.stringify(options);
    return new Promise((resolve) => {
      const running = this.inFlight?.advice;
      if (running && this.inFlight!.uri === uri && running.version === version && running.optionsKey === optionsKey)
        return running.waiters.push(resolve);
      const waiting = this.wantedAdvice.get(uri);
      if (waiting && waiting.version === version && waiting.optionsKey === optionsKey) waiting.waiters.push(resolve);
      else {
        if (waiting) for (const w of waiting.waiters) w({ ok: false, reason: 'superseded by a newer request', stale: true });
        this.wantedAdvice.set(uri, { version, options, optionsKey, waiters: [resolve] });
      }
      this.pump();
    });
  }

  /** Whether `text` with `edits` applied parses (the engine's parser, in the worker), before a fix of `uri` at `version` is applied. */
  parseCheck(uri: string, version: number, text: string, edits: LineEdit[]): Promise<ParseCheckAnswer> {
    if (this.disposed) return Promise.resolve({ ok: false, reason: 'the analysis client was disposed' });
    return new Promise((resolve) => {
      this.checks.push({ uri, version, text, edits, resolve });
      this.pump();
    });
  }

  private dropAdvice(uri: string, reason: string): void {
    const waiting = this.wantedAdvice.get(uri);
    if (!waiting) return;
    this.wantedAdvice.delete(uri);
    for (const w of waiting.waiters) w({ ok: false, reason, stale: true });
  }

  dispose(): void {
    this.disposed = true;
    this.wanted.clear();
    for (const uri of [...this.wantedAdvice.keys()]) this.dropAdvice(uri, 'the analysis client was disposed');
    for (const c of this.checks.splice(0)) c.resolve({ ok: false, reason: 'the analysis client was disposed' });
    this.inFlight?.settle?.(undefined, 'the analysis client was disposed');
    this.clearFlight();
    if (this.spareTimer) clearTimeout(this.spareTimer);
    for (const slot of [this.active, this.spare]) void slot?.worker.terminate();
    this.active = this.spare = undefined;
  }

  private pump(): void {
    if (this.inFlight || this.disposed) return;
    // a fix waiting for its parse check (the user is waiting), then analyses, then advice
    if (this.checks.length) return this.sendCheck();
    const next = this.nextWanted();
    if (!next) return this.sendAdvice();
    const [uri, want] = next;
    const doc = this.docs.get(uri);
    if (!doc || doc.version !== want.version) {
      this.wanted.delete(uri);
      return this.pump();
    }
    const slot = this.ensureActive();
    if (!slot) return;
    this.wanted.delete(uri);
    // every changed document goes over first: imports read the unsaved text of open files
    for (const d of this.docs.values()) this.sync(slot, d);
    const seq = ++this.seq;
    const limit = this.options.timeoutMs + (slot.fresh ? (this.options.startupGraceMs ?? 0) : 0);
    const timer = setTimeout(() => this.onTimeout(seq, limit), limit);
    this.inFlight = { seq, uri, version: doc.version, options: want.options, sentAt: performance.now(), timer };
    slot.worker.postMessage({ type: 'analyze', seq, uri, version: doc.version, options: want.options });
    this.options.step?.(uri, doc.version, 'sent to the worker');
  }

  private sendCheck(): void {
    const slot = this.ensureActive();
    if (!slot) return;
    const check = this.checks.shift()!;
    const seq = ++this.seq;
    const timer = setTimeout(
      () => this.onTimeout(seq, this.options.timeoutMs),
      this.options.timeoutMs + (slot.fresh ? (this.options.startupGraceMs ?? 0) : 0),
    );
    this.inFlight = {
      kind: 'parseCheck',
      seq,
      uri: check.uri,
      version: check.version,
      sentAt: performance.now(),
      timer,
      settle: (message, failure) => {
        if (message?.type === 'parseChecked') check.resolve({ ok: true, check: message });
        else
          check.resolve({
            ok: false,
            reason: failure ?? (message?.type === 'failed' ? message.message : message?.type === 'skipped' ? message.reason : 'no answer'),
          });
      },
    };
    slot.worker.postMessage({ type: 'parseCheck', seq, uri: check.uri, version: check.version, text: check.text, edits: check.edits });
  }

  private sendAdvice(): void {
    let best: [string, WantedAdvice] | undefined;
    let bestPriority = Infinity;
    for (const entry of this.wantedAdvice) {
      const p = this.options.priority?.(entry[0]) ?? 0;
      if (p < bestPriority) {
        best = entry;
        bestPriority = p;
      }
    }
    if (!best) return;
    const [uri, want] = best;
    const doc = this.docs.get(uri);
    if (!doc || doc.version !== want.version) {
      this.dropAdvice(uri, doc ? `the document is at version ${doc.version}` : 'the document is not open');
      return this.pump();
    }
    const slot = this.ensureActive();
    if (!slot) return;
    this.wantedAdvice.delete(uri);
    for (const d of this.docs.values()) this.sync(slot, d);
    const seq = ++this.seq;
    const limit = (this.options.adviceTimeoutMs ?? 4 * this.options.timeoutMs) + (slot.fresh ? (this.options.startupGraceMs ?? 0) : 0);
    const timer = setTimeout(() => this.onTimeout(seq, limit), limit);
    const sentAt = performance.now();
    this.inFlight = {
      kind: 'advise',
      advice: want,
      seq,
      uri,
      version: want.version,
      sentAt,
      timer,
      settle: (message, failure, stale) => {
        let answer: AdviceAnswer;
        if (message?.type === 'advice') {
          const current = this.docs.get(uri);
          answer =
            current && current.version === message.version
              ? { ok: true, advice: message, roundTripMs: performance.now() - sentAt }
              : { ok: false, reason: 'the document changed while the advice was computed', stale: true };
        } else if (message?.type === 'skipped') answer = { ok: false, reason: message.reason, stale: true };
        else answer = { ok: false, reason: failure ?? (message?.type === 'failed' ? message.message : 'no answer'), stale: stale ?? false };
        for (const w of want.waiters) w(answer);
      },
    };
    slot.worker.postMessage({ type: 'advise', seq, uri, version: want.version, options: want.options });
    this.options.step?.(uri, want.version, 'advice sent to the worker');
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

  private sync(slot: Slot, doc: MirroredDocument): void {
    const worker = slot.worker;
    const have = this.synced.get(doc.uri);
    if (have === doc.version) return;
    if (have === undefined) {
      // an `open` starts the worker's record of what it sent for the document afresh
      slot.models.delete(doc.uri);
      worker.postMessage({ type: 'open', uri: doc.uri, path: doc.path, language: doc.language, version: doc.version, text: doc.text });
    } else worker.postMessage({ type: 'change', uri: doc.uri, version: doc.version, text: doc.text });
    this.synced.set(doc.uri, doc.version);
  }

  /** The worker that runs analyses: the current one, else the warm spare, else a new one. */
  private ensureActive(): Slot | undefined {
    if (this.active) return this.active;
    if (this.spare) {
      this.active = this.spare;
      this.spare = undefined;
      this.synced.clear();
      return this.active;
    }
    const now = Date.now();
    while (this.restarts.length && now - this.restarts[0] > 60_000) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      this.options.log(`analysis worker restarted ${this.restarts.length} times in a minute; waiting before the next start`);
      setTimeout(() => this.pump(), 10_000);
      return undefined;
    }
    this.active = this.startWorker(false);
    this.synced.clear();
    return this.active;
  }

  private startWorker(warm: boolean): Slot | undefined {
    let worker: WorkerLike;
    try {
      worker = this.options.createWorker();
    } catch (e) {
      this.options.log(`could not start the analysis worker: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const slot: Slot = { worker, fresh: true, models: new Map() };
    worker.on('message', (data) => this.onMessage(slot, data));
    worker.on('error', (error) => this.onWorkerGone(slot, `analysis worker error: ${error.message}`));
    worker.on('exit', (code) => this.onWorkerGone(slot, `analysis worker exited with code ${code}`));
    worker.postMessage(this.configureMessage());
    if (warm) worker.postMessage({ type: 'warmup' });
    return slot;
  }

  /** A spare starts `spareAfterMs` after the first result; after a hand-over, the next one at once. */
  private scheduleSpare(now = false): void {
    const after = this.options.spareAfterMs;
    if (after === undefined || this.spare || this.disposed) return;
    if (this.spareTimer && !now) return;
    if (this.spareTimer) clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(
      () => {
        this.spareTimer = undefined;
        if (this.spare || this.disposed) return;
        this.spare = this.startWorker(true);
        this.options.log(
          this.spare ? 'spare analysis worker started (it takes over when a superseded analysis runs long)' : 'no spare analysis worker',
        );
      },
      now ? 0 : after,
    );
  }

  private onMessage(slot: Slot, data: unknown): void {
    if (slot !== this.active && slot !== this.spare) return;
    const parsed = this.options.parseMessage(data);
    if (!parsed.ok) {
      this.options.log(`ignored a malformed message from the analysis worker: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'result' && message.partial) return this.onPartial(slot, message);
    if (message.type === 'result' && !this.mergeModels(slot, message)) {
      const flight = this.inFlight;
      this.options.log(`${message.uri} v${message.version}: a result did not fit the models last received; asking again`);
      this.synced.delete(message.uri);
      if (flight?.seq === message.seq && flight.options && !this.wanted.has(message.uri))
        this.wanted.set(message.uri, { version: message.version, options: flight.options });
      if (flight?.seq === message.seq) this.clearFlight();
      return this.pump();
    }
    if (message.type === 'log') return this.options.log(message.message);
    if (message.type === 'ready') {
      slot.fresh = false;
      slot.ready = true;
      this.options.log(`spare analysis worker ready (engine loaded in ${message.engineLoadMs} ms)`);
      if (this.inFlight?.overdue) this.cancel(this.inFlight);
      return;
    }
    const flight = this.inFlight;
    if (slot !== this.active || !flight || !('seq' in message) || flight.seq !== message.seq) return;
    this.clearFlight();
    slot.fresh = false;
    if (flight.settle) {
      flight.settle(message);
      this.scheduleSpare();
      return this.pump();
    }
    if (message.type !== 'result' && message.type !== 'skipped' && message.type !== 'failed') return this.pump();
    const current = this.docs.get(message.uri);
    // an answer for an outdated text never lands: a newer request is waiting or will come
    if (current && current.version === message.version) {
      if (message.type === 'result') this.options.onResult(message, performance.now() - flight.sentAt);
      else if (message.type === 'failed') this.options.onFailure(message.uri, message.version, 'failed', message.message);
    } else
      this.options.step?.(
        message.uri,
        message.version,
        `${message.type} answer dropped (outdated) after ${Math.round(performance.now() - flight.sentAt)} ms`,
      );
    this.scheduleSpare();
    this.pump();
  }

  /** A partial result of the running analysis, for the version the document is at: shown, never kept as the worker's list. */
  private onPartial(slot: Slot, message: AnalysisResult): void {
    const flight = this.inFlight;
    if (slot !== this.active || !flight || flight.kind !== undefined || flight.seq !== message.seq) return;
    if (this.docs.get(message.uri)?.version !== message.version) return;
    this.options.onPartialResult?.(message, performance.now() - flight.sentAt);
  }

  /** Puts a result's full model list back together (the worker sends only changed models); false when it does not fit. */
  private mergeModels(slot: Slot, message: AnalysisResult): boolean {
    if (!message.modelsFrom) {
      slot.models.set(message.uri, message.report.models);
      return true;
    }
    const models = decodeModels(slot.models.get(message.uri), message.report.models, message.modelsFrom);
    if (!models) {
      slot.models.delete(message.uri);
      return false;
    }
    slot.models.set(message.uri, models);
    message.report = { ...message.report, models };
    delete message.modelsFrom;
    return true;
  }

  /** A newer version is waiting while an older one still runs: hand over to the spare worker. */
  private cancel(flight: InFlight): void {
    if (this.inFlight !== flight) return;
    if (!this.spare?.ready) {
      // a cold spare would first load the engine: wait for it to be warm, or for the answer
      flight.overdue = true;
      this.options.step?.(
        flight.uri,
        flight.version,
        `superseded, running on: ${this.spare ? 'the spare worker is still warming up' : 'no spare worker'}`,
      );
      return;
    }
    this.options.step?.(
      flight.uri,
      flight.version,
      `${flight.kind === 'advise' ? 'advice ' : ''}cancelled after ${Math.round(performance.now() - flight.sentAt)} ms: superseded`,
    );
    this.clearFlight();
    flight.settle?.(undefined, 'cancelled: an analysis of newer text came first', true);
    this.dropActive();
    this.pump();
    this.scheduleSpare(true);
  }

  private onTimeout(seq: number, limit: number): void {
    const flight = this.inFlight;
    if (!flight || flight.seq !== seq) return;
    this.clearFlight();
    const message = `${flight.kind === 'advise' ? 'advice' : flight.kind === 'parseCheck' ? 'parse check' : 'analysis'} exceeded ${limit} ms; the analysis worker was restarted`;
    this.options.log(`${flight.uri} v${flight.version}: ${message}`);
    this.restarts.push(Date.now());
    this.dropActive();
    if (flight.settle) flight.settle(undefined, message);
    else this.options.onFailure(flight.uri, flight.version, 'timeout', message);
    this.pump();
  }

  private onWorkerGone(slot: Slot, message: string): void {
    if (slot === this.spare) {
      this.spare = undefined;
      return;
    }
    if (slot !== this.active) return;
    this.options.log(message);
    this.active = undefined;
    this.synced.clear();
    this.restarts.push(Date.now());
    const flight = this.inFlight;
    if (flight) {
      this.clearFlight();
      if (flight.settle) flight.settle(undefined, message);
      else this.options.onFailure(flight.uri, flight.version, 'crash', message);
    }
    this.pump();
  }

  private clearFlight(): void {
    const flight = this.inFlight;
    if (!flight) return;
    clearTimeout(flight.timer);
    if (flight.cancelTimer) clearTimeout(flight.cancelTimer);
    this.inFlight = undefined;
  }

  private dropActive(): void {
    const slot = this.active;
    this.active = undefined;
    this.synced.clear();
    void slot?.worker.terminate();
  }
}
