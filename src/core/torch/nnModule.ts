// torch.nn.Module and the catalogue layers as Python classes. Module keeps _modules,
// _parameters and _buffers as torch does (assignment registers them through the attribute
// hooks in moduleAttrs.ts); calling a module runs its forward under the cost recorder.
import { bindNative, parseSignature, type NativeParam } from '../interp/callArgs';
import type { Interpreter } from '../interp/interpreter';
import { args, builtin, nativeClass, NO_ARGS } from '../interp/native';
import {
  PyBoundMethod,
  PyClass,
  PyDict,
  PyDtype,
  PyFunction,
  PyInstance,
  PyIterator,
  PyTuple,
  Unknown,
  type CallArgs,
  type Value,
  classesChanged,
} from '../interp/values';
import type { SymNum } from '../interp/symbolic';
import type { LayerSpec } from '../ops/layerSpec';
import { LAYERS, LAYER_ALIASES } from '../ops/layers';
import { moduleAttrHooks } from './moduleAttrs';
import type { ModuleState } from './moduleState';
import { recordLayer, tensorsIn } from './record';
import { recorderOf, type ModuleCall } from './recorder';
import { DEFAULT_FLOAT, Tensor } from './tensor';
import { markWeightDtypesUnsure } from './mixedDtypes';
import { recordSpectralNorms } from './weightReparam';

export interface NnClasses {
  Module: PyClass;
  Parameter: PyClass;
  Buffer: PyClass;
  layers: Record<string, PyClass>;
  /** torch's private bases of layer families (`_ConvNd`, `_BatchNorm`, …), by name. */
  layerBases: Record<string, PyClass>;
}

/**
 * torch's private base classes of layer families, as torch 1.13 derives them, so that weight-init
 * code's `isinstance(m, nn.modules.batchnorm._NormBase)` answers as in torch. Subclassing one is
 * not modelled (its `__init__` makes the parameters): that raises rather than build a layer without them.
 */
export const LAYER_BASES: readonly { name: string; module: string; base?: string; layers: readonly string[] }[] = [
  { name: '_ConvNd', module: 'conv', layers: ['Conv1d', 'Conv2d', 'Conv3d'] },
  { name: '_ConvTransposeNd', module: 'conv', base: '_ConvNd', layers: ['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d'] },
  { name: '_NormBase', module: 'batchnorm', layers: [] },
  { name: '_BatchNorm', module: 'batchnorm', base: '_NormBase', layers: ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'SyncBatchNorm'] },
  { name: '_InstanceNorm', module: 'instancenorm', base: '_NormBase', layers: ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d'] },
];

function state(inst: Value): ModuleState | undefined {
  return inst instanceof PyInstance ? inst.module : undefined;
}

/** `add_module(name, m)`; an unknown `m` may be a module whose parameters nobody can count. */
function addModule(self: Value, name: Value | undefined, m: Value | undefined): null {
  const st = state(self);
  if (!st) return null;
  st.modules.set(name ?? null, m ?? null);
  if (m instanceof Unknown && m.pyType === undefined && typeof name === 'string') {
    (st.unknownAttrs ??= new Map()).set(name, m.reason);
    (st.unknownAttrSites ??= new Map()).set(name, { file: m.file, line: m.line });
  }
  return null;
}

export function newModuleState(it: Interpreter): ModuleState {
  return { modules: new PyDict(), parameters: new PyDict(), buffers: new PyDict(), sites: it.callSites() };
}

/** Distinct parameter tensors under a module, in registration order (what model.parameters() yields). */
export function collectParameters(root: PyInstance, unique = true, recurse = true): { name: string; tensor: Tensor }[] {
  const out: { name: string; tensor: Tensor }[] = [];
  const seen = new Set<Tensor>();
  const visited = new Set<PyInstance>();
  const walk = (m: PyInstance, prefix: string) => {
    if (visited.has(m)) return;
    visited.add(m);
    const st = m.module!;
    for (const [name, p] of st.parameters.entries.values()) {
      if (!(p instanceof Tensor)) continue;
      if (unique && seen.has(p)) continue;
      seen.add(p);
      out.push({ name: `${prefix}${String(name)}`, tensor: p });
    }
    if (recurse)
      for (const [name, c] of st.modules.entries.values()) if (c instanceof PyInstance && c.module) walk(c, `${prefix}${String(name)}.`);
  };
  walk(root, '');
  return out;
}

