// The einops package as native modules (einops, einops.layers.torch, …): they are resolved
// before any installed copy, so models importing einops get exact shapes without evaluating
// einops' backend machinery.
import type { NativeModuleFactory } from '../../interp/imports';
import type { Interpreter } from '../../interp/interpreter';
import { builtin, moduleOf } from '../../interp/native';
import { PyClass, PyModule, type Value } from '../../interp/values';
import { TORCH_NATIVES } from '../torchModules';
import { einopsErrorClass, einsum, pack, parseShape, reductionName, transform, unpack } from './functions';
import { createEinopsLayers, type EinopsLayers } from './layers';

const LAYERS_KEY = 'einops.layers';

function layers(it: Interpreter): EinopsLayers {
  let l = it.ext.get(LAYERS_KEY) as EinopsLayers | undefined;
  if (!l) {
    const Module = TORCH_NATIVES['torch.nn'](it).attrs.get('Module') as PyClass;
    l = createEinopsLayers(it, Module);
    it.ext.set(LAYERS_KEY, l);
  }
  return l;
}

function functions(it: Interpreter): Record<string, Value> {
  const rest = (kw: Map<string, Value>, ...names: string[]) => {
    const m = new Map(kw);
    for (const n of names) m.delete(n);
    return m;
  };
  return {
    EinopsError: einopsErrorClass(it),
    rearrange: builtin('einops.rearrange', (a) =>
      transform(
        it,
        a.positional[0] ?? a.keywords.get('tensor') ?? null,
        a.positional[1] ?? a.keywords.get('pattern') ?? null,
        'rearrange',
        rest(a.keywords, 'tensor', 'pattern'),
      ),
    ),
    repeat: builtin('einops.repeat', (a) =>
      transform(
        it,
        a.positional[0] ?? a.keywords.get('tensor') ?? null,
        a.positional[1] ?? a.keywords.get('pattern') ?? null,
        'repeat',
        rest(a.keywords, 'tensor', 'pattern'),
      ),
    ),
    reduce: builtin('einops.reduce', (a) => {
      const op = reductionName(a.positional[2] ?? a.keywords.get('reduction') ?? null);
      if (op === null) return it.unknown('einops.reduce with an unknown reduction');
      return transform(
        it,
        a.positional[0] ?? a.keywords.get('tensor') ?? null,
        a.positional[1] ?? a.keywords.get('pattern') ?? null,
        op,
        rest(a.keywords, 'tensor', 'pattern', 'reduction'),
      );
    }),
    pack: builtin('einops.pack', (a) =>
      pack(it, a.positional[0] ?? a.keywords.get('tensors') ?? null, a.positional[1] ?? a.keywords.get('pattern') ?? null),
    ),
    unpack: builtin('einops.unpack', (a) =>
      unpack(
        it,
        a.positional[0] ?? a.keywords.get('tensor') ?? null,
        a.positional[1] ?? a.keywords.get('packed_shapes') ?? null,
        a.positional[2] ?? a.keywords.get('pattern') ?? null,
      ),
    ),
    einsum: builtin('einops.einsum', (a) => einsum(it, a)),
    parse_shape: builtin('einops.parse_shape', (a) => parseShape(it, a.positional[0] ?? null, a.positional[1] ?? null)),
    asnumpy: builtin('einops.asnumpy', (a) => a.positional[0] ?? null),
  };
}

function einopsRoot(it: Interpreter): PyModule {
  return moduleOf('einops', { ...functions(it), __version__: '0.9.0' });
}

function layersTorch(it: Interpreter): PyModule {
  const l = layers(it);
  return moduleOf('einops.layers.torch', { Rearrange: l.Rearrange, Reduce: l.Reduce, EinMix: l.EinMix });
}

/** Native module factories for einops, keyed by dotted name. */
export const EINOPS_NATIVES: Record<string, NativeModuleFactory> = {
  einops: einopsRoot,
  'einops.einops': (it) => moduleOf('einops.einops', functions(it)),
  'einops.packing': (it) => moduleOf('einops.packing', functions(it)),
  'einops.layers': () => moduleOf('einops.layers', {}),
  'einops.layers.torch': layersTorch,
};
