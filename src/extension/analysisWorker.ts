// Analysis worker thread: parse + analysis off the extension host thread. It only validates
// messages and hands them to the AnalysisServer (src/core/editor), which holds the logic.
import { parentPort } from 'node:worker_threads';
import { AnalysisServer } from '../core/editor/analysisServer';
import { parseToWorker, type FromWorker } from '../core/editor/workerProtocol';

const port = parentPort;
if (port) {
  const post = (message: FromWorker) => port.postMessage(message);
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