/** Distinct parameter tensors under a module, in registration order, without their names (collectParameters' tensors). */
export function parameterTensors(root: PyInstance): Tensor[] {
  const out: Tensor[] = [];
  const seen = new Set<Tensor>();
  const visited = new Set<PyInstance>();
  const walk = (m: PyInstance) => {
    if (visited.has(m)) return;
    visited.add(m);
    const st = m.module!;
    for (const p of st.parameters.entries.values())
      if (p[1] instanceof Tensor && !seen.has(p[1])) {
        seen.add(p[1]);
        out.push(p[1]);
      }
    for (const c of st.modules.entries.values()) if (c[1] instanceof PyInstance && c[1].module) walk(c[1]);
  };
  walk(root);
  return out;
}

/**
 * Module.train(mode) as torch runs it: the module's flag, then each child's own `train` — a
 * subclass's override included (LeViT caches its attention biases there when switched to eval).
 */
function trainTree(it: Interpreter, self: PyInstance, on: boolean, seen = new Set<PyInstance>()): void {
  if (seen.has(self)) return;
  seen.add(self);
  self.attrs.set('training', on);
  for (const c of self.module!.modules.entries.values()) if (c[1] instanceof PyInstance && c[1].module) switchMode(it, c[1], on, seen);
}

/** `m.train(on)` / `m.eval()`: a class's own `train` when it has one, else torch's. */
export function switchMode(it: Interpreter, m: PyInstance, on: boolean, seen = new Set<PyInstance>()): void {
  const own = m.cls.lookup('train');
  if (own instanceof PyFunction) it.call(it.bindIfFunction(own, m), args(on));
  else trainTree(it, m, on, seen);
}

/** Every module under root, root first, in namedModules' order, without building paths (modules()). */
export function allModules(root: PyInstance): PyInstance[] {
  const out: PyInstance[] = [];
  const seen = new Set<PyInstance>();
  const walk = (m: PyInstance) => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push(m);
    for (const c of m.module!.modules.entries.values()) if (c[1] instanceof PyInstance && c[1].module) walk(c[1]);
  };
  walk(root);
  return out;
}

/** Every module under root with its dotted path, root first (named_modules). */
export function namedModules(root: PyInstance): { path: string; module: PyInstance }[] {
  const out: { path: string; module: PyInstance }[] = [];
  const seen = new Set<PyInstance>();
  const walk = (m: PyInstance, path: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    out.push({ path, module: m });
    for (const [name, c] of m.module!.modules.entries.values())
      if (c instanceof PyInstance && c.module) walk(c, path ? `${path}.${String(name)}` : String(name));
  };
  walk(root, '');
  return out;
}

/**
 * The catalogue spec of a layer class (its own or a base class's), if any; kept per class while
 * no class changes (every module call asks), one shared object that callers only read.
 */
export function layerSpecOf(cls: PyClass): Readonly<{ type: string; spec: LayerSpec }> | undefined {
  return cls.derived('layerSpec', findLayerSpec);
}

function findLayerSpec(cls: PyClass): { type: string; spec: LayerSpec } | undefined {
  for (const c of cls.mro) if (c.layerType) return { type: c.layerType, spec: LAYERS[LAYER_ALIASES[c.layerType] ?? c.layerType] };
  return undefined;
}

function makeParameter(shape: readonly SymNum[] | null, requiresGrad = true, reason?: string): Tensor {
  const t = new Tensor(shape, DEFAULT_FLOAT, undefined, reason);
  t.isParameter = true;
  t.requiresGrad = requiresGrad;
  return t;
}

