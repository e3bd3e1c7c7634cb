// Python-level behaviour of tensors: operators, attributes, methods, indexing, iteration.
// Methods resolve to entries of the op catalogue with the tensor bound as `input`.
import type { ForeignSemantics } from '../interp/hooks';
import type { Interpreter } from '../interp/interpreter';
import { bindNative, parseSignature, type NativeParam } from '../interp/callArgs';
import { numericValue } from '../interp/operators';
import { PyBuiltin, PyDtype, PyFloat, PyList, PyTuple, SymInt, Unknown, type CallArgs, type Value } from '../interp/values';
import { OPS } from '../ops/catalogue';
import { elementwiseBinary, indexShape, isTensor, matmulResult, sizeTuple } from '../ops/functional';
import { deviceOf } from './device';
import type { OpResult, OpSpec } from '../ops/opSpec';
import { toNumpy } from './numpy/interop';
import { recordOp } from './record';
import { DEFAULT_FLOAT, Tensor, normAxis, unknownTensor, type ArrayBehaviour } from './tensor';
import { markWeightDtypesUnsure } from './mixedDtypes';

/** The behaviour overriding torch's for an operation on these operands (a numpy array among them). */
function behaviourOf(a: Value, b?: Value): ArrayBehaviour | undefined {
  return (a instanceof Tensor ? a.behaviour : undefined) ?? (b instanceof Tensor ? b.behaviour : undefined);
}

const BINARY_NAMES: Record<string, string> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '//': 'floor_divide',
  '%': 'remainder',
  '**': 'pow',
  '&': 'logical_and',
  '|': 'logical_or',
  '^': 'ne',
};
const COMPARE_NAMES: Record<string, string> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };

/** Method names that differ from their torch function. */
const METHOD_ALIASES: Record<string, string> = {
  masked_fill_: 'masked_fill',
  size: '__size__',
  mean: 'mean',
  div_: 'div',
  mul_: 'mul',
  add_: 'add',
  sub_: 'sub',
  clamp_: 'clamp',
  relu_: 'relu',
  sigmoid_: 'sigmoid',
  tanh_: 'tanh',
  exp_: 'exp',
  unsqueeze_: 'unsqueeze',
  squeeze_: 'squeeze',
  transpose_: 'transpose',
  t_: 't',
  pow_: 'pow',
  sqrt_: 'sqrt',
  clip_: 'clamp',
  addcmul_: 'addcmul',
  lerp_: 'lerp',
  abs_: 'abs',
  neg_: 'neg',
  floor_: 'floor',
  round_: 'round',
  erf_: 'erf',
  softmax: 'softmax',
};

/** In-place methods that change the tensor's own shape, not its values. */
const SHAPE_CHANGING_INPLACE = new Set([
  'transpose_',
  't_',
  'swapdims_',
  'swapaxes_',
  'squeeze_',
  'unsqueeze_',
  'resize_',
  'resize_as_',
  'as_strided_',
]);
/** In-place fills with random values. */
const RANDOM_FILLS = new Set(['normal_', 'uniform_', 'bernoulli_', 'random_', 'exponential_', 'geometric_', 'cauchy_', 'log_normal_']);

const sigCache = new Map<string, NativeParam[]>();
function signatureOf(spec: OpSpec): NativeParam[] {
  let s = sigCache.get(spec.signature);
  if (!s) sigCache.set(spec.signature, (s = parseSignature(spec.signature)));
  return s;
}

/** Calls a catalogue op with Python arguments, records its cost, returns its output. */
export function callOp(it: Interpreter, name: string, spec: OpSpec, args: CallArgs, recordAs = name): Value {
  const sig = signatureOf(spec);
  const b = bindNative(name, sig, args);
  if (!b.ok) return it.raise('TypeError', b.error);
  const r = spec.run(b.values, it, { positional: b.restPositional, keywords: b.restKeywords });
  recordOp(it, recordAs, r);
  return r.output;
}

/** Builtins that run a catalogue op (torch.X, F.X, Tensor.X): what the coverage table counts as modelled. */
const OP_BACKED = new WeakSet<PyBuiltin>();
export function isOpBacked(f: PyBuiltin): boolean {
  return OP_BACKED.has(f);
}

