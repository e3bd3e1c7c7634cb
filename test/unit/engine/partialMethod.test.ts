// A class whose __init__ is functools.partialmethod (3D-ResNets' partialclass, ResNeXt's
// cardinality): the instance is bound first, the stored arguments after it. An __init__ that is
// itself unknown (from a module that is not installed) builds nothing known: the parameters are
// unknown with that reason, never 0.
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../editor/analyze';

const model = (importLine: string) => `${importLine}
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, inp, out, scale=1):
        super().__init__()
        self.fc = nn.Linear(inp, out * scale)


def partialclass(cls, *args, **kwargs):
    class PartialClass(cls):
        __init__ = partialmethod(cls.__init__, *args, **kwargs)

    return PartialClass


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = partialclass(Block, 4, scale=2)(3)

    def forward(self, x):
        return self.b.fc(x)
`;

describe('functools.partialmethod as __init__', () => {
  it('binds the instance, then the stored arguments: the block is built in full', async () => {
    const report = await analyzeSource(model('from functools import partialmethod'), { input: '1x4' });
    const m = report.models[0];
    expect(m.params).toBe(4 * 6 + 6);
    expect(m.macs).toBe(24);
    expect(m.unknowns).toEqual([]);
  });

  it('an __init__ from a package that is not installed leaves the parameters unknown, with that reason', async () => {
    const report = await analyzeSource(model('from wattlens_no_such_package import partialmethod'), { input: '1x4' });
    const m = report.models[0];
    expect(m.params).toBeNull();
    expect(m.unknowns[0]?.reason).toContain('wattlens_no_such_package');
  });
});
