// The native `torch` package as the interpreter sees it: torch, torch.nn, torch.nn.functional,
// torch.nn.init and the small helpers model files import (jit, fx, utils.checkpoint, cuda).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Module as AstModule } from '../python/ast';
import type { Interpreter } from '../interp/interpreter';
import { args, builtin, moduleOf, nativeClass, NO_ARGS } from '../interp/native';
import { numericValue } from '../interp/operators';
import { Scope } from '../interp/scope';
import { STDLIB } from '../interp/stdlib';
import {
  PyClass,
  PyDtype,
  PyFloat,
  PyFunction,
  PyInstance,
  PyList,
  PyModule,
  PyTuple,
  Unknown,
  type CallArgs,
  type Value,
} from '../interp/values';
import { F_RENAMED, FUNCTIONAL_ONLY, OPS, TORCH_ONLY, namespaceOps } from '../ops/catalogue';
import { shapeArg, sizeTuple } from '../ops/functional';
import { tupleOf } from '../ops/shapes';
import { symAdd, symEquals, symMul, type SymNum } from '../interp/symbolic';
import { recorderOf } from './recorder';
import type { NativeModuleFactory } from '../interp/imports';
import { createNnClasses } from './nnModule';
import { applySpectralNorm, removeWeightNorm } from './weightReparam';
import { AUTOGRAD_PRELUDE_EXPORTS, NN_PRELUDE, NN_PRELUDE_EXPORTS, NN_PRELUDE_FILE } from './prelude';
import { DTYPES, Tensor, unknownDim } from './tensor';
import { acceptingNumpy, fromNumpy } from './numpy/interop';
import { NdArray } from './numpy/ndarray';
import { opFunction } from './tensorSemantics';
import { deviceClass } from './device';
import { TORCH_HELPERS } from './torchHelpers';
import { dtypeAttr, finfo, iinfo } from './typeInfo';
import { quantizedModules } from './quantized';
import { cudaTensorTypes } from './legacyTensorTypes';
import { markWeightDtypesUnsure } from './mixedDtypes';

const EXTRA_MODULE_NAMES = [
  'torch.amp',
  'torch.fft',
  'torch.linalg',
  'torch.ao.nn',
  'torch.ao.nn.quantized',
  'torch.ao.nn.quantized.modules',
  'torch.ao.nn.quantized.dynamic',
  'torch.nn.quantized',
  'torch.nn.quantized.modules',
  'torch.nn.quantized.dynamic',
  'torch.ao.quantization.stubs',
  'torch.quantization',
];

/** Ops exposed as torch.<name>. */
const TORCH_FUNCTIONS = Object.keys(OPS).filter(
  (n) =>
    ![
      'linear',
      'interpolate',
      'pad',
      'embedding',
      'one_hot',
      'normalize',
      'scaled_dot_product_attention',
      'cross_entropy',
      'mse_loss',
      'l1_loss',
      'nll_loss',
      'binary_cross_entropy',
      'binary_cross_entropy_with_logits',
      'smooth_l1_loss',
      'huber_loss',
      'kl_div',
      'cosine_embedding_loss',
      'gelu',
      'silu',
      'hardswish',
      'hardsigmoid',
      'leaky_relu',
      'elu',
      'selu',
      'mish',
      'softplus',
      'glu_',
      'glu',
      'relu6',
      'logsigmoid',
      'softsign',
      'hardtanh',
      'tanhshrink',
      'hardshrink',
      'softshrink',
    ].includes(n) &&
    !FUNCTIONAL_ONLY.has(n) &&
    !n.includes('.'),
);

/** Ops exposed as torch.nn.functional.<name>. */
const FUNCTIONAL = Object.keys(OPS).filter(
  (n) =>
    ![
      'zeros',
      'ones',
      'empty',
      'rand',
      'randn',
      'full',
      'randint',
      'arange',
      'linspace',
      'eye',
      'tensor',
      'meshgrid',
      'cat',
      'stack',
      'matmul',
      'bmm',
      'mm',
      'einsum',
    ].includes(n) &&
    !TORCH_ONLY.has(n) &&
    !n.includes('.'),
);

