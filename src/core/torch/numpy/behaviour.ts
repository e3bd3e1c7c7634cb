// The Python behaviour of numpy arrays: attributes and methods, operators with numpy's
// broadcasting and dtype rules, indexing with None / slices / ints, iteration. Nothing here
// records a cost: numpy runs on the CPU while a model is built.
import type { Interpreter } from '../../interp/interpreter';
import { numericValue } from '../../interp/operators';
import { symProduct, type SymNum } from '../../interp/symbolic';
import {
  PyBuiltin,
  PyClass,
  PyDtype,
  PyFloat,
  PyList,
  PySlice,
  PyTuple,
  SymInt,
  Unknown,
  type CallArgs,
  type Value,
} from '../../interp/values';
import { indexShape } from '../../ops/functional';
import { DTYPES, Tensor, broadcastShapes, normAxis, type ArrayBehaviour } from '../tensor';
import { BOOL, F64, I64, NdArray, broadcastData, concreteShape, ndarray, product, reduceData, stridesOf, transposeData } from './ndarray';

const BINARY: Partial<Record<string, (x: number, y: number) => number>> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '//': (x, y) => Math.floor(x / y),
  '%': (x, y) => x - Math.floor(x / y) * y,
  '**': (x, y) => x ** y,
};
const COMPARE: Partial<Record<string, (x: number, y: number) => boolean>> = {
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
  '==': (x, y) => x === y,
  '!=': (x, y) => x !== y,
};

const RANK = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'];

/** numpy's result dtype of two operands; Python scalars do not widen an array of the same kind. */
export function resultDtype(a: Value, b: Value, op: string): PyDtype {
  const kind = (v: Value) => (v instanceof Tensor ? v.dtype : v instanceof PyFloat ? 'float' : 'int');
  const ka = kind(a);
  const kb = kind(b);
  let d: PyDtype;
  if (ka instanceof PyDtype && kb instanceof PyDtype) d = RANK.indexOf(ka.name) >= RANK.indexOf(kb.name) ? ka : kb;
  else {
    const arr = (ka instanceof PyDtype ? ka : kb) as PyDtype;
    const scalar = ka instanceof PyDtype ? kb : ka;
    d = scalar === 'float' && !arr.isFloat ? F64 : arr.name === 'bool' && scalar === 'int' ? I64 : arr;
  }
  if (op === '/' && !d.isFloat) return F64;
  if (op === '**' && !d.isFloat && b instanceof PyFloat) return F64;
  return d;
}

function operand(v: Value): { shape: number[] | null; data?: readonly number[]; ok: boolean } {
  if (v instanceof Tensor) return { shape: concreteShape(v), data: v.data, ok: v.shape !== null };
  const n = numericValue(v);
  return n === null ? { shape: null, ok: false } : { shape: [], data: [n], ok: true };
}

function symShape(v: Value): readonly SymNum[] | null {
  if (v instanceof Tensor) return v.shape;
  return numericValue(v) === null ? null : [];
}

export function elementwise(a: Value, b: Value, op: string, fn: (x: number, y: number) => number, dtype: PyDtype): Value | undefined {
  const sa = symShape(a);
  const sb = symShape(b);
  if (!sa || !sb)
    return a instanceof Unknown || b instanceof Unknown
      ? undefined
      : ndarray(null, dtype, undefined, `numpy ${op} of an array of unknown shape`);
  const shape = broadcastShapes(sa, sb);
  const oa = operand(a);
  const ob = operand(b);
  const concrete = oa.shape && ob.shape && shape.every((d) => typeof d === 'number');
  const data = concrete ? broadcastData(oa.shape!, oa.data, ob.shape!, ob.data, shape as number[], fn) : undefined;
  return ndarray(shape, dtype, data);
}

function axisArg(v: Value | undefined, rank: number): number | null | undefined {
  if (v === undefined || v === null) return null;
  const n = numericValue(v);
  if (n === null) return undefined;
  return normAxis(n, rank) ?? undefined;
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  sum: (xs) => xs.reduce((p, q) => p + q, 0),
  prod: (xs) => xs.reduce((p, q) => p * q, 1),
  mean: (xs) => xs.reduce((p, q) => p + q, 0) / xs.length,
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  amax: (xs) => Math.max(...xs),
  amin: (xs) => Math.min(...xs),
};

