// numpy functions that tile, repeat or append arrays: what detection code builds its anchor
// grids with (RetinaNet's generate_anchors and shift). Shapes always, values when known.
import type { Interpreter } from '../../interp/interpreter';
import { builtin } from '../../interp/native';
import { numericValue } from '../../interp/operators';
import { PyList, PyTuple, Unknown, type CallArgs, type Value } from '../../interp/values';
import { normAxis } from '../tensor';
import { type NdArray, concreteShape, ndarray, product, stridesOf } from './ndarray';

const arg = (a: CallArgs, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);

type ToArray = (v: Value | undefined) => NdArray | Unknown;
type Concatenate = (arrays: NdArray[], axis: Value | undefined) => Value;

function flat(t: NdArray): NdArray {
  const n = t.numel();
  return ndarray(n === null ? null : [n], t.dtype, t.data, t.unknownReason);
}

/** Row-major gather: out[f] = data[source(index of f)]. */
function gather(outShape: number[], data: readonly number[] | undefined, source: (index: number[]) => number): number[] | undefined {
  if (!data) return undefined;
  const strides = stridesOf(outShape);
  return Array.from({ length: product(outShape) }, (_, f) => data[source(outShape.map((d, i) => Math.floor(f / strides[i]) % d))]);
}

/** np.tile(A, reps): A promoted to len(reps) dims (or reps to A's), each axis repeated whole. */
function tile(it: Interpreter, t: NdArray, repsValue: Value | undefined): Value {
  const reps = (repsValue instanceof PyTuple || repsValue instanceof PyList ? repsValue.items : [repsValue]).map((v) =>
    numericValue(v ?? null),
  );
  if (reps.some((r) => r === null || r < 0)) return it.unknown('numpy.tile with repetitions that are not known');
  const inShape = concreteShape(t);
  if (!inShape) return ndarray(null, t.dtype, undefined, 'numpy.tile of an array of unknown shape');
  const rank = Math.max(inShape.length, reps.length);
  const a = [...Array<number>(rank - inShape.length).fill(1), ...inShape];
  const r = [...Array<number>(rank - reps.length).fill(1), ...(reps as number[])];
  const outShape = a.map((d, i) => d * r[i]);
  const inStrides = stridesOf(a);
  return ndarray(
    outShape,
    t.dtype,
    gather(outShape, t.data, (index) => index.reduce((off, x, i) => off + (x % a[i]) * inStrides[i], 0)),
  );
}

/** np.repeat(a, repeats, axis=None): each element (along the axis; of the flattened array without one) repeated in place. */
function repeat(it: Interpreter, t: NdArray, a: CallArgs): Value {
  const axisValue = arg(a, 2, 'axis') ?? null;
  const source = axisValue === null ? flat(t) : t;
  const inShape = concreteShape(source);
  if (!inShape) return ndarray(null, t.dtype, undefined, 'numpy.repeat of an array of unknown shape');
  const ax = axisValue === null ? 0 : normAxis(numericValue(axisValue) ?? NaN, inShape.length);
  if (ax === null) return it.raise('ValueError', `axis ${String(axisValue)} is out of bounds for array of dimension ${inShape.length}`);
  const repeatsValue = arg(a, 1, 'repeats');
  const len = inShape[ax];
  const counts =
    repeatsValue instanceof PyTuple || repeatsValue instanceof PyList
      ? repeatsValue.items.map((v) => numericValue(v))
      : Array<number | null>(len).fill(numericValue(repeatsValue ?? null));
  if (counts.some((c) => c === null || c < 0)) return it.unknown('numpy.repeat with repetitions that are not known');
  if (counts.length !== len)
    return it.raise('ValueError', `operands could not be broadcast together with shape (${len},) (${counts.length},)`);
  const from: number[] = (counts as number[]).flatMap((c, i) => Array<number>(c).fill(i));
  const outShape = inShape.map((d, i) => (i === ax ? from.length : d));
  const inStrides = stridesOf(inShape);
  return ndarray(
    outShape,
    t.dtype,
    gather(outShape, source.data, (index) => index.reduce((off, x, i) => off + (i === ax ? from[x] : x) * inStrides[i], 0)),
  );
}

function arraysOf(toArray: ToArray, v: Value | undefined): NdArray[] | Unknown {
  if (!(v instanceof PyTuple || v instanceof PyList))
    return toArray(v) instanceof Unknown ? (toArray(v) as Unknown) : [toArray(v) as NdArray];
  const out: NdArray[] = [];
  for (const x of v.items) {
    const t = toArray(x);
    if (t instanceof Unknown) return t;
    out.push(t);
  }
  return out;
}

export function numpyTilingFunctions(it: Interpreter, toArray: ToArray, concatenate: Concatenate): Record<string, Value> {
  const withArray = (name: string, fn: (t: NdArray, a: CallArgs) => Value) =>
    builtin(`numpy.${name}`, (a) => {
      const t = toArray(a.positional[0] ?? a.keywords.get('A') ?? a.keywords.get('a') ?? a.keywords.get('arr'));
      return t instanceof Unknown ? t : fn(t, a);
    });
  /** 1-D arrays as rows (vstack) or kept 1-D (hstack), as numpy's atleast_2d / atleast_1d. */
  const stacked = (name: string, vertical: boolean) =>
    builtin(`numpy.${name}`, (a) => {
      const xs = arraysOf(toArray, arg(a, 0, 'tup'));
      if (xs instanceof Unknown) return xs;
      const promoted = xs.map((t) => {
        const rank = t.shape?.length;
        if (rank === 0) return ndarray(vertical ? [1, 1] : [1], t.dtype, t.data);
        if (rank === 1 && vertical) return ndarray([1, t.shape![0]], t.dtype, t.data);
        return t;
      });
      const oneDim = !vertical && promoted.every((t) => t.shape?.length === 1);
      return concatenate(promoted, vertical || oneDim ? 0 : 1);
    });
  return {
    tile: withArray('tile', (t, a) => tile(it, t, arg(a, 1, 'reps'))),
    repeat: withArray('repeat', (t, a) => repeat(it, t, a)),
    append: withArray('append', (t, a) => {
      const values = toArray(arg(a, 1, 'values'));
      if (values instanceof Unknown) return values;
      const axis = arg(a, 2, 'axis') ?? null;
      return axis === null ? concatenate([flat(t), flat(values)], 0) : concatenate([t, values], axis);
    }),
    vstack: stacked('vstack', true),
    hstack: stacked('hstack', false),
  };
}
