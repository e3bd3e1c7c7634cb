// The `# wattlens:` comment above a definition: input=, model= (a call, as --model) and `set`
// overrides (as --set), parsed as the engine reads them, and applied by the engine.
import { describe, expect, it, beforeAll } from 'vitest';
import { directiveTokens, parseDirective } from '../../../src/core/analysis/directive';
import type { AnalysisEngine } from '../../../src/core/analysis/engine';
import { sharedEngine } from './truthCorpus';

describe('directive parsing', () => {
  it('splits on spaces outside brackets and quotes', () => {
    expect(directiveTokens("model=Net(Config(depth=4, width=8)) set name='a b' input=1x3")).toEqual([
      'model=Net(Config(depth=4, width=8))',
      'set',
      "name='a b'",
      'input=1x3',
    ]);
  });

  it('reads input, model and repeated set (dotted paths too); other words are kept apart', () => {
    expect(parseDirective('model=GPT(GPT.get_default_config()) set model_type=None set model.n_layer=12 input=1x32 batch=4')).toEqual({
      input: '1x32',
      model: 'GPT(GPT.get_default_config())',
      set: [
        ['model_type', 'None'],
        ['model.n_layer', '12'],
      ],
      unknown: ['batch=4'],
    });
    expect(parseDirective('set model..x=1 set').unknown).toEqual(['set model..x=1', 'set']);
  });
});

// figures from real torch: scripts/truth/config_overrides_truth.py (HeadNet(ns) with head.classes=3: 99;
// Net with depth=3 over ClassAttrs(): 216)
const SOURCE = (directive: string) =>
  [
    'from types import SimpleNamespace',
    'import torch.nn as nn',
    'ns = SimpleNamespace(dim=8, head=SimpleNamespace(classes=10))',
    'class ClassAttrs:',
    '    dim = 8',
    '    depth = 2',
    directive,
    'class HeadNet(nn.Module):',
    '    def __init__(self, config):',
    '        super().__init__()',
    '        self.body = nn.Linear(config.dim, config.dim)',
    '        self.head = nn.Linear(config.dim, config.head.classes)',
    '    def forward(self, x):',
    '        return self.head(self.body(x))',
    '# wattlens: model=Net(ClassAttrs()) set depth=3',
    'class Net(nn.Module):',
    '    def __init__(self, config):',
    '        super().__init__()',
    '        self.layers = nn.Sequential(*[nn.Linear(config.dim, config.dim) for _ in range(config.depth)])',
    '    def forward(self, x):',
    '        return self.layers(x)',
    '',
  ].join('\n');

describe('the engine follows the comment', () => {
  let engine: AnalysisEngine;
  beforeAll(async () => {
    engine = await sharedEngine();
  });
  const analyze = (directive: string, set?: Record<string, string>) =>
    engine.analyze('/nowhere/directive_model.py', SOURCE(directive), { set });

  it('builds each model as its comment says, with its overrides, and states the call', () => {
    const r = analyze('# wattlens: model=HeadNet(ns) set ns.head.classes=3 input=1x8');
    expect(r.problems).toEqual([]);
    const byName = Object.fromEntries(r.models.map((m) => [m.name, m]));
    expect([byName.HeadNet.entry, byName.HeadNet.params, byName.HeadNet.input.text]).toEqual(['HeadNet(ns)', 99, '1x8']);
    expect([byName.Net.entry, byName.Net.params]).toEqual(['Net(ClassAttrs())', 216]);
  });

  it('undoes one model’s overrides before the next is built', () => {
    const r = analyze('# wattlens: model=HeadNet(ns) set ns.dim=4');
    // HeadNet with dim=4: 4*4+4 + 4*10+10 = 70; Net reads its own ClassAttrs, untouched
    expect(r.models.map((m) => [m.name, m.params])).toEqual([
      ['HeadNet', 70],
      ['Net', 216],
    ]);
  });

  it('--set wins over the comment', () => {
    const r = analyze('# wattlens: model=HeadNet(ns) set ns.head.classes=3', { 'ns.head.classes': '5' });
    expect(r.models.find((m) => m.name === 'HeadNet')!.params).toBe(72 + 45);
  });

  it('a mistake in a comment is a problem of that model, the others are still analyzed', () => {
    const r = analyze('# wattlens: model=HeadNet(ns) set ns.head.clases=3');
    expect(r.models.map((m) => m.name)).toEqual(['Net']);
    expect(r.problems).toEqual([
      expect.objectContaining({
        what: 'HeadNet',
        reason: expect.stringMatching(/# wattlens: set ns\.head\.clases: .*no attribute or key 'clases'/),
      }),
    ]);
  });
});
