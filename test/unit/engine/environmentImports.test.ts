// Imports from the user's environment: a workspace .venv's site-packages is searched after the
// workspace, its packages load lazily (only what the model uses runs), and lazy loading gives the
// same figures as eager loading.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { ParseCache } from '../../../src/core/python/parseCache';

const LAZY_WS = resolve(__dirname, '../../fixtures/pyenv/lazyws');
const REAL_WS = resolve(__dirname, '../../fixtures/realworld/workspace');

async function engineFor(ws: string, lazyImports = true): Promise<AnalysisEngine> {
  return AnalysisEngine.create({ workspaceRoots: [ws], environment: { workspaceRoots: [ws] }, lazyImports });
}

function analyze(engine: AnalysisEngine, file: string, model: string) {
  return engine.analyze(file, readFileSync(file, 'utf8'), { model });
}

const loadedUnder = (engine: AnalysisEngine, dir: string) =>
  engine
    .importedFiles()
    .filter((f) => f.includes(dir))
    .map((f) => f.split('/').pop())
    .sort();

describe('imports from a workspace venv', () => {
  it('builds a model registered in a package, running only the submodule that registers it', async () => {
    const engine = await engineFor(LAZY_WS);
    const r = analyze(engine, join(LAZY_WS, 'uses_small.py'), 'build');
    expect(r.models.map((m) => [m.name, m.params])).toEqual([['build', 16 * 16 + 16]]);
    expect(loadedUnder(engine, '/zoo/models/')).toEqual(['__init__.py', '_registry.py', 'small.py']);
    expect(r.problems).toEqual([]);
  });

  it('gives the same figures as eager loading, which runs every submodule', async () => {
    for (const [file, model] of [
      ['uses_small.py', 'build'],
      ['uses_big.py', 'build'],
      ['uses_big.py', 'direct'],
    ]) {
      const lazy = await engineFor(LAZY_WS);
      const eager = await engineFor(LAZY_WS, false);
      const a = analyze(lazy, join(LAZY_WS, file), model).models.map((m) => [m.params, m.macs]);
      const b = analyze(eager, join(LAZY_WS, file), model).models.map((m) => [m.params, m.macs]);
      expect(a).toEqual(b);
      expect(a).toHaveLength(1);
      expect(loadedUnder(eager, '/zoo/models/')).toEqual(['__init__.py', '_registry.py', 'big.py', 'broken.py', 'small.py']);
    }
  });

  it('resolves a name of a star import without __all__ (names under `if` included) and a registry lookup', async () => {
    const engine = await engineFor(LAZY_WS);
    const r = analyze(engine, join(LAZY_WS, 'uses_big.py'), 'build');
    expect(r.models[0].params).toBe(64 * 256 + 256 + 256 * 64 + 64);
    expect(analyze(engine, join(LAZY_WS, 'uses_big.py'), 'direct').models[0].params).toBe(32 * 128 + 128 + 128 * 32 + 32);
    expect(loadedUnder(engine, '/zoo/models/')).not.toContain('small.py');
  });

  it('says a package is not installed rather than guessing its layers (Llama 2 on fairscale)', async () => {
    const engine = await engineFor(REAL_WS);
    const file = join(REAL_WS, 'llama', 'llama', 'model.py');
    const m = analyze(engine, file, 'Transformer(ModelArgs(vocab_size=32000))').models[0];
    expect(m.params).toBeNull();
    expect(m.unknowns[0].reason).toMatch(
      /module fairscale\.nn\.model_parallel\.\w+ is not in the workspace nor in the Python environment \(fairscale is not installed\)/,
    );
  });

  it('names the library that is not installed when a model class derives from it (a LightningModule)', async () => {
    const engine = await engineFor(REAL_WS);
    const file = join(REAL_WS, 'stable-diffusion', 'sd_v1_models.py');
    expect(() => analyze(engine, file, 'autoencoder_kl()')).toThrow(
      /autoencoder_kl\(\) does not build an nn\.Module \(base class of AutoencoderKL is unknown \(pytorch_lightning\.LightningModule: module pytorch_lightning is not in the workspace nor in the Python environment/,
    );
  });

  it('scans no star import for names before a look-up needs it, nor the one run for a registry key', async () => {
    // a walrus in a method (timm's eva.py) or `match` at a docstring's line start (maxxvit.py)
    // made a star import be scanned when it was deferred; the one run for a key was scanned when
    // it ran (timm's 212 KB vision_transformer.py, for the one name of its literal __all__)
    const ws = mkdtempSync(join(tmpdir(), 'wattlens-lazy-'));
    const site = join(ws, '.venv', 'lib', 'python3.11', 'site-packages', 'reg');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(ws, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    writeFileSync(join(site, '__init__.py'), 'from .a import *\nfrom .b import *\nfrom .c import *\nfrom ._registry import create_model\n');
    writeFileSync(
      join(site, '_registry.py'),
      '_entrypoints = {}\n\ndef register_model(fn):\n    _entrypoints[fn.__name__] = fn\n    return fn\n\ndef create_model(name):\n    return _entrypoints[name]()\n',
    );
    for (const [name, width] of [
      ['a', 2],
      ['b', 4],
    ] as const)
      writeFileSync(
        join(site, `${name}.py`),
        `import torch.nn as nn\nfrom ._registry import register_model\n__all__ = ['Head_${name}']\n\nclass Head_${name}(nn.Linear):\n    def first(self, xs):\n        if (n := len(xs)):\n            return xs[0]\n\n@register_model\ndef model_${name}():\n    return Head_${name}(${width}, ${width + 1})\n`,
      );
    // a walrus at module level: its names are not read from the text, so it runs before a look-up it may answer
    writeFileSync(join(site, 'c.py'), '_ = (DYN := 7)\n');
    const file = join(ws, 'uses_reg.py');
    writeFileSync(
      file,
      "import torch.nn as nn\nimport reg\n\n\ndef build():\n    return reg.create_model('model_b')\n\n\ndef dyn():\n    return nn.Linear(reg.DYN, 2)\n",
    );
    const scanned = vi.spyOn(ParseCache.prototype, 'starNames');
    try {
      const engineWithCache = () =>
        AnalysisEngine.create({
          workspaceRoots: [ws],
          environment: { workspaceRoots: [ws] },
          parseCache: new ParseCache({ dir: join(ws, 'cache'), version: 'test' }),
        });
      const engine = await engineWithCache();
      expect(analyze(engine, file, 'build').models.map((m) => m.params)).toEqual([4 * 5 + 5]);
      expect(loadedUnder(engine, '/reg/')).toEqual(['__init__.py', '_registry.py', 'b.py']);
      expect(scanned.mock.calls).toEqual([]);
      const other = await engineWithCache();
      const dynReport = analyze(other, file, 'dyn');
      expect(
        dynReport.models.map((m) => m.params),
        JSON.stringify(dynReport.problems),
      ).toEqual([7 * 2 + 2]);
      expect(scanned.mock.calls.map(([path]) => path.split('/').pop()).sort()).toEqual(['a.py', 'b.py', 'c.py']);
    } finally {
      scanned.mockRestore();
      rmSync(ws, { recursive: true, force: true });
    }
  });

  it('a true miss in a registry still raises', async () => {
    const engine = await engineFor(LAZY_WS);
    const r = analyze(engine, join(LAZY_WS, 'uses_missing.py'), 'build');
    expect(r.models).toEqual([]);
    expect(r.problems.map((p) => p.reason).join('\n')).toMatch(/Unknown model \(no_such_model\)/);
  });

  it('is found by the CLI in the nearest folder above the file holding a venv', async () => {
    const { analyzeFile } = await import('../../../src/cli/analyzeCommand');
    const r = await analyzeFile(join(LAZY_WS, 'uses_small.py'), { model: 'build' });
    expect(r.models.map((m) => m.params)).toEqual([272]);
  });
});

describe('timm from the corpus venv', () => {
  // Truth: /usr/bin/python3 (Debian torch 1.13) with the venv's site-packages first on sys.path:
  //   import sys; sys.path.insert(0, '.venv/lib/python3.11/site-packages'); import timm
  //   sum(p.numel() for p in timm.create_model('resnet18').parameters())  # 11689512
  it('timm.create_model("resnet18") builds with exact params, loading few of timm.models', { timeout: 120_000 }, async () => {
    const file = join(REAL_WS, '..', 'timm_resnet18.py');
    const text = "import timm\n\ndef build():\n    return timm.create_model('resnet18')\n";
    const engine = await engineFor(REAL_WS);
    const r = engine.analyze(file, text, { model: 'build' });
    expect(r.models.map((m) => m.params)).toEqual([11_689_512]);
    const models = loadedUnder(engine, '/timm/models/');
    expect(models).toContain('resnet.py');
    expect(models).not.toContain('vision_transformer.py');
    expect(models.length).toBeLessThan(20);
  });

  it('gives the same figures eagerly', { timeout: 300_000 }, async () => {
    const file = join(REAL_WS, '..', 'timm_resnet18.py');
    const text = "import timm\n\ndef build():\n    return timm.create_model('resnet18')\n";
    const lazy = (await engineFor(REAL_WS)).analyze(file, text, { model: 'build' }).models;
    const eager = await engineFor(REAL_WS, false);
    const r = eager.analyze(file, text, { model: 'build' });
    expect(r.models.map((m) => [m.params, m.macs])).toEqual(lazy.map((m) => [m.params, m.macs]));
    expect(loadedUnder(eager, '/timm/models/').length).toBeGreaterThan(100);
  });
});

describe('a deferred module runs before anything observes it', () => {
  // site-packages/kit: factory.py defers `from .hub import …`; hub.py fills a list and a dict
  // of _state.py; zoo.py (a star import of kit) extends its __all__ at run time; second.py (a
  // star import) rebinds a name first.py bound
  const file = join(LAZY_WS, 'uses_kit.py');
  const eagerParams: [string, number][] = [
    ['plain', 8 * 8 + 8],
    ['by_name', 24 + 1],
    ['by_submodule_attribute', 24 + 1],
    ['by_registry_key', 24 + 1],
    // eager loading ran hub.py and zoo.py, each noting itself in kit.loaded
    ['by_list_another_module_fills', 16 + 1],
    ['by_sys_modules', 24 + 1],
    ['by_dir', 8 + 1],
    ['by_name_appended_to_all', 4 * 4 + 4],
    // `from .first import WIDE` then `from .second import *`, which binds WIDE = 3
    ['by_name_a_later_star_import_rebinds', 3 + 1],
  ];

  it('gives the figures of eager loading', async () => {
    for (const [model, params] of eagerParams) {
      const lazy = analyze(await engineFor(LAZY_WS), file, model);
      const eager = analyze(await engineFor(LAZY_WS, false), file, model);
      expect([model, lazy.models.map((m) => m.params)]).toEqual([model, [params]]);
      expect([model, eager.models.map((m) => m.params)]).toEqual([model, [params]]);
    }
  });

  it('runs none of it while nothing observes it', async () => {
    const engine = await engineFor(LAZY_WS);
    expect(analyze(engine, file, 'plain').models.map((m) => m.params)).toEqual([72]);
    expect(loadedUnder(engine, '/kit/')).toEqual(['__init__.py', 'factory.py']);
  });

  it('sys.modules of a module not imported yet runs the deferred imports that import it', async () => {
    const engine = await engineFor(LAZY_WS);
    expect(analyze(engine, file, 'by_sys_modules').models.map((m) => m.params)).toEqual([25]);
    // eager loading imports kit.hub from factory.py
    expect(loadedUnder(engine, '/kit/')).toEqual(['__init__.py', '_state.py', 'factory.py', 'hub.py']);
  });
});