interface TorchWorld {
  modules: Record<string, PyModule>;
}

const WORLD = 'torchWorld';

function world(it: Interpreter): TorchWorld {
  let w = it.ext.get(WORLD) as TorchWorld | undefined;
  if (!w) {
    w = buildTorch(it);
    it.ext.set(WORLD, w);
  }
  return w;
}

/** Native module factories for every torch name the interpreter resolves natively. */
export const TORCH_NATIVES: Record<string, NativeModuleFactory> = Object.fromEntries(
  [
    'torch',
    'torch.nn',
    'torch.nn.functional',
    'torch.nn.init',
    'torch.nn.modules',
    'torch.nn.modules.utils',
    'torch.nn.modules.activation',
    'torch.nn.modules.linear',
    'torch.nn.modules.conv',
    'torch.nn.modules.batchnorm',
    'torch.nn.modules.instancenorm',
    'torch.nn.modules.normalization',
    'torch.nn.modules.container',
    'torch.nn.modules.transformer',
    'torch.nn.parameter',
    'torch.nn.utils',
    'torch.nn.utils.rnn',
    'torch.nn.utils.parametrizations',
    'torch.jit',
    'torch.fx',
    'torch.cuda',
    'torch.backends',
    'torch.backends.cudnn',
    'torch.utils',
    'torch.utils.checkpoint',
    'torch.distributed',
    'torch.autograd',
    'torch.autograd.function',
    'torch.hub',
    'torch.ao',
    'torch.ao.quantization',
    ...EXTRA_MODULE_NAMES,
    'torch.overrides',
    'torch.types',
    'torch._C',
  ].map((name) => [name, (it: Interpreter) => world(it).modules[name] ?? moduleOf(name, {})]),
);

export const NATIVE_ROOTS = ['torch'];

function identityDecorator(name: string) {
  return builtin(name, (a) => {
    const f = a.positional[0];
    if (
      a.positional.length === 1 &&
      f !== null &&
      typeof f === 'object' &&
      (f instanceof PyFunction || f instanceof PyClass || ('kind' in f && f.kind === 'builtin'))
    )
      return f;
    return builtin(`${name}.inner`, (b) => b.positional[0] ?? null);
  });
}

function contextManager(it: Interpreter, name: string): Value {
  const cls = nativeClass(name, [it.classes.object], {
    methods: {
      __enter__: (a) => a.positional[0] ?? null,
      __exit__: () => false,
      // also usable as a decorator: @torch.no_grad()
      __call__: (a) => a.positional[1] ?? null,
    },
  });
  return builtin(name, (a) => {
    // mixed dtypes are valid under autocast, which the analyzer does not model
    if (name === 'autocast') markWeightDtypesUnsure(it);
    const f = a.positional[0];
    if (f instanceof PyFunction) return f;
    return new PyInstance(cls);
  });
}

/** A tensor layout (torch.strided): only passed along (factory functions' `layout=`). */
function layout(it: Interpreter, name: string): PyInstance {
  const cls = nativeClass('layout', [it.classes.object], { methods: { __repr__: () => name } });
  return new PyInstance(cls);
}

/** torch.linalg / torch.fft: the catalogue's "linalg.<name>" ops under their plain names. */
function namespaceModule(name: string, prefix: string): PyModule {
  return moduleOf(
    name,
    Object.fromEntries(namespaceOps(prefix).map((n) => [n.slice(prefix.length), opFunction(`${name}.${n.slice(prefix.length)}`, n)])),
  );
}

