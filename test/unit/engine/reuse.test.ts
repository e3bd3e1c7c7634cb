// Per-model reuse between analyses of an edited document: only the models that depend on the
// edited definition are analyzed again, and reused reports equal fresh ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { PythonDocument } from '../../../src/core/python/parser';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';

const file = join(REPO_ROOT, 'test', 'fixtures', 'models', 'third_party', 'torchvision-0.14.1a0', 'torchvision', 'models', 'resnet.py');
const source = readFileSync(file, 'utf8');
let engine: AnalysisEngine;
const strip = (r: ReturnType<AnalysisEngine['analyze']>) => JSON.stringify(r.models.map(({ analysisMs: _ms, ...m }) => m));

beforeAll(async () => {
  engine = await AnalysisEngine.create({});
});

describe('model reuse across edits', () => {
  it('an edit inside one builder re-analyzes that builder only, a docstring edit none, and reused reports equal fresh ones', () => {
    const doc = new PythonDocument(engine.pythonParser, source);
    const first = engine.analyze(file, doc.source, {}, doc.ast);
    expect(first.models.length).toBeGreaterThan(5);
    // resnet18's builder: one stage one block shorter
    const edited = doc.source.replace('_resnet(BasicBlock, [2, 2, 2, 2]', '_resnet(BasicBlock, [2, 2, 2, 1]');
    expect(edited).not.toBe(doc.source);
    doc.update(edited);
    const second = engine.analyze(file, doc.source, {}, doc.ast);
    const reanalyzed = second.models.filter((m) => m.analysisMs !== 0).map((m) => m.name);
    expect(reanalyzed).toEqual(['resnet18']);
    const fresh = engine.analyze(file, edited, { seqLen: 1024 });
    expect(strip(second)).toBe(strip(fresh));
    // its docstring is no code (a function's __doc__ is None to the interpreter): nothing is analyzed again
    const retitled = edited.replace('"""ResNet-18 from', '"""ResNet-18 (edited) from');
    expect(retitled).not.toBe(edited);
    doc.update(retitled);
    const third = engine.analyze(file, doc.source, {}, doc.ast);
    expect(third.models.filter((m) => m.analysisMs !== 0).map((m) => m.name)).toEqual([]);
    expect(strip(third)).toBe(strip(engine.analyze(file, retitled, { seqLen: 1024 })));
  });

  it('a changed module constant or input comment re-analyzes every model', () => {
    const text = `import torch.nn as nn\nWIDTH = 8\n\n# wattlens: input=1x8\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(WIDTH, 4)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const path = join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'reuse.py');
    const doc = new PythonDocument(engine.pythonParser, text);
    expect(engine.analyze(path, doc.source, {}, doc.ast).models[0].params).toBe(36);
    doc.update(text.replace('WIDTH = 8', 'WIDTH = 16').replace('input=1x8', 'input=1x16'));
    const r = engine.analyze(path, doc.source, {}, doc.ast);
    expect(r.models[0].params).toBe(68);
    expect(r.models[0].macs).toBe(64);
    doc.update(doc.source.replace('input=1x16', 'input=2x16'));
    expect(engine.analyze(path, doc.source, {}, doc.ast).models[0].macs).toBe(128);
  });
});

describe('re-running only the changed functions of a module', () => {
  it('an edited helper function changes the models that call it, and only those', () => {
    const text = `import torch.nn as nn\n\ndef width():\n    return 8\n\n# wattlens: input=1x8\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(8, width())\n\n    def forward(self, x):\n        return self.fc(x)\n\n# wattlens: input=1x3\nclass B(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(3, 3)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    const path = join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'helpers.py');
    const doc = new PythonDocument(engine.pythonParser, text);
    const first = engine.analyze(path, doc.source, {}, doc.ast);
    expect(first.models.map((m) => m.params)).toEqual([72, 12]);
    doc.update(doc.source.replace('return 8', 'return 16'));
    const second = engine.analyze(path, doc.source, {}, doc.ast);
    expect(second.models.map((m) => m.params)).toEqual([144, 12]);
    expect(second.models.find((m) => m.name === 'B')!.analysisMs).toBe(0);
    // and a fresh engine agrees
    expect(strip(second)).toBe(strip(engine.analyze(path, doc.source, { seqLen: 1024 })));
  });
});