/** np.sum / x.sum(axis=, keepdims=) and the other reductions. */
export function reduce(it: Interpreter, t: Tensor, name: string, axisValue: Value | undefined, keepdims: boolean): Value {
  const fn = REDUCERS[name];
  if (!t.shape) return ndarray(null, t.dtype, undefined, t.unknownReason);
  const axis = axisArg(axisValue, t.shape.length);
  if (axis === undefined) return it.unknown(`numpy ${name} over an axis that is not known`);
  const dtype = name === 'mean' && !t.dtype.isFloat ? F64 : (name === 'sum' || name === 'prod') && t.dtype.name === 'bool' ? I64 : t.dtype;
  const shape = concreteShape(t);
  const r = shape && t.data ? reduceData(shape, t.data, axis, fn) : undefined;
  let outShape: SymNum[] = axis === null ? [] : [...t.shape.slice(0, axis), ...t.shape.slice(axis + 1)];
  if (keepdims) outShape = axis === null ? t.shape.map(() => 1) : [...t.shape.slice(0, axis), 1, ...t.shape.slice(axis + 1)];
  if (axis === null && !keepdims) {
    if (!r) return it.unknown(`numpy ${name} of values that are not known`);
    return dtype.isFloat ? new PyFloat(r.data[0]) : r.data[0];
  }
  return ndarray(outShape, dtype, r?.data);
}

/** Dims from reshape's arguments: reshape(2, 3), reshape((2, 3)), reshape([2, -1]). */
export function reshape(it: Interpreter, t: Tensor, args: Value[]): Value {
  const spec = args.length === 1 && (args[0] instanceof PyTuple || args[0] instanceof PyList) ? (args[0] as PyTuple).items : args;
  const dims: (SymNum | null)[] = spec.map((v) => (typeof v === 'number' ? v : v instanceof SymInt ? v.poly : null));
  if (dims.some((d) => d === null) || !t.shape) return ndarray(null, t.dtype, undefined, 'numpy reshape to a shape that is not known');
  const known = dims.filter((d) => d !== -1) as SymNum[];
  const total = symProduct(t.shape);
  const free = dims.indexOf(-1);
  const out = dims as SymNum[];
  if (free >= 0) {
    const k = symProduct(known);
    if (typeof total === 'number' && typeof k === 'number') {
      if (k === 0 || total % k !== 0) return it.raise('ValueError', `cannot reshape array of size ${total} into shape`);
      out[free] = total / k;
    } else return ndarray(null, t.dtype, undefined, 'numpy reshape with -1 over symbolic dims');
  } else {
    const k = symProduct(out);
    if (typeof total === 'number' && typeof k === 'number' && k !== total)
      return it.raise('ValueError', `cannot reshape array of size ${total} into shape (${out.join(', ')})`);
  }
  return ndarray(out, t.dtype, t.data);
}

export function transpose(it: Interpreter, t: Tensor, axesArgs: Value[]): Value {
  if (!t.shape) return t;
  const rank = t.shape.length;
  const spec =
    axesArgs.length === 1 && (axesArgs[0] instanceof PyTuple || axesArgs[0] instanceof PyList) ? (axesArgs[0] as PyTuple).items : axesArgs;
  const axes =
    spec.length === 0 || (spec.length === 1 && spec[0] === null)
      ? [...Array(rank).keys()].reverse()
      : spec.map((v) => normAxis(numericValue(v) ?? NaN, rank));
  if (axes.length !== rank || axes.some((a) => a === null)) return it.raise('ValueError', "axes don't match array");
  const perm = axes as number[];
  const shape = concreteShape(t);
  return ndarray(
    perm.map((a) => t.shape![a]),
    t.dtype,
    shape && t.data ? transposeData(shape, t.data, perm) : undefined,
  );
}

const NUMPY_DTYPES = new Map<string, PyDtype>();

/** numpy's dtype object for an array's dtype (str 'float64', repr dtype('float64')); the same one each time. */
export function numpyDtype(d: PyDtype): PyDtype {
  let np = NUMPY_DTYPES.get(d.name);
  if (!np) NUMPY_DTYPES.set(d.name, (np = new PyDtype(d.name, d.bytes, d.isFloat, 'numpy')));
  return np;
}

export function asDtype(v: Value | undefined): PyDtype | undefined {
  if (v instanceof PyDtype) return DTYPES[v.name] ?? v;
  if (typeof v === 'string') return DTYPES[v] ?? (v === 'f' ? DTYPES.float32 : v === 'i' ? I64 : undefined);
  if (v && typeof v === 'object' && 'kind' in v && v.kind === 'builtin') {
    const n = (v as PyBuiltin).name;
    return n === 'float' ? F64 : n === 'int' ? I64 : n === 'bool' ? BOOL : undefined;
  }
  // the built-in types themselves: astype(int), dtype=float
  if (v instanceof PyClass && !v.def) return v.name === 'float' ? F64 : v.name === 'int' ? I64 : v.name === 'bool' ? BOOL : undefined;
  return undefined;
}