function buildTorch(it: Interpreter): TorchWorld {
  const nn = createNnClasses(it);
  const builtinMethod = it.builtinMethod;
  it.builtinMethod = (obj, name) => (obj instanceof PyDtype ? dtypeAttr(obj, name) : builtinMethod(obj, name));
  const F = moduleOf('torch.nn.functional', Object.fromEntries(FUNCTIONAL.map((n) => [n, opFunction(`F.${n}`, n)])));
  for (const [name, op] of Object.entries(F_RENAMED)) F.attrs.set(name, opFunction(`F.${name}`, op));
  const init = moduleOf('torch.nn.init', {});
  for (const n of [
    'normal_',
    'uniform_',
    'zeros_',
    'ones_',
    'constant_',
    'xavier_uniform_',
    'xavier_normal_',
    'kaiming_uniform_',
    'kaiming_normal_',
    'trunc_normal_',
    'orthogonal_',
    'eye_',
    'dirac_',
    'sparse_',
    // torch 1.13 still has the deprecated names without the trailing underscore (3D DenseNet calls kaiming_normal)
    'uniform',
    'normal',
    'constant',
    'xavier_uniform',
    'xavier_normal',
    'kaiming_uniform',
    'kaiming_normal',
    'orthogonal',
    'sparse',
  ])
    init.attrs.set(
      n,
      builtin(`init.${n}`, (a) => a.positional[0] ?? null),
    );
  init.attrs.set(
    'calculate_gain',
    builtin('calculate_gain', () => new PyFloat(1)),
  );
  init.attrs.set(
    '_calculate_fan_in_and_fan_out',
    builtin('_calculate_fan_in_and_fan_out', (a) => {
      const t = a.positional[0];
      if (!(t instanceof Tensor) || !t.shape || t.shape.length < 2) return it.unknown('fan-in of a tensor of unknown shape');
      const rf = t.shape.slice(2).reduce<number>((p, q) => p * (typeof q === 'number' ? q : NaN), 1);
      const [o, i] = t.shape;
      if (typeof o !== 'number' || typeof i !== 'number' || Number.isNaN(rf)) return it.unknown('fan-in of a symbolic tensor');
      return new PyTuple([i * rf, o * rf]);
    }),
  );

  const ntuple = (n: number) =>
    builtin(`_ntuple${n}`, (a) => {
      const v = a.positional[0] ?? null;
      if (v instanceof PyTuple || v instanceof PyList) return new PyTuple(v.items);
      return new PyTuple(Array(n).fill(v));
    });
  const modulesUtils = moduleOf('torch.nn.modules.utils', {
    _single: ntuple(1),
    _pair: ntuple(2),
    _triple: ntuple(3),
    _quadruple: ntuple(4),
    _ntuple: builtin('_ntuple', (a) => ntuple(numericValue(a.positional[0] ?? 2) ?? 2)),
  });

  const torch = moduleOf('torch', Object.fromEntries(TORCH_FUNCTIONS.map((n) => [n, opFunction(`torch.${n}`, n)])));
  const nnMod = moduleOf('torch.nn', { Module: nn.Module, Parameter: nn.Parameter, Buffer: nn.Buffer, functional: F, init, ...nn.layers });
  const TensorCls = nativeClass('Tensor', [it.classes.object], {
    methods: {
      __instancecheck__: (a) => a.positional[1] instanceof Tensor,
      __construct__: (a) => {
        const [, first, ...rest] = a.positional;
        // torch.Tensor(data): a list, a tuple that is no torch.Size, or an array is data, in float32
        const isData = first instanceof PyList || (first instanceof PyTuple && first.typeName !== 'Size') || first instanceof NdArray;
        if (isData && rest.length === 0)
          return it.call(torch.attrs.get('tensor')!, { positional: [first], keywords: new Map([['dtype', DTYPES.float32]]) });
        const shape = shapeArg(first, rest, 'size');
        return shape instanceof Unknown ? shape : new Tensor(shape);
      },
    },
  });
  const Size = nativeClass('Size', [it.classes.object], {
    methods: {
      __construct__: (a) => {
        const items = it.iterate(a.positional[1] ?? new PyTuple([]));
        return items instanceof Unknown ? items : sizeTuple(items.map((x) => tupleOf(x, 1, 'size')[0]));
      },
      __instancecheck__: (a) => a.positional[1] instanceof PyTuple && (a.positional[1] as PyTuple).typeName === 'Size',
    },
  });
  for (const [k, v] of Object.entries(DTYPES)) torch.attrs.set(k, v);
  const set = (m: PyModule, entries: Record<string, Value>) => {
    for (const [k, v] of Object.entries(entries)) m.attrs.set(k, v);
  };
  const jit = moduleOf('torch.jit', {
    script: identityDecorator('torch.jit.script'),
    trace: builtin('torch.jit.trace', (a) => a.positional[0] ?? null),
    is_scripting: builtin('is_scripting', () => false),
    is_tracing: builtin('is_tracing', () => false),
    unused: identityDecorator('torch.jit.unused'),
    ignore: identityDecorator('torch.jit.ignore'),
    export: identityDecorator('torch.jit.export'),
    _overload_method: identityDecorator('torch.jit._overload_method'),
    _overload: identityDecorator('torch.jit._overload'),
    interface: identityDecorator('torch.jit.interface'),
    annotate: builtin('annotate', (a) => a.positional[1] ?? null),
    Final: it.classes.object,
    Attribute: builtin('Attribute', (a) => a.positional[0] ?? null),
    ScriptModule: nn.Module,
  });
  const fx = moduleOf('torch.fx', {
    wrap: builtin('torch.fx.wrap', (a) => a.positional[0] ?? null),
    Proxy: nativeClass('Proxy', [it.classes.object]),
  });
  const cuda = moduleOf('torch.cuda', {
    is_available: builtin('is_available', () => false),
    device_count: builtin('device_count', () => 0),
    is_bf16_supported: builtin('is_bf16_supported', () => false),
    amp: moduleOf('torch.cuda.amp', {
      autocast: contextManager(it, 'autocast'),
      GradScaler: builtin('GradScaler', () => it.unknown('GradScaler')),
    }),
    manual_seed: builtin('manual_seed', () => null),
    synchronize: builtin('synchronize', () => null),
    ...cudaTensorTypes(it),
    // selects the current GPU: no effect on shapes or costs (mamba_ssm's Triton launches sit in one)
    device: contextManager(it, 'device'),
  });
  const cudnn = moduleOf('torch.backends.cudnn', { benchmark: false, deterministic: false, allow_tf32: true, enabled: true });
  const backends = moduleOf('torch.backends', {
    cudnn,
    cuda: moduleOf('torch.backends.cuda', {}),
    mps: moduleOf('torch.backends.mps', { is_available: builtin('is_available', () => false) }),
  });
  const checkpoint = moduleOf('torch.utils.checkpoint', {
    checkpoint: builtin('checkpoint', (a) =>
      runCheckpointed(it, a.positional[0] ?? null, {
        positional: a.positional.slice(1),
        keywords: new Map(
          [...a.keywords].filter(([k]) => !['use_reentrant', 'preserve_rng_state', 'context_fn', 'determinism_check', 'debug'].includes(k)),
        ),
      }),
    ),
    checkpoint_sequential: builtin('checkpoint_sequential', (a) => it.call(a.positional[0] ?? null, args(a.positional[2] ?? null))),
  });
  const utils = moduleOf('torch.utils', { checkpoint });
  const distributed = moduleOf('torch.distributed', {
    is_available: builtin('is_available', () => false),
    is_initialized: builtin('is_initialized', () => false),
    get_world_size: builtin('get_world_size', () => 1),
    get_rank: builtin('get_rank', () => 0),
  });
  const autograd = moduleOf('torch.autograd', {
    Function: nativeClass('Function', [it.classes.object]), // replaced by the prelude's
    grad: builtin('grad', () => it.unknown('autograd.grad')),
    // torch < 0.4's wrapper, now the tensor itself: `Variable(t, requires_grad=True)` gives t's values
    Variable: builtin('Variable', (a) => a.positional[0] ?? it.unknown('Variable() of no tensor')),
  });
  const C = moduleOf('torch._C', {
    _log_api_usage_once: builtin('_log_api_usage_once', () => null),
    _get_tracing_state: builtin('_get_tracing_state', () => null),
  });
  set(torch, {
    nn: nnMod,
    Tensor: TensorCls,
    Size,
    jit,
    fx,
    cuda,
    backends,
    utils,
    distributed,
    autograd,
    _C: C,
    __version__: '2.6.0',
    dtype: nativeClass('dtype', [it.classes.object], { methods: { __instancecheck__: (a) => a.positional[1] instanceof PyDtype } }),
    device: deviceClass(it),
    no_grad: contextManager(it, 'no_grad'),
    enable_grad: contextManager(it, 'enable_grad'),
    inference_mode: contextManager(it, 'inference_mode'),
    autocast: contextManager(it, 'autocast'),
    set_grad_enabled: contextManager(it, 'set_grad_enabled'),
    is_tensor: builtin('is_tensor', (a) => a.positional[0] instanceof Tensor),
    is_floating_point: builtin('is_floating_point', (a) => a.positional[0] instanceof Tensor && (a.positional[0] as Tensor).dtype.isFloat),
    ...TORCH_HELPERS(it),
    numel: builtin('numel', (a) => it.call(it.getAttr(a.positional[0] ?? null, 'numel'), NO_ARGS)),
    manual_seed: builtin('manual_seed', () => null),
    get_default_dtype: builtin('get_default_dtype', () => DTYPES.float32),
    set_default_dtype: builtin('set_default_dtype', () => {
      markWeightDtypesUnsure(it);
      return null;
    }),
    compile: builtin('compile', (a) => a.positional[0] ?? null),
    _assert: builtin('_assert', () => null),
    from_numpy: fromNumpy(it),
    load: builtin('load', () => it.unknown('torch.load reads a file')),
    save: builtin('save', () => null),
    finfo: builtin('finfo', (a) => finfo(it, a.positional[0] ?? a.keywords.get('type'))),
    iinfo: builtin('iinfo', (a) => iinfo(it, a.positional[0] ?? a.keywords.get('type'))),
    Generator: builtin('Generator', () => it.unknown('torch.Generator')),
    hub: moduleOf('torch.hub', {
      load: builtin('hub.load', () => it.unknown('torch.hub.load downloads a model')),
      load_state_dict_from_url: builtin('load_state_dict_from_url', () => it.unknown('weights are not downloaded')),
    }),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    pi: new PyFloat(Math.PI),
    overrides: moduleOf('torch.overrides', {
      has_torch_function: builtin('has_torch_function', () => false),
      handle_torch_function: builtin('handle_torch_function', () => it.unknown('torch function override')),
    }),
    ao: moduleOf('torch.ao', {}),
    amp: moduleOf('torch.amp', {
      autocast: contextManager(it, 'autocast'),
      GradScaler: builtin('GradScaler', () => it.unknown('GradScaler')),
    }),
    fft: namespaceModule('torch.fft', 'fft.'),
    strided: layout(it, 'torch.strided'),
    sparse_coo: layout(it, 'torch.sparse_coo'),
    // compiled extensions' ops: loading one is a no-op, the ops it registers are modelled natively
    ops: moduleOf('torch.ops', {
      load_library: builtin('load_library', () => null),
      torchvision: namespaceModule('torch.ops.torchvision', 'torchvision.'),
    }),
    linalg: namespaceModule('torch.linalg', 'linalg.'),
  });
  const tensorFn = torch.attrs.get('tensor')!;
  for (const name of ['tensor', 'as_tensor', 'asarray'])
    torch.attrs.set(name, acceptingNumpy(`torch.${name}`, torch.attrs.get(name), tensorFn, it));

  // the Python-written parts of torch.nn (containers, Transformer) run on the native ones
  const copyMod = STDLIB.copy(it);
  const collections = STDLIB.collections(it);
  const prelude = runPrelude(it, nnMod, {
    Module: nn.Module,
    Parameter: nn.Parameter,
    OrderedDict: collections.attrs.get('OrderedDict')!,
    F,
    torch,
    copy: copyMod,
    ...nn.layers,
  });
  // torch.autograd.Function (Python-written in the prelude): apply runs forward with a context
  const autogradFunction = moduleOf('torch.autograd.function', {
    once_differentiable: builtin('once_differentiable', (a) => a.positional[0] ?? null),
  });
  for (const n of AUTOGRAD_PRELUDE_EXPORTS) {
    const cls = prelude?.attrs.get(n);
    if (!cls) continue;
    autograd.attrs.set(n, cls);
    autogradFunction.attrs.set(n, cls);
  }
  autograd.attrs.set('function', autogradFunction);

  const nnModules = moduleOf('torch.nn.modules', { ...Object.fromEntries(nnMod.attrs), ...nn.layerBases, utils: modulesUtils });
  // its submodules (`nn.modules.batchnorm._BatchNorm`): each holds every layer and base, as one module
  const NN_SUBMODULES = ['activation', 'linear', 'conv', 'batchnorm', 'instancenorm', 'normalization', 'container', 'transformer'];
  const nnSubmodules = NN_SUBMODULES.map((sub) => moduleOf(`torch.nn.modules.${sub}`, Object.fromEntries(nnModules.attrs)));
  NN_SUBMODULES.forEach((sub, i) => nnModules.attrs.set(sub, nnSubmodules[i]));
  const weightNorm = builtin('weight_norm', (a) =>
    applyWeightNorm(
      it,
      a.positional[0] ?? null,
      a.positional[1] ?? a.keywords.get('name') ?? 'weight',
      a.positional[2] ?? a.keywords.get('dim') ?? 0,
    ),
  );
  const nnUtils = moduleOf('torch.nn.utils', {
    weight_norm: weightNorm,
    remove_weight_norm: builtin('remove_weight_norm', (a) =>
      removeWeightNorm(it, a.positional[0] ?? null, a.positional[1] ?? a.keywords.get('name') ?? 'weight'),
    ),
    spectral_norm: builtin('spectral_norm', (a) =>
      applySpectralNorm(
        a.positional[0] ?? null,
        a.positional[1] ?? a.keywords.get('name') ?? 'weight',
        a.positional[2] ?? a.keywords.get('n_power_iterations') ?? 1,
        a.positional[4] ?? a.keywords.get('dim') ?? null,
      ),
    ),
    clip_grad_norm_: builtin('clip_grad_norm_', () => null),
    parametrizations: moduleOf('torch.nn.utils.parametrizations', {
      weight_norm: weightNorm,
      spectral_norm: builtin('spectral_norm', (a) =>
        applySpectralNorm(
          a.positional[0] ?? null,
          a.positional[1] ?? a.keywords.get('name') ?? 'weight',
          a.positional[2] ?? a.keywords.get('n_power_iterations') ?? 1,
          a.positional[4] ?? a.keywords.get('dim') ?? null,
          true,
        ),
      ),
    }),
    rnn: moduleOf('torch.nn.utils.rnn', {
      pack_padded_sequence: builtin('pack_padded_sequence', (a) =>
        packPadded(a.positional[0] ?? null, a.positional[2] ?? a.keywords.get('batch_first') ?? false),
      ),
      pad_packed_sequence: builtin('pad_packed_sequence', (a) =>
        padPacked(a.positional[0] ?? null, a.positional[1] ?? a.keywords.get('batch_first') ?? false),
      ),
      pad_sequence: builtin('pad_sequence', (a) =>
        padSequence(it, a.positional[0] ?? a.keywords.get('sequences') ?? null, a.positional[1] ?? a.keywords.get('batch_first') ?? false),
      ),
    }),
  });
  nnMod.attrs.set('modules', nnModules);
  nnMod.attrs.set('utils', nnUtils);
  nnMod.attrs.set('parameter', moduleOf('torch.nn.parameter', { Parameter: nn.Parameter, Buffer: nn.Buffer }));
  const modules: Record<string, PyModule> = {
    torch,
    'torch.nn': nnMod,
    'torch.nn.functional': F,
    'torch.nn.init': init,
    'torch.nn.modules': nnModules,
    'torch.nn.modules.utils': modulesUtils,
    'torch.nn.parameter': nnMod.attrs.get('parameter') as PyModule,
    'torch.nn.utils': nnUtils,
    'torch.nn.utils.rnn': nnUtils.attrs.get('rnn') as PyModule,
    'torch.nn.utils.parametrizations': nnUtils.attrs.get('parametrizations') as PyModule,
    'torch.jit': jit,
    'torch.fx': fx,
    'torch.cuda': cuda,
    'torch.backends': backends,
    'torch.backends.cudnn': cudnn,
    'torch.utils': utils,
    'torch.utils.checkpoint': checkpoint,
    'torch.distributed': distributed,
    'torch.autograd': autograd,
    'torch.autograd.function': autograd.attrs.get('function') as PyModule,
    'torch._C': C,
    'torch.ao': torch.attrs.get('ao') as PyModule,
  };
  NN_SUBMODULES.forEach((sub, i) => (modules[`torch.nn.modules.${sub}`] = nnSubmodules[i]));
  Object.assign(modules, quantizedModules(it, nn, torch));
  modules['torch.fft'] = torch.attrs.get('fft') as PyModule;
  modules['torch.amp'] = torch.attrs.get('amp') as PyModule;
  modules['torch.linalg'] = torch.attrs.get('linalg') as PyModule;
  (torch.attrs.get('ao') as PyModule).attrs.set('nn', modules['torch.ao.nn']);
  (torch.attrs.get('ao') as PyModule).attrs.set('quantization', modules['torch.ao.quantization']);
  torch.attrs.set('quantization', modules['torch.quantization']);
  nnMod.attrs.set('quantized', modules['torch.nn.quantized']);
  return { modules };
}

