// The engine never throws and always terminates: endless loops and recursion end in an
// unknown with a reason, broken files still yield what parses, and mutated real model files
// (fast-check) always produce a report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { sharedEngine } from './truthCorpus';

const HEADER = 'import torch\nimport torch.nn as nn\n';
const file = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', name);

async function analyze(text: string, options = {}) {
  const engine = await sharedEngine();
  return engine.analyze(file('m.py'), text, options);
}

describe('bounded evaluation', () => {
  it('`while True:` in a constructor ends in a problem that names the step budget and the loop', async () => {
    const text = `${HEADER}class Spin(nn.Module):\n    def __init__(self):\n        super().__init__()\n        n = 0\n        while True:\n            n += 1\n        self.fc = nn.Linear(2, 2)\n`;
    const r = await analyze(text, { budget: 200_000 });
    expect(r.models).toHaveLength(0);
    const p = r.problems.find((x) => x.what === 'Spin');
    expect(p?.reason).toMatch(/step budget at m\.py:(7|8)/);
  });

  it('unbounded recursion ends in RecursionError with its line', async () => {
    const text = `${HEADER}def deep(n):\n    return deep(n + 1)\nclass Rec(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(deep(0), 2)\n`;
    const r = await analyze(text);
    expect(r.problems.find((x) => x.what === 'Rec')?.reason).toMatch(/RecursionError.*m\.py:4/);
  });

  it('an import it cannot resolve becomes an unknown with its reason, never a failure', async () => {
    const text = `${HEADER}from mylab.layers import FancyBlock\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.block = FancyBlock(64)\n        self.fc = nn.Linear(64, 10)\n    def forward(self, x):\n        return self.fc(self.block(x))\n`;
    const r = await analyze(text, { input: '1x64' });
    const m = r.models.find((x) => x.name === 'Net')!;
    expect(m.params).toBeNull();
    const fc = m.layers.find((l) => l.path === 'fc')!;
    expect(fc.params).toBe(650);
    expect(m.macs).toBeNull();
    expect(JSON.stringify(m.unknowns)).toMatch(/module mylab\.layers is not in the workspace/);
  });

  it('a file with a syntax error still yields the classes that parse, and names the error line', async () => {
    const text = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'models', 'own', 'syntax_error_mixed.py'), 'utf8');
    const r = await analyze(text);
    expect(r.models.map((m) => m.name)).toContain('StillFine');
    expect(r.models.find((m) => m.name === 'StillFine')!.params).toBe(922);
    expect(r.problems.some((p) => p.what === 'syntax' && p.line === 8)).toBe(true);
  });

  it('a shape mismatch is reported as torch would raise it, with the parameters still counted', async () => {
    const text = `${HEADER}class Bad(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.a = nn.Linear(8, 16)\n        self.b = nn.Linear(32, 4)\n    def forward(self, x):\n        return self.b(self.a(x))\n`;
    const r = await analyze(text, { input: '2x8' });
    const m = r.models[0];
    expect(m.params).toBe(8 * 16 + 16 + 32 * 4 + 4);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0].reason).toMatch(/RuntimeError: mat1 and mat2 shapes cannot be multiplied \(2x16 and 32x4\)$/);
    expect(m.unknowns[0]).toMatchObject({ line: 9, file: expect.stringMatching(/m\.py$/) });
  });
});