export function opFunction(qualified: string, name: string): PyBuiltin {
  const spec = OPS[name];
  const f = new PyBuiltin(qualified, (a, it) => callOp(it, name, spec, a, qualified));
  OP_BACKED.add(f);
  return f;
}

function record(it: Interpreter, type: string, r: OpResult): Value {
  recordOp(it, type, r);
  return r.output;
}

/** The interpreter's foreign-value hook: tensors are the only foreign values torch makes. */
export class TorchTensorSemantics implements ForeignSemantics {
  binary(op: string, a: Value, b: Value, it: Interpreter): Value {
    const own = behaviourOf(a, b)?.binary(op, a, b, it);
    if (own !== undefined) return own;
    const inplace = op.endsWith('=') && op !== '==' && op !== '!=' && op !== '<=' && op !== '>=';
    const base = inplace ? op.slice(0, -1) : op;
    if (base === '@') return record(it, 'matmul', matmulResult(a, b, 'matmul', it));
    const name = BINARY_NAMES[base];
    if (!name) return it.unknown(`operator ${op} on tensors`);
    const r = elementwiseBinary(name, a, b);
    // x += y writes into x: no new memory
    if (inplace && a instanceof Tensor) r.view = false;
    recordOp(it, name, inplace ? { ...r, output: r.output } : r);
    return r.output;
  }

  unary(op: string, t: Tensor, it: Interpreter): Value {
    const own = t.behaviour?.unary(op, t, it);
    if (own !== undefined) return own;
    if (op === '+') return t;
    if (!t.shape) return t;
    const data = op === '-' ? t.data?.map((x) => -x) : op === '~' ? t.data?.map((x) => +!x) : undefined;
    return record(it, op === '-' ? 'neg' : 'logical_not', { output: new Tensor(t.shape, t.dtype, data), elementwise: t.numel() ?? 0 });
  }

  compare(op: string, a: Value, b: Value, it: Interpreter): Value {
    const own = behaviourOf(a, b)?.compare(op, a, b, it);
    if (own !== undefined) return own;
    const name = COMPARE_NAMES[op];
    if (!name) return it.unknown(`comparison ${op} on tensors`);
    return record(it, name, elementwiseBinary(name, a, b));
  }

  getAttr(t: Tensor, name: string, it: Interpreter): Value | undefined {
    const own = t.behaviour?.getAttr(t, name, it);
    if (own !== undefined) return own;
    switch (name) {
      case 'shape':
        return t.shape ? sizeTuple(t.shape) : it.unknown(t.unknownReason ?? 'tensor shape unknown');
      case 'dtype':
        return t.dtype;
      case 'device':
        return deviceOf(it, 'cpu');
      case 'is_cpu':
        return true;
      case 'is_xpu':
      case 'is_meta':
      case 'is_mps':
      case 'is_ipu':
      case 'is_ort':
      case 'is_vulkan':
      case 'is_mkldnn':
      case 'is_nested':
      case 'is_sparse':
      case 'is_sparse_csr':
      case 'is_quantized':
        return false;
      case 'ndim':
        return t.shape ? t.shape.length : it.unknown(t.unknownReason ?? 'tensor rank unknown');
      case 'T':
      case 'mT':
        return callOp(it, 't', OPS.t, { positional: [t], keywords: new Map() });
      case 'data':
        return t;
      case 'grad':
        return null;
      case 'requires_grad':
        return t.requiresGrad;
      case 'is_cuda':
        return false;
      case 'is_leaf':
        return true;
      case 'real':
        return t;
    }
    const method = this.method(t, name, it);
    return method;
  }