/** Runs fn under torch.utils.checkpoint, recording the region so training memory keeps only its inputs. */
function runCheckpointed(it: Interpreter, fn: Value, callArgs: CallArgs): Value {
  const rec = recorderOf(it);
  if (!rec) return it.call(fn, callArgs);
  let inputElements: SymNum = 0;
  for (const t of callArgs.positional.filter((x): x is Tensor => x instanceof Tensor))
    inputElements = symAdd(inputElements, t.numel() ?? 0);
  const firstEvent = rec.events.length;
  try {
    return it.call(fn, callArgs);
  } finally {
    rec.checkpointRegions.push({ inputElements, firstEvent, lastEvent: rec.events.length });
  }
}

/** pack_padded_sequence: (T, B, *) or (B, T, *) → data of (T·B, *), all sequences assumed full length. */
function packPadded(x: Value, batchFirst: Value): Value {
  if (!(x instanceof Tensor) || !x.shape || x.shape.length < 2) return x;
  const [a, b, ...rest] = x.shape;
  const [time, batch] = batchFirst === true ? [b, a] : [a, b];
  const data = new Tensor([symMul(time, batch), ...rest], x.dtype);
  data.packed = { time, batch };
  return data;
}

/** pad_packed_sequence: back to (T, B, *) or (B, T, *), with the lengths. */
function padPacked(x: Value, batchFirst: Value): Value {
  if (!(x instanceof Tensor) || !x.shape || !x.packed)
    return new PyTuple([x, new Tensor(null, DTYPES.int64, undefined, 'sequence lengths')]);
  const { time, batch } = x.packed;
  const rest = x.shape.slice(1);
  const shape = batchFirst === true ? [batch, time, ...rest] : [time, batch, ...rest];
  return new PyTuple([new Tensor(shape, x.dtype), new Tensor([batch], DTYPES.int64)]);
}

