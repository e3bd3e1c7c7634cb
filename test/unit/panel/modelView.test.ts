import { describe, expect, it } from 'vitest';
import { largestModel, layerRow, modelView, reportView } from '../../../src/core/panel/modelView';
import { fileReport, modelReport } from './fixtures';

describe('model view', () => {
  it("copies the report's figures unchanged and keeps unknown as null with its reason", () => {
    const m = modelReport();
    const v = modelView(m, '/ws/net.py', { gpu: { name: 'T4', memoryBytes: 16 * 2 ** 30, source: 'setting wattlens.gpu' } });
    expect(v.totals).toMatchObject({
      uniqueParams: 1000,
      macs: 2_000_000,
      flops: 4_000_000,
      trainingMacs: 6_000_000,
      activationBytes: 4096,
      trainingMemoryBytes: 20_000,
      elementwiseFlops: null,
    });
    expect(v.layers[0]).toEqual({
      path: 'fc1',
      type: 'Linear',
      kind: 'layer',
      line: 8,
      params: 600,
      macs: 1_500_000,
      activationBytes: 80,
      outputShape: '1×20',
      calls: 1,
      formula: 'params = 30·20 + 0',
    });
    expect(v.layers[2]).toMatchObject({
      params: null,
      macs: null,
      outputShape: '?',
      unknown: 'params of proj: in_features comes from an unresolved import',
    });
    expect(v.gpu).toEqual({ name: 'T4', memoryBytes: 16 * 2 ** 30, source: 'setting wattlens.gpu' });
    expect(modelView(m, '/ws/net.py', { gpu: null, reason: 'nvidia-smi not found' }).gpu).toEqual({ reason: 'nvidia-smi not found' });
  });

  it('keeps a construction site only when it is in another file', () => {
    const m = modelReport();
    expect(layerRow(m.layers[1]!, '/ws/net.py').site).toEqual({ file: '/ws/helpers.py', line: 3 });
    expect(layerRow(m.layers[1]!, '/ws/helpers.py').site).toBeUndefined();
  });

  it("says why there is no model, and lists the file's problems", () => {
    const r = fileReport([]);
    const v = reportView({
      report: r,
      displayPath: 'net.py',
      documentVersion: 1,
      model: undefined,
      followsCursor: true,
      costUnit: 'flops',
      gpu: { gpu: null, reason: '' },
      stale: false,
    });
    expect(v).toMatchObject({ status: 'no-model', model: null, costUnit: 'flops', problems: ['line 2: import: helpers not found'] });
    expect(v.statusText).toBe('No model could be analyzed in net.py');
  });

  it('states that static figures are estimated', () => {
    const r = fileReport();
    const v = reportView({
      report: r,
      displayPath: 'net.py',
      documentVersion: 1,
      model: r.models[0],
      followsCursor: false,
      costUnit: 'macs',
      gpu: { gpu: null, reason: '' },
      stale: true,
    });
    expect(v.statusText).toMatch(/estimated by static analysis of the source, not measured/);
    expect(v).toMatchObject({ followsCursor: false, stale: true, models: [{ name: 'Net', line: 5 }] });
  });

  it('picks the model with the most layers when the cursor is on none', () => {
    const small = modelReport({ name: 'Small', layers: [] });
    expect(largestModel([small, modelReport()])?.name).toBe('Net');
    expect(largestModel([])).toBeUndefined();
  });
});
