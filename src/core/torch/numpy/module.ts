// The numpy module: creation, joining, reshaping, elementwise math, reductions and dtypes,
// over NdArray (shape always, values when small). What model code builds its constants with:
// drop-path rates (np.linspace(...).tolist()), sinusoid and 2-D sin-cos position tables.
import type { Interpreter } from '../../interp/interpreter';
import { builtin, moduleOf, nativeClass } from '../../interp/native';
import { numericValue } from '../../interp/operators';
import { symAdd, type SymNum } from '../../interp/symbolic';
import { PyDtype, PyFloat, PyList, PyModule, PyTuple, SymInt, Unknown, type CallArgs, type Value } from '../../interp/values';
import { DTYPES, Tensor, normAxis } from '../tensor';
import { planEinsum } from '../einops/einsum';
import { EinopsFailure } from '../einops/pattern';
import { numpyDataFunctions } from './dataFunctions';
import { numpyTilingFunctions } from './tiling';
import { asDtype, cumulative, elementwise, reduce, reshape, resultDtype, squeeze, transpose } from './behaviour';
import { BOOL, F64, I64, NdArray, concatData, concreteShape, ndarray, product, stridesOf } from './ndarray';

const MAX_EINSUM_STEPS = 1_000_000;

type Args = CallArgs;
const arg = (a: Args, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);

function dimsOf(v: Value | undefined): SymNum[] | null {
  if (typeof v === 'number') return [v];
  if (v instanceof SymInt) return [v.poly];
  if (v instanceof PyTuple || v instanceof PyList) {
    const out: SymNum[] = [];
    for (const x of v.items) {
      if (typeof x === 'number') out.push(x);
      else if (x instanceof SymInt) out.push(x.poly);
      else return null;
    }
    return out;
  }
  return null;
}

/** Nested sequences of numbers → shape and row-major values. */
function fromNested(v: Value): { shape: number[]; data: number[]; isFloat: boolean; isBool: boolean } | undefined {
  if (v instanceof PyList || v instanceof PyTuple) {
    const parts = v.items.map(fromNested);
    if (parts.some((p) => !p)) return undefined;
    const ps = parts as NonNullable<ReturnType<typeof fromNested>>[];
    const inner = ps[0]?.shape ?? [];
    if (ps.some((p) => p.shape.join() !== inner.join())) return undefined;
    return {
      shape: [ps.length, ...inner],
      data: ps.flatMap((p) => p.data),
      isFloat: ps.some((p) => p.isFloat),
      isBool: ps.length > 0 && ps.every((p) => p.isBool),
    };
  }
  if (v instanceof Tensor) {
    const shape = concreteShape(v);
    return shape && v.data ? { shape, data: [...v.data], isFloat: v.dtype.isFloat, isBool: v.dtype.name === 'bool' } : undefined;
  }
  if (typeof v === 'boolean') return { shape: [], data: [+v], isFloat: false, isBool: true };
  const n = numericValue(v);
  if (n === null) return undefined;
  return { shape: [], data: [n], isFloat: v instanceof PyFloat, isBool: false };
}

function toArray(it: Interpreter, v: Value | undefined, dtype?: PyDtype): NdArray | Unknown {
  if (v instanceof Tensor) return ndarray(v.shape, dtype ?? v.dtype, v.data, v.unknownReason);
  if (v === undefined) return it.unknown('numpy array of nothing');
  const n = fromNested(v);
  if (!n) {
    if (v instanceof Unknown) return v;
    if (v instanceof PyList || v instanceof PyTuple) {
      const first = v.items[0];
      if (first instanceof Tensor && first.shape) return ndarray([v.items.length, ...first.shape], dtype ?? first.dtype);
    }
    return it.unknown('numpy array of values that are not known');
  }
  return ndarray(n.shape, dtype ?? (n.isFloat ? F64 : n.isBool ? BOOL : I64), n.data);
}

function filled(it: Interpreter, shapeArg: Value | undefined, value: number | null, dtype: PyDtype): Value {
  const shape = dimsOf(shapeArg);
  if (!shape) return ndarray(null, dtype, undefined, 'numpy shape that is not known');
  const n = shape.every((d) => typeof d === 'number') ? product(shape as number[]) : null;
  void it;
  return ndarray(shape, dtype, value !== null && n !== null && n <= 4096 ? Array<number>(n).fill(value) : undefined);
}