export function createNnClasses(it: Interpreter): NnClasses {
  const object = it.classes.object;
  const self0 = (a: CallArgs) => a.positional[0] as PyInstance;
  const Module: PyClass = nativeClass('Module', [object], {
    create: (cls) => {
      const inst = new PyInstance(cls);
      inst.module = newModuleState(it);
      inst.attrs.set('training', false);
      return inst;
    },
    methods: {
      __init__: () => null,
      __call__: (a) => callModule(it, self0(a), { positional: a.positional.slice(1), keywords: a.keywords }),
      forward: (a) => it.raise('NotImplementedError', `Module [${self0(a).cls.name}] is missing the required "forward" function`),
      add_module: (a) => addModule(self0(a), a.positional[1], a.positional[2]),
      register_module: (a) => addModule(self0(a), a.positional[1], a.positional[2]),
      register_buffer: (a) => {
        const [self, name, t] = a.positional;
        const st = state(self);
        if (st && typeof name === 'string') {
          st.buffers.set(name, t ?? null);
          (self as PyInstance).attrs.delete(name);
        }
        return null;
      },
      register_parameter: (a) => {
        const [self, name, p] = a.positional;
        const st = state(self);
        if (st && typeof name === 'string') st.parameters.set(name, p ?? null);
        return null;
      },
      parameters: (a) => new PyIterator(parameterTensors(self0(a))),
      named_parameters: (a) => new PyIterator(collectParameters(self0(a)).map((p) => new PyTuple([p.name, p.tensor]))),
      buffers: (a) => new PyIterator(allModules(self0(a)).flatMap((m) => m.module!.buffers.values())),
      named_buffers: (a) =>
        new PyIterator(
          namedModules(self0(a)).flatMap((m) =>
            [...m.module.module!.buffers.entries.values()].map(([k, v]) => new PyTuple([m.path ? `${m.path}.${String(k)}` : k, v])),
          ),
        ),
      children: (a) =>
        new PyIterator(
          self0(a)
            .module!.modules.values()
            .filter((m) => m !== null),
        ),
      named_children: (a) =>
        new PyIterator([...self0(a).module!.modules.entries.values()].filter(([, m]) => m !== null).map(([k, m]) => new PyTuple([k, m]))),
      modules: (a) => new PyIterator(allModules(self0(a))),
      named_modules: (a) => new PyIterator(namedModules(self0(a)).map((m) => new PyTuple([m.path, m.module]))),
      apply: (a) => {
        const [self, fn] = a.positional;
        markWeightDtypesUnsure(it); // fn may convert the weights (guided-diffusion's convert_module_to_f16)
        const visit = (m: PyInstance) => {
          for (const c of m.module!.modules.values()) if (c instanceof PyInstance && c.module) visit(c);
          it.call(fn ?? null, args(m));
        };
        visit(self as PyInstance);
        return self ?? null;
      },
      train: (a) => {
        const [self, mode] = a.positional;
        const on = mode === undefined ? true : it.truthy(mode) === true;
        trainTree(it, self as PyInstance, on);
        return self ?? null;
      },
      eval: (a) => {
        switchMode(it, self0(a), false);
        return self0(a);
      },
      get_submodule: (a) => {
        let m: Value = self0(a);
        const target = a.positional[1];
        if (typeof target !== 'string' || target === '') return m;
        for (const part of target.split('.')) m = it.getAttr(m, part);
        return m;
      },
      get_parameter: (a) => {
        const target = a.positional[1];
        if (typeof target !== 'string') return it.unknown('get_parameter');
        let m: Value = self0(a);
        for (const part of target.split('.')) m = it.getAttr(m, part);
        return m;
      },
      extra_repr: () => '',
      state_dict: () => it.unknown('state_dict() is not modelled'),
      load_state_dict: () => it.unknown('weights are not loaded during static analysis'),
      register_forward_hook: () => null,
      register_forward_pre_hook: () => null,
      register_full_backward_hook: () => null,
      register_load_state_dict_post_hook: () => null,
      _register_load_state_dict_pre_hook: () => null,
      zero_grad: () => null,
      requires_grad_: (a) => {
        const [self, flag] = a.positional;
        for (const p of parameterTensors(self as PyInstance)) p.requiresGrad = flag === undefined ? true : it.truthy(flag) === true;
        return self ?? null;
      },
      // the weights keep the dtype they were built with: a conversion makes their dtype unsure
      ...Object.fromEntries(
        ['to', 'cuda', 'cpu', 'float', 'double', 'half', 'bfloat16', 'type', 'share_memory', 'to_empty'].map((n) => [
          n,
          (a: CallArgs) => {
            if (changesDtype(n, a)) markWeightDtypesUnsure(it);
            return a.positional[0] ?? null;
          },
        ]),
      ),
      __getstate__: (a) => PyDict.of([...self0(a).attrs]),
    },
  });
  Module.attrHooks = moduleAttrHooks;

  const Parameter = nativeClass('Parameter', [object], {
    methods: {
      __construct__: (a) => {
        const data = a.positional[1] ?? a.keywords.get('data') ?? null;
        const rg = a.positional[2] ?? a.keywords.get('requires_grad');
        const requiresGrad = rg === undefined ? true : it.truthy(rg) === true;
        if (data instanceof Tensor) {
          const p = new Tensor(data.shape, data.dtype, data.data, data.unknownReason);
          p.isParameter = true;
          p.requiresGrad = requiresGrad;
          return p;
        }
        if (data === null) return makeParameter([0], requiresGrad);
        const reason = data instanceof Unknown ? `parameter data unknown: ${data.reason}` : 'nn.Parameter of a non-tensor';
        return makeParameter(null, requiresGrad, reason);
      },
      __instancecheck__: (a) => a.positional[1] instanceof Tensor && (a.positional[1] as Tensor).isParameter,
    },
  });
  const Buffer = nativeClass('Buffer', [object], {
    methods: {
      __construct__: (a) => a.positional[1] ?? null,
    },
  });

  const layerBases: Record<string, PyClass> = {};
  const baseOfLayer = new Map<string, PyClass>();
  for (const { name, module, base, layers: members } of LAYER_BASES) {
    const cls = nativeClass(name, [base ? layerBases[base] : Module], {
      methods: {
        __init__: () =>
          it.raise('NotImplementedError', `a subclass of torch.nn.modules.${module}.${name} is not modelled (isinstance checks are)`),
      },
    });
    layerBases[name] = cls;
    for (const m of members) baseOfLayer.set(m, cls);
  }
  const layers: Record<string, PyClass> = {};
  for (const name of [...Object.keys(LAYERS), ...Object.keys(LAYER_ALIASES)]) {
    const spec = LAYERS[LAYER_ALIASES[name] ?? name];
    layers[name] = layerClass(it, name, spec, baseOfLayer.get(name) ?? Module, layers);
  }
  // cuDNN bookkeeping that changes nothing statically
  for (const rnn of ['LSTM', 'GRU', 'RNN']) layers[rnn].native!.methods!.flatten_parameters = () => null;
  classesChanged();
  return { Module, Parameter, Buffer, layers, layerBases };
}

