// The kernel's channel and group checks reach the user through the PyTorch front end as torch
// raises them: nn.ConvNd's constructor (ValueError) and F.convNd / nn.ConvNd on a wrong input
// (RuntimeError, the message of F.conv2d, which nn.Conv2d.forward calls).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { torchAvailable, torchTruth } from '../../support/torchTruth';
import { sharedEngine } from '../engine/truthCorpus';
import { tempDirForTest } from '../../support/tempDirs';

const HEADER = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

async function analyze(text: string, input: string) {
  const engine = await sharedEngine();
  return engine.analyze(join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'conv.py'), text, { input });
}

describe('conv checks through the PyTorch front end', () => {
  it('nn.Conv2d(4, 8, 3, groups=3) is the ValueError torch raises in the constructor', async () => {
    const r = await analyze(
      `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(4, 8, 3, groups=3)\n    def forward(self, x):\n        return self.conv(x)\n`,
      '1x4x8x8',
    );
    expect(JSON.stringify(r)).toMatch(/ValueError: in_channels must be divisible by groups/);
    expect(r.models.find((m) => m.name === 'Net')?.macs ?? null).toBeNull();
  });

  it("nn.Conv2d on an input with the wrong channel count raises F.conv2d's RuntimeError", async () => {
    const r = await analyze(
      `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n        return self.conv(x)\n`,
      '1x4x8x8',
    );
    const m = r.models.find((x) => x.name === 'Net')!;
    expect(m.params).toBe(8 * 3 * 9 + 8);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0].reason).toMatch(
      /RuntimeError: Given groups=1, weight of size \[8, 3, 3, 3\], expected input\[1, 4, 8, 8\] to have 3 channels, but got 4 channels instead/,
    );
  });

  it.skipIf(!torchAvailable())(
    'F.conv2d with groups takes its channels from the weight, and prices the call like nn.Conv2d (real torch)',
    async () => {
      const text = `${HEADER}class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = nn.Parameter(torch.randn(8, 3, 3, 3))\n        self.conv = nn.Conv2d(6, 8, 3, groups=2, dilation=2, padding=1)\n    def forward(self, x):\n        return F.conv2d(x, self.w, groups=2, stride=2) + self.conv(x)[:, :, ::2, ::2]\n`;
      const dir = tempDirForTest('wattlens-cost-');
      writeFileSync(join(dir, 'grouped.py'), text);
      const [truth] = torchTruth([{ root: dir, module: 'grouped', entry: 'Net()', inputs: [{ shape: [1, 6, 10, 10] }] }]);
      expect(truth.error).toBeUndefined();
      const r = await analyze(text, '1x6x10x10');
      const m = r.models.find((x) => x.name === 'Net')!;
      expect(m.params).toBe(truth.params);
      expect(m.macs).toBe(truth.macs);
    },
  );
});
