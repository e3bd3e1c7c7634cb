// Shared by the editor tests: real engine reports of the example models and of small sources.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnalysisEngine, type AnalyzeOptions } from '../../../src/core/analysis/engine';
import type { FileReport } from '../../../src/core/report/types';

export const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples');

let engine: Promise<AnalysisEngine> | undefined;

export function sharedEngine(): Promise<AnalysisEngine> {
  engine ??= AnalysisEngine.create({ workspaceRoots: [EXAMPLES] });
  return engine;
}

/** Report of an example file, e.g. 'models/cnn.py'. */
export async function analyzeExample(relative: string, options: AnalyzeOptions = {}): Promise<FileReport> {
  const path = join(EXAMPLES, relative);
  return (await sharedEngine()).analyze(path, readFileSync(path, 'utf8'), options);
}

/** Report of a source text analyzed as if it were `name` in a scratch folder. */
export async function analyzeSource(text: string, options: AnalyzeOptions = {}, name = 'scratch_model.py'): Promise<FileReport> {
  return (await sharedEngine()).analyze(join('/nonexistent-wattlens-scratch', name), text, options);
}
