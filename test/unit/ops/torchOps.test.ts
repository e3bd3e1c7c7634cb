// The op catalogue against real torch: every expected value in test/unit/cost/torchCases.json
// ("ops", "values", "quantized") was computed by torchCases.py with /usr/bin/python3 and torch
// 1.13 — output shapes by running the op, MACs by scripts/truth/torch_macs.py — never by the
// engine. Each case becomes a small model file the engine analyzes as a user's file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../src/core/report/types';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { sharedEngine } from '../engine/truthCorpus';

interface OpCase {
  expr: string;
  inputs: number[][];
  expected: { outputs: (number[] | null)[]; macs: number };
}
interface ValueCase {
  expr: string;
  expected: string;
}
interface QuantizedCase {
  module: string;
  input: number[];
  expected: { params: number; output: number[]; macs: number };
}
const cases = JSON.parse(readFileSync(join(__dirname, '..', 'cost', 'torchCases.json'), 'utf8')) as {
  ops: OpCase[];
  values: ValueCase[];
  quantized: QuantizedCase[];
};

const HEADER = 'import math\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

async function analyze(text: string, input?: string): Promise<ModelReport> {
  const engine = await sharedEngine();
  const r = engine.analyze(join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'ops.py'), text, input ? { input } : {});
  const m = r.models.find((x) => x.name === 'Net');
  if (!m) throw new Error(`no model: ${JSON.stringify(r.problems)}`);
  return m;
}

/** Every output tensor of the expression passes through its own nn.Identity, whose row shows its shape. */
function opModel(c: OpCase): string {
  const names = ['x', 'y', 'z'].slice(0, c.inputs.length).join(', ');
  return (
    `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n` +
    `        self.probes = nn.ModuleList([nn.Identity() for _ in range(${c.expected.outputs.length})])\n` +
    `    def forward(self, ${names}):\n        out = ${c.expr}\n` +
    `        outs = out if isinstance(out, (tuple, list)) else (out,)\n` +
    `        for p, t in zip(self.probes, outs):\n            if t is not None:\n                p(t)\n        return out\n`
  );
}

describe('ops: output shapes and MACs as real torch gives them', () => {
  for (const c of cases.ops)
    it(`${c.expr} on ${c.inputs.map((s) => s.join('x')).join(', ')}`, async () => {
      const m = await analyze(opModel(c), c.inputs.map((s) => s.join('x')).join(','));
      expect(m.unknowns).toEqual([]);
      const shapes = c.expected.outputs.map((_, i) => m.layers.find((l) => l.path === `probes.${i}`)?.outputShape ?? null);
      expect(shapes).toEqual(c.expected.outputs);
      expect(m.macs).toBe(c.expected.macs);
    });
});

describe('values model code computes while constructing, as torch computes them', () => {
  for (const c of cases.values)
    it(`${c.expr} == ${c.expected}`, async () => {
      const text = `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 3 if (${c.expr}) == ${c.expected} else 5)\n    def forward(self, x):\n        return self.fc(x)\n`;
      const m = await analyze(text, '1x2');
      expect(m.params).toBe(9);
    });
});

describe('quantized modules as float stand-ins', () => {
  for (const c of cases.quantized)
    it(`${c.module}: params as parameters() yields them, shapes of torch, MACs of the float layer`, async () => {
      const text = `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.m = ${c.module}\n    def forward(self, x):\n        return self.m(x)\n`;
      const m = await analyze(text, c.input.join('x'));
      expect(m.params).toBe(c.expected.params);
      expect(m.macs).toBe(c.expected.macs);
      expect(m.layers.find((l) => l.path === 'm')?.outputShape).toEqual(c.expected.output);
    });
});
