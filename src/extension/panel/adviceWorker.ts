// The panel's advice worker thread (dist/advice-worker.js): the advisor re-analyzes every
// rewrite, which takes longer than the extension host may block. Loads the engine on the first
// request; validates each request; the answers come from src/core/panel/adviceRequests.
import { parentPort } from 'node:worker_threads';
import { AnalysisEngine } from '../../core/analysis/engine';
import { adviceRequestSchema, answerAdviceRequest, type AdviceResponse } from '../../core/panel/adviceRequests';

const port = parentPort;
if (port) {
  let engine: Promise<AnalysisEngine> | undefined;
  port.on('message', async (data: unknown) => {
    const parsed = adviceRequestSchema.safeParse(data);
    const seq = typeof data === 'object' && data !== null && typeof (data as { seq?: unknown }).seq === 'number' ? (data as { seq: number }).seq : -1;
    if (!parsed.success) {
      port.postMessage({ type: 'failed', seq, message: `malformed request: ${parsed.error.issues[0]?.message ?? 'invalid'}` } satisfies AdviceResponse);
      return;
    }
    try {
      engine ??= AnalysisEngine.create();
      port.postMessage(answerAdviceRequest(await engine, parsed.data));
    } catch (e) {
      engine = undefined;
      port.postMessage({ type: 'failed', seq, message: e instanceof Error ? e.message : String(e) } satisfies AdviceResponse);
    }
  });
}
