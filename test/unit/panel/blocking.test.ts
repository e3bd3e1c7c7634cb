// The panel's model view names the first blocking unknown, and a problem list collapses import
// problems per package (the JSON keeps each one).
import { describe, expect, it } from 'vitest';
import type { GpuResolution } from '../../../src/core/gpu/gpuProfiles';
import { modelView, reportView } from '../../../src/core/panel/modelView';
import { collapseImportProblems } from '../../../src/core/report/problems';
import { analyzeSource } from '../editor/analyze';

const gpu: GpuResolution = { gpu: null, reason: 'none' };

describe('first blocking unknown in the panel', () => {
  it('sits in the model view with its line, and the MACs are null, not 0', async () => {
    const report = await analyzeSource(
      `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 20)

    def forward(self, x):
        x = torch.wattlens_no_such_api(x)
        return self.fc(x)
`,
      { input: '1x10' },
    );
    const view = modelView(report.models[0], report.file, gpu);
    expect(view.totals.macs).toBeNull();
    expect(view.layers.find((l) => l.path === 'fc')!.macs).toBeNull();
    expect(view.blocking).toEqual({
      text: expect.stringMatching(/^MACs at scratch_model\.py:10 \(torch\.wattlens_no_such_api is not modelled/),
      line: 10,
    });
  });

  it('lists classes not built among the problems', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(4)
`);
    const view = reportView({
      report,
      displayPath: 'm.py',
      documentVersion: 1,
      model: report.models[0],
      followsCursor: true,
      costUnit: 'macs',
      gpu,
      stale: false,
    });
    expect(view.problems).toContainEqual(expect.stringMatching(/^line 3: Block not built: a part of another model/));
  });
});

describe('import problems', () => {
  it('collapse into one line per package, naming the first', () => {
    const problems = [
      { what: 'syntax', reason: 'bad' },
      ...Array.from({ length: 27 }, (_, i) => ({ what: `import timm.models.m${i}`, reason: `reason ${i}` })),
      { what: 'import einops', reason: 'alone' },
    ];
    expect(collapseImportProblems(problems)).toEqual([
      { what: 'syntax', reason: 'bad' },
      { what: 'imports under timm.models', reason: '27 had problems; first: timm.models.m0: reason 0' },
      { what: 'import einops', reason: 'alone' },
    ]);
  });
});
