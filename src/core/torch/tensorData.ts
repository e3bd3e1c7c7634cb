// Concrete values of the small tensors that model constructors compute with
// (torch.arange(depth) * w_a + w_0, torch.round(...), .int().tolist()). float32 results
// are rounded through Math.fround so rounding matches what torch computes.
import type { PyDtype } from '../interp/values';
import { MAX_CONCRETE_NUMEL, Tensor, DTYPES } from './tensor';

export function roundTo(dtype: PyDtype, x: number): number {
  if (!dtype.isFloat) {
    if (dtype.name === 'bool') return x ? 1 : 0;
    return Math.trunc(x);
  }
  if (dtype.name === 'float32') return Math.fround(x);
  if (dtype.name === 'float16' || dtype.name === 'bfloat16') return Math.fround(x);
  return x;
}

/** Elementwise data of a binary op: same shape, or one side a single element. */
export function binaryData(
  a: Tensor | number,
  b: Tensor | number,
  dtype: PyDtype,
  fn: (x: number, y: number) => number,
): number[] | undefined {
  const da = typeof a === 'number' ? [a] : a.data;
  const db = typeof b === 'number' ? [b] : b.data;
  if (!da || !db) return undefined;
  const cast = (v: number) => (dtype.isFloat ? roundTo(dtype, v) : v);
  if (da.length === db.length) return da.map((x, i) => roundTo(dtype, fn(cast(x), cast(db[i]))));
  if (db.length === 1) return da.map((x) => roundTo(dtype, fn(cast(x), cast(db[0]))));
  if (da.length === 1) return db.map((y) => roundTo(dtype, fn(cast(da[0]), cast(y))));
  return undefined;
}

export function unaryData(a: Tensor, dtype: PyDtype, fn: (x: number) => number): number[] | undefined {
  return a.data?.map((x) => roundTo(dtype, fn(x)));
}

export function dataTensor(data: number[], dtype: PyDtype, shape?: number[]): Tensor {
  return new Tensor(shape ?? [data.length], dtype, data.length <= MAX_CONCRETE_NUMEL ? data : undefined);
}

/** Round half to even, as torch.round does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

export const INT64 = DTYPES.int64;

/**
 * Sorted distinct values (or runs of equal values), the index of each input in them, their
 * counts, and the index of each one's first occurrence.
 */
export function uniqueValues(
  data: readonly number[],
  consecutive: boolean,
): { values: number[]; inverse: number[]; counts: number[]; first: number[] } {
  const values: number[] = [];
  const first: number[] = [];
  const counts: number[] = [];
  const inverse: number[] = [];
  if (consecutive) {
    for (const v of data) {
      if (values.length === 0 || values[values.length - 1] !== v) {
        values.push(v);
        counts.push(0);
        first.push(inverse.length);
      }
      counts[counts.length - 1] += 1;
      inverse.push(values.length - 1);
    }
    return { values, inverse, counts, first };
  }
  const sorted = [...new Set(data)].sort((p, q) => p - q);
  const index = new Map(sorted.map((v, i) => [v, i]));
  const tally = sorted.map(() => 0);
  const firstAt = sorted.map(() => -1);
  data.forEach((v, k) => {
    const i = index.get(v)!;
    tally[i] += 1;
    if (firstAt[i] < 0) firstAt[i] = k;
    inverse.push(i);
  });
  return { values: sorted, inverse, counts: tally, first: firstAt };
}
