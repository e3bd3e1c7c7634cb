// Real-torch truth for small model files written by tests: one /usr/bin/python3 process
// imports each file, builds the model from an entry expression, and reports what torch says
// (unique parameters, MACs in torchvision's convention via scripts/truth/torch_macs.py).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PYTHON = process.env.WATTLENS_PYTHON ?? '/usr/bin/python3';
const TRUTH_DIR = resolve(__dirname, '..', '..', 'scripts', 'truth');

export interface TorchCase {
  /** Directory added to sys.path (the package root) and the module to import from it. */
  root: string;
  module: string;
  /** Python expression evaluated in the module's namespace, e.g. "Net()" or "build(width=8)". */
  entry: string;
  /** Input shapes; token inputs use dtype long. */
  inputs: { shape: number[]; long?: boolean }[];
}

export interface TorchResult {
  params: number;
  macs: number;
  error?: string;
}

export function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

const SCRIPT = String.raw`
import importlib, json, sys, traceback
sys.path.insert(0, TRUTH_DIR)
import torch
from torch_macs import count
cases = json.load(open(sys.argv[1]))
out = []
for c in cases:
    try:
        sys.path.insert(0, c['root'])
        top = c['module'].split('.')[0]
        for name in [k for k in sys.modules if k == top or k.startswith(top + '.')]:
            del sys.modules[name]
        mod = importlib.import_module(c['module'])
        model = eval(c['entry'], vars(mod))
        model.eval()
        inputs = [torch.randint(0, 10, i['shape']) if i.get('long') else torch.randn(*i['shape']) for i in c['inputs']]
        params = sum(p.numel() for p in model.parameters())
        out.append({'params': params, 'macs': count(model, *inputs)})
    except Exception as e:
        out.append({'params': -1, 'macs': -1, 'error': traceback.format_exc(limit=3)})
    finally:
        sys.path.remove(c['root'])
print(json.dumps(out))
`;

/** Runs every case in one Python process (importing torch once). */
export function torchTruth(cases: TorchCase[]): TorchResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'wattlens-truth-'));
  try {
    const casesFile = join(dir, 'cases.json');
    writeFileSync(casesFile, JSON.stringify(cases));
    const script = SCRIPT.replace('TRUTH_DIR', JSON.stringify(TRUTH_DIR));
    const stdout = execFileSync(PYTHON, ['-c', script, casesFile], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as TorchResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
