import { describe, expect, it } from 'vitest';
import { modelAtLine } from '../../../src/core/editor/lineCosts';
import { documentStatus, modelStatus } from '../../../src/core/editor/status';
import { analyzeExample } from './analyze';

const GIB = 1024 ** 3;

describe('status bar item', () => {
  it('shows the model under the cursor with its training memory against the GPU memory', async () => {
    const report = await analyzeExample('models/gpt.py');
    const outline = [
      { name: 'Block', line: 63, endLine: 74 },
      { name: 'GPT', line: 77, endLine: 100 },
    ];
    expect(modelAtLine(report, 90, outline)?.name).toBe('GPT');
    expect(modelAtLine(report, 20, outline)).toBeUndefined();
    const gpt = modelAtLine(report, 90, outline)!;
    const onT4 = modelStatus(gpt, 'macs', { gpu: { name: 'T4', memoryBytes: 16 * GIB, source: 'profile T4 (wattlens.gpu)' } });
    expect(onT4.text).toBe('GPT: 14.2M params · 18.9 GMACs · train 1.15 GiB / 16.0 GiB (7%)');
    expect(onT4.warning).toBe(false);
    expect(onT4.tooltip).toContain('GPU: T4, 16.0 GiB (profile T4 (wattlens.gpu)): training needs 7% of it (fp32, adamw, batch 1)');
    expect(onT4.tooltip).toContain('estimated by static analysis, not measured');
    const tiny = modelStatus(gpt, 'flops', { gpu: { name: 'Tiny', memoryBytes: 1 * GIB, source: 'setting wattlens.gpuMemoryGiB' } });
    expect(tiny.text).toBe('GPT: 14.2M params · 37.8 GFLOPs · train 1.15 GiB / 1.00 GiB (115%)');
    expect(tiny.warning).toBe(true);
    const unknown = modelStatus(gpt, 'macs', {
      gpu: null,
      reason: 'nvidia-smi found no GPU; set wattlens.gpu to a profile or wattlens.gpuMemoryGiB',
    });
    expect(unknown.text).toBe('GPT: 14.2M params · 18.9 GMACs · train 1.15 GiB');
    expect(unknown.tooltip).toContain('GPU memory unknown: nvidia-smi found no GPU');
  });

  it('says why a file is not analyzed', () => {
    expect(
      documentStatus('skipped', 'WattLens does not analyze this file: file is 900 KB, over the 512 KB cap (wattlens.maxFileSizeKB).'),
    ).toEqual({
      text: 'WattLens: not analyzed',
      tooltip: 'WattLens does not analyze this file: file is 900 KB, over the 512 KB cap (wattlens.maxFileSizeKB).',
      warning: true,
    });
    expect(documentStatus('analyzing').text).toBe('WattLens: analyzing…');
  });
});
