// torch.nn.utils.spectral_norm and remove_weight_norm: reparametrizations that change a
// module's parameters, and (spectral norm) add work to every call of the module.
import type { Interpreter } from '../interp/interpreter';
import { numericValue } from '../interp/operators';
import { symAdd, symMul, type SymNum } from '../interp/symbolic';
import { PyInstance, type Value } from '../interp/values';
import { recordOp } from './record';
import { recorderOf } from './recorder';
import { Tensor } from './tensor';

/** A spectral-normed weight: the pre-forward hook torch registers recomputes it on each call. */
export interface SpectralNormHook {
  name: string;
  /** Rows of the weight as a matrix (its size along `dim`). */
  rows: number;
  /** Elements of the weight. */
  elements: SymNum;
  iterations: number;
  dtypeOf: Tensor;
}

declare module './moduleState' {
  interface ModuleState {
    /** Weights under torch.nn.utils.spectral_norm, in the order their hooks were registered. */
    spectralNorms?: SpectralNormHook[];
  }
}

const isTransposedConv = (inst: PyInstance): boolean => inst.cls.mro.some((c) => /^ConvTranspose[123]d$/.test(c.layerType ?? ''));

/**
 * spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None), as torch 1.13
 * applies it: `name` becomes the parameter `name_orig`, with buffers `name_u` (rows) and `name_v`
 * (columns) for the power iteration, and a plain `name` attribute the hook recomputes. The
 * parametrization (`parametrized`) does the same work each time forward reads the weight, once
 * per call for a layer.
 */
export function applySpectralNorm(module: Value, name: Value, iterations: Value, dim: Value, parametrized = false): Value {
  if (!(module instanceof PyInstance) || !module.module || typeof name !== 'string') return module;
  const st = module.module;
  const w = st.parameters.get(name);
  if (!(w instanceof Tensor) || !w.shape) return module;
  const d = dim === null ? (isTransposedConv(module) ? 1 : 0) : numericValue(dim);
  const n = numericValue(iterations);
  const rank = w.shape.length;
  const axis = d === null ? null : d < 0 ? d + rank : d;
  const rows = axis === null ? undefined : w.shape[axis];
  const elements = w.numel();
  if (typeof rows !== 'number' || elements === null || n === null) return module;
  const columns = typeof elements === 'number' ? elements / rows : null;
  // torch.nn.utils.parametrizations.spectral_norm keeps them under its parametrization's names
  const [orig, u, v] = parametrized
    ? [`parametrizations.${name}.original`, `parametrizations.${name}.0._u`, `parametrizations.${name}.0._v`]
    : [`${name}_orig`, `${name}_u`, `${name}_v`];
  st.parameters.delete(name);
  st.parameters.set(orig, w);
  module.attrs.set(name, new Tensor(w.shape, w.dtype));
  st.buffers.set(u, new Tensor([rows], w.dtype));
  st.buffers.set(v, columns === null ? null : new Tensor([columns], w.dtype));
  (st.spectralNorms ??= []).push({ name, rows, elements, iterations: n, dtypeOf: w });
  return module;
}

/**
 * The hook's work on one call, as torch's SpectralNorm.compute_weight does it: in training,
 * `n_power_iterations` rounds of v = normalize(Wᵀu), u = normalize(Wv) (two matrix-vector
 * products); always sigma = dot(u, W v) and weight / sigma. Charged to the module.
 */
export function recordSpectralNorms(it: Interpreter, inst: PyInstance): void {
  const hooks = inst.module?.spectralNorms;
  const rec = recorderOf(it);
  if (!hooks || !rec) return;
  const training = inst.attrs.get('training') === true;
  rec.moduleStack.push(inst);
  try {
    for (const h of hooks) {
      const rounds = training ? h.iterations : 0;
      // 2 products per round, then W v and the dot product
      const macs = symAdd(symMul(h.elements, 2 * rounds + 1), h.rows);
      const columns = typeof h.elements === 'number' ? h.elements / h.rows : 0;
      // the division by sigma, and each normalize (square, sum, divide) of u and v
      const elementwise = symAdd(h.elements, 3 * rounds * (h.rows + columns));
      recordOp(it, 'spectral_norm', {
        output: new Tensor(h.dtypeOf.shape, h.dtypeOf.dtype),
        macs,
        elementwise,
        formula: `${training ? `${2 * rounds}·weight + ` : ''}weight + rows (W v, dot)`,
      });
    }
  } finally {
    rec.moduleStack.pop();
  }
}

/** remove_weight_norm(module, name='weight'): name_g and name_v fold back into one parameter `name`. */
export function removeWeightNorm(it: Interpreter, module: Value, name: Value): Value {
  if (!(module instanceof PyInstance) || !module.module || typeof name !== 'string') return module;
  const st = module.module;
  const g = st.parameters.get(`${name}_g`);
  const v = st.parameters.get(`${name}_v`);
  if (!(g instanceof Tensor) || !(v instanceof Tensor)) it.raise('ValueError', `weight_norm of '${name}' not found in ${module.cls.name}`);
  const w = new Tensor((v as Tensor).shape, (v as Tensor).dtype);
  w.isParameter = true;
  w.requiresGrad = true;
  st.parameters.delete(`${name}_g`);
  st.parameters.delete(`${name}_v`);
  module.attrs.delete(name);
  st.parameters.set(name, w);
  return module;
}
