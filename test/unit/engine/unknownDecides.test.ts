// Figures that an unknown could have changed are null with a reason, never a count that silently
// skipped layers: a loop over an unknown (vit-pytorch's CaiT drops layers at random), an unknown
// module put into a container (an import that failed), a layer norm torch would reject.
import { describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../src/core/report/types';
import { analyzeSource } from '../editor/analyze';

async function only(text: string, input = '1x10'): Promise<ModelReport> {
  const report = await analyzeSource(`import torch\nimport torch.nn as nn\n\n${text}`, { input });
  expect(
    report.models.map((m) => m.name),
    JSON.stringify(report.problems),
  ).toEqual(['Net']);
  return report.models[0];
}

describe('an unknown that decides what runs or what is built', () => {
  it('a forward loop over layers kept at random: MACs null, params exact', async () => {
    // as vit-pytorch's cait.py dropout_layers: which layers run is decided by random values
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(10, 10) for _ in range(4)])

    def forward(self, x):
        drop = torch.zeros(len(self.layers)).uniform_(0.0, 1.0) < 0.1
        layers = [layer for layer, d in zip(self.layers, drop) if not d]
        for layer in layers:
            x = layer(x)
        return x
`);
    expect(m.params).toBe(4 * 110);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'MACs', blocks: 'macs' });
    expect(m.unknowns[0].reason).toMatch(/loop depends on an unknown/);
  });

  it('a construction loop over an unknown count: params null, with the reason first', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        n = int(torch.randint(1, 5, (1,)).item())
        self.fc = nn.Linear(10, 10)
        self.blocks = nn.ModuleList()
        for _ in range(n):
            self.blocks.append(nn.Linear(10, 10))

    def forward(self, x):
        return self.fc(x)
`);
    expect(m.params).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'parameters', blocks: 'params' });
  });

  it('an unknown module added to a container: params null, not the sum of the others', async () => {
    const m = await only(`from wattlens_missing_package import SqueezeExcite

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 10), SqueezeExcite(10), nn.Linear(10, 10))

    def forward(self, x):
        return self.body(x)
`);
    expect(m.params).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ blocks: 'params' });
    expect(m.unknowns[0].what).toMatch(/body\.1/);
  });

  it('a LayerNorm over the wrong trailing dims raises as torch does: no MACs', async () => {
    // torch: Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[1, 10, 4]
    const m = await only(
      `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(10)

    def forward(self, x):
        return self.norm(x)
`,
      '1x10x4',
    );
    expect(m.params).toBe(20);
    expect(m.macs).toBeNull();
    expect(JSON.stringify(m.unknowns)).toContain(
      'Given normalized_shape=[10], expected input with shape [*, 10], but got input of size[1, 10, 4]',
    );
  });
});
