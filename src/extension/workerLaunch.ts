// dist/worker.js, the analysis worker's entry: runs the worker's bundle (dist/worker-main.js, built
// from analysisWorker.ts) from V8's code cache, as dist/cli.js runs the CLI's. The cache is in the
// folder the extension gave (its global storage), unless $WATTLENS_CACHE_DIR names another, as for
// the parse cache. A new entry is written after the first answer: the functions that a first
// analysis compiles are in it, and a worker that is terminated never sees its exit.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { runWithCodeCache } from '../node/codeCache';
import type { serveAnalysis } from './analysisWorker';

/** What the extension passes to a new analysis worker (`workerData`). */
export interface AnalysisWorkerData {
  /** The extension's cache folder (code cache and parse cache). */
  cacheDir?: string;
}

const port = parentPort;
if (port) {
  const { cacheDir } = (workerData ?? {}) as AnalysisWorkerData;
  const env = process.env.WATTLENS_CACHE_DIR || !cacheDir ? process.env : { ...process.env, WATTLENS_CACHE_DIR: cacheDir };
  let writeCodeCache: (() => void) | undefined;
  const bundle = runWithCodeCache(join(__dirname, 'worker-main.js'), env, {
    representative: true,
    whenToWrite: (write) => (writeCodeCache = write),
  }) as {
    serveAnalysis: typeof serveAnalysis;
  };
  bundle.serveAnalysis(port, () => {
    try {
      writeCodeCache?.();
    } catch {
      // no entry: the next worker compiles again
    }
  });
}
