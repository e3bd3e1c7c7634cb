import { describe, expect, it } from 'vitest';
import { inputText, modelLenses, problemLenses } from '../../../src/core/editor/lens';
import { formatBytes } from '../../../src/core/report/format';
import type { InputSpec } from '../../../src/core/report/types';
import { analyzeExample, analyzeSource } from './analyze';

describe('CodeLens texts', () => {
  it('gives each model its totals at the configured batch and precision, and its input source', async () => {
    const report = await analyzeExample('models/cnn.py', { precision: 'bf16-mixed', optimizer: 'sgd' });
    const [lens] = modelLenses(report, 'macs');
    const training = report.models[0].trainingMemory!.find((t) => !t.checkpointing)!;
    // bf16-mixed keeps fp32 weights and gradients, halves activations; plain SGD keeps no state
    expect(training.totalBytes).toBe(training.weightsBytes! * 2 + report.models[0].activationBytes! / 2);
    expect(lens.line).toBe(7);
    expect(lens.totals).toBe(
      `621K params · 86.8 MMACs · activations 5.71 MiB · training ${formatBytes(training.totalBytes)} (bf16-mixed, sgd, batch 8) · estimated`,
    );
    expect(lens.input).toBe('input 8x3x32x32 from the call at line 33');
    expect(lens.tooltip).toContain('not measured');
    expect(modelLenses(report, 'flops')[0].totals).toContain('174 MFLOPs');
  });

  it('says where each kind of input shape comes from', () => {
    const spec = (source: InputSpec['source'], detail: string): InputSpec => ({
      shapes: [[1, 3, 224, 224]],
      text: '1x3x224x224',
      source,
      detail,
    });
    expect(inputText(spec('comment', '# wattlens: input=1x3x224x224 above Net'))).toBe('input 1x3x224x224 from the # wattlens comment');
    expect(inputText(spec('default', 'first layer Conv2d(in_channels=3): 1x3x224x224 assumed'))).toBe(
      'input 1x3x224x224 assumed (first layer Conv2d(in_channels=3))',
    );
    expect(inputText({ shapes: [], text: '?', source: 'none', detail: 'forward takes 2 inputs; give their shapes with --input' })).toBe(
      'no input shape: forward takes 2 inputs',
    );
  });

  it('reads the # wattlens: input= comment', async () => {
    const report = await analyzeSource(`import torch.nn as nn

# wattlens: input=4x16
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 8)

    def forward(self, x):
        return self.fc(x)
`);
    expect(modelLenses(report, 'macs')[0].input).toBe('input 4x16 from the # wattlens comment');
    expect(modelLenses(report, 'macs')[0].totals).toContain('512 MACs');
  });

  it('explains a class that could not be built, on its own line', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Head(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return self.fc(x)
`);
    expect(report.models).toEqual([]);
    expect(problemLenses(report)).toEqual([
      {
        line: 3,
        text: expect.stringMatching(/^WattLens: Head not built with default arguments \(__init__\(\) missing required argument 'dim'\)/),
        tooltip: expect.stringContaining("missing required argument 'dim'"),
      },
    ]);
  });

  it('a model whose MACs are unknown shows ? and names its first blocking unknown with file:line', async () => {
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
    expect(modelLenses(report, 'macs')[0].totals).toBe(
      '220 params · ? MACs — blocked: MACs at scratch_model.py:10 (torch.wattlens_no_such_api is not modelled) · estimated',
    );
    expect(modelLenses(report, 'flops')[0].totals).toMatch(/^220 params · \? FLOPs — blocked: /);
  });

  it('a model whose parameters are unknown says which layer blocked them', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 20)
        self.odd = nn.WattlensNoSuchLayer(3)

    def forward(self, x):
        return self.fc(x)
`);
    expect(modelLenses(report, 'macs')[0].totals).toMatch(
      /^\? params · .* — blocked: parameters of odd at scratch_model\.py:7 \(torch\.nn\.WattlensNoSuchLayer is not modelled\)/,
    );
  });
});