/** x[...] with ints, slices, None and Ellipsis on concrete values; other indices keep the shape rule only. */
function indexData(t: Tensor, index: Value): { shape: number[]; data: number[] } | undefined {
  const shape = concreteShape(t);
  if (!shape || !t.data) return undefined;
  const items = index instanceof PyTuple ? [...index.items] : [index];
  const consuming = items.filter((i) => i !== null && !(i && typeof i === 'object' && (i as { kind?: string }).kind === 'ellipsis')).length;
  // per input dim: the picked indices (null marks a dropped int index)
  const picks: { idx: number[]; keep: boolean }[] = [];
  const outShape: number[] = [];
  let dim = 0;
  for (const item of items) {
    if (item === null) {
      outShape.push(1);
      continue;
    }
    if (item && typeof item === 'object' && (item as { kind?: string }).kind === 'ellipsis') {
      for (let k = 0; k < shape.length - consuming; k++) {
        picks.push({ idx: [...Array(shape[dim]).keys()], keep: true });
        outShape.push(shape[dim++]);
      }
      continue;
    }
    if (dim >= shape.length) return undefined;
    const size = shape[dim];
    if (typeof item === 'number') {
      const i = item < 0 ? item + size : item;
      if (i < 0 || i >= size) return undefined;
      picks.push({ idx: [i], keep: false });
      dim++;
      continue;
    }
    if (item instanceof PySlice) {
      const num = (v: Value) => (v === null ? null : typeof v === 'number' ? v : undefined);
      const [lo, hi, st] = [num(item.lo), num(item.hi), num(item.step)];
      if (lo === undefined || hi === undefined || st === undefined || st === 0) return undefined;
      const step = st ?? 1;
      const clamp = (v: number) => (v < 0 ? Math.max(v + size, step < 0 ? -1 : 0) : Math.min(v, step < 0 ? size - 1 : size));
      const start = lo === null ? (step > 0 ? 0 : size - 1) : clamp(lo);
      const stop = hi === null ? (step > 0 ? size : -1) : clamp(hi);
      const idx: number[] = [];
      for (let i = start; step > 0 ? i < stop : i > stop; i += step) idx.push(i);
      picks.push({ idx, keep: true });
      outShape.push(idx.length);
      dim++;
      continue;
    }
    return undefined;
  }
  for (; dim < shape.length; dim++) {
    picks.push({ idx: [...Array(shape[dim]).keys()], keep: true });
    outShape.push(shape[dim]);
  }
  const strides = stridesOf(shape);
  let offsets = [0];
  picks.forEach((p, k) => {
    const next: number[] = [];
    for (const o of offsets) for (const i of p.idx) next.push(o + i * strides[k]);
    offsets = next;
  });
  if (product(outShape) !== offsets.length) return undefined;
  return { shape: outShape, data: offsets.map((o) => t.data![o]) };
}

function method(name: string, fn: (a: CallArgs) => Value): PyBuiltin {
  return new PyBuiltin(`ndarray.${name}`, fn);
}

function toList(t: Tensor, it: Interpreter): Value {
  const dims = concreteShape(t);
  if (!dims || !t.data) return it.unknown('the values of a numpy array are not known statically');
  const wrap = (x: number): Value => (t.dtype.isFloat ? new PyFloat(x) : t.dtype.name === 'bool' ? x !== 0 : x);
  if (dims.length === 0) return wrap(t.data[0]);
  let i = 0;
  const build = (d: number): Value =>
    new PyList(Array.from({ length: dims[d] }, () => (d === dims.length - 1 ? wrap(t.data![i++]) : build(d + 1))));
  return build(0);
}

