// torch.ao.nn.quantized (alias torch.nn.quantized), its dynamic variant and the
// torch.ao.quantization stubs, as stand-ins for their float layers: the same output shapes and
// MACs (a quantized convolution multiplies and accumulates as the float one does). Parameters are
// what torch's parameters() yields for them: the packed weights of convolutions, linear layers,
// embeddings and PReLU are no parameters (0), norms keep their float weight and bias.
import { bindNative, parseSignature } from '../interp/callArgs';
import type { Interpreter } from '../interp/interpreter';
import { builtin, moduleOf, nativeClass } from '../interp/native';
import { PyClass, PyInstance, PyModule, type CallArgs, type Value } from '../interp/values';
import type { NnClasses } from './nnModule';

interface QuantizedSpec {
  /** The float layer of the catalogue it stands in for. */
  float: string;
  /** The quantized constructor's signature, when it differs from the float layer's. */
  signature?: string;
  /** The float layer's arguments from the bound quantized ones. */
  toFloat?: (a: Map<string, Value>) => Record<string, Value>;
  /** Weights packed into a quantized tensor: torch reports no parameters for them. */
  packed?: boolean;
}

const CONV: Record<string, QuantizedSpec> = Object.fromEntries(
  ['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'].map((n) => [n, { float: n, packed: true }]),
);
const LINEAR: QuantizedSpec = {
  float: 'Linear',
  signature: 'in_features, out_features, bias_=True, dtype=None',
  toFloat: (a) => ({ in_features: a.get('in_features')!, out_features: a.get('out_features')!, bias: a.get('bias_')! }),
  packed: true,
};
const pick =
  (...names: string[]) =>
  (a: Map<string, Value>): Record<string, Value> =>
    Object.fromEntries(names.filter((n) => a.has(n)).map((n) => [n, a.get(n)!]));

const STATIC: Record<string, QuantizedSpec> = {
  ...CONV,
  Linear: LINEAR,
  Embedding: {
    float: 'Embedding',
    signature:
      'num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, dtype=None',
    toFloat: pick('num_embeddings', 'embedding_dim', 'padding_idx'),
    packed: true,
  },
  EmbeddingBag: {
    float: 'EmbeddingBag',
    signature:
      "num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, mode='sum', sparse=False, _weight=None, include_last_offset=False, dtype=None",
    toFloat: pick('num_embeddings', 'embedding_dim', 'mode'),
    packed: true,
  },
  BatchNorm2d: { float: 'BatchNorm2d' },
  BatchNorm3d: { float: 'BatchNorm3d' },
  LayerNorm: {
    float: 'LayerNorm',
    signature: 'normalized_shape, weight, bias, scale, zero_point, eps=1e-5, elementwise_affine=True, device=None, dtype=None',
    toFloat: pick('normalized_shape', 'eps', 'elementwise_affine'),
  },
  GroupNorm: {
    float: 'GroupNorm',
    signature: 'num_groups, num_channels, weight, bias, scale, zero_point, eps=1e-5, affine=True, device=None, dtype=None',
    toFloat: pick('num_groups', 'num_channels', 'eps', 'affine'),
  },
  ...Object.fromEntries(
    ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d'].map((n) => [
      n,
      {
        float: n,
        signature:
          'num_features, weight, bias, scale, zero_point, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None',
        toFloat: pick('num_features', 'eps', 'momentum', 'affine', 'track_running_stats'),
      },
    ]),
  ),
  ReLU6: { float: 'ReLU6' },
  Hardswish: { float: 'Hardswish', signature: 'scale, zero_point, device=None, dtype=None', toFloat: () => ({}) },
  ELU: { float: 'ELU', signature: 'scale, zero_point, alpha=1.0', toFloat: pick('alpha') },
  LeakyReLU: {
    float: 'LeakyReLU',
    signature: 'scale, zero_point, negative_slope=0.01, inplace=False, device=None, dtype=None',
    toFloat: pick('negative_slope'),
  },
  Sigmoid: { float: 'Sigmoid', signature: 'output_scale, output_zero_point', toFloat: () => ({}) },
  Softmax: { float: 'Softmax', signature: 'dim=None, scale=1.0, zero_point=0', toFloat: pick('dim') },
  Dropout: { float: 'Dropout' },
  MaxPool2d: { float: 'MaxPool2d' },
  PReLU: {
    float: 'PReLU',
    signature: 'output_scale, output_zero_point, num_parameters=1, device=None, dtype=None',
    toFloat: pick('num_parameters'),
    packed: true,
  },
  Quantize: { float: 'Identity', signature: 'scale, zero_point, dtype, factory_kwargs=None', toFloat: () => ({}) },
  DeQuantize: { float: 'Identity', signature: '', toFloat: () => ({}) },
};

const DYNAMIC: Record<string, QuantizedSpec> = { ...CONV, Linear: LINEAR };

const STUBS: Record<string, QuantizedSpec> = {
  QuantStub: { float: 'Identity', signature: 'qconfig=None', toFloat: () => ({}) },
  DeQuantStub: { float: 'Identity', signature: 'qconfig=None', toFloat: () => ({}) },
};