  private method(t: Tensor, name: string, it: Interpreter): Value | undefined {
    const m = (fn: (a: CallArgs) => Value) => new PyBuiltin(`Tensor.${name}`, fn);
    switch (name) {
      case 'size':
        return m((a) => {
          if (!t.shape) return it.unknown(t.unknownReason ?? 'tensor shape unknown');
          const d = a.positional[0] ?? a.keywords.get('dim');
          if (d === undefined || d === null) return sizeTuple(t.shape);
          const ax = normAxis(numericValue(d) ?? 0, t.shape.length);
          if (ax === null) return it.raise('IndexError', 'Dimension out of range');
          const v = t.shape[ax];
          return typeof v === 'number' ? v : new SymInt(v);
        });
      case 'dim':
      case 'ndimension':
        return m(() => (t.shape ? t.shape.length : it.unknown('tensor rank unknown')));
      case 'numel':
      case 'nelement': {
        return m(() => {
          const n = t.numel();
          return n === null ? it.unknown(t.unknownReason ?? 'tensor shape unknown') : typeof n === 'number' ? n : new SymInt(n);
        });
      }
      case 'item':
        return m(() =>
          t.data?.length === 1
            ? t.dtype.isFloat
              ? new PyFloat(t.data[0])
              : t.data[0]
            : it.unknown('the value of a tensor is not known statically'),
        );
      case 'tolist':
        return m(() => toList(t, it));
      case 'element_size':
        return m(() => t.dtype.bytes);
      case 'stride':
        return m(() => it.unknown('strides are not modelled'));
      case 'is_contiguous':
        return m(() => true);
      case 'is_floating_point':
        return m(() => t.dtype.isFloat && !t.dtype.name.startsWith('complex'));
      case 'is_complex':
        return m(() => t.dtype.name.startsWith('complex'));
      case 'is_signed':
        return m(() => t.dtype.name !== 'uint8' && t.dtype.name !== 'bool');
      case 'new':
        // x.new(2, 3) is uninitialised of that size, x.new([1, 2]) holds the data; both in x's dtype
        return m((a) => {
          const first = a.positional[0];
          const data = a.positional.length === 1 && (first instanceof PyList || (first instanceof PyTuple && first.typeName !== 'Size'));
          const base = data ? 'tensor' : 'empty';
          return callOp(it, base, OPS[base], { positional: a.positional, keywords: new Map([['dtype', t.dtype]]) });
        });
      case 'get_device':
        return m(() => -1);
      case 'new_zeros':
      case 'new_ones':
      case 'new_empty':
      case 'new_full':
      case 'new_tensor':
        return m((a) => {
          const base =
            name === 'new_tensor' ? 'tensor' : name === 'new_full' ? 'full' : name.slice(4) === 'empty' ? 'empty' : name.slice(4);
          const kw = new Map(a.keywords);
          if (!kw.has('dtype') && name !== 'new_tensor') kw.set('dtype', t.dtype);
          return callOp(it, base, OPS[base], { positional: a.positional, keywords: kw });
        });
      case 'type_as':
        return m((a) => (a.positional[0] instanceof Tensor ? new Tensor(t.shape, (a.positional[0] as Tensor).dtype, t.data) : t));
      case 'register_hook':
      case 'retain_grad':
      case 'backward':
        return m(() => null);
      case 'numpy':
        return m(() => toNumpy(t));
      case 'apply_':
      case 'map_':
        return m(() => t);
      case 'masked_fill_':
        break;
    }
    // x.op_() is op in place (triu_, sign_, scatter_, index_add_...): torch's naming rule
    const inplaceBase = name.endsWith('_') && !name.startsWith('_') ? name.slice(0, -1) : undefined;
    const opName = METHOD_ALIASES[name] ?? (inplaceBase !== undefined && !OPS[name] && OPS[inplaceBase] ? inplaceBase : name);
    const spec = OPS[opName] as OpSpec | undefined;
    if (spec) {
      const inplace = name.endsWith('_') && !name.startsWith('_');
      const f = m((a) => {
        const out = callOp(it, opName, spec, { positional: [t, ...a.positional], keywords: a.keywords }, `Tensor.${name}`);
        if (!inplace) return out;
        // a random fill leaves values nobody knows: drop the data it had (zeros().uniform_() < p)
        if (RANDOM_FILLS.has(name)) {
          (t as { data?: readonly number[] }).data = undefined;
          return t;
        }
        if (!(out instanceof Tensor) || out === t) return t;
        // a view changed in place (x.transpose_(1, 2), x.unsqueeze_(0)): the tensor itself takes the new shape
        if (SHAPE_CHANGING_INPLACE.has(name) && out.shape) {
          (t as { shape: Tensor['shape'] }).shape = out.shape;
          (t as { data?: readonly number[] }).data = out.data;
          return t;
        }
        // the values change in place (x.triu_() then x used): known values follow, or are dropped
        if (sameDims(out.shape, t.shape)) (t as { data?: readonly number[] }).data = out.data;
        return t;
      });
      OP_BACKED.add(f);
      return f;
    }
    return undefined;
  }

