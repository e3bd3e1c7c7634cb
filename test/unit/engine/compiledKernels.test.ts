// Models whose forward runs compiled kernels that are not installed (mamba_ssm: Triton norms, a
// CUDA selective scan): the parameters are exact, and the MACs are unknown with the kernel's own
// reason, never a Python error the real library would not raise.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';

let engine: AnalysisEngine;
let ws: string;

beforeAll(async () => {
  ws = mkdtempSync(join(tmpdir(), 'wattlens-kernels-'));
  mkdirSync(join(ws, '.venv', 'lib', 'python3.11', 'site-packages'), { recursive: true });
  writeFileSync(join(ws, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  engine = await AnalysisEngine.create({ workspaceRoots: [ws], environment: { workspaceRoots: [ws] } });
});

afterAll(() => rmSync(ws, { recursive: true, force: true }));

function analyze(body: string, input = '4x8') {
  const file = join(ws, 'model.py');
  const text = `import torch\nimport torch.nn as nn\nimport triton\nimport selective_scan_cuda\n\n${body}`;
  writeFileSync(file, text);
  const report = engine.analyze(file, text, { model: 'M()', input });
  expect(report.models, JSON.stringify(report.problems)).toHaveLength(1);
  return report.models[0];
}

describe('forward through compiled kernels that are not installed', () => {
  it('takes a shape test against an unknown tensor as unknown, not false', () => {
    const m = analyze(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(8, 8)

    def forward(self, x):
        y = selective_scan_cuda.fwd(x)
        M, N = y.shape
        assert x.shape == (M, N)
        return self.l(x)
`);
    expect(m.params).toBe(72);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0].reason).toMatch(/selective_scan_cuda\.fwd: module selective_scan_cuda is not in the workspace/);
    expect(m.unknowns[0].reason).not.toMatch(/AssertionError/);
  });

  it('says a kernel launch through an unknown decorator is unknown, naming the decorator', () => {
    const m = analyze(`
@triton.jit
def _kernel(X, Y, N: triton.language.constexpr):
    pass


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(8, 8)

    def forward(self, x):
        y = torch.empty_like(x)
        _kernel[(x.shape[0],)](x, y, x.shape[1])
        return self.l(y)
`);
    expect(m.params).toBe(72);
    expect(m.unknowns[0].reason).toMatch(/_kernel\[…\]: its decorator is unknown \(triton\.jit: module triton is not in the workspace/);
    expect(m.unknowns[0].reason).not.toMatch(/not subscriptable/);
  });

  it('runs a block under torch.cuda.device as it runs without it', () => {
    const m = analyze(`
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(8, 8)

    def forward(self, x):
        with torch.cuda.device(x.device.index):
            return self.l(x)
`);
    expect(m.params).toBe(72);
    expect(m.macs).toBe(4 * 8 * 8);
  });

  it('blames the kernel, not the numpy hand-over before it (VITS: x.numpy().astype(np.float32))', () => {
    const m = analyze(`
import numpy as np


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.l = nn.Linear(8, 8)

    def forward(self, x):
        a = x.data.cpu().numpy().astype(np.float32)
        path = np.zeros(a.shape, dtype=np.int32)
        selective_scan_cuda.fwd(path, a)
        return self.l(torch.from_numpy(path).to(dtype=x.dtype))
`);
    expect(m.params).toBe(72);
    expect(m.macs).toBeNull();
    expect(m.unknowns[0].reason).toMatch(/selective_scan_cuda\.fwd: module selective_scan_cuda is not in the workspace/);
  });
});
