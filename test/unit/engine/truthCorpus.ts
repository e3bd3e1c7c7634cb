// Runs the engine over every model of the ground-truth fixtures (real torch counts made by
// scripts/truth/make_truth.py) and returns both sides, for the accuracy tests and the report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import type { ModelReport } from '../../../src/core/report/types';
import { REPO_ROOT, loadTruthFile, truthFiles, type TruthModel } from '../../fixtures/truth/truthSchema';

export interface Comparison {
  family: string;
  truth: TruthModel;
  report: ModelReport | undefined;
  problems: string[];
  ms: number;
}

let engine: Promise<AnalysisEngine> | undefined;
export function sharedEngine(): Promise<AnalysisEngine> {
  engine ??= AnalysisEngine.create({ workspaceRoots: [] });
  return engine;
}

export async function compareFile(truthPath: string): Promise<Comparison[]> {
  const e = await sharedEngine();
  const truth = loadTruthFile(truthPath);
  const out: Comparison[] = [];
  for (const m of truth.models) {
    const file = join(REPO_ROOT, truth.sourceRoot, m.source);
    const text = readFileSync(file, 'utf8');
    const started = performance.now();
    const report = e.analyze(file, text, { model: m.entry, input: m.inputText });
    out.push({
      family: truth.family ?? truthPath,
      truth: m,
      report: report.models[0],
      problems: report.problems.map((p) => `${p.what}: ${p.reason}`),
      ms: performance.now() - started,
    });
  }
  return out;
}

export { truthFiles };
