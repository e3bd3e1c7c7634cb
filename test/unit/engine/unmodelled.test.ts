// A call nobody modelled costs only what depends on it: construction goes on past it with an
// Unknown, every layer built keeps its exact parameters, and a figure that depends on it is null
// with the call named (file:line, what, why) as the model's first blocking unknown.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LayerReport, ModelReport } from '../../../src/core/report/types';
import { analyzeSource, sharedEngine } from '../editor/analyze';

// names no torch has: whatever the catalogue models later, these stay unmodelled
const HEADER = `import torch
import torch.nn as nn

`;

function row(m: ModelReport, path: string): LayerReport {
  const r = m.layers.find((l) => l.path === path);
  if (!r) throw new Error(`no row ${path} in ${m.layers.map((l) => l.path).join(', ')}`);
  return r;
}

async function only(text: string, input = '1x10'): Promise<ModelReport> {
  const report = await analyzeSource(HEADER + text, { input });
  expect(
    report.models.map((m) => m.name),
    JSON.stringify(report.problems),
  ).toEqual(['Net']);
  return report.models[0];
}

describe('an unmodelled call during construction', () => {
  it('yields an unknown and construction goes on: a buffer from it costs no parameter', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        mask = torch.wattlens_no_such_api([1.0, 2.0]).wattlens_no_such_method_()
        self.register_buffer("mask", mask)
        self.fc2 = nn.Linear(20, 5)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`);
    expect(m.params).toBe(220 + 105);
    expect(m.uniqueParams).toBe(325);
    expect(m.macs).toBe(200 + 100);
    // named, at its line, but blocking nothing
    expect(m.unknowns).toContainEqual(expect.objectContaining({ what: 'torch.wattlens_no_such_api', reason: 'not modelled', line: 8 }));
    expect(m.unknowns.some((u) => u.blocks)).toBe(false);
  });

  it("a tensor's unmodelled attribute kept as a plain attribute is no submodule: the totals stay exact", async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        self.flag = torch.zeros(1).wattlens_no_such_attr
        self.fc2 = nn.Linear(20, 5)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`);
    expect(m.params).toBe(325);
    expect(m.unknowns).toContainEqual(expect.objectContaining({ what: 'tensor.wattlens_no_such_attr', line: 8 }));
  });

  it('keeps the exact parameters of every layer built before and after an unknown module; the totals are null', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        self.odd = nn.WattlensNoSuchLayer(3)
        self.fc2 = nn.Linear(20, 5)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`);
    expect(row(m, 'fc1').params).toBe(220);
    expect(row(m, 'fc2').params).toBe(105);
    expect(m.params).toBeNull();
    expect(m.uniqueParams).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'parameters of odd', blocks: 'params', line: 8 });
    expect(m.unknowns[0].reason).toMatch(/WattlensNoSuchLayer is not modelled/);
  });

  it('a size built from it leaves that layer and the totals unknown, not the other layers', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        width = torch.wattlens_no_such_api(4)
        self.fc2 = nn.Linear(20, width)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`);
    expect(row(m, 'fc1').params).toBe(220);
    expect(row(m, 'fc2').params).toBeNull();
    expect(m.params).toBeNull();
    expect(m.unknowns[0].blocks).toBe('params');
  });

  it('a condition it decides makes what was built unknown: the totals are null, never a guess', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 10)
        if torch.wattlens_no_such_api():
            self.extra = nn.Linear(10, 10)

    def forward(self, x):
        return self.fc1(x)
