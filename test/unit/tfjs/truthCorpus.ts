// The TF.js fixtures and the truth that real @tensorflow/tfjs gave for them
// (scripts/truth/tfjs_truth.mjs writes it), joined with the analyzer's report.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeTfjsFile } from '../../../src/core/tfjs/entry';
import type { FileReport, LayerReport, ModelReport } from '../../../src/core/report/types';

export const FIXTURES = resolve(__dirname, '../../fixtures/tfjs');

export interface TruthLayer {
  name: string;
  className: string;
  params: number;
  outputShape: (number | null)[] | (number | null)[][];
}

export interface TruthModel {
  countParams: number;
  trainableParams: number;
  inputShapes: (number | null)[][];
  outputShapes: (number | null)[][];
  layers: TruthLayer[];
}

export const MANIFEST: Record<string, string[]> = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));

export function truthOf(fixture: string): Record<string, TruthModel> {
  const file = join(FIXTURES, 'truth', `${fixture.replace(/\.[^.]+$/, '').replace(/[\\/]/g, '__')}.json`);
  return JSON.parse(readFileSync(file, 'utf8')).models;
}

export function analyzeFixture(fixture: string): FileReport {
  const path = join(FIXTURES, fixture);
  return analyzeTfjsFile(path, readFileSync(path, 'utf8'), {});
}

/** TF.js's batch dim is null; the report gives it the batch it used (1). */
export function expectedShape(shape: TruthLayer['outputShape'], batch = 1): (number | string)[] {
  const first = (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
  return first.map((d, i) => (d === null ? (i === 0 ? batch : '?') : d));
}

export interface LayerComparison {
  truth: TruthLayer;
  row: LayerReport | undefined;
  same: boolean;
}

/** Each truth layer against the report's row at the same position. */
export function compareLayers(model: ModelReport, truth: TruthModel): LayerComparison[] {
  return truth.layers.map((t, i) => {
    const row = model.layers[i];
    const same = !!row && row.path === t.name && row.type === t.className && row.params === t.params && JSON.stringify(row.outputShape) === JSON.stringify(expectedShape(t.outputShape));
    return { truth: t, row, same };
  });
}