  setAttr(t: Tensor, name: string, value: Value, it: Interpreter): void {
    if (name === 'requires_grad') t.requiresGrad = it.truthy(value) === true;
    // param.data = param.data.half(): the analyzer keeps the tensor's dtype, so weights' dtypes are unsure
    if (name === 'data') markWeightDtypesUnsure(it);
  }

  getItem(t: Tensor, index: Value, it: Interpreter): Value {
    const own = t.behaviour?.getItem(t, index, it);
    if (own !== undefined) return own;
    if (!t.shape) return unknownTensor(t.unknownReason ?? 'indexing a tensor of unknown shape', t.dtype);
    if (index instanceof Unknown) return unknownTensor(index.reason, t.dtype);
    const r = indexShape(t, index, it);
    if (!r.shape) return unknownTensor(r.reason ?? 'index not understood', t.dtype);
    const out = new Tensor(r.shape, t.dtype, r.data);
    if (!r.view) recordOp(it, 'index', { output: out });
    return out;
  }

  setItem(t: Tensor, index: Value, value: Value, it: Interpreter): void {
    // shapes do not change; concrete data of 1-D tensors follows simple element writes
    if (t.data && t.shape?.length === 1 && typeof index === 'number') {
      const v = numericValue(value);
      if (v !== null) {
        (t.data as number[])[index < 0 ? index + t.data.length : index] = v;
        return;
      }
    }
    // a write the values cannot follow leaves them unknown (never stale)
    if (t.data) (t as { data?: readonly number[] }).data = undefined;
    void it;
  }

  iterate(t: Tensor, it: Interpreter): Value[] | Unknown {
    const own = t.behaviour?.iterate(t, it);
    if (own !== undefined) return own;
    if (!t.shape || t.shape.length === 0) return it.unknown('iteration over a 0-d or unknown tensor');
    const n = t.shape[0];
    if (typeof n !== 'number') return it.unknown('iteration over a symbolic dimension');
    if (n > 100_000) return it.unknown('iteration over a very long tensor');
    const rest = t.shape.slice(1);
    const stride = rest.reduce<number>((p, q) => (typeof q === 'number' ? p * q : NaN), 1);
    return Array.from({ length: n }, (_, i) => {
      const data = t.data && Number.isFinite(stride) ? t.data.slice(i * stride, (i + 1) * stride) : undefined;
      return new Tensor(rest, t.dtype, data);
    });
  }

  truthy(t: Tensor): boolean | Unknown {
    if (t.data?.length === 1) return t.data[0] !== 0;
    return new Unknown('the truth of a tensor is not known statically');
  }

  scalar(t: Tensor): number | undefined {
    return t.data?.length === 1 ? t.data[0] : undefined;
  }

  repr(t: Tensor): string {
    return `tensor(${t.shape ? t.shape.map((d) => (typeof d === 'number' ? d : d.toString())).join('×') : '?'})`;
  }

  len(t: Tensor): Value {
    if (!t.shape || t.shape.length === 0) return new Unknown('len() of a tensor of unknown shape');
    const n = t.shape[0];
    return typeof n === 'number' ? n : new SymInt(n);
  }
}

function sameDims(a: Tensor['shape'], b: Tensor['shape']): boolean {
  return !!a && !!b && a.length === b.length && a.every((d, i) => d === b[i]);
}

function toList(t: Tensor, it: Interpreter): Value {
  if (!t.data || !t.shape || t.shape.some((d) => typeof d !== 'number'))
    return it.unknown('the values of a tensor are not known statically');
  const dims = t.shape as number[];
  const wrap = (x: number): Value => (t.dtype.isFloat ? new PyFloat(x) : x);
  if (dims.length === 0) return wrap(t.data[0]);
  let i = 0;
  const build = (d: number): Value => {
    if (d === dims.length - 1) return new PyList(Array.from({ length: dims[d] }, () => wrap(t.data![i++])));
    return new PyList(Array.from({ length: dims[d] }, () => build(d + 1)));
  };
  return build(0);
}

export { isTensor, DEFAULT_FLOAT, PyDtype, PyTuple };
