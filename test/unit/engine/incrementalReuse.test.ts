// Incremental re-analysis: after each edit of a series, the engine that reuses what it built
// (models, their construction, the module namespace with functions updated in place) gives the
// report a from-scratch analysis of the same text gives.
import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import type { SourceHost } from '../../../src/core/interp/imports';
import { PythonDocument } from '../../../src/core/python/parser';
import type { FileReport } from '../../../src/core/report/types';

const WS = '/nonexistent-wattlens-incremental';
const MAIN = `${WS}/net.py`;
const SHARED = `${WS}/shared.py`;

const MAIN_TEXT = `import torch
import torch.nn as nn
from enum import Enum
from functools import partial
from shared import SCALE


def base():
    return 8


HIDDEN = base()


def widen(n):
    """Twice as wide."""
    return n * 2


def act(x):
    return torch.relu(x)


def registered(fn):
    fn.tag = "x"
    return fn


@registered
def head_width():
    return 10


class Block(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(n, widen(n))

    def forward(self, x):
        return act(self.fc(x))


# wattlens: input=1x16
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Block(HIDDEN * SCALE)
        self.b = nn.Linear(widen(HIDDEN * SCALE), head_width())

    def forward(self, x):
        return self.b(self.a(x))


# wattlens: input=1x4
class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.n = 1

    def forward(self, x):
        self.n = self.n + 1
        return self.fc(x).repeat(1, self.n)


# wattlens: input=1x4
class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def copies(self):
        return 2

    def forward(self, x):
        return self.fc(x).repeat(1, self.copies())


class Weights:
    def __init__(self, meta, transforms):
        self.meta = meta
        self.transforms = transforms


def preset(crop_size):
    return crop_size


class TinyWeights(Enum):
    V1 = Weights({"num_params": 56}, partial(preset, crop_size=6))
    V2 = Weights({"num_params": 28}, partial(preset, crop_size=5))

    @classmethod
    def verify(cls, w):
        return w


class Tiny(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3)

    def forward(self, x):
        return self.conv(x)


def tiny(*, weights=None):
    weights = TinyWeights.verify(weights)
    return Tiny(2)
`;

/** Each edit keeps the line count, so the engine takes its fastest path wherever it may. */
const EDITS: [string, (t: string) => string][] = [
  ['forward of Net', (t) => t.replace('return self.b(self.a(x))', 'return self.b(self.a(x) * 2)')],
  ['forward of Block (used inside Net)', (t) => t.replace('return act(self.fc(x))', 'return act(self.fc(x)) + 1')],
  ['__init__ of Block', (t) => t.replace('self.fc = nn.Linear(n, widen(n))', 'self.fc = nn.Linear(n, widen(n), bias=False)')],
  ['the docstring of a helper the constructor calls', (t) => t.replace('Twice as wide.', 'Twice as wide, always.')],
  ['a helper the constructor calls', (t) => t.replace('return n * 2', 'return n * 3')],
  ['a helper forward calls', (t) => t.replace('return torch.relu(x)', 'return torch.relu(x)[:, :4]')],
  ['a decorated function the constructor calls', (t) => t.replace('return 10', 'return 12')],
  ['forward of Counter (which changes its own state)', (t) => t.replace('.repeat(1, self.n)', '.repeat(1, self.n) * 1')],
  ['forward of Counter again', (t) => t.replace('.repeat(1, self.n) * 1', '.repeat(1, self.n) + 0')],
  ['a function the module code calls', (t) => t.replace('return 8', 'return 7')],
  ['a module-level constant', (t) => t.replace('HIDDEN = base()', 'HIDDEN = base() - 1')],
  ['forward of Net after the constant', (t) => t.replace('self.b(self.a(x) * 2)', 'self.b(self.a(x) * 3)')],
  // the input of a builder's model: the crop of the weights whose parameter count it has
  ["forward of a builder's model", (t) => t.replace('return self.conv(x)', 'return self.conv(x) * 2')],
  ['the width the builder gives (another parameter count, another crop)', (t) => t.replace('Tiny(2)', 'Tiny(1)')],
  ["forward of a builder's model again", (t) => t.replace('self.conv(x) * 2', 'self.conv(x) * 3')],
  // spacing and comments inside the lines: the same AST, nothing runs again
  ['spacing and a comment in forward of Net', (t) => t.replace('return self.b(self.a(x) * 3)', 'return self.b( self.a(x)*3 )  # scaled')],
  ['spacing in a helper the constructor calls', (t) => t.replace('return n * 3', 'return n*3')],
  ['forward of Net after spacing', (t) => t.replace('self.b( self.a(x)*3 )', 'self.b(self.a(x) * 4)')],
  // a method construction does not call, until the constructor starts calling it
  ['a method only forward calls', (t) => t.replace('return 2\n\n    def forward', 'return 3\n\n    def forward')],
  ['__init__ starts calling that method', (t) => t.replace('nn.Linear(4, 2)', 'nn.Linear(4, self.copies())')],
  ['the method construction and forward now call', (t) => t.replace('return 3\n\n    def forward', 'return 4\n\n    def forward')],
];

const strip = (r: FileReport) => ({ ...r, models: r.models.map(({ analysisMs: _ms, ...m }) => m) });

function hostWith(files: Map<string, string>): SourceHost {
  return { readFile: (p) => files.get(p), isFile: (p) => files.has(p) };
}