function arange(it: Interpreter, a: Args): Value {
  const nums = [arg(a, 0, 'start'), arg(a, 1, 'stop'), arg(a, 2, 'step')].filter((v) => v !== undefined && v !== null) as Value[];
  const vals = nums.map((v) => numericValue(v));
  const dtype = asDtype(arg(a, 3, 'dtype')) ?? (nums.some((v) => v instanceof PyFloat) ? F64 : I64);
  if (vals.some((v) => v === null)) {
    const sym = nums.length === 1 ? nums[0] : null;
    if (sym instanceof SymInt) return ndarray([sym.poly], dtype);
    return ndarray(null, dtype, undefined, 'numpy.arange bounds that are not known');
  }
  const [start, stop, step] = vals.length === 1 ? [0, vals[0]!, 1] : [vals[0]!, vals[1]!, vals[2] ?? 1];
  if (step === 0) return it.raise('ZeroDivisionError', 'division by zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > 100_000_000) return ndarray([n], dtype);
  return ndarray([n], dtype, n <= 4096 ? Array.from({ length: n }, (_, i) => start + i * step) : undefined);
}

function linspace(it: Interpreter, a: Args): Value {
  const start = numericValue(arg(a, 0, 'start') ?? null);
  const stop = numericValue(arg(a, 1, 'stop') ?? null);
  const numArg = arg(a, 2, 'num') ?? 50;
  const endpoint = it.truthy(arg(a, 3, 'endpoint') ?? true) !== false;
  const dtype = asDtype(arg(a, 5, 'dtype')) ?? F64;
  if (numArg instanceof SymInt) return ndarray([numArg.poly], dtype);
  const num = numericValue(numArg);
  if (num === null) return ndarray(null, dtype, undefined, 'numpy.linspace num that is not known');
  if (num < 0) return it.raise('ValueError', `Number of samples, ${num}, must be non-negative.`);
  if (start === null || stop === null || num > 4096) return ndarray([num], dtype);
  // numpy's formula: i * step + start, the last sample set to stop
  const div = endpoint ? num - 1 : num;
  const step = (stop - start) / div;
  const data = Array.from({ length: num }, (_, i) => (div > 0 ? (step === 0 ? (i / div) * (stop - start) : i * step) : 0) + start);
  if (endpoint && num > 1) data[num - 1] = stop;
  return ndarray([num], dtype, data);
}

function eye(a: Args): Value {
  const n = numericValue(arg(a, 0, 'N') ?? null);
  const mArg = arg(a, 1, 'M');
  const m = mArg === undefined || mArg === null ? n : numericValue(mArg);
  const k = numericValue(arg(a, 2, 'k') ?? 0) ?? 0;
  const dtype = asDtype(arg(a, 3, 'dtype')) ?? F64;
  if (n === null || m === null) return ndarray(null, dtype, undefined, 'numpy.eye size that is not known');
  const data = n * m <= 4096 ? Array.from({ length: n * m }, (_, f) => (f % m === Math.floor(f / m) + k ? 1 : 0)) : undefined;
  return ndarray([n, m], dtype, data);
}

function arraysOf(it: Interpreter, v: Value | undefined): NdArray[] | Unknown {
  const items = v instanceof PyList || v instanceof PyTuple ? v.items : null;
  if (!items) return it.unknown('numpy join of a value that is not a sequence of arrays');
  const out: NdArray[] = [];
  for (const x of items) {
    const t = toArray(it, x);
    if (t instanceof Unknown) return t;
    out.push(t);
  }
  return out;
}

function concatenate(it: Interpreter, arrays: NdArray[], axisValue: Value | undefined): Value {
  if (arrays.length === 0) return it.raise('ValueError', 'need at least one array to concatenate');
  const dtype = arrays.reduce<PyDtype>((d, t) => resultDtype(ndarray([], d), t, '+'), arrays[0].dtype);
  const first = arrays[0];
  if (arrays.some((t) => !t.shape)) return ndarray(null, dtype, undefined, 'numpy.concatenate of an array of unknown shape');
  const rank = first.shape!.length;
  const ax = normAxis(numericValue(axisValue ?? 0) ?? NaN, rank);
  if (ax === null) return it.raise('ValueError', `axis ${String(axisValue)} is out of bounds for array of dimension ${rank}`);
  for (const t of arrays) {
    if (t.shape!.length !== rank)
      return it.raise('ValueError', 'all the input array dimensions except for the concatenation axis must match exactly');
    for (let k = 0; k < rank; k++) {
      const x = t.shape![k];
      const y = first.shape![k];
      if (k !== ax && typeof x === 'number' && typeof y === 'number' && x !== y)
        return it.raise(
          'ValueError',
          `all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${k}, the array at index 0 has size ${y} and the array at index ${arrays.indexOf(t)} has size ${x}`,
        );
    }
  }
  const shape = [...first.shape!];
  shape[ax] = arrays.slice(1).reduce<SymNum>((s, t) => symAdd(s, t.shape![ax]), first.shape![ax]);
  const shapes = arrays.map(concreteShape);
  const data =
    shapes.every((s) => s) && arrays.every((t) => t.data)
      ? concatData(
          shapes as number[][],
          arrays.map((t) => t.data!),
          ax,
        )
      : undefined;
  return ndarray(shape, dtype, data);
}

function expandDims(it: Interpreter, t: NdArray, axisValue: Value | undefined): Value {
  if (!t.shape) return t;
  const ax = normAxis(numericValue(axisValue ?? null) ?? NaN, t.shape.length + 1);
  if (ax === null) return it.raise('ValueError', 'axis out of bounds');
  return ndarray([...t.shape.slice(0, ax), 1, ...t.shape.slice(ax)], t.dtype, t.data);
}

function meshgrid(it: Interpreter, a: Args): Value {
  const xs: NdArray[] = [];
  for (const v of a.positional) {
    const t = toArray(it, v);
    if (t instanceof Unknown) return t;
    xs.push(t);
  }
  const xy = (a.keywords.get('indexing') ?? 'xy') === 'xy';
  const lens = xs.map((t) =>
    t.shape ? t.shape.reduce<SymNum>((p, q) => (typeof p === 'number' && typeof q === 'number' ? p * q : q), 1) : null,
  );
  if (lens.some((l) => l === null))
    return new PyTuple(xs.map((t) => ndarray(null, t.dtype, undefined, 'meshgrid of an array of unknown shape')));
  const ij = lens as SymNum[];
  const shape = xy && ij.length >= 2 ? [ij[1], ij[0], ...ij.slice(2)] : ij;
  const concrete = shape.every((d) => typeof d === 'number') ? (shape as number[]) : null;
  return new PyTuple(
    xs.map((t, k) => {
      if (!concrete || !t.data || product(concrete) > 4096) return ndarray(shape, t.dtype);
      const so = stridesOf(concrete);
      // which output dim walks input k: in xy order the first two are swapped
      const dim = xy && ij.length >= 2 && k < 2 ? 1 - k : k;
      const data = Array.from({ length: product(concrete) }, (_, f) => t.data![Math.floor(f / so[dim]) % concrete[dim]]);
      return ndarray(shape, t.dtype, data);
    }),
  );
}

/** np.einsum with single-letter subscripts: shape by the plan, values by direct summation when small. */
function einsum(it: Interpreter, a: Args): Value {
  const eq = a.positional[0];
  if (typeof eq !== 'string') return it.unknown('numpy.einsum subscripts that are not known');
  const ops: NdArray[] = [];
  for (const v of a.positional.slice(1)) {
    const t = toArray(it, v);
    if (t instanceof Unknown) return t;
    ops.push(t);
  }
  const sides = eq.replace(/\s/g, '').split('->');
  const lhs = sides[0];
  const rhs = sides.length > 1 ? sides[1] : undefined;
  const inputs = lhs.split(',');
  if (eq.includes('.')) return ndarray(null, ops[0].dtype, undefined, 'numpy.einsum with an ellipsis is not modelled');
  const output =
    rhs ??
    [...new Set(inputs.join(''))]
      .filter((ch) => inputs.join('').split(ch).length === 2)
      .sort()
      .join('');
  if (ops.some((t) => !t.shape)) return ndarray(null, ops[0]?.dtype ?? F64, undefined, 'numpy.einsum of an array of unknown shape');
  const dtype = ops.reduce<PyDtype>((d, t) => resultDtype(ndarray([], d), t, '*'), ops[0].dtype);
  let plan;
  try {
    plan = planEinsum(
      inputs.map((s) => [...s]),
      ops.map((t) => t.shape!),
      [...output],
    );
  } catch (e) {
    if (e instanceof EinopsFailure) return it.raise('ValueError', e.message);
    throw e;
  }
  const shapes = ops.map(concreteShape);
  const letters = [...new Set(inputs.join(''))];
  const size = new Map<string, number>();
  inputs.forEach((s, i) => [...s].forEach((ch, k) => size.set(ch, Math.max(size.get(ch) ?? 1, shapes[i]?.[k] ?? NaN))));
  const steps = letters.reduce((p, ch) => p * (size.get(ch) ?? NaN), 1);
  if (!shapes.every((s) => s) || !ops.every((t) => t.data) || !(steps <= MAX_EINSUM_STEPS)) return ndarray(plan.output, dtype);
  const outShape = [...output].map((ch) => size.get(ch)!);
  const data = new Array<number>(product(outShape)).fill(0);
  const outStrides = stridesOf(outShape);
  const opStrides = shapes.map((s) => stridesOf(s!));
  const idx = new Map<string, number>();
  const walk = (k: number) => {
    if (k === letters.length) {
      let v = 1;
      ops.forEach((t, i) => {
        let off = 0;
        [...inputs[i]].forEach((ch, d) => (off += (shapes[i]![d] === 1 ? 0 : idx.get(ch)!) * opStrides[i][d]));
        v *= t.data![off];
      });
      let o = 0;
      [...output].forEach((ch, d) => (o += idx.get(ch)! * outStrides[d]));
      data[o] += v;
      return;
    }
    for (let i = 0; i < size.get(letters[k])!; i++) {
      idx.set(letters[k], i);
      walk(k + 1);
    }
  };
  walk(0);
  return ndarray(outShape, dtype, data);
}

function unaryMath(it: Interpreter, name: string, fn: (x: number) => number) {
  return builtin(`numpy.${name}`, (a) => {
    const x = a.positional[0] ?? null;
    if (!(x instanceof Tensor) && !(x instanceof PyList) && !(x instanceof PyTuple)) {
      const n = numericValue(x);
      if (n !== null) return new PyFloat(fn(n));
      return x instanceof Unknown ? x : it.unknown(`numpy.${name} of a value that is not known`);
    }
    const t = toArray(it, x);
    if (t instanceof Unknown) return t;
    const dtype = t.dtype.isFloat ? t.dtype : F64;
    return ndarray(t.shape, dtype, t.data?.map(fn), t.unknownReason);
  });
}

function binaryMath(it: Interpreter, name: string, op: string, fn: (x: number, y: number) => number) {
  return builtin(`numpy.${name}`, (a) => {
    const [x, y] = [a.positional[0] ?? null, a.positional[1] ?? null];
    const nx = x instanceof Tensor ? null : numericValue(x);
    const ny = y instanceof Tensor ? null : numericValue(y);
    if (nx !== null && ny !== null) {
      const r = fn(nx, ny);
      return x instanceof PyFloat || y instanceof PyFloat || op === '/' || !Number.isInteger(r) ? new PyFloat(r) : r;
    }
    const ax = x instanceof PyList || x instanceof PyTuple ? toArray(it, x) : x;
    const ay = y instanceof PyList || y instanceof PyTuple ? toArray(it, y) : y;
    if (ax instanceof Unknown || ay instanceof Unknown) return ax instanceof Unknown ? ax : (ay as Unknown);
    return elementwise(ax, ay, op, fn, resultDtype(ax, ay, op)) ?? it.unknown(`numpy.${name} of values that are not known`);
  });
}

function reduction(it: Interpreter, name: string) {
  return builtin(`numpy.${name}`, (a) => {
    const x = a.positional[0] ?? null;
    const t = toArray(it, x);
    if (t instanceof Unknown) return t;
    return reduce(it, t, name, arg(a, 1, 'axis'), it.truthy(a.keywords.get('keepdims') ?? false) === true);
  });
}

export function numpyModule(it: Interpreter): PyModule {
  const withArray = (name: string, fn: (t: NdArray, a: Args) => Value) =>
    builtin(`numpy.${name}`, (a) => {
      const t = toArray(it, a.positional[0] ?? a.keywords.get('a'));
      return t instanceof Unknown ? t : fn(t, a);
    });
  const dtypes: Record<string, Value> = {
    float16: DTYPES.float16,
    float32: DTYPES.float32,
    float64: DTYPES.float64,
    double: DTYPES.float64,
    single: DTYPES.float32,
    int8: DTYPES.int8,
    int16: DTYPES.int16,
    int32: DTYPES.int32,
    int64: DTYPES.int64,
    uint8: DTYPES.uint8,
    bool_: DTYPES.bool,
  };
  const E = Math.E;
  return moduleOf('numpy', {
    ...dtypes,
    pi: new PyFloat(Math.PI),
    e: new PyFloat(E),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    newaxis: null,
    array: builtin('numpy.array', (a) => toArray(it, a.positional[0], asDtype(arg(a, 1, 'dtype')))),
    asarray: builtin('numpy.asarray', (a) => toArray(it, a.positional[0], asDtype(arg(a, 1, 'dtype')))),
    zeros: builtin('numpy.zeros', (a) => filled(it, arg(a, 0, 'shape'), 0, asDtype(arg(a, 1, 'dtype')) ?? F64)),
    ones: builtin('numpy.ones', (a) => filled(it, arg(a, 0, 'shape'), 1, asDtype(arg(a, 1, 'dtype')) ?? F64)),
    empty: builtin('numpy.empty', (a) => filled(it, arg(a, 0, 'shape'), null, asDtype(arg(a, 1, 'dtype')) ?? F64)),
    full: builtin('numpy.full', (a) => {
      const v = arg(a, 1, 'fill_value');
      const dtype = asDtype(arg(a, 2, 'dtype')) ?? (v instanceof PyFloat ? F64 : typeof v === 'boolean' ? BOOL : I64);
      return filled(it, arg(a, 0, 'shape'), numericValue(v ?? null), dtype);
    }),
    zeros_like: withArray('zeros_like', (t, a) =>
      filled(
        it,
        t.shape ? new PyTuple(t.shape.map((d) => (typeof d === 'number' ? d : new SymInt(d)))) : undefined,
        0,
        asDtype(arg(a, 1, 'dtype')) ?? t.dtype,
      ),
    ),
    ones_like: withArray('ones_like', (t, a) =>
      filled(
        it,
        t.shape ? new PyTuple(t.shape.map((d) => (typeof d === 'number' ? d : new SymInt(d)))) : undefined,
        1,
        asDtype(arg(a, 1, 'dtype')) ?? t.dtype,
      ),
    ),
    arange: builtin('numpy.arange', (a) => arange(it, a)),
    linspace: builtin('numpy.linspace', (a) => linspace(it, a)),
    eye: builtin('numpy.eye', (a) => eye(a)),
    meshgrid: builtin('numpy.meshgrid', (a) => meshgrid(it, a)),
    outer: builtin('numpy.outer', (a) => {
      const x = toArray(it, a.positional[0]);
      const y = toArray(it, a.positional[1]);
      if (x instanceof Unknown || y instanceof Unknown) return x instanceof Unknown ? x : y;
      const flat = (t: NdArray) => ndarray(t.shape ? [t.numel()!] : null, t.dtype, t.data);
      return einsum(it, { positional: ['i,j->ij', flat(x), flat(y)], keywords: new Map() });
    }),
    einsum: builtin('numpy.einsum', (a) => einsum(it, a)),
    stack: builtin('numpy.stack', (a) => {
      const xs = arraysOf(it, arg(a, 0, 'arrays'));
      if (xs instanceof Unknown) return xs;
      const axis = arg(a, 1, 'axis') ?? 0;
      if (xs.some((t) => !t.shape)) return ndarray(null, xs[0]?.dtype ?? F64, undefined, 'numpy.stack of an array of unknown shape');
      const rank = xs[0]?.shape?.length ?? 0;
      const ax = normAxis(numericValue(axis) ?? NaN, rank + 1);
      if (ax === null) return it.raise('ValueError', 'axis out of bounds');
      return concatenate(
        it,
        xs.map((t) => expandDims(it, t, ax) as NdArray),
        ax,
      );
    }),
    concatenate: builtin('numpy.concatenate', (a) => {
      const xs = arraysOf(it, arg(a, 0, 'arrays'));
      return xs instanceof Unknown ? xs : concatenate(it, xs, arg(a, 1, 'axis'));
    }),
    expand_dims: withArray('expand_dims', (t, a) => expandDims(it, t, arg(a, 1, 'axis'))),
    squeeze: withArray('squeeze', (t, a) => squeeze(it, t, arg(a, 1, 'axis'))),
    reshape: withArray('reshape', (t, a) => reshape(it, t, [arg(a, 1, 'newshape') ?? null])),
    transpose: withArray('transpose', (t, a) =>
      transpose(it, t, a.positional.slice(1).concat(a.keywords.has('axes') ? [a.keywords.get('axes')!] : [])),
    ),
    cumsum: withArray('cumsum', (t, a) => cumulative(it, t, 'cumsum', arg(a, 1, 'axis'))),
    cumprod: withArray('cumprod', (t, a) => cumulative(it, t, 'cumprod', arg(a, 1, 'axis'))),
    // the old spelling numpy < 2 keeps (WaveRNN: np.cumproduct(upsample_scales)[-1])
    cumproduct: withArray('cumproduct', (t, a) => cumulative(it, t, 'cumprod', arg(a, 1, 'axis'))),
    ...numpyDataFunctions(it, (v) => toArray(it, v)),
    ...numpyTilingFunctions(
      it,
      (v) => toArray(it, v),
      (xs, axis) => concatenate(it, xs, axis),
    ),
    sin: unaryMath(it, 'sin', Math.sin),
    cos: unaryMath(it, 'cos', Math.cos),
    tan: unaryMath(it, 'tan', Math.tan),
    tanh: unaryMath(it, 'tanh', Math.tanh),
    exp: unaryMath(it, 'exp', Math.exp),
    log: unaryMath(it, 'log', Math.log),
    log2: unaryMath(it, 'log2', Math.log2),
    log10: unaryMath(it, 'log10', Math.log10),
    sqrt: unaryMath(it, 'sqrt', Math.sqrt),
    abs: unaryMath(it, 'abs', Math.abs),
    ceil: unaryMath(it, 'ceil', Math.ceil),
    floor: unaryMath(it, 'floor', Math.floor),
    round: unaryMath(it, 'round', (x) => {
      const r = Math.round(x);
      return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
    }),
    power: binaryMath(it, 'power', '**', (x, y) => x ** y),
    add: binaryMath(it, 'add', '+', (x, y) => x + y),
    subtract: binaryMath(it, 'subtract', '-', (x, y) => x - y),
    multiply: binaryMath(it, 'multiply', '*', (x, y) => x * y),
    divide: binaryMath(it, 'divide', '/', (x, y) => x / y),
    maximum: binaryMath(it, 'maximum', 'max', (x, y) => Math.max(x, y)),
    minimum: binaryMath(it, 'minimum', 'min', (x, y) => Math.min(x, y)),
    sum: reduction(it, 'sum'),
    mean: reduction(it, 'mean'),
    prod: reduction(it, 'prod'),
    max: reduction(it, 'max'),
    min: reduction(it, 'min'),
    amax: reduction(it, 'max'),
    amin: reduction(it, 'min'),
    shape: withArray('shape', (t) => it.getAttr(t, 'shape')),
    ndim: withArray('ndim', (t) => (t.shape ? t.shape.length : it.unknown('numpy array of unknown rank'))),
    random: moduleOf('numpy.random', { seed: builtin('seed', () => null) }),
    ndarray: nativeClass('ndarray', [it.classes.object], {
      methods: { __instancecheck__: (a) => a.positional[1] instanceof NdArray },
    }),
  });
}