`);
    expect(row(m, 'fc1').params).toBe(110);
    expect(m.params).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'parameters', blocks: 'params', line: 8 });
    expect(m.unknowns[0].reason).toMatch(/condition depends on an unknown \(torch\.wattlens_no_such_api is not modelled\)/);
  });

  it('an unmodelled call handed a module it may change leaves the totals unknown', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 10)
        torch.nn.utils.wattlens_no_such_api(self.fc1)

    def forward(self, x):
        return self.fc1(x)
`);
    expect(row(m, 'fc1').params).toBe(110);
    expect(m.params).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ blocks: 'params', line: 8 });
  });

  it('a numpy array built from it and passed to torch.from_numpy stays unknown, not a TypeError', async () => {
    const m = await only(`import numpy as np

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        table = np.array(torch.wattlens_no_such_api(4))
        self.register_buffer("table", torch.from_numpy(table))
        self.fc2 = nn.Linear(20, 5)

    def forward(self, x):
        return self.fc2(self.fc1(x))
`);
    expect(m.params).toBe(325);
    expect(m.macs).toBe(300);
    expect(JSON.stringify(m.unknowns)).not.toContain('expected np.ndarray');
  });

  it('inside a try block the code handles the AttributeError itself, as in Python', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        try:
            width = torch.wattlens_no_such_api(4)
        except AttributeError:
            width = 3
        self.fc = nn.Linear(10, width)

    def forward(self, x):
        return self.fc(x)
`);
    expect(m.params).toBe(33);
    expect(m.macs).toBe(30);
  });
});

describe('an unmodelled op in forward', () => {
  it('keeps the parameters and the rows priced before it; MACs are null with the op named first', async () => {
    const m = await only(`class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)
        self.fc2 = nn.Linear(20, 5)

    def forward(self, x):
        x = self.fc1(x)
        x = torch.wattlens_no_such_api(x)
        return self.fc2(x)
`);
    expect(m.params).toBe(325);
    expect(m.macs).toBeNull();
    expect(m.flops).toBeNull();
    expect(row(m, 'fc1').macs).toBe(200);
    expect(row(m, 'fc2').macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'MACs', blocks: 'macs', line: 12 });
    expect(m.unknowns[0].reason).toMatch(/torch\.wattlens_no_such_api is not modelled/);
  });

  it('an unknown function handed a tensor whose result is unused still leaves the MACs unknown', async () => {
    const m = await only(`from wattlens_no_such_package import mystery


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 20)

    def forward(self, x):
        mystery(x)
        return self.fc1(x)
`);
    expect(m.params).toBe(220);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'MACs', blocks: 'macs', line: 13 });
  });
});

describe('a forward pass that fails', () => {
  it('resnet50 with a bad input: every row is null (never 0 MACs), the first blocking unknown points at the failing line', async () => {
    const file = resolve(__dirname, '../../fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py');
    const report = (await sharedEngine()).analyze(file, readFileSync(file, 'utf8'), { model: 'resnet50', input: '1xAx224' });
    const [m] = report.models;
    expect(m.uniqueParams).toBe(25557032);
    expect(m.macs).toBeNull();
    expect(m.layers.length).toBeGreaterThan(50);
    expect(m.layers.filter((l) => l.macs !== null)).toEqual([]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(m.unknowns[0]).toMatchObject({ what: 'forward cost', blocks: 'macs', file });
    expect(lines[m.unknowns[0].line! - 1].trim()).toBe('x = self.conv1(x)');
  });

  it('no input shape: rows are null too', async () => {
    const report = await analyzeSource(`${HEADER}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 20)

    def forward(self, x, y):
        return self.fc(x) + y
`);
    const [m] = report.models;
    expect(m.input.source).toBe('none');
    expect(m.params).toBe(220);
    expect(row(m, 'fc').macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'forward cost', blocks: 'macs' });
  });
});

describe('classes and builders found but not built', () => {
  it('are listed with their reason', async () => {
    const report = await analyzeSource(`${HEADER}class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(8)


def make_net():
    raise ValueError("not today")
`);
    expect(report.models.map((m) => m.name)).toEqual(['Net']);
    expect(report.notBuilt).toEqual([
      expect.objectContaining({ what: 'Block', line: 4, reason: expect.stringMatching(/part of another model/) }),
      expect.objectContaining({ what: 'make_net', line: 16, reason: expect.stringMatching(/ValueError: not today/) }),
    ]);
  });
});

describe('sparse tensors (no sparse layout is modelled)', () => {
  it('Tensor.to_sparse leaves the MACs unknown with the call named, never a dense figure', async () => {
    const m = await only(
      `class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x.to_sparse().to_dense())
`,
      '2x8',
    );
    expect(m.params).toBe(36);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'MACs', blocks: 'macs', line: 10 });
    expect(m.unknowns[0].reason).toMatch(/tensor\.to_sparse is not modelled/);
  });
});
