// An exception raised in forward (or at module level) is located by the unknown's own file and line;
// its reason must not repeat the site, so every surface shows "model.py:10" once.
import { describe, expect, it } from 'vitest';
import { renderFileReport } from '../../../src/cli/renderReport';
import { hoverMarkdown } from '../../../src/core/editor/hover';
import { modelLenses } from '../../../src/core/editor/lens';
import { analyzeSource } from '../editor/analyze';

const RAISING_FORWARD = `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)

    def forward(self, x):
        raise ValueError("bad input")
`;

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('the site of a raise in forward', () => {
  it('is in the unknown fields, not repeated in its reason', async () => {
    const report = await analyzeSource(RAISING_FORWARD, { input: '1x10' });
    const failure = report.models[0]!.unknowns.find((u) => u.what === 'forward cost');
    expect(failure).toMatchObject({ reason: 'forward raised ValueError: bad input', line: 10 });
    expect(failure!.file).toMatch(/scratch_model\.py$/);
  });

  it('appears once in the CLI text, the CodeLens and the hover', async () => {
    const report = await analyzeSource(RAISING_FORWARD, { input: '1x10' });
    const cli = renderFileReport(report);
    expect(cli).toContain('blocked          forward cost at scratch_model.py:10 (forward raised ValueError: bad input)\n');
    expect(cli).toContain('    - forward cost: forward raised ValueError: bad input (scratch_model.py:10)\n');
    expect(cli).not.toContain('(line 10)');
    const lens = modelLenses(report, 'macs')
      .map((l) => l.totals)
      .join('\n');
    expect(lens).toContain('blocked: forward cost at scratch_model.py:10 (forward raised ValueError)');
    expect(occurrences(lens, 'model.py:10')).toBe(1);
    const hover = hoverMarkdown(report, 4, 'macs')!;
    expect(hover).toContain('forward raised ValueError: bad input (scratch\\_model.py:10)');
    for (const line of [...cli.split('\n'), ...hover.split('\n')]) expect(occurrences(line, 'model.py:10')).toBeLessThanOrEqual(1);
  });
});

describe('a raise at module level in the analyzed file', () => {
  it('gives its line once', async () => {
    const report = await analyzeSource('import torch.nn as nn\n\nx = 1\nraise RuntimeError("no")\n');
    const problem = report.problems.find((p) => p.what === 'module');
    expect(problem).toMatchObject({ reason: 'module code raised RuntimeError: no', line: 4 });
    expect(renderFileReport(report)).toContain('  - line 4: module: module code raised RuntimeError: no\n');
  });
});
