import { describe, expect, it } from 'vitest';
import { findHotspots } from '../../../src/core/editor/hotspots';
import { DEFAULT_SETTINGS } from '../../../src/core/editor/settings';
import { analyzeExample, analyzeSource } from './analyze';

const GIB = 1024 ** 3;

describe('hot-spot diagnostics', () => {
  it('flags the lines holding at least the configured share of MACs, naming the figures', async () => {
    const report = await analyzeExample('models/cnn.py');
    const at30 = findHotspots(report, DEFAULT_SETTINGS, null).filter((h) => h.code === 'macs-share');
    expect(at30.map((h) => h.line)).toEqual([12, 14]);
    expect(at30[0].message).toBe("conv2 (Conv2d): 37.7 MMACs, 43% of CifarCNN's 86.8 MMACs forward (estimated)");
    expect(findHotspots(report, { ...DEFAULT_SETTINGS, macsShareThreshold: 0.5 }, null).filter((h) => h.code === 'macs-share')).toEqual([]);
    expect(
      findHotspots(report, { ...DEFAULT_SETTINGS, macsShareThreshold: 0.04 }, null)
        .filter((h) => h.code === 'macs-share')
        .map((h) => h.line),
    ).toEqual([10, 12, 14, 18]);
  });

  it('does not flag the only costly lines of a small model', async () => {
    const report = await analyzeSource(`import torch.nn as nn

class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x)
`);
    expect(findHotspots(report, DEFAULT_SETTINGS, null)).toEqual([]);
  });

  it('flags lines that dominate activation memory', async () => {
    const report = await analyzeExample('models/cnn.py');
    const memory = findHotspots(report, { ...DEFAULT_SETTINGS, memoryShareThreshold: 0.15 }, null).filter((h) => h.code === 'memory-share');
    expect(memory.length).toBeGreaterThan(0);
    for (const h of memory) expect(h.message).toMatch(/MiB of outputs, \d+% of CifarCNN's 5.71 MiB activation memory/);
  });

  it('flags attention score matrices that grow with T², from the configured length on', async () => {
    const report = await analyzeExample('models/gpt.py', { model: 'GPT(GPTConfig())' });
    const t2 = findHotspots(report, DEFAULT_SETTINGS, null).filter((h) => h.code === 'attention-quadratic');
    expect(t2.map((h) => h.line)).toEqual([42]);
    expect(t2[0].message).toBe(
      'attention scores 1×6×1024×1024 grow with T² (T = 1024, 6 calls): 2.42 GMACs (13%), 144 MiB of score matrices; doubling T quadruples them (estimated)',
    );
    expect(
      findHotspots(report, { ...DEFAULT_SETTINGS, attentionMinSequenceLength: 2048 }, null).filter((h) => h.code === 'attention-quadratic'),
    ).toEqual([]);
  });

  it('flags training memory over the GPU memory, and says nothing without a GPU', async () => {
    const report = await analyzeExample('models/gpt.py', { model: 'GPT(GPTConfig())' });
    const small = findHotspots(report, DEFAULT_SETTINGS, { name: 'Tiny GPU', memoryBytes: 1 * GIB, source: 'test' }).filter(
      (h) => h.code === 'gpu-memory',
    );
    expect(small).toHaveLength(1);
    expect(small[0].line).toBe(77);
    expect(small[0].message).toBe(
      'GPT: training memory 1.15 GiB (fp32, adamw, batch 1; activations 964 MiB) exceeds the 1.00 GiB of Tiny GPU (test) (estimated)',
    );
    expect(
      findHotspots(report, DEFAULT_SETTINGS, { name: 'Big', memoryBytes: 80 * GIB, source: 'test' }).filter((h) => h.code === 'gpu-memory'),
    ).toEqual([]);
    expect(findHotspots(report, DEFAULT_SETTINGS, null).filter((h) => h.code === 'gpu-memory')).toEqual([]);
  });
});
