// Analysis worker thread (dist/worker-main.js, started by workerLaunch.ts): parse + analysis off
// the extension host thread. It only validates messages and hands them to the AnalysisServer
// (src/core/editor), which holds the logic.
import type { MessagePort } from 'node:worker_threads';
import { AnalysisServer } from '../core/editor/analysisServer';
import { parseToWorker, type FromWorker } from '../core/editor/workerProtocol';

/** Serves the host's messages on `port`; `afterFirstAnswer` runs once, after the first analysis's (or warm-up's) answer is sent. */
export function serveAnalysis(port: MessagePort, afterFirstAnswer?: () => void): void {
  let waiting = afterFirstAnswer;
  const post = (message: FromWorker) => {
    port.postMessage(message);
    if (waiting && ((message.type === 'result' && !message.partial) || message.type === 'ready')) {
      const run = waiting;
      waiting = undefined;
      // once the answer is on its way
      setImmediate(run);
    }
  };
  const server = new AnalysisServer({ post });
  port.on('message', (data: unknown) => {
    const parsed = parseToWorker(data);
    if (!parsed.ok) {
      post({ type: 'log', message: `worker: ignored a malformed message: ${parsed.error}` });
      return;
    }
    void server.receive(parsed.message);
  });
}
