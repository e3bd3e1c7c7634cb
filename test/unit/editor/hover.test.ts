import { describe, expect, it } from 'vitest';
import { hoverMarkdown } from '../../../src/core/editor/hover';
import { analyzeExample } from './analyze';

describe('hover markdown', () => {
  it('gives a Linear line its formula with the actual numbers, output shape, memory and assumptions', async () => {
    const report = await analyzeExample('models/cnn.py');
    const md = hoverMarkdown(report, 18, 'macs')!;
    expect(md).toContain('`Linear: params = 256·2048 + 256; MACs = rows·in·out = 8·2048·256`');
    expect(md).toContain('| params | 525K (524,544) |');
    expect(md).toContain('| MACs | 4.19 MMACs · 5% of CifarCNN |');
    expect(md).toContain('| output | 8×256 |');
    expect(md).toContain('| activations | 8.00 KiB of outputs per forward pass');
    expect(md).toContain('estimated by static analysis, not measured');
    expect(md).toContain('**Assumptions**');
    expect(md).toContain('input 8x3x32x32 (call: the call at line 33)');
  });

  it('shows MACs per call × calls for a line run in every block, in FLOPs when asked', async () => {
    const report = await analyzeExample('models/gpt.py', { model: 'GPT(GPTConfig())' });
    const md = hoverMarkdown(report, 42, 'flops')!;
    expect(md).toContain('`MACs = batch·m·k·n of 1×6×T×64 @ 1×6×64×T`');
    expect(md).toContain('| FLOPs | 805 MFLOPs per call × 6 calls = 4.83 GFLOPs · 13% of GPT (FLOPs = 2 × MACs) |');
    expect(md).toContain('| output | 1×6×1024×1024 |');
    expect(md).toContain('symbol T = 1024');
  });

  it('shows the totals on a model definition line, and nothing on a plain line', async () => {
    const report = await analyzeExample('models/cnn.py');
    const md = hoverMarkdown(report, 7, 'macs')!;
    expect(md).toContain('**CifarCNN**');
    expect(md).toContain('parameters: 621K (620,810)');
    expect(md).toContain('forward: 86.8 MMACs (= 174 MFLOPs)');
    expect(md).toContain('training memory: 15.2 MiB (fp32, adamw, batch 8');
    expect(hoverMarkdown(report, 2, 'macs')).toBeUndefined();
  });
});
