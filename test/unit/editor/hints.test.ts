import { describe, expect, it } from 'vitest';
import { lineHints } from '../../../src/core/editor/hints';
import { lineCosts } from '../../../src/core/editor/lineCosts';
import { formatCost, formatCount, formatShare } from '../../../src/core/report/format';
import { analyzeExample, analyzeSource } from './analyze';

describe('inlay hint texts', () => {
  it('shows params, MACs and share of the model on the Conv2d and Linear lines of cnn.py', async () => {
    const report = await analyzeExample('models/cnn.py');
    const model = report.models[0];
    const hints = new Map(lineHints(report, 'macs').map((h) => [h.line, h.text]));
    const conv1 = model.layers.find((l) => l.path === 'conv1')!;
    expect(hints.get(10)).toBe(`${formatCount(conv1.params)} params · ${formatCost(conv1.macs)} · ${formatShare(conv1.macs, model.macs)}`);
    expect(hints.get(10)).toBe('896 params · 7.08 MMACs · 8%');
    expect(hints.get(18)).toBe('525K params · 4.19 MMACs · 5%');
    // parameter-only layers say 0 MACs; free layers (pooling, dropout) and elementwise ops get no hint
    expect(hints.get(11)).toBe('64 params · 0 MACs');
    expect(hints.has(16)).toBe(false);
    expect(hints.has(17)).toBe(false);
    expect(hints.has(22)).toBe(false);
  });

  it('switches to FLOPs (2 × MACs) when asked', async () => {
    const report = await analyzeExample('models/cnn.py');
    const hint = lineHints(report, 'flops').find((h) => h.line === 10)!;
    expect(hint.text).toBe('896 params · 14.2 MFLOPs · 8%');
    expect(hint.tooltip).toContain('FLOPs = 2 × MACs');
    expect(hint.tooltip).toContain('estimated');
  });

  it('returns only the lines of the visible range', async () => {
    const report = await analyzeExample('models/cnn.py');
    expect(lineHints(report, 'macs', { fromLine: 12, toLine: 14 }).map((h) => h.line)).toEqual([12, 13, 14]);
  });

  it('sums a line built once per block and marks how many calls it covers', async () => {
    const report = await analyzeExample('models/gpt.py', { model: 'GPT(GPTConfig())' });
    const gpt = report.models[0];
    const cFc = gpt.layers.filter((l) => l.line === 54);
    expect(cFc).toHaveLength(6);
    const params = cFc.reduce((s, l) => s + l.params!, 0);
    const macs = cFc.reduce((s, l) => s + l.macs!, 0);
    const hint = lineHints(report, 'macs').find((h) => h.line === 54)!;
    expect(hint.text).toBe(`${formatCount(params)} params · ${formatCost(macs)} · ${formatShare(macs, gpt.macs)} · ×6`);
    // an op line in forward (q @ k^T) has no params part
    expect(lineHints(report, 'macs').find((h) => h.line === 42)!.text).toMatch(/^[\d.]+ GMACs · \d+% · ×6$/);
  });

  it('says briefly why a figure is unknown instead of staying silent', async () => {
    const report = await analyzeSource(`import torch.nn as nn
from not_in_workspace import DIM

class Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(DIM, 64)
        self.b = nn.Linear(64, 10)

    def forward(self, x, y):
        return self.b(self.a(x)) + y
`);
    const hints = new Map(lineHints(report, 'macs').map((h) => [h.line, h.text]));
    expect(hints.get(7)).toBe('? params — in_features unknown · ? MACs — forward takes 2 inputs');
    expect(hints.get(8)).toBe('650 params · ? MACs — forward takes 2 inputs');
  });

  it('marks a layer that forward never calls', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.used = nn.Linear(8, 4)
        self.spare = nn.Linear(8, 4)

    def forward(self, x):
        return self.used(x)
`);
    const hints = new Map(lineHints(report, 'macs').map((h) => [h.line, h.text]));
    expect(hints.get(6)).toBe('36 params · 32 MACs · 100%');
    expect(hints.get(7)).toBe('36 params · not called in forward');
  });

  it('shows a shared line with the figures of the largest model using it', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Block(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return self.fc(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Block(), Block(), Block())

    def forward(self, x):
        return self.blocks(x)
`);
    const cost = lineCosts(report).get(6)!;
    expect(cost.model.name).toBe('Net');
    expect(cost.rows).toHaveLength(3);
    expect(cost.otherModels).toEqual(['Block']);
  });
});
