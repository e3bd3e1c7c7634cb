// A forward that needs more arguments than --input gives fails while the analysis calls it, with no
// Python frame of the user's above it: the reason must name the forward's definition, never an
// unknown site printed as `?:1`.
import { describe, expect, it } from 'vitest';
import { describeRaise } from '../../../src/core/analysis/engine';
import { PyRaise } from '../../../src/core/interp/signals';
import type { PyInstance } from '../../../src/core/interp/values';
import { analyzeSource } from '../editor/analyze';

describe('a forward called without a required argument', () => {
  it('names the forward definition as the site', async () => {
    const report = await analyzeSource(
      `import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)

    def forward(self, x, hidden):
        return self.fc(x) + hidden
`,
      { input: '1x10' },
    );
    const m = report.models[0]!;
    expect(m.params).toBe(110);
    expect(m.macs).toBeNull();
    const failure = m.unknowns.find((u) => u.what === 'forward cost');
    expect(failure).toMatchObject({ line: 9 });
    expect(failure!.reason).toBe("forward raised TypeError: forward() missing required argument 'hidden'");
    expect(failure!.file).toMatch(/scratch_model\.py$/);
    expect(failure!.reason).not.toContain('?:');
  });
});

describe('an exception with no known site', () => {
  it('is described without a location rather than as ?:1', () => {
    const exc = { cls: { name: 'TypeError' }, payload: 'boom' } as unknown as PyInstance;
    expect(describeRaise(new PyRaise(exc, undefined, undefined))).toBe('TypeError: boom');
    expect(describeRaise(new PyRaise(exc, '/a/b/model.py', 4))).toBe('TypeError: boom (model.py:5)');
  });
});
