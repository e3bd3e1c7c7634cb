// A `for` over an unknown runs zero times (a `while` with an unknown condition stops); an
// exception raised after it is usually its consequence (an index into the list the loop did not
// fill), so the report names the loop first, with what was unknown, and the exception after it.
import { describe, expect, it } from 'vitest';
import { unknownLoopCause } from '../../../src/core/analysis/unmodelled';
import { analyzeSource } from '../editor/analyze';

const HEAD = 'import torch\nimport torch.nn as nn\n\n';
/** A count torch draws at random: unknown to a static analysis. */
const UNKNOWN_COUNT = 'int(torch.randint(1, 5, (1,)).item())';

describe('an exception after a loop an unknown skipped', () => {
  it('in construction: the model is not built, and the loop is the reason given first', async () => {
    const report = await analyzeSource(
      `${HEAD}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        n = ${UNKNOWN_COUNT}
        dims = []
        for i in range(n):
            dims.append(10)
        self.fc = nn.Linear(dims[0], 10)

    def forward(self, x):
        return self.fc(x)
`,
      { input: '1x10' },
    );
    expect(report.models).toEqual([]);
    const problem = report.problems.find((p) => p.what === 'Net');
    expect(problem?.reason).toMatch(
      /^could not be built: `for i in range\(n\)` at line 9 of scratch_model\.py ran zero times: what it iterates over is unknown \(the value of a tensor is not known statically\); then IndexError/,
    );
  });

  it('in forward: MACs unknown with the loop as reason and site, parameters still exact', async () => {
    const report = await analyzeSource(
      `${HEAD}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)

    def forward(self, x):
        outs = []
        for k in range(int(x.sum().item())):
            outs.append(self.fc(x))
        return outs[0]
`,
      { input: '1x10' },
    );
    const m = report.models[0]!;
    expect(m.params).toBe(110);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0]).toMatchObject({ what: 'forward cost', line: 11 });
    expect(m.unknowns[0]!.reason).toMatch(
      /^`for k in range\(int\(x\.sum\(\)\.item\(\)\)\)` at line 11 of scratch_model\.py ran zero times: what it iterates over is unknown \(.+\); forward then raised IndexError/,
    );
  });

  it('in module code: the problem names the loop and its line', async () => {
    const report = await analyzeSource(
      `${HEAD}SIZES = []
for s in range(${UNKNOWN_COUNT}):
    SIZES.append(8)
FIRST = SIZES[0]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 10)

    def forward(self, x):
        return self.fc(x)
`,
      { input: '1x10' },
    );
    const problem = report.problems.find((p) => p.what === 'module');
    expect(problem).toMatchObject({ line: 5 });
    expect(problem!.reason).toMatch(
      /^`for s in range\(.+\)` at line 5 of scratch_model\.py ran zero times: .*; the module code then raised IndexError/,
    );
    // the definitions after the failing line still run: the model is exact
    expect(report.models[0]?.params).toBe(110);
  });

  it('a while loop whose condition is unknown: named as stopped', async () => {
    const report = await analyzeSource(
      `${HEAD}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        n = ${UNKNOWN_COUNT}
        dims = []
        while len(dims) < n:
            dims.append(10)
        self.fc = nn.Linear(dims[0], 10)

    def forward(self, x):
        return self.fc(x)
`,
      { input: '1x10' },
    );
    expect(report.problems.find((p) => p.what === 'Net')?.reason).toMatch(
      /^could not be built: `while len\(dims\) < n` at line 9 of scratch_model\.py stopped: its condition is unknown \(.+\); then IndexError/,
    );
  });

  it('a loop over a known iterable is no cause: the exception is the reason', async () => {
    const report = await analyzeSource(
      `${HEAD}class Net(nn.Module):
    def __init__(self):
        super().__init__()
        dims = []
        for i in range(0):
            dims.append(10)
        self.fc = nn.Linear(dims[0], 10)

    def forward(self, x):
        return self.fc(x)
`,
      { input: '1x10' },
    );
    expect(report.problems.find((p) => p.what === 'Net')?.reason).toMatch(/^could not be built: IndexError/);
  });
});

describe('a skipped loop with no known site', () => {
  it('is named without a location rather than as line ? of ?', () => {
    const cause = unknownLoopCause({ values: [], control: [{ kind: 'loop', reason: 'r', statement: 'for i in x' }] });
    expect(cause?.reason).toBe('`for i in x` ran zero times: what it iterates over is unknown (r)');
  });
});
