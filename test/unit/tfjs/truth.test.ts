// The analyzer against real TensorFlow.js: for every fixture model, model.countParams(), the
// trainable count and every layer's name, class, countParams() and output shape, as
// @tensorflow/tfjs 4.22 reported them when it built the same model
// (test/fixtures/tfjs/truth, written by scripts/truth/tfjs_truth.mjs).
import { describe, expect, it } from 'vitest';
import { MANIFEST, analyzeFixture, compareLayers, expectedShape, truthOf } from './truthCorpus';

describe.each(Object.entries(MANIFEST))('%s', (fixture, entries) => {
  const report = analyzeFixture(fixture);
  const truth = truthOf(fixture);

  it('reports every fixture model, without problems', () => {
    expect(report.problems).toEqual([]);
    expect(report.models.map((m) => m.name)).toEqual(expect.arrayContaining(entries));
  });

  it.each(entries)('%s: parameters equal model.countParams()', (entry) => {
    const model = report.models.find((m) => m.name === entry)!;
    expect(model.params).toBe(truth[entry].countParams);
    expect(model.trainableParams).toBe(truth[entry].trainableParams);
    expect(model.unknowns).toEqual([]);
  });

  it.each(entries)('%s: every layer matches (name, class, params, output shape)', (entry) => {
    const model = report.models.find((m) => m.name === entry)!;
    const rows = model.layers.map((l) => ({ name: l.path, className: l.type, params: l.params, outputShape: l.outputShape }));
    const expected = truth[entry].layers.map((l) => ({
      name: l.name,
      className: l.className,
      params: l.params,
      outputShape: expectedShape(l.outputShape),
    }));
    expect(rows).toEqual(expected);
    expect(compareLayers(model, truth[entry]).every((c) => c.same)).toBe(true);
  });

  it.each(entries)('%s: input shapes are the declared ones with batch 1', (entry) => {
    const model = report.models.find((m) => m.name === entry)!;
    expect(model.input.source).toBe('config');
    expect(model.input.shapes).toEqual(truth[entry].inputShapes.map((s) => s.map((d, i) => (d === null ? (i === 0 ? 1 : '?') : d))));
  });
});
