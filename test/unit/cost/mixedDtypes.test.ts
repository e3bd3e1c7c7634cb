// A half-precision activation into float32 weights raises in torch outside autocast; the analyzer
// raises the same (a blocking reason with the line, never a figure), and stays silent where the
// weights' dtype may have changed (module conversions, dtype=, .data =, autocast). Truth: real
// torch on this machine's CPU (bfloat16, whose CPU kernels exist, so only the mismatch raises).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import type { ModelReport } from '../../../src/core/report/types';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { tempDirsPerFile } from '../../support/tempDirs';
import { torchAvailable, torchTruth, type TorchResult } from '../../support/torchTruth';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n';

/** A model: its __init__ lines, its forward lines (x is a float32 input of `input`), and what happens. */
interface Case {
  init: string[];
  forward: string[];
  input: number[];
  /** The analyzer's blocking reason, or null when the model runs. */
  raises: RegExp | null;
}

const CASES: Record<string, Case> = {
  'nn.Linear, bf16 input': {
    init: ['self.fc = nn.Linear(8, 4)'],
    forward: ['return self.fc(x.bfloat16())'],
    input: [2, 8],
    raises: /RuntimeError: mat1 and mat2 must have the same dtype \(a bfloat16 input with float32 weights, outside autocast\)/,
  },
  'nn.Conv1d, fp16 input': {
    init: ['self.conv = nn.Conv1d(3, 4, 3)'],
    forward: ['return self.conv(x.half())'],
    input: [1, 3, 8],
    raises: /RuntimeError: Input type \(torch\.HalfTensor\) and weight type \(torch\.FloatTensor\) should be the same/,
  },
  'nn.Conv2d, bf16 input': {
    init: ['self.conv = nn.Conv2d(3, 4, 3)'],
    forward: ['return self.conv(x.bfloat16())'],
    input: [1, 3, 8, 8],
    raises: /RuntimeError: Input type \(torch\.BFloat16Tensor\) and weight type \(torch\.FloatTensor\) should be the same/,
  },
  'nn.Conv3d, bf16 input': {
    init: ['self.conv = nn.Conv3d(3, 4, 3)'],
    forward: ['return self.conv(x.bfloat16())'],
    input: [1, 3, 6, 6, 6],
    raises: /RuntimeError: Input type \(torch\.BFloat16Tensor\) and weight type \(torch\.FloatTensor\) should be the same/,
  },
  'F.linear, bf16 input': {
    init: ['self.w = nn.Parameter(torch.randn(4, 8))'],
    forward: ['return F.linear(x.bfloat16(), self.w)'],
    input: [2, 8],
    raises: /RuntimeError: expected scalar type BFloat16 but found Float/,
  },
  'F.conv2d, bf16 input': {
    init: ['self.w = nn.Parameter(torch.randn(4, 3, 3, 3))'],
    forward: ['return F.conv2d(x.bfloat16(), self.w)'],
    input: [1, 3, 8, 8],
    raises: /RuntimeError: Input type \(torch\.BFloat16Tensor\) and weight type \(torch\.FloatTensor\) should be the same/,
  },
  'torch.matmul and @, bf16 by fp32': {
    init: ['self.w = nn.Parameter(torch.randn(8, 4))'],
    forward: ['return x.bfloat16() @ self.w'],
    input: [2, 8],
    raises: /RuntimeError: expected scalar type BFloat16 but found Float/,
  },
  'torch.bmm, bf16 by fp32': {
    init: ['self.w = nn.Parameter(torch.randn(2, 8, 4))'],
    forward: ['return torch.bmm(x.bfloat16(), self.w)'],
    input: [2, 3, 8],
    raises: /RuntimeError: expected scalar type BFloat16 but found Float/,
  },
  'nn.Linear under torch.autocast': {
    init: ['self.fc = nn.Linear(8, 4)'],
    forward: ["with torch.autocast('cpu', dtype=torch.bfloat16):", '    return self.fc(x.bfloat16())'],
    input: [2, 8],
    raises: null,
  },
  'nn.Linear converted with .bfloat16()': {
    init: ['self.fc = nn.Linear(8, 4).bfloat16()'],
    forward: ['return self.fc(x.bfloat16())'],
    input: [2, 8],
    raises: null,
  },
  'nn.Linear built with dtype=torch.bfloat16': {
    init: ['self.fc = nn.Linear(8, 4, dtype=torch.bfloat16)'],
    forward: ['return self.fc(x.bfloat16())'],
    input: [2, 8],
    raises: null,
  },
  'weights converted through apply and .data =': {
    init: ['self.fc = nn.Linear(8, 4)', 'self.apply(to_bf16)'],
    forward: ['return self.fc(x.bfloat16())'],
    input: [2, 8],
    raises: null,
  },
  'bf16 input and bf16 tensor operands': {
    init: [],
    forward: ['return x.bfloat16() @ torch.ones(8, 4, dtype=torch.bfloat16)'],
    input: [2, 8],
    raises: null,
  },
};

const TO_BF16 =
  'def to_bf16(m):\n    if isinstance(m, nn.Linear):\n        m.weight.data = m.weight.data.bfloat16()\n        m.bias.data = m.bias.data.bfloat16()\n\n\n';

function source(c: Case): string {
  const body = [
    'class Net(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...c.init.map((l) => `        ${l}`),
    '',
    '    def forward(self, x):',
    ...c.forward.map((l) => `        ${l}`),
  ];
  return `${HEADER}${TO_BF16}${body.join('\n')}\n`;
}

/** The line of the forward's first statement in `source`. */
const forwardLine = (c: Case) => source(c).split('\n').indexOf('    def forward(self, x):') + 2;

/** Each case on an engine of its own: a conversion or autocast seen once silences the check for the engine's life. */
async function analyze(c: Case): Promise<ModelReport> {
  const engine = await AnalysisEngine.create({});
  const r = engine.analyze(join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'mixed.py'), source(c), {
    input: c.input.join('x'),
  });
  const m = r.models.find((x) => x.name === 'Net');
  if (!m) throw new Error(JSON.stringify(r.problems));
  return m;
}

const fileTempDir = tempDirsPerFile();
let truth: Record<string, TorchResult> = {};

describe.skipIf(!torchAvailable())('mixed dtypes into weights, against real torch', () => {
  beforeAll(() => {
    const dir = fileTempDir('wattlens-mixed-dtypes-');
    const names = Object.keys(CASES);
    names.forEach((name, i) => writeFileSync(join(dir, `case${i}.py`), source(CASES[name])));
    const results = torchTruth(
      names.map((name, i) => ({ root: dir, module: `case${i}`, entry: 'Net()', inputs: [{ shape: CASES[name].input }] })),
    );
    truth = Object.fromEntries(names.map((name, i) => [name, results[i]]));
  }, 120_000);

  it.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name];
    const m = await analyze(c);
    const t = truth[name];
    if (c.raises) {
      expect(t.error, 'torch raises').toMatch(/RuntimeError/);
      expect(m.macs).toBeNull();
      expect(m.unknowns[0].reason).toMatch(c.raises);
      expect(m.unknowns[0].line).toBe(forwardLine(c) + c.forward.length - 1);
    } else {
      expect(t.error, 'torch runs it').toBeUndefined();
      expect(m.macs).toBe(t.macs);
    }
  });
});
