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

/**
 * TF.js leaves a Reshape's -1 dim null while the batch dim is null; the analyzer, which knows
 * the batch, resolves it. The expected value comes from TF.js's own shapes: the elements of
 * the previous layer's output over the target's known dims.
 */
export function expectedShapes(layers: { className: string; outputShape: TruthLayer['outputShape'] }[], batch = 1): (number | string)[][] {
  return layers.map((l, i) => {
    const shape = expectedShape(l.outputShape, batch);
    const prev = i > 0 ? expectedShape(layers[i - 1].outputShape, batch) : undefined;
    if (l.className !== 'Reshape' || !prev || !shape.slice(1).includes('?') || prev.includes('?')) return shape;
    const size = (prev.slice(1) as number[]).reduce((a, b) => a * b, 1);
    const known = shape.slice(1).reduce<number>((a, d) => (d === '?' ? a : a * (d as number)), 1);
    return shape.map((d, k) => (k > 0 && d === '?' ? size / known : d));
  });
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
    const same =
      !!row &&
      row.path === t.name &&
      row.type === t.className &&
      row.params === t.params &&
      JSON.stringify(row.outputShape) === JSON.stringify(expectedShape(t.outputShape));
    return { truth: t, row, same };
  });
}
