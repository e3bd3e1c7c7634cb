// `--set` on config objects: attributes and keys, nested, of every kind of config model code
// reads, applied after the config is built and before the model is. Expected parameters come
// from real torch building the same file with the same changes made to the config:
//   /usr/bin/python3 scripts/truth/config_overrides_truth.py   (torch 1.13)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine, AnalysisError, type AnalyzeOptions } from '../../../src/core/analysis/engine';
import { tempDirForTest } from '../../support/tempDirs';

const FILE = resolve(__dirname, '../../fixtures/models/configs/config_objects.py');
const TEXT = readFileSync(FILE, 'utf8');
let engine: AnalysisEngine;

beforeAll(async () => {
  engine = await AnalysisEngine.create({ workspaceRoots: [] });
});

function params(model: string, set: Record<string, string>, file = FILE, text = TEXT): number | null {
  const options: AnalyzeOptions = { model, set, input: '1x4' };
  const report = engine.analyze(file, text, options);
  expect(report.models, JSON.stringify(report.problems)).toHaveLength(1);
  return report.models[0].params;
}

describe('--set on config objects (figures from real torch)', () => {
  it.each([
    ['class attributes, the class passed', 'Net(ClassAttrs)', { dim: '4', depth: '3' }, 60],
    ['a class attribute, read through an instance', 'Net(ClassAttrs())', { depth: '3' }, 216],
    ['SimpleNamespace, module-level', 'Net(ns)', { 'ns.dim': '4' }, 40],
    ['SimpleNamespace, nested', 'HeadNet(ns)', { 'ns.head.classes': '3' }, 99],
    ['argparse.Namespace', 'Net(args)', { 'args.depth': '5' }, 360],
    ['dict keys, nested, and a plain name on the dict argument', 'DictNet(cfg)', { 'cfg.head.classes': '3', dim: '4' }, 55],
    ['nested dataclasses, by the parameter name', 'OuterNet(Outer())', { 'c.inner.width': '4' }, 40],
    ['nested dataclasses, by a name inside the argument', 'OuterNet(Outer())', { 'inner.width': '4', depth: '3' }, 60],
    ['a Hugging Face style config (defaults in __init__)', 'BertLike(BertLikeConfig())', { num_hidden_layers: '4' }, 16768],
    ['a config built with arguments, then changed', 'BertLike(BertLikeConfig(hidden_size=16))', { 'config.intermediate_size': '8' }, 560],
    ['the default argument of a builder', 'build', { 'c.head.classes': '3' }, 99],
  ])('%s: %s', (_what, model, set, expected) => {
    expect(params(model, set)).toBe(expected);
  });

  it('changes nothing once the analysis is over', () => {
    expect(params('Net(ns)', { 'ns.dim': '4' })).toBe(40);
    expect(params('Net(ns)', {})).toBe(144);
    expect(params('build', { 'c.head.classes': '3' })).toBe(99);
    expect(params('build', {})).toBe(162);
  });

  it('undoes a change to a config that lives in an imported module (modules are cached between analyses)', () => {
    const dir = tempDirForTest('wattlens-cfg-');
    writeFileSync(join(dir, 'settings.py'), 'from types import SimpleNamespace\nshared = SimpleNamespace(dim=8, depth=2)\n');
    const file = join(dir, 'model.py');
    const text = [
      'import torch.nn as nn',
      'from settings import shared',
      'class Net(nn.Module):',
      '    def __init__(self, c=shared):',
      '        super().__init__()',
      '        self.l = nn.Sequential(*[nn.Linear(c.dim, c.dim) for _ in range(c.depth)])',
      '    def forward(self, x):',
      '        return self.l(x)',
      '',
    ].join('\n');
    expect(params('Net', { 'shared.depth': '3' }, file, text)).toBe(3 * 72);
    expect(params('Net', {}, file, text)).toBe(2 * 72);
    expect(params('Net', { depth: '4' }, file, text)).toBe(4 * 72);
    expect(params('Net', {}, file, text)).toBe(2 * 72);
  });
});

describe('--set on a yacs CfgNode tree read from the environment (figures from real torch)', () => {
  const SITE = resolve(__dirname, '../../fixtures/realworld/workspace/.venv/lib/python3.11/site-packages');
  const YACS_FILE = resolve(__dirname, '../../fixtures/models/configs/yacs_model.py');
  let yacsEngine: AnalysisEngine;
  beforeAll(async () => {
    yacsEngine = await AnalysisEngine.create({ workspaceRoots: [SITE] });
  });
  // params and MACs at 1x3x32x32; scripts/truth/config_overrides_truth.py (torch_macs.count)
  it.each([
    ['the defaults', {}, 7034, 6_996_128],
    ['nested keys of a frozen clone', { 'MODEL.BACKBONE.DEPTH': '4', 'MODEL.BACKBONE.WIDTH': '8' }, 4114, 4_087_888],
    ['the module-level config, and a list value', { 'cfg.MODEL.NUM_CLASSES': '100', 'MODEL.BACKBONE.KERNELS': '[1]' }, 2036, 312_896],
  ])('%s', (_what, set, params, macs) => {
    const report = yacsEngine.analyze(YACS_FILE, readFileSync(YACS_FILE, 'utf8'), { model: 'build_model', input: '1x3x32x32', set });
    expect(report.problems).toEqual([]);
    expect([report.models[0].params, report.models[0].macs]).toEqual([params, macs]);
  });
  // the same changes, made to the defaults that a builder clones inside itself (no argument holds the config)
  it.each([
    ['the defaults, through the builder', {}, 7034, 6_996_128],
    ['nested keys of the defaults the builder clones', { 'MODEL.BACKBONE.DEPTH': '4', 'MODEL.BACKBONE.WIDTH': '8' }, 4114, 4_087_888],
  ])('%s', (_what, set, params, macs) => {
    const report = yacsEngine.analyze(YACS_FILE, readFileSync(YACS_FILE, 'utf8'), {
      model: 'build_from_defaults()',
      input: '1x3x32x32',
      set,
    });
    expect(report.problems).toEqual([]);
    expect([report.models[0].params, report.models[0].macs]).toEqual([params, macs]);
  });
});

describe('--set mistakes are usage errors that say what is wrong', () => {
  it.each([
    [
      'a name missing on the path',
      'HeadNet(ns)',
      { 'ns.head.clases': '3' },
      /--set ns\.head\.clases: the SimpleNamespace object has no attribute or key 'clases'/,
    ],
    ['a root that names nothing', 'Net(ns)', { 'nope.dim': '3' }, /no config object named 'nope'/],
    ['a path through a number', 'Net(ns)', { 'ns.dim.x': '3' }, /--set ns\.dim\.x: 'dim' is not a config object \(int\)/],
    [
      'a bare word as a value',
      'Net(ns)',
      { 'ns.dim': 'wide' },
      /--set value "wide" is not a Python value or a name of the file \(quote a string/,
    ],
    ['a value that is not Python', 'Net(ns)', { 'ns.dim': '4 4' }, /is not a Python value/],
  ])('%s', (_what, model, set, message) => {
    expect(() => engine.analyze(FILE, TEXT, { model, set })).toThrow(AnalysisError);
    expect(() => engine.analyze(FILE, TEXT, { model, set })).toThrow(message);
  });
});