export const NDARRAY_BEHAVIOUR: ArrayBehaviour = {
  binary(op, a, b, it) {
    if (op === '@' || op === '@=') return undefined;
    const base = op.endsWith('=') && op.length > 1 && !['==', '!=', '<=', '>='].includes(op) ? op.slice(0, -1) : op;
    const fn = BINARY[base];
    if (!fn) return undefined;
    void it;
    return elementwise(a, b, base, fn, resultDtype(a, b, base));
  },
  compare(op, a, b) {
    const fn = COMPARE[op];
    return fn ? elementwise(a, b, op, (x, y) => +fn(x, y), BOOL) : undefined;
  },
  unary(op, t) {
    if (op === '-')
      return ndarray(
        t.shape,
        t.dtype,
        t.data?.map((x) => -x),
      );
    if (op === '+') return t;
    return undefined;
  },
  getItem(t, index, it) {
    const d = indexData(t, index);
    if (d) return ndarray(d.shape, t.dtype, d.data);
    if (!t.shape || index instanceof Unknown) return undefined;
    const r = indexShape(t, index, it);
    return ndarray(r.shape, t.dtype, r.data, r.reason);
  },
  iterate(t, it) {
    const shape = concreteShape(t);
    if (!shape || shape.length === 0) return undefined;
    const inner = product(shape.slice(1));
    if (shape[0] > 100_000) return [it.unknown('iteration over a very long array')];
    return Array.from({ length: shape[0] }, (_, i) => ndarray(shape.slice(1), t.dtype, t.data?.slice(i * inner, (i + 1) * inner)));
  },
  getAttr(t, name, it) {
    const arr = t as NdArray;
    switch (name) {
      case 'shape':
        return t.shape ? new PyTuple(t.shape.map((d) => (typeof d === 'number' ? d : new SymInt(d)))) : undefined;
      case 'size': {
        const n = t.numel();
        return n === null ? it.unknown('numpy array of unknown shape') : typeof n === 'number' ? n : new SymInt(n);
      }
      case 'dtype':
        return numpyDtype(t.dtype);
      case 'itemsize':
        return t.dtype.bytes;
      case 'nbytes': {
        const n = t.concreteNumel();
        return n === null ? it.unknown('numpy array of unknown shape') : n * t.dtype.bytes;
      }
      case 'T':
        return transpose(it, t, []);
      case 'reshape':
        return method(name, (a) => reshape(it, arr, a.positional));
      case 'transpose':
        return method(name, (a) => transpose(it, arr, a.positional));
      case 'astype':
        return method(name, (a) => {
          const d = asDtype(a.positional[0] ?? a.keywords.get('dtype'));
          return d ? ndarray(t.shape, d, t.data) : it.unknown('astype to a dtype that is not known');
        });
      case 'tolist':
        return method(name, () => toList(t, it));
      case 'item':
        return method(name, () =>
          t.data?.length === 1
            ? t.dtype.isFloat
              ? new PyFloat(t.data[0])
              : t.data[0]
            : it.unknown('the value of a numpy array is not known'),
        );
      case 'flatten':
      case 'ravel':
        return method(name, () => ndarray(t.shape ? [symProduct(t.shape)] : null, t.dtype, t.data));
      case 'copy':
        return method(name, () => ndarray(t.shape, t.dtype, t.data));
      case 'squeeze':
        return method(name, (a) => squeeze(it, t, a.positional[0] ?? a.keywords.get('axis')));
      case 'sum':
      case 'mean':
      case 'max':
      case 'min':
      case 'prod':
        return method(name, (a) =>
          reduce(it, t, name, a.positional[0] ?? a.keywords.get('axis'), it.truthy(a.keywords.get('keepdims') ?? false) === true),
        );
      case 'cumsum':
      case 'cumprod':
        return method(name, (a) => cumulative(it, t, name, a.positional[0] ?? a.keywords.get('axis')));
    }
    return undefined;
  },
};

export function squeeze(it: Interpreter, t: Tensor, axis: Value | undefined): Value {
  if (!t.shape) return t;
  if (axis === undefined || axis === null)
    return ndarray(
      t.shape.filter((d) => d !== 1),
      t.dtype,
      t.data,
    );
  const ax = normAxis(numericValue(axis) ?? NaN, t.shape.length);
  if (ax === null) return it.raise('ValueError', 'axis out of range');
  if (typeof t.shape[ax] === 'number' && t.shape[ax] !== 1)
    return it.raise('ValueError', 'cannot select an axis to squeeze out which has size not equal to one');
  return ndarray([...t.shape.slice(0, ax), ...t.shape.slice(ax + 1)], t.dtype, t.data);
}

/** cumsum / cumprod: over the flattened array without an axis, else the same shape (values kept for 1-D). */
export function cumulative(it: Interpreter, t: Tensor, name: 'cumsum' | 'cumprod', axis: Value | undefined): Value {
  const step = name === 'cumsum' ? (p: number, x: number) => p + x : (p: number, x: number) => p * x;
  let acc = name === 'cumsum' ? 0 : 1;
  const running = (xs: readonly number[]) => xs.map((x) => (acc = step(acc, x)));
  if (axis === undefined || axis === null) return ndarray(t.shape ? [symProduct(t.shape)] : null, t.dtype, t.data && running(t.data));
  if (!t.shape) return t;
  if (normAxis(numericValue(axis) ?? NaN, t.shape.length) === null) return it.raise('ValueError', 'axis out of range');
  return ndarray(t.shape, t.dtype, t.shape.length === 1 && t.data ? running(t.data) : undefined);
}

Object.defineProperty(NdArray.prototype, 'behaviour', { get: () => NDARRAY_BEHAVIOUR });
