// The core's public surface for scripts and benchmarks (the extension and CLI import modules directly).
export { AnalysisEngine, AnalysisError, type AnalyzeOptions } from './analysis/engine';
export { loadPythonParser, PythonDocument } from './python/parser';
export type { FileReport, ModelReport, LayerReport } from './report/types';