function layerClass(it: Interpreter, name: string, spec: LayerSpec, base: PyClass, layers: Record<string, PyClass>): PyClass {
  const sig: NativeParam[] = spec.signature === '*args' ? [] : parseSignature(spec.signature);
  return nativeClass(
    name,
    [base],
    {
      methods: {
        forward: (a) => {
          const self = a.positional[0] as PyInstance;
          return layerForward(it, self, layerSpecOf(self.cls)!, { positional: a.positional.slice(1), keywords: a.keywords });
        },
        __init__: (a) => {
          const self = a.positional[0] as PyInstance;
          const callArgs = { positional: a.positional.slice(1), keywords: a.keywords };
          // Identity and losses take anything
          const b = sig.length === 0 ? { ok: true as const, values: new Map<string, Value>() } : bindNative(name, sig, callArgs);
          if (!b.ok) return it.raise('TypeError', b.error);
          initLayer(it, self, spec, b.values, layers);
          return null;
        },
      },
    },
    name,
  );
}

function initLayer(it: Interpreter, self: PyInstance, spec: LayerSpec, values: Map<string, Value>, layers: Record<string, PyClass>): void {
  const st = self.module!;
  st.layerArgs = values;
  const dtype = values.get('dtype');
  if (dtype !== undefined && dtype !== null) markWeightDtypesUnsure(it); // built in a dtype the analyzer does not give its weights
  const init = spec.init(values, it);
  // for-in over the spec's plain objects: no array of pairs per layer built
  const attrs = init.attrs;
  for (const k in attrs) if (attrs[k] !== undefined) self.attrs.set(k, attrs[k]);
  const params = init.params;
  for (const k in params) st.parameters.set(k, params[k] === null ? null : makeParameter(params[k]));
  const buffers = init.buffers;
  if (buffers) for (const k in buffers) st.buffers.set(k, buffers[k] === null ? null : new Tensor(buffers[k], DEFAULT_FLOAT));
  if (init.children)
    for (const [k, [childType, childArgs, kw]] of Object.entries(init.children)) {
      const child = it.call(layers[childType], { positional: childArgs, keywords: new Map(Object.entries(kw ?? {})) });
      st.modules.set(k, child);
    }
}