/** pad_sequence: (B, T, *) or (T, B, *), T the longest length (an unknown dim when lengths are data-dependent). */
function padSequence(it: Interpreter, sequences: Value, batchFirst: Value): Value {
  const items = sequences instanceof PyList || sequences instanceof PyTuple ? sequences.items : null;
  if (!items || items.length === 0) return it.unknown('pad_sequence of sequences that are not known');
  const tensors = items.filter((t): t is Tensor => t instanceof Tensor && !!t.shape && t.shape.length > 0);
  if (tensors.length !== items.length) return it.unknown('pad_sequence of sequences that are not known');
  const lengths = tensors.map((t) => t.shape![0]);
  const numbers = lengths.filter((n): n is number => typeof n === 'number');
  const longest =
    numbers.length === lengths.length
      ? Math.max(...numbers)
      : lengths.every((n) => symEquals(n, lengths[0]))
        ? lengths[0]
        : unknownDim('pad_sequence pads to the longest of lengths that are not known statically');
  const rest = tensors[0].shape!.slice(1);
  const batch = tensors.length;
  return new Tensor(batchFirst === true ? [batch, longest, ...rest] : [longest, batch, ...rest], tensors[0].dtype);
}

/** weight_norm replaces `weight` by weight_g (the norms along `dim`) and weight_v (the direction). */
function applyWeightNorm(it: Interpreter, module: Value, name: Value, dim: Value): Value {
  if (!(module instanceof PyInstance) || !module.module || typeof name !== 'string') return module;
  const w = module.module.parameters.get(name);
  if (!(w instanceof Tensor) || !w.shape) return module;
  const d = numericValue(dim);
  const axis = d === null ? -1 : d < 0 ? d + w.shape.length : d;
  const g = new Tensor(
    w.shape.map((s, i) => (i === axis ? s : 1)),
    w.dtype,
  );
  const v = new Tensor(w.shape, w.dtype);
  for (const p of [g, v]) {
    p.isParameter = true;
    p.requiresGrad = true;
  }
  module.module.parameters.delete(name);
  module.module.parameters.set(`${name}_g`, g);
  module.module.parameters.set(`${name}_v`, v);
  // the module still reads `weight` in forward
  module.attrs.set(name, new Tensor(w.shape, w.dtype));
  void it;
  return module;
}

