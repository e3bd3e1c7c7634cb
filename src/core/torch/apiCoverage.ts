// How much of torch's public API the engine models, asked of the catalogue itself: every name of
// src/core/ops/data/torchApi.json (torch's own list, written by scripts/truth/torch_api_coverage.py)
// is looked up in the engine's torch world and given a status. The committed table
// (torchCoverage.json) is what this computes; a unit test keeps the two equal.
import { installBuiltins } from '../interp/builtins';
import type { ModuleLoader } from '../interp/hooks';
import type { NativeModuleFactory } from '../interp/imports';
import { Interpreter } from '../interp/interpreter';
import { moduleOf } from '../interp/native';
import { STDLIB } from '../interp/stdlib';
import { PyBuiltin, PyClass, PyModule, Unknown, type Value } from '../interp/values';
import { layerSpecOf } from './nnModule';
import { NN_PRELUDE_EXPORTS } from './prelude';
import { Tensor } from './tensor';
import { isOpBacked, TorchTensorSemantics } from './tensorSemantics';
import { TORCH_NATIVES } from './torchModules';

/**
 * cost: the output (shape, dtype) and the cost in torchvision's convention are modelled (MACs for
 * convolutions, matrix products and attention; elementwise FLOPs apart; views free);
 * shape: the output or value is modelled, no cost is counted (metadata, helpers, containers' base);
 * unknown: not modelled, or modelled as an unknown value on purpose (torch.load).
 */
export type CoverageStatus = 'cost' | 'shape' | 'unknown';

export interface TorchApi {
  torch: string;
  namespaces: { namespace: string; names: { name: string; kind?: 'method' | 'attribute' }[] }[];
}

export interface TorchCoverage {
  generatedBy: string;
  torch: string;
  summary: Record<string, Record<CoverageStatus, number>>;
  namespaces: Record<string, Record<string, CoverageStatus>>;
}

const PRELUDE = new Set(NN_PRELUDE_EXPORTS);

function coverageInterpreter(): Interpreter {
  const natives: Partial<Record<string, NativeModuleFactory>> = { ...STDLIB, ...TORCH_NATIVES };
  const loader: ModuleLoader = {
    importModule: (name, _from, it) => natives[name]?.(it) ?? moduleOf(name, {}),
  };
  const it = new Interpreter({ budget: 1_000_000, maxDepth: 100, loader, foreign: new TorchTensorSemantics() });
  installBuiltins(it);
  return it;
}

/** The engine's module for a dotted torch name: a native module, else attributes from `torch` down. */
function namespaceModule(it: Interpreter, ns: string): Value | undefined {
  const native = (TORCH_NATIVES as Partial<Record<string, NativeModuleFactory>>)[ns];
  if (native) return native(it);
  let v: Value | undefined = TORCH_NATIVES.torch(it);
  for (const part of ns.split('.').slice(1)) {
    if (!(v instanceof PyModule)) return undefined;
    v = v.attrs.get(part);
  }
  return v;
}

function statusOf(it: Interpreter, v: Value | undefined, name: string, kind?: string): CoverageStatus {
  if (v === undefined || v instanceof Unknown) return 'unknown';
  if (v instanceof PyClass) {
    // a catalogue layer, a prelude container, or a module class with its own native forward (QuantWrapper)
    const nativeForward = v.native?.methods?.forward !== undefined && v.mro.length > 2;
    return layerSpecOf(v) || PRELUDE.has(v.name) || nativeForward ? 'cost' : 'shape';
  }
  if (v instanceof PyBuiltin) {
    if (isOpBacked(v)) return 'cost';
    // a helper that only ever answers "unknown" (torch.load, torch.hub.load) models nothing
    try {
      if (it.call(v, { positional: [], keywords: new Map() }) instanceof Unknown) return 'unknown';
    } catch {
      // raised for want of arguments: it does model something
    }
    return 'shape';
  }
  void name;
  void kind;
  return 'shape';
}

export function torchApiCoverage(api: TorchApi): TorchCoverage {
  const it = coverageInterpreter();
  const foreign = new TorchTensorSemantics();
  // one element with a known value: item() and tolist() answer, stride() stays unknown
  const sample = new Tensor([1, 1], undefined, [1]);
  const namespaces: TorchCoverage['namespaces'] = {};
  const summary: TorchCoverage['summary'] = {};
  for (const { namespace, names } of api.namespaces) {
    const mod = namespace === 'Tensor' ? undefined : namespaceModule(it, namespace);
    const table: Record<string, CoverageStatus> = {};
    const counts: Record<CoverageStatus, number> = { cost: 0, shape: 0, unknown: 0 };
    for (const { name, kind } of names) {
      let v: Value | undefined;
      // the containers and Transformer layers torch.nn writes in Python (the prelude, run on first use)
      if (namespace === 'torch.nn' && PRELUDE.has(name)) v = new PyClass(name, [it.classes.object]);
      else
        try {
          if (namespace === 'Tensor') v = foreign.getAttr(sample, name, it);
          else v = mod instanceof PyModule ? (mod.attrs.get(name) ?? undefined) : undefined;
        } catch {
          v = undefined;
        }
      const s = statusOf(it, v, name, kind);
      table[name] = s;
      counts[s]++;
    }
    namespaces[namespace] = table;
    summary[namespace] = counts;
  }
  return {
    generatedBy: 'scripts/truth/torch_api_coverage.py (node step: scripts/truth/torch_coverage.mjs)',
    torch: api.torch,
    summary,
    namespaces,
  };
}