function standIn(it: Interpreter, nn: NnClasses, name: string, spec: QuantizedSpec): PyClass {
  const floatCls = nn.layers[spec.float];
  const floatInit = floatCls.native!.methods!.__init__!;
  const sig = spec.signature === undefined ? undefined : parseSignature(spec.signature);
  return nativeClass(name, [floatCls], {
    methods: {
      __init__: (a, ctx) => {
        const self = a.positional[0] as PyInstance;
        let floatArgs: CallArgs = { positional: a.positional.slice(1), keywords: a.keywords };
        if (sig && spec.toFloat) {
          const b = bindNative(name, sig, floatArgs);
          if (!b.ok) return it.raise('TypeError', b.error);
          floatArgs = { positional: [], keywords: new Map(Object.entries(spec.toFloat(b.values))) };
        }
        floatInit({ positional: [self, ...floatArgs.positional], keywords: floatArgs.keywords }, ctx);
        if (spec.packed) for (const k of self.module!.parameters.keys()) self.module!.parameters.delete(k);
        return null;
      },
    },
  });
}

/** FloatFunctional: the module form of add / mul / cat quantized models use; plain ops in float. */
function floatFunctional(it: Interpreter, nn: NnClasses, torch: PyModule, name: string): PyClass {
  const op =
    (fn: string, after?: string) =>
    (a: CallArgs): Value => {
      const out = it.call(torch.attrs.get(fn)!, { positional: a.positional.slice(1), keywords: a.keywords });
      return after ? it.call(torch.attrs.get(after)!, { positional: [out], keywords: new Map() }) : out;
    };
  return nativeClass(name, [nn.layers.Identity], {
    methods: {
      __init__: (a) => {
        const self = a.positional[0] as PyInstance;
        self.module!.modules.set('activation_post_process', it.call(nn.layers.Identity, { positional: [], keywords: new Map() }));
        return null;
      },
      add: op('add'),
      add_scalar: op('add'),
      mul: op('mul'),
      mul_scalar: op('mul'),
      cat: op('cat'),
      add_relu: op('add', 'relu'),
      mul_relu: op('mul', 'relu'),
      matmul: op('matmul'),
    },
  });
}

/** QuantWrapper(module): quant → module → dequant. */
function quantWrapper(it: Interpreter, nn: NnClasses, stubs: Record<string, PyClass>): PyClass {
  return nativeClass('QuantWrapper', [nn.Module], {
    methods: {
      __init__: (a) => {
        const self = a.positional[0] as PyInstance;
        const none = { positional: [], keywords: new Map() };
        self.module!.modules.set('quant', it.call(stubs.QuantStub, none));
        self.module!.modules.set('dequant', it.call(stubs.DeQuantStub, none));
        self.module!.modules.set('module', a.positional[1] ?? null);
        return null;
      },
      forward: (a) => {
        const self = a.positional[0] as PyInstance;
        const call = (m: string, x: Value) => it.call(it.getAttr(self, m), { positional: [x], keywords: new Map() });
        return call('dequant', call('module', call('quant', a.positional[1] ?? null)));
      },
    },
  });
}

/** The quantization namespaces by dotted name, each one module object shared by its aliases. */
export function quantizedModules(it: Interpreter, nn: NnClasses, torch: PyModule): Record<string, PyModule> {
  const classes = (specs: Record<string, QuantizedSpec>) =>
    Object.fromEntries(Object.entries(specs).map(([n, s]) => [n, standIn(it, nn, n, s)])) as Record<string, Value>;
  const dynamic = moduleOf('torch.ao.nn.quantized.dynamic', classes(DYNAMIC));
  const functional = (n: string) => floatFunctional(it, nn, torch, n);
  const quantized = moduleOf('torch.ao.nn.quantized', {
    ...classes(STATIC),
    FloatFunctional: functional('FloatFunctional'),
    FXFloatFunctional: functional('FXFloatFunctional'),
    QFunctional: functional('QFunctional'),
    dynamic,
  });
  const stubs = classes(STUBS) as Record<string, PyClass>;
  const quantization = moduleOf('torch.ao.quantization', {
    ...stubs,
    QuantWrapper: quantWrapper(it, nn, stubs),
    fuse_modules: builtin('fuse_modules', () => it.unknown('fuse_modules folds batch norms into convolutions: not modelled')),
    prepare: builtin('prepare', () => it.unknown('quantization preparation is not modelled')),
    convert: builtin('convert', () => it.unknown('quantization conversion is not modelled')),
    quantize_dynamic: builtin('quantize_dynamic', () => it.unknown('dynamic quantization is not modelled')),
  });
  const aoNn = moduleOf('torch.ao.nn', { quantized });
  return {
    'torch.ao.nn': aoNn,
    'torch.ao.nn.quantized': quantized,
    'torch.ao.nn.quantized.modules': quantized,
    'torch.ao.nn.quantized.dynamic': dynamic,
    'torch.nn.quantized': quantized,
    'torch.nn.quantized.modules': quantized,
    'torch.nn.quantized.dynamic': dynamic,
    'torch.ao.quantization': quantization,
    'torch.ao.quantization.stubs': quantization,
    'torch.quantization': quantization,
  };
}
