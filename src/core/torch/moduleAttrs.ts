// nn.Module's __setattr__ / __getattr__ / __delattr__ and copy.deepcopy, given to the
// interpreter as attribute hooks on the Module class (PyClass.attrHooks): assigning a
// Parameter registers a parameter, assigning a Module registers a submodule, a name already
// in a registry stays there; everything else falls through to Python's own rules (property
// setters, the instance dict), as torch's Module.__setattr__ calls object.__setattr__.
import type { InstanceAttrHooks } from '../interp/hooks';
import type { Interpreter } from '../interp/interpreter';
import { PyDict, PyInstance, Unknown, type PyClass, type Value } from '../interp/values';
import './moduleState';
import { Tensor } from './tensor';

export const moduleAttrHooks: InstanceAttrHooks = {
  set(obj, name, value) {
    const m = obj.module;
    if (!m) return false;
    const isParam = value instanceof Tensor && value.isParameter;
    const isModule = value instanceof PyInstance && !!value.module;
    if (isParam || (m.parameters.has(name) && (value === null || value instanceof Tensor))) {
      m.parameters.set(name, value);
      m.modules.delete(name);
      m.buffers.delete(name);
      obj.attrs.delete(name);
      return true;
    }
    if (isModule || (m.modules.has(name) && value === null)) {
      m.modules.set(name, value);
      m.parameters.delete(name);
      m.buffers.delete(name);
      obj.attrs.delete(name);
      return true;
    }
    if (m.buffers.has(name)) {
      m.buffers.set(name, value);
      return true;
    }
    m.modules.delete(name);
    // an unknown value may be a submodule whose parameters nobody can count
    if (value instanceof Unknown && value.pyType === undefined) {
      (m.unknownAttrs ??= new Map()).set(name, value.reason);
      (m.unknownAttrSites ??= new Map()).set(name, { file: value.file, line: value.line });
    } else m.unknownAttrs?.delete(name);
    return false;
  },

  get(obj, name) {
    const m = obj.module;
    if (!m) return undefined;
    for (const registry of [m.parameters, m.buffers, m.modules]) if (registry.has(name)) return registry.get(name);
    if (name === '_modules') return m.modules;
    if (name === '_parameters') return m.parameters;
    if (name === '_buffers') return m.buffers;
    return undefined;
  },

  delete(obj, name) {
    const m = obj.module;
    if (!m) return false;
    let found = false;
    for (const registry of [m.parameters, m.buffers, m.modules]) found = registry.delete(name) || found;
    m.unknownAttrs?.delete(name);
    // the instance dict may hold the name too (a plain attribute shadowed nothing): drop it as well
    return obj.attrs.delete(name) || found;
  },

  copy(obj, deep, it) {
    return deep ? deepCopyModule(it, obj) : obj;
  },
};

/** True for nn.Module and every class deriving from it. */
export function isModuleClass(cls: PyClass): boolean {
  return cls.instanceAttrHooks() === moduleAttrHooks;
}

/** copy.deepcopy of a module: new parameters of the same shapes; ties inside the copy are kept. */
export function deepCopyModule(it: Interpreter, root: PyInstance, memo = new Map<unknown, Value>()): PyInstance {
  const copyValue = (v: Value): Value => {
    if (v instanceof PyInstance && v.module) return deepCopyModule(it, v, memo);
    if (v instanceof Tensor) {
      const existing = memo.get(v);
      if (existing) return existing;
      const t = new Tensor(v.shape, v.dtype, v.data, v.unknownReason);
      t.isParameter = v.isParameter;
      t.requiresGrad = v.requiresGrad;
      memo.set(v, t);
      return t;
    }
    return v;
  };
  const existing = memo.get(root);
  if (existing instanceof PyInstance) return existing;
  const c = new PyInstance(root.cls);
  memo.set(root, c);
  const st = root.module!;
  c.module = {
    modules: new PyDict(),
    parameters: new PyDict(),
    buffers: new PyDict(),
    sites: st.sites,
    layerArgs: st.layerArgs,
    // torch copies the forward pre-hooks with the module
    spectralNorms: st.spectralNorms?.slice(),
  };
  for (const [k, v] of st.parameters.entries.values()) c.module.parameters.set(k, copyValue(v));
  for (const [k, v] of st.buffers.entries.values()) c.module.buffers.set(k, copyValue(v));
  for (const [k, v] of st.modules.entries.values()) c.module.modules.set(k, copyValue(v));
  for (const [k, v] of root.attrs) c.attrs.set(k, copyValue(v));
  c.payload = root.payload;
  return c;
}
