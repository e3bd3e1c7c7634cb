// The engine against hostile code, in process: deep nesting is cut at conversion with a problem
// line, JavaScript's stack and array limits become Python exceptions, and the memory budget
// keeps the model beside a blow-up countable.
import { describe, expect, it } from 'vitest';
import { MAX_NESTING } from '../../../src/core/python/convert';
import { sharedEngine } from '../engine/truthCorpus';

const MODEL =
  'import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(10, 5)\n';

async function analyze(text: string) {
  const engine = await sharedEngine();
  return engine.analyze('/nowhere/hostile.py', text);
}

describe('hostile evaluation, in process', () => {
  it(`parentheses nested past ${MAX_NESTING} levels: a problem with the line, the model still counted`, async () => {
    const r = await analyze(`${MODEL}x = ${'('.repeat(10_000)}0${')'.repeat(10_000)}\n`);
    expect(r.problems).toContainEqual(
      expect.objectContaining({
        what: 'nesting',
        line: 6,
        reason: `expression nested deeper than ${MAX_NESTING} levels at line 6: not analyzed`,
      }),
    );
    expect(r.models[0].params).toBe(55);
  });

  it('a left-deep chain of 50,000 + is cut the same way', async () => {
    const r = await analyze(`${MODEL}x = 0${' + 1'.repeat(50_000)}\n`);
    expect(r.problems.some((p) => p.what === 'nesting')).toBe(true);
    expect(r.models[0].params).toBe(55);
  });

  it('nesting below the limit is evaluated exactly', async () => {
    const r = await analyze(MODEL.replace('nn.Linear(10, 5)', `nn.Linear(${'('.repeat(150)}10${')'.repeat(150)}, 5)`));
    expect(r.problems.filter((p) => p.what === 'nesting')).toEqual([]);
    expect(r.models[0].params).toBe(55);
  });

  it('a list nested 100,000 deep by a loop, then printed: RecursionError, not a crash', async () => {
    const r = await analyze(`${MODEL}x = []\nfor _ in range(100000):\n    x = [x]\ns = str(x)\n`);
    expect(r.models[0].params).toBe(55);
    expect(JSON.stringify(r.problems)).not.toMatch(/internal error/);
  });

  it('a list attribute too large to build is no submodule: the parameters stay known', async () => {
    const r = await analyze(`${MODEL}        self.table = [0] * 10**12\n`);
    expect(r.models[0].params).toBe(55);
  });

  it('a layer width taken from a list too large to build is unknown with the reason', async () => {
    const r = await analyze(`${MODEL}        self.fc2 = nn.Linear(len('x' * 10**10), 5)\n`);
    expect(r.models[0].params).toBeNull();
    expect(JSON.stringify(r.models[0].unknowns)).toMatch(/a str of 10\^10 characters: not materialised/);
  });

  it('the memory budget is per analysis: a second analysis starts again', async () => {
    // 4 M elements each: five analyses sharing one budget would pass its 16 M
    for (let i = 0; i < 5; i++) {
      const text = `${MODEL}        self.a = [0] * ${2_000_000 - i}\n        self.b = [1] * 2_000_000\n        self.fc2 = nn.Linear(len(self.b) // 200_000, 5)\n`;
      expect((await analyze(text)).models[0].params).toBe(110);
    }
  });
});