describe('incremental re-analysis', () => {
  it('equals a from-scratch analysis after every edit of a series, and reuses constructions where it may', async () => {
    const files = new Map([
      [MAIN, MAIN_TEXT],
      [SHARED, 'SCALE = 2\n'],
    ]);
    const incremental = await AnalysisEngine.create({ host: hostWith(files), workspaceRoots: [WS], parseCache: null });
    const scratch = await AnalysisEngine.create({ host: hostWith(files), workspaceRoots: [WS], parseCache: null });
    const doc = new PythonDocument(incremental.pythonParser, MAIN_TEXT);
    const fresh = (text: string) => {
      scratch.invalidateImports();
      return strip(scratch.analyze(MAIN, text, {}));
    };
    let text = MAIN_TEXT;
    expect(strip(incremental.analyze(MAIN, doc.source, {}, doc.ast))).toEqual(fresh(text));
    const reusedAt: Record<string, number> = {};
    const reanalyzedAt: Record<string, string[]> = {};
    const inputs: Record<string, string | undefined> = {};
    for (const [what, edit] of EDITS) {
      const next = edit(text);
      expect(next, what).not.toBe(text);
      expect(next.split('\n').length).toBe(text.split('\n').length);
      text = next;
      doc.update(text);
      const raw = incremental.analyze(MAIN, doc.source, {}, doc.ast);
      reanalyzedAt[what] = raw.models.filter((m) => m.analysisMs !== 0).map((m) => m.name);
      const report = strip(raw);
      expect(
        report.models.map((m) => m.name),
        what,
      ).toEqual(['Net', 'Counter', 'Small', 'tiny']);
      expect(report, what).toEqual(fresh(text));
      reusedAt[what] = incremental.constructionsReused;
      inputs[what] = report.models.find((m) => m.name === 'tiny')?.input.text;
    }
    // an edited import, as the editor reports it
    files.set(SHARED, 'SCALE = 3\n');
    incremental.invalidateImports();
    doc.update(text);
    expect(strip(incremental.analyze(MAIN, doc.source, { seqLen: 1024 }, doc.ast))).toEqual(fresh(text));
    // forward edits reuse the constructions; the constructor's code, and a forward that changed its model, do not
    expect(reusedAt['forward of Net']).toBe(1);
    expect(reusedAt['forward of Block (used inside Net)']).toBe(1);
    expect(reusedAt['__init__ of Block']).toBe(0);
    // a docstring is no code to the interpreter (a function's __doc__ is None): every model is reused
    expect(reanalyzedAt['the docstring of a helper the constructor calls']).toEqual([]);
    expect(reanalyzedAt['a helper the constructor calls']).toEqual(['Net']);
    expect(reusedAt['a helper the constructor calls']).toBe(0);
    expect(reusedAt['a decorated function the constructor calls']).toBe(0);
    expect(reusedAt['forward of Counter (which changes its own state)']).toBe(0);
    expect(reusedAt['forward of Counter again']).toBe(0);
    expect(reusedAt['a function the module code calls']).toBe(0);
    expect(reusedAt['a module-level constant']).toBe(0);
    expect(reusedAt['forward of Net after the constant']).toBe(1);
    expect(reusedAt["forward of a builder's model"]).toBe(1);
    expect(reusedAt["forward of a builder's model again"]).toBe(1);
    expect(reanalyzedAt['spacing and a comment in forward of Net']).toEqual([]);
    expect(reanalyzedAt['spacing in a helper the constructor calls']).toEqual([]);
    expect(reusedAt['forward of Net after spacing']).toBe(1);
    expect(reanalyzedAt['a method only forward calls']).toEqual(['Small']);
    expect(reusedAt['a method only forward calls']).toBe(1);
    expect(reusedAt['__init__ starts calling that method']).toBe(0);
    expect(reanalyzedAt['the method construction and forward now call']).toEqual(['Small']);
    expect(reusedAt['the method construction and forward now call']).toBe(0);
    expect(inputs["forward of a builder's model"]).toBe('1x3x6x6');
    expect(inputs['the width the builder gives (another parameter count, another crop)']).toBe('1x3x5x5');
  });

  it("builds a model again when its forward pass changed a parameter's flags (a tied weight included)", async () => {
    const text = `import torch.nn as nn


# wattlens: input=1x4
class Freezer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.tied = nn.Linear(4, 4)
        self.tied.weight = self.fc.weight

    def forward(self, x):
        copies = 1 if self.tied.weight.requires_grad else 2
        self.fc.weight.requires_grad = False
        return self.tied(self.fc(x)).repeat(1, copies)
`;
    const files = new Map([[MAIN, text]]);
    const incremental = await AnalysisEngine.create({ host: hostWith(files), workspaceRoots: [WS], parseCache: null });
    const scratch = await AnalysisEngine.create({ host: hostWith(files), workspaceRoots: [WS], parseCache: null });
    const doc = new PythonDocument(incremental.pythonParser, text);
    incremental.analyze(MAIN, doc.source, {}, doc.ast);
    for (const suffix of [' * 1', ' + 0']) {
      const next = text.replace('.repeat(1, copies)', `.repeat(1, copies)${suffix}`);
      doc.update(next);
      const report = strip(incremental.analyze(MAIN, doc.source, {}, doc.ast));
      expect(incremental.constructionsReused).toBe(0);
      expect(report).toEqual(strip(scratch.analyze(MAIN, next, {})));
      expect(report.models[0].layers.find((l) => l.type === 'Tensor.repeat')?.outputShape).toEqual([1, 4]);
    }
  });
});
