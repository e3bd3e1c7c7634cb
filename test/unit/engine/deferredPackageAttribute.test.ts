// A name of a package re-exported through a deferred star import of a module whose `__all__` is
// computed (torchvision's `models/mobilenet.py`: `__all__ = mv2_all + mv3_all`), looked up as an
// attribute (`import tv; tv.models.Net`) inside another library's top level: the look-up runs the
// star import (its names cannot be known statically), which binds the name; the look-up must
// answer with it (segmentation_models_pytorch's MobileNetV2 encoder).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { tempDirsPerTest } from '../../support/tempDirs';

const tempDir = tempDirsPerTest();

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function workspace(): string {
  const ws = tempDir('wattlens-pkgattr-');
  const site = '.venv/lib/python3.11/site-packages';
  write(ws, '.venv/pyvenv.cfg', 'home = /usr/bin\n');
  write(ws, `${site}/tv/__init__.py`, 'from tv import models\n');
  write(ws, `${site}/tv/models/__init__.py`, 'from .mobilenet import *\n');
  write(
    ws,
    `${site}/tv/models/mobilenet.py`,
    'from .mobilenetv2 import *\nfrom .mobilenetv2 import __all__ as mv2_all\n\n__all__ = mv2_all + []\n',
  );
  write(
    ws,
    `${site}/tv/models/mobilenetv2.py`,
    "import torch.nn as nn\n\n__all__ = ['Net']\n\n\nclass Net(nn.Linear):\n    def __init__(self):\n        super().__init__(2, 3)\n",
  );
  write(ws, `${site}/user_lib/__init__.py`, 'from . import enc\n');
  write(ws, `${site}/user_lib/enc.py`, 'import tv\n\nEncoder = tv.models.Net\n');
  write(ws, 'build.py', 'import user_lib.enc as enc\n\n\ndef build():\n    return enc.Encoder()\n');
  return ws;
}

describe('a name re-exported by a deferred star import of a computed __all__', () => {
  it('is found by the look-up that runs the star import', async () => {
    const ws = workspace();
    const engine = await AnalysisEngine.create({ workspaceRoots: [ws], environment: { workspaceRoots: [ws] } });
    const file = join(ws, 'build.py');
    const report = engine.analyze(file, readFileSync(file, 'utf8'), { model: 'build' });
    expect(
      report.models.map((m) => m.params),
      JSON.stringify(report.problems),
    ).toEqual([2 * 3 + 3]);
  });
});