/** module(*args): a catalogue layer's cost is recorded; a user module's forward runs with the module on the stack. */
export function callModule(it: Interpreter, inst: PyInstance, callArgs: CallArgs): Value {
  if (inst.module?.spectralNorms) recordSpectralNorms(it, inst);
  const forward = inst.cls.lookup('forward');
  const layer = layerSpecOf(inst.cls);
  if (layer && !(forward instanceof PyFunction)) return layerForward(it, inst, layer, callArgs);
  const rec = recorderOf(it);
  if (!rec) return it.call(new PyBoundMethod(inst, forward ?? null), callArgs);
  const first = callArgs.positional[0];
  const inputElements = first instanceof Tensor ? (first.numel() ?? 0) : 0;
  const call: ModuleCall = {
    module: inst,
    inputElements,
    firstEvent: rec.events.length,
    lastEvent: rec.events.length,
    depth: rec.moduleStack.length,
  };
  rec.moduleStack.push(inst);
  try {
    const out = it.call(new PyBoundMethod(inst, forward ?? null), callArgs);
    call.outputShape = tensorsIn(out)[0]?.shape ?? null;
    return out;
  } finally {
    rec.moduleStack.pop();
    call.lastEvent = rec.events.length;
    rec.moduleCalls.push(call);
  }
}

/** A catalogue layer's forward: its cost recorded as one layer (also what `super().forward(x)` reaches from a subclass). */
function layerForward(it: Interpreter, inst: PyInstance, layer: { type: string; spec: LayerSpec }, callArgs: CallArgs): Value {
  const st = inst.module!;
  const bound = bindForward(layer.spec, callArgs);
  const cost = layer.spec.forward({
    inst,
    it,
    inputs: bound.inputs,
    kwargs: bound.kwargs,
    attr: (n) => it.lookupAttr(inst, n) ?? null,
    paramShape: (n) => {
      const p = st.parameters.get(n);
      return p instanceof Tensor ? p.shape : null;
    },
  });
  recordLayer(it, inst, layer.type, cost);
  return cost.output;
}

const forwardSignatures = new Map<string, NativeParam[]>();
const NO_LAYER_KWARGS: Map<string, Value> = new Map();

/** Keyword arguments of a layer call moved to their positions (MultiheadAttention(query=q, key=k, value=v)). */
function bindForward(spec: LayerSpec, callArgs: CallArgs): { inputs: Value[]; kwargs: Map<string, Value> } {
  const text = spec.forwardSignature ?? 'input';
  let sig = forwardSignatures.get(text);
  if (!sig) forwardSignatures.set(text, (sig = parseSignature(text)));
  // a call without keywords (nearly every one) moves nothing: its arguments as they are (layers only read them)
  if (callArgs.keywords.size === 0) return { inputs: callArgs.positional, kwargs: NO_LAYER_KWARGS };
  const inputs = [...callArgs.positional];
  const kwargs = new Map(callArgs.keywords);
  sig.forEach((p, i) => {
    if (i >= inputs.length && kwargs.has(p.name) && inputs.length === i) {
      inputs.push(kwargs.get(p.name)!);
      kwargs.delete(p.name);
    }
  });
  return { inputs, kwargs };
}

export { NO_ARGS, builtin };

/** Whether module.<name>(...) may change its weights' dtype: .half() and the like, .type(), .to() given a dtype, a tensor or an unknown. */
function changesDtype(name: string, a: CallArgs): boolean {
  if (name === 'float' || name === 'double' || name === 'half' || name === 'bfloat16' || name === 'type') return true;
  if (name !== 'to') return false;
  const given = [...a.positional.slice(1), ...a.keywords.values()];
  return given.some((v) => v instanceof PyDtype || v instanceof Tensor || v instanceof Unknown);
}
