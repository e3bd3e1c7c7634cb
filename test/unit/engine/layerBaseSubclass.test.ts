// torch's private layer bases (`_BatchNorm`, `_ConvNd`, …) answer isinstance checks; a model
// class deriving from one is not built without its parameters: the analyzer says why instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { tempDirsPerTest } from '../../support/tempDirs';

const tempDir = tempDirsPerTest();

describe('a subclass of a private layer base', () => {
  it('reports that it is not modelled rather than a model without its norm parameters', async () => {
    const ws = tempDir('wattlens-layerbase-');
    const file = join(ws, 'model.py');
    writeFileSync(
      file,
      'import torch.nn as nn\nfrom torch.nn.modules.batchnorm import _BatchNorm\n\n\nclass MyNorm(_BatchNorm):\n    def __init__(self, n):\n        super().__init__(n)\n\n\ndef build():\n    return nn.Sequential(nn.Linear(2, 2), MyNorm(2))\n',
    );
    const engine = await AnalysisEngine.create({ workspaceRoots: [ws] });
    const report = engine.analyze(file, readFileSync(file, 'utf8'), { model: 'build' });
    expect(report.models.map((m) => m.params)).toEqual([]);
    expect(JSON.stringify(report.problems)).toContain('a subclass of torch.nn.modules.batchnorm._BatchNorm is not modelled');
  });
});
