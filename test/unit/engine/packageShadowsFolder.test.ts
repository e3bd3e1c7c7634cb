// A checkout named like the package it holds (demucs/demucs/, as a user clones Demucs into their
// workspace): the workspace root sees the checkout as a folder without __init__.py, a namespace
// portion, and Python prefers the regular package under the checkout, so `from .blocks import`
// inside the package reaches the package's module. Truth from real torch.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { tempDirsPerTest } from '../../support/tempDirs';
import { torchTruth } from '../../support/torchTruth';

const tempDir = tempDirsPerTest();

function writeCheckout(workspace: string): string {
  const pkg = join(workspace, 'sep', 'sep');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, '__init__.py'), '__version__ = "1.0"\n');
  writeFileSync(
    join(pkg, 'sep.py'),
    'from torch import nn\n\n\nclass Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 8)\n\n    def forward(self, x):\n        return self.fc(x)\n',
  );
  const model = join(pkg, 'model.py');
  writeFileSync(
    model,
    'from torch import nn\nfrom .sep import Block\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = Block()\n        self.head = nn.Linear(8, 2)\n\n    def forward(self, x):\n        return self.head(self.block(x))\n',
  );
  return model;
}

describe('a package inside a checkout of the same name', () => {
  it('resolves relative imports in the package, not in the checkout folder', async () => {
    const workspace = tempDir('wattlens-shadow-');
    const model = writeCheckout(workspace);
    const engine = await AnalysisEngine.create({ workspaceRoots: [workspace] });
    const report = engine.analyze(model, readFileSync(model, 'utf8'), { model: 'Net()', input: '2x4' }).models[0];
    const [truth] = torchTruth([
      { root: join(workspace, 'sep'), module: 'sep.model', entry: 'Net()', inputs: [{ shape: [2, 4], long: false }] },
    ]);
    expect(truth.error).toBeUndefined();
    expect(report.uniqueParams).toBe(truth.params);
    expect(report.macs).toBe(truth.macs);
  }, 60_000);
});
