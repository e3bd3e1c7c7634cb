// Old torch spellings research code still uses, as torch 1.13 has them: the deprecated init
// functions without the trailing underscore, and torch.cuda's legacy tensor types, which no
// tensor is on a machine without CUDA (as the analysis runs).
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../editor/analyze';

const HEADER = `import torch
import torch.nn as nn
import torch.nn.functional as F

`;

describe('legacy torch names', () => {
  it('nn.init.kaiming_normal (no underscore) initialises in place; the figures stay exact', async () => {
    const report = await analyzeSource(
      HEADER +
        `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(3, 8, kernel_size=3, padding=1, bias=False)
        for m in self.modules():
            if isinstance(m, nn.Conv3d):
                nn.init.kaiming_normal(m.weight)
                nn.init.xavier_uniform(m.weight)
                nn.init.constant(m.weight, 1)

    def forward(self, x):
        return self.conv(x)
`,
      { input: '1x3x4x8x8' },
    );
    const m = report.models[0];
    expect(m.name).toBe('Net');
    expect(m.params).toBe(8 * 3 * 27);
    expect(m.macs).toBe(8 * 3 * 27 * 4 * 8 * 8);
    expect(m.unknowns).toEqual([]);
  });

  it('isinstance(t, torch.cuda.FloatTensor) is False: the CPU branch runs and its MACs are counted', async () => {
    const report = await analyzeSource(
      HEADER +
        `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)

    def forward(self, x):
        pad = torch.zeros(x.size(0), 6)
        if isinstance(x.data, torch.cuda.FloatTensor):
            pad = pad.cuda()
        return self.fc(torch.cat([x, pad], dim=1))
`,
      { input: '1x4' },
    );
    const m = report.models[0];
    expect(m.macs).toBe(100);
    expect(m.unknowns).toEqual([]);
  });
});
