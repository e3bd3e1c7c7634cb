// The torch API coverage table stays true: the committed table (src/core/ops/data/torchCoverage.json)
// must equal what the catalogue answers now for every name of torch's public API
// (torchApi.json, enumerated from real torch). Regenerate both with
// `/usr/bin/python3 scripts/truth/torch_api_coverage.py` (or only the table:
// `node scripts/truth/torch_coverage.mjs`) after adding or removing an op.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torchApiCoverage, type TorchApi, type TorchCoverage } from '../../../src/core/torch/apiCoverage';

const DATA = join(__dirname, '..', '..', '..', 'src', 'core', 'ops', 'data');
const api = JSON.parse(readFileSync(join(DATA, 'torchApi.json'), 'utf8')) as TorchApi;
const committed = JSON.parse(readFileSync(join(DATA, 'torchCoverage.json'), 'utf8')) as TorchCoverage;

describe('torch API coverage table', () => {
  const now = torchApiCoverage(api);

  it('covers every namespace torch enumerates', () => {
    expect(Object.keys(committed.namespaces)).toEqual(api.namespaces.map((n) => n.namespace));
  });

  for (const { namespace } of api.namespaces)
    it(`${namespace}: the committed statuses are the catalogue's (regenerate: node scripts/truth/torch_coverage.mjs)`, () => {
      expect(now.namespaces[namespace]).toEqual(committed.namespaces[namespace]);
      expect(now.summary[namespace]).toEqual(committed.summary[namespace]);
    });

  it('classifies by what the engine does: ops cost, helpers give values, stubs of unknowns stay unknown', () => {
    expect(now.namespaces.torch.matmul).toBe('cost');
    expect(now.namespaces['torch.nn'].Conv2d).toBe('cost');
    expect(now.namespaces['torch.nn'].Sequential).toBe('cost');
    expect(now.namespaces.Tensor.shape).toBe('shape');
    expect(now.namespaces.torch.load).toBe('unknown');
  });
});
