// The core's public surface for scripts and benchmarks (the extension and CLI import modules directly).
export { AnalysisEngine, AnalysisError, type AnalyzeOptions } from './analysis/engine';
export { loadPythonParser, PythonDocument } from './python/parser';
export { ANALYSIS_WORKER_LIMITS } from './editor/workerLimits';
export type { FileReport, ModelReport, LayerReport } from './report/types';

import { loadPythonParser as loadParser } from './python/parser';
import { NN_PRELUDE } from './torch/prelude';
import type { SerializedPrelude } from './torch/torchModules';

/** The torch.nn prelude converted to AST, for the build to store beside the bundles. */
export async function serializePrelude(): Promise<string> {
  const parser = await loadParser();
  const saved: SerializedPrelude = { source: NN_PRELUDE, body: parser.parseModule(NN_PRELUDE).body };
  return JSON.stringify(saved);
}
