// `from pkg.gone import f` where pkg is installed (its __init__.py read from the environment) and its
// folder has no `gone`: Python raises ModuleNotFoundError there (moco-v3's vits.py on timm 1.0:
// "No module named 'timm.models.layers.helpers'"), so the analysis says so at that line instead of
// going on with an unknown and failing later for another reason.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { tempDirsPerTest } from '../../support/tempDirs';

const tempDir = tempDirsPerTest();
const VENV_CFG = { '.venv/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n' };

function workspace(files: Record<string, string>): string {
  const ws = tempDir('wattlens-missing-submodule-');
  for (const [path, text] of Object.entries({ ...VENV_CFG, ...files })) {
    mkdirSync(join(ws, path, '..'), { recursive: true });
    writeFileSync(join(ws, path), text);
  }
  return ws;
}

const SITE = '.venv/lib/python3.11/site-packages';
const MODEL = `import torch.nn as nn
from kit.layers.helpers import to_2tuple


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(*to_2tuple(4))

    def forward(self, x):
        return self.fc(x)
`;

async function analyze(ws: string, text = MODEL) {
  const engine = await AnalysisEngine.create({ workspaceRoots: [ws], environment: { workspaceRoots: [ws] } });
  return engine.analyze(join(ws, 'model.py'), text, { model: 'Net', input: '1x4' });
}

describe('an import of a submodule an installed package lacks', () => {
  it('raises ModuleNotFoundError at the import line, as Python does', async () => {
    const ws = workspace({
      'model.py': MODEL,
      [`${SITE}/kit/__init__.py`]: '',
      [`${SITE}/kit/layers/__init__.py`]: 'from kit.layers.ops import to_2tuple\n',
      [`${SITE}/kit/layers/ops.py`]: 'def to_2tuple(x):\n    return (x, x)\n',
      [`${SITE}/kit/layers/compiled.cpython-311-x86_64-linux-gnu.so`]: '',
    });
    const r = await analyze(ws);
    expect(r.problems[0]).toMatchObject({
      what: 'module',
      reason: "module code raised ModuleNotFoundError: No module named 'kit.layers.helpers'",
      line: 2,
    });
  });

  it('keeps it unknown when the package folder holds something of that name (a compiled extension, a namespace folder)', async () => {
    for (const present of ['helpers.cpython-311-x86_64-linux-gnu.so', 'helpers/data.txt']) {
      const ws = workspace({
        'model.py': MODEL,
        [`${SITE}/kit/__init__.py`]: '',
        [`${SITE}/kit/layers/__init__.py`]: '',
        [`${SITE}/kit/layers/${present}`]: '',
      });
      const r = await analyze(ws);
      expect(
        r.problems.some((p) => p.reason.includes('ModuleNotFoundError')),
        present,
      ).toBe(false);
    }
  });

  it('keeps it unknown for a package of the workspace (it may be half written)', async () => {
    const ws = workspace({ 'model.py': MODEL, 'kit/__init__.py': '', 'kit/layers/__init__.py': '' });
    const r = await analyze(ws);
    expect(r.problems.some((p) => p.reason.includes('ModuleNotFoundError'))).toBe(false);
  });
});

describe('moco-v3 vits.py on the installed timm 1.0', () => {
  it("stops at line 14 as Python does: No module named 'timm.models.layers.helpers'", async () => {
    const ws = join(__dirname, '../../fixtures/realworld/workspace');
    const engine = await AnalysisEngine.create({ workspaceRoots: [ws], environment: { workspaceRoots: [ws] } });
    const file = join(ws, 'moco-v3/vits.py');
    const r = engine.analyze(file, readFileSync(file, 'utf8'), { model: 'vit_small()', input: '1x3x224x224' });
    expect(r.problems[0]).toMatchObject({
      what: 'module',
      reason: "module code raised ModuleNotFoundError: No module named 'timm.models.layers.helpers'",
      line: 14,
    });
  }, 30_000);
});
