// TensorFlow.js front end: entry points used by the CLI and the extension.
import type { AnalyzeOptions } from '../analysis/engine';
import { AnalysisError } from '../analysis/engine';
import type { FileReport } from '../report/types';

const TFJS_EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|jsx)$/;

export function isTfjsFile(path: string): boolean {
  return TFJS_EXTENSIONS.test(path);
}

export function analyzeTfjsFile(_path: string, _text: string, _options: AnalyzeOptions): FileReport {
  throw new AnalysisError('TensorFlow.js analysis is not available in this build');
}
