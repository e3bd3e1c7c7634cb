// Talks to the advice worker: one request at a time per kind, answers matched by sequence
// number, a request that takes too long restarts the worker. The worker starts with the first
// request (the panel open on a Python file), not at activation.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AdviceReport } from '../../core/advisor/advise';
import type { LineEdit } from '../../core/advisor/types';
import type { AdviceRequest, AdviceResponse } from '../../core/panel/adviceRequests';

const TIMEOUT_MS = 60_000;

type Pending = { resolve: (r: AdviceResponse) => void; timer: ReturnType<typeof setTimeout> };

export class AdviceClient {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly distDir: string,
    private readonly log: (message: string) => void,
  ) {}

  async advise(file: string, text: string, workspaceRoots: string[], options: Extract<AdviceRequest, { type: 'advise' }>['options']): Promise<AdviceReport> {
    const r = await this.request({ type: 'advise', seq: ++this.seq, file, text, workspaceRoots, options });
    if (r.type === 'advice') return r.report;
    throw new Error(r.type === 'failed' ? r.message : 'unexpected answer');
  }

  /** The text with the edits applied, when it parses no worse than before; else why not. */
  async check(text: string, edits: LineEdit[]): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
    const r = await this.request({ type: 'check', seq: ++this.seq, text, edits });
    if (r.type !== 'checked') return { ok: false, reason: r.type === 'failed' ? r.message : 'unexpected answer' };
    return r.parses ? { ok: true, text: r.text } : { ok: false, reason: `the rewritten file would not parse (${r.syntaxErrorsAfter} syntax errors, ${r.syntaxErrorsBefore} before)` };
  }

  private request(message: AdviceRequest): Promise<AdviceResponse> {
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.seq);
        this.log(`advice worker: no answer in ${TIMEOUT_MS / 1000} s, restarted`);
        this.restart();
        resolve({ type: 'failed', seq: message.seq, message: `the advisor took longer than ${TIMEOUT_MS / 1000} s` });
      }, TIMEOUT_MS);
      this.pending.set(message.seq, { resolve, timer });
      worker.postMessage(message);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(join(this.distDir, 'advice-worker.js'));
    worker.on('message', (r: AdviceResponse) => {
      const p = this.pending.get(r.seq);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(r.seq);
      p.resolve(r);
    });
    worker.on('error', (e) => this.log(`advice worker error: ${e.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [seq, p] of this.pending) {
        clearTimeout(p.timer);
        p.resolve({ type: 'failed', seq, message: `the advice worker stopped (exit code ${code})` });
      }
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  private restart(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  dispose(): void {
    this.restart();
  }
}