/**
 * The prelude's AST, converted at build time into dist/prelude-ast.json (scripts/build.mjs)
 * so an extension host does not parse it on every start; parsed here when running from source.
 */
function preludeAst(parse: (text: string, file: string) => AstModule): AstModule {
  const here = typeof __dirname === 'string' ? __dirname : '';
  const file = here ? join(here, 'prelude-ast.json') : '';
  if (file && existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as SerializedPrelude;
      if (saved.source === NN_PRELUDE) return { body: saved.body, syntaxErrors: [], directives: new Map() };
    } catch {
      // fall back to parsing
    }
  }
  return parse(NN_PRELUDE, NN_PRELUDE_FILE);
}

export interface SerializedPrelude {
  source: string;
  body: AstModule['body'];
}

function runPrelude(it: Interpreter, nnMod: PyModule, names: Record<string, Value>): PyModule | undefined {
  const parse = it.options.parse;
  if (!parse) return undefined;
  const mod = runTorchPython(it, preludeAst(parse), 'torch.nn.modules.prelude', NN_PRELUDE_FILE, names);
  for (const n of NN_PRELUDE_EXPORTS) nnMod.attrs.set(n, mod.attrs.get(n)!);
  return mod;
}

/** Runs torch's Python-written parts with a fresh step budget; throws if they raise. */
function runTorchPython(it: Interpreter, ast: AstModule, name: string, file: string, names: Record<string, Value>): PyModule {
  const mod = new PyModule(name, file);
  for (const [k, v] of Object.entries(names)) mod.attrs.set(k, v);
  const scope = new Scope('module', null, mod.attrs);
  const savedSteps = it.steps;
  const savedBudget = it.budget;
  it.steps = 0;
  it.budget = 1_000_000;
  try {
    const raised = it.runModule(ast, {
      name,
      packageName: name.slice(0, name.lastIndexOf('.')),
      file,
      scope,
      module: mod,
    });
    if (raised) throw new Error(`${name} raised: ${String(raised.exc.payload)}`);
  } finally {
    it.steps = savedSteps;
    it.budget = savedBudget;
  }
  return mod;
}
