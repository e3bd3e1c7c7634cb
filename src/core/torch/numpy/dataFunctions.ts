// numpy functions whose result's length depends on the values (np.unique) or that difference
// neighbours (np.diff): known exactly when the input's values are (RegNet stage widths and
// depths are computed this way), a data-dependent unknown length otherwise.
import type { Interpreter } from '../../interp/interpreter';
import { builtin } from '../../interp/native';
import { numericValue } from '../../interp/operators';
import { PyTuple, Unknown, type CallArgs, type Value } from '../../interp/values';
import { normAxis, unknownDim } from '../tensor';
import { uniqueValues } from '../tensorData';
import { I64, type NdArray, ndarray, product, stridesOf } from './ndarray';

const arg = (a: CallArgs, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);

/** np.unique(ar, return_index, return_inverse, return_counts, axis=None) over the flattened array. */
function unique(it: Interpreter, t: NdArray, a: CallArgs): Value {
  const flag = (i: number, name: string) => it.truthy(arg(a, i, name) ?? false) === true;
  const axis = arg(a, 4, 'axis') ?? null;
  if (axis !== null) return it.unknown('numpy.unique along an axis is not modelled');
  const known = t.data ? uniqueValues(t.data, false) : undefined;
  const length = known ? known.values.length : unknownDim('numpy.unique returns a data-dependent number of elements');
  const values = ndarray([length], t.dtype, known?.values);
  const out: Value[] = [values];
  if (flag(1, 'return_index')) out.push(ndarray([length], I64, known?.first));
  if (flag(2, 'return_inverse')) out.push(ndarray(t.shape ? [t.numel()!] : null, I64, known?.inverse));
  if (flag(3, 'return_counts')) out.push(ndarray([length], I64, known?.counts));
  return out.length === 1 ? values : new PyTuple(out);
}

/** np.diff(a, n=1, axis=-1): out[i] = a[i+1] - a[i] along the axis, n times. */
function diff(it: Interpreter, t: NdArray, a: CallArgs): Value {
  const n = numericValue(arg(a, 1, 'n') ?? 1);
  if (!t.shape) return t;
  const ax = normAxis(numericValue(arg(a, 2, 'axis') ?? -1) ?? NaN, t.shape.length);
  if (n === null || n < 0 || ax === null) return it.raise('ValueError', 'numpy.diff: order or axis out of range');
  let shape = [...t.shape];
  let data = t.data ? [...t.data] : undefined;
  for (let k = 0; k < n; k++) {
    const dims = shape.every((d) => typeof d === 'number') ? (shape as number[]) : null;
    const len = shape[ax];
    shape = shape.map((d, i) =>
      i !== ax ? d : typeof len === 'number' ? Math.max(0, len - 1) : unknownDim('numpy.diff along a symbolic axis'),
    );
    if (!dims || !data) {
      data = undefined;
      continue;
    }
    const outDims = shape as number[];
    const inStrides = stridesOf(dims);
    const outStrides = stridesOf(outDims);
    const src = data;
    const isBool = t.dtype.name === 'bool';
    data = Array.from({ length: product(outDims) }, (_, f) => {
      let off = 0;
      outDims.forEach((_d, i) => (off += (Math.floor(f / outStrides[i]) % outDims[i]) * inStrides[i]));
      const [x, y] = [src[off], src[off + inStrides[ax]]];
      return isBool ? +(x !== y) : y - x;
    });
  }
  return ndarray(shape, t.dtype, data);
}

export function numpyDataFunctions(it: Interpreter, toArray: (v: Value | undefined) => NdArray | Unknown): Record<string, Value> {
  const withArray = (name: string, fn: (t: NdArray, a: CallArgs) => Value) =>
    builtin(`numpy.${name}`, (a) => {
      const t = toArray(a.positional[0] ?? a.keywords.get('a') ?? a.keywords.get('ar'));
      return t instanceof Unknown ? t : fn(t, a);
    });
  return {
    unique: withArray('unique', (t, a) => unique(it, t, a)),
    diff: withArray('diff', (t, a) => diff(it, t, a)),
  };
}