describe('mutated real model files (fast-check)', () => {
  const sources = [
    'third_party/torchvision-0.14.1a0/torchvision/models/resnet.py',
    'third_party/nanogpt_model.py',
    'third_party/torchaudio-0.13.1/torchaudio/models/conformer.py',
    'own/containers.py',
  ].map((p) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'models', p), 'utf8'));

  type Mutation = { kind: 'delete' | 'duplicate' | 'swap' | 'truncate' | 'dropToken'; a: number; b: number };
  const mutate = (text: string, muts: Mutation[]): string => {
    let lines = text.split('\n');
    for (const m of muts) {
      const i = m.a % lines.length;
      const j = m.b % lines.length;
      if (m.kind === 'delete') lines.splice(i, 1);
      else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i]);
      else if (m.kind === 'swap') [lines[i], lines[j]] = [lines[j], lines[i]];
      else if (m.kind === 'truncate')
        lines = lines
          .join('\n')
          .slice(0, (m.a * 7919) % Math.max(1, text.length))
          .split('\n');
      else {
        const tokens = lines[i].split(/(\W)/);
        tokens.splice(m.b % Math.max(1, tokens.length), 1);
        lines[i] = tokens.join('');
      }
      if (lines.length === 0) lines = [''];
    }
    return lines.join('\n');
  };
  const mutation = fc.record({
    kind: fc.constantFrom('delete', 'duplicate', 'swap', 'truncate', 'dropToken'),
    a: fc.nat(),
    b: fc.nat(),
  }) as fc.Arbitrary<Mutation>;

  it('always returns a report within the step budget', async () => {
    const engine = await sharedEngine();
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
        const text = mutate(sources[which], muts);
        const report = engine.analyze(file(`mutant${which}.py`), text, { budget: 150_000 });
        expect(Array.isArray(report.models)).toBe(true);
        expect(Array.isArray(report.problems)).toBe(true);
        expect(report.problems.every((p) => !/internal error/.test(p.reason))).toBe(true);
        for (const m of report.models) expect(m.params === null || Number.isInteger(m.params)).toBe(true);
      }),
      { numRuns: 60, seed: 42 },
    );
  }, 300_000);
});

describe('editor-found cases', () => {
  it('half-typed code whose class cannot be built ends quickly with a problem, not a stack overflow', async () => {
    const text = `import torch.nn as nn\nclass CifarCNN(nn.Module):\n    def __init__(self, num_classes: int = 10, widt):\n        super().__init__()\n        self.fc = nn.Linear(3, 4)\n    def forward(self, x):\n        return self.fc(x)\nif __name__ == "__main__":\n    model = CifarCNN()\n`;
    const r = await analyze(text);
    expect(r.problems.map((p) => p.reason).join('\n')).toMatch(/missing required argument 'widt'/);
    expect(r.problems.some((p) => /internal error/.test(p.reason))).toBe(false);
  });

  it('an unclosed call is reported as a syntax error on its line', async () => {
    const r = await analyze(`import torch.nn as nn\nclass Broken(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear(3,\n`);
    expect(r.problems.some((p) => p.what === 'syntax' && p.line === 4)).toBe(true);
  });

  it('a default sequence length is capped by the bound the code asserts', async () => {
    const text = `${HEADER}class LM(nn.Module):\n    def __init__(self, block_size=256):\n        super().__init__()\n        self.block_size = block_size\n        self.tok = nn.Embedding(100, 16)\n        self.head = nn.Linear(16, 100)\n    def forward(self, idx):\n        b, t = idx.size()\n        assert t <= self.block_size\n        return self.head(self.tok(idx))\n`;
    const m = (await analyze(text)).models[0];
    expect(m.input.bindings).toEqual({ T: 256 });
    expect(m.macs).toBe(256 * 16 * 100);
    expect(m.assumptions.join('\n')).toMatch(/T = 256: the largest value the code allows/);
  });

  it('training memory scales activations from the input batch to --batch', async () => {
    const text = `${HEADER}# wattlens: input=8x32\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(32, 64)\n    def forward(self, x):\n        return self.fc(x)\n`;
    const at8 = (await analyze(text)).models[0].trainingMemory![0];
    const at32 = (await analyze(text, { batch: 32 })).models[0].trainingMemory![0];
    expect(at8.batch).toBe(8);
    expect(at32.batch).toBe(32);
    expect(at32.activationsBytes).toBe(4 * at8.activationsBytes!);
  });
});
