// Runs the interpreter sample files (samples/<feature>.py) two ways: with the abstract
// interpreter alone (builtins and the stdlib subset, no torch), and with real CPython. Both
// sides encode the sample's RESULT dict in the same tagged JSON, so ints stay apart from
// floats and tuples from lists.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { installBuiltins } from '../../../src/core/interp/builtins';
import { WorkspaceLoader } from '../../../src/core/interp/imports';
import { Interpreter } from '../../../src/core/interp/interpreter';
import type { ModuleContext } from '../../../src/core/interp/moduleContext';
import { Scope } from '../../../src/core/interp/scope';
import { PyRaise } from '../../../src/core/interp/signals';
import { STDLIB } from '../../../src/core/interp/stdlib';
import {
  ForeignValue,
  PyDict,
  PyFloat,
  PyList,
  PyModule,
  PySet,
  PyTuple,
  SymInt,
  Unknown,
  type Value,
} from '../../../src/core/interp/values';
import type { PythonParser } from '../../../src/core/python/parser';

/** A Python value in tagged JSON: scalars as they are, containers and numbers tagged. */
export type Encoded = null | boolean | string | [string, unknown];

/** The same encoding in Python, for CPython's side. */
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
    if isinstance(v, (set, frozenset)):
        return ['set', sorted((enc(x) for x in v), key=json.dumps)]
    if isinstance(v, dict):
        return ['dict', [[enc(k), enc(x)] for k, x in v.items()]]
    return ['other', type(v).__name__]
out = {}
for path in sys.argv[1:]:
    ns = runpy.run_path(path, run_name='__main__')
    out[path] = {k: enc(v) for k, v in ns['RESULT'].items()}
print(json.dumps(out))
`;

/** RESULT of each sample as CPython computes it, by path (one python process for all). */
export function cpythonResults(python: string, paths: string[]): Record<string, Record<string, Encoded>> {
  const r = spawnSync(python, ['-c', ENCODER, ...paths], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, Record<string, Encoded>>;
}

export function encode(v: Value, sortKey = (e: Encoded) => JSON.stringify(e)): Encoded {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return ['int', v];
  if (v instanceof PyFloat) return ['float', Number.isFinite(v.v) ? v.v : Number.isNaN(v.v) ? 'nan' : v.v > 0 ? 'inf' : '-inf'];
  if (v instanceof PyList) return ['list', v.items.map((x) => encode(x))];
  if (v instanceof PyTuple) return ['tuple', v.items.map((x) => encode(x))];
  if (v instanceof PySet)
    return [
      'set',
      v
        .items()
        .map((x) => encode(x))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
    ];
  if (v instanceof PyDict) return ['dict', v.keys().map((k) => [encode(k), encode(v.get(k)!)])];
  if (v instanceof Unknown) return ['unknown', v.reason];
  if (v instanceof SymInt) return ['unknown', `symbolic ${v.poly.toString()}`];
  if (v instanceof ForeignValue) return ['other', v.kind];
  return ['other', (v as { kind: string }).kind];
}

/** True when an encoded value is or holds an Unknown. */
export function holdsUnknown(e: unknown): boolean {
  if (Array.isArray(e)) return e[0] === 'unknown' || e.some(holdsUnknown);
  return false;
}

export interface InterpretedSample {
  /** RESULT's entries, encoded; undefined when RESULT was never bound. */
  result?: Record<string, Encoded>;
  /** The first Python exception a top-level statement raised, if any. */
  raised?: string;
}

/** Runs one sample with the abstract interpreter only: builtins and the stdlib subset, no torch. */
export function interpretSample(parser: PythonParser, path: string): InterpretedSample {
  const loader = new WorkspaceLoader({
    host: { readFile: () => undefined, isFile: () => false },
    parse: (text) => parser.parseModule(text),
    natives: STDLIB,
    nativeRoots: [],
    moduleBudget: 1_000_000,
  });
  const it = new Interpreter({ budget: 5_000_000, maxDepth: 180, loader });
  installBuiltins(it);
  const mod = new PyModule('__main__', path);
  const ctx: ModuleContext = { name: '__main__', packageName: '', file: path, scope: new Scope('module', null, mod.attrs), module: mod };
  const raised = it.runModule(parser.parseModule(readFileSync(path, 'utf8')), ctx);
  const result = mod.attrs.get('RESULT');
  return {
    result: result instanceof PyDict ? Object.fromEntries(result.keys().map((k) => [String(k), encode(result.get(k)!)])) : undefined,
    raised: raised instanceof PyRaise ? it.repr(raised.exc) : undefined,
  };
}

/** Keys a sample marks `# expect-unknown: key — why`: features the interpreter does not model. */
export function expectedUnknownKeys(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# expect-unknown: (\w+)\s*(?:—|-)?\s*(.*)$/gm)) out.set(m[1], m[2]);
  return out;
}
