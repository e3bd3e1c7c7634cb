// numpy and einops as the engine provides them, against the real libraries: each sample under
// samples/ binds a RESULT dict; the interpreter (with torch, numpy and einops natives, as the
// engine builds it) and CPython (/usr/bin/python3 with numpy and torch, einops from the corpus'
// site-packages) must agree on every entry. Floats agree to 1e-12 relative (libm vs V8).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../src/core/interp/builtins';
import { WorkspaceLoader } from '../../../src/core/interp/imports';
import { Interpreter } from '../../../src/core/interp/interpreter';
import { Scope } from '../../../src/core/interp/scope';
import { PyRaise } from '../../../src/core/interp/signals';
import { STDLIB } from '../../../src/core/interp/stdlib';
import { PyDict, PyModule } from '../../../src/core/interp/values';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';
import { EINOPS_NATIVES } from '../../../src/core/torch/einops/module';
import { numpyModule } from '../../../src/core/torch/numpyModule';
import { TorchTensorSemantics } from '../../../src/core/torch/tensorSemantics';
import { NATIVE_ROOTS, TORCH_NATIVES } from '../../../src/core/torch/torchModules';
import { PYTHON } from '../../support/torchTruth';
import { encode, type Encoded } from '../interp/sampleRunner';

const SAMPLES = join(__dirname, 'samples');
const SITE_PACKAGES = resolve(__dirname, '../../fixtures/realworld/workspace/.venv/lib/python3.11/site-packages');
const FILES = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.py'))
  .sort();

const ENCODER = String.raw`
import json, math, runpy, sys
def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return ['int', v]
    if isinstance(v, float):
        return ['float', v if math.isfinite(v) else repr(v)]
    if isinstance(v, list):
        return ['list', [enc(x) for x in v]]
    if isinstance(v, tuple):
        return ['tuple', [enc(x) for x in v]]
    if isinstance(v, dict):
        return ['dict', [[enc(k), enc(x)] for k, x in v.items()]]
    return ['other', type(v).__name__]
out = {}
for path in sys.argv[1:]:
    ns = runpy.run_path(path, run_name='__main__')
    out[path] = {k: enc(v) for k, v in ns['RESULT'].items()}
print(json.dumps(out))
`;

function interpret(parser: PythonParser, path: string): { result?: Record<string, Encoded>; raised?: string } {
  const loader = new WorkspaceLoader({
    host: { readFile: () => undefined, isFile: () => false },
    parse: (text) => parser.parseModule(text),
    natives: { ...STDLIB, ...TORCH_NATIVES, ...EINOPS_NATIVES, numpy: numpyModule },
    nativeRoots: NATIVE_ROOTS,
    moduleBudget: 1_000_000,
  });
  const it = new Interpreter({
    budget: 5_000_000,
    maxDepth: 180,
    loader,
    foreign: new TorchTensorSemantics(),
    parse: (t) => parser.parseModule(t),
  });
  installBuiltins(it);
  const mod = new PyModule('__main__', path);
  const raised = it.runModule(parser.parseModule(readFileSync(path, 'utf8')), {
    name: '__main__',
    packageName: '',
    file: path,
    scope: new Scope('module', null, mod.attrs),
    module: mod,
  });
  const result = mod.attrs.get('RESULT');
  return {
    result: result instanceof PyDict ? Object.fromEntries(result.keys().map((k) => [String(k), encode(result.get(k)!)])) : undefined,
    raised: raised instanceof PyRaise ? it.repr(raised.exc) : undefined,
  };
}

/** Equal as tagged values, floats to 1e-12 relative. */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => close(x, b[i]));
  return a === b;
}

let cpython: Record<string, Record<string, Encoded>> = {};
let parser: PythonParser;

beforeAll(async () => {
  parser = await loadPythonParser();
  const paths = FILES.map((f) => join(SAMPLES, f));
  const r = spawnSync(PYTHON, ['-c', ENCODER, ...paths], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PYTHONPATH: SITE_PACKAGES },
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  cpython = JSON.parse(r.stdout) as typeof cpython;
}, 150_000);

describe('numpy and einops values, against the real libraries', () => {
  it.each(FILES)('%s', (file) => {
    const path = join(SAMPLES, file);
    const ours = interpret(parser, path);
    expect(ours.raised, ours.raised).toBeUndefined();
    const theirs = cpython[path];
    expect(Object.keys(ours.result ?? {})).toEqual(Object.keys(theirs));
    for (const [key, want] of Object.entries(theirs)) {
      const got = ours.result![key];
      expect(close(got, want), `${key}: got ${JSON.stringify(got)}, CPython says ${JSON.stringify(want)}`).toBe(true);
    }
  });
});
