// numpy's ndarray: a Tensor whose Python behaviour is numpy's (float64 by default, `.size` an
// int, `.T` reversing every axis, `reshape(2, 3)`, no costs recorded). Values are kept when the
// array is small, so constants built with numpy (drop-path rates, sinusoid tables) stay exact.
import type { PyDtype } from '../../interp/values';
import type { SymNum } from '../../interp/symbolic';
import { DTYPES, MAX_CONCRETE_NUMEL, Tensor } from '../tensor';
import { roundTo } from '../tensorData';

export const F64 = DTYPES.float64;
export const I64 = DTYPES.int64;
export const BOOL = DTYPES.bool;

export class NdArray extends Tensor {}

/** A numpy array of a shape, with values when they are known and few enough to keep. */
export function ndarray(shape: readonly SymNum[] | null, dtype: PyDtype, data?: readonly number[], reason?: string): NdArray {
  const keep = data && data.length <= MAX_CONCRETE_NUMEL ? data.map((x) => roundTo(dtype, x)) : undefined;
  return new NdArray(shape, dtype, keep, reason);
}

/** Concrete dims, or null when one is symbolic or the rank is unknown. */
export function concreteShape(t: Tensor): number[] | null {
  if (!t.shape || t.shape.some((d) => typeof d !== 'number')) return null;
  return t.shape as number[];
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export const product = (xs: readonly number[]) => xs.reduce((p, q) => p * q, 1);

/** Values of a broadcast binary op; undefined when either side has none or the output is too big. */
export function broadcastData(
  sa: readonly number[],
  da: readonly number[] | undefined,
  sb: readonly number[],
  db: readonly number[] | undefined,
  out: readonly number[],
  fn: (x: number, y: number) => number,
): number[] | undefined {
  if (!da || !db || product(out) > MAX_CONCRETE_NUMEL) return undefined;
  const n = out.length;
  const pa = [...Array<number>(n - sa.length).fill(1), ...sa];
  const pb = [...Array<number>(n - sb.length).fill(1), ...sb];
  const ta = stridesOf(pa).map((s, i) => (pa[i] === 1 ? 0 : s));
  const tb = stridesOf(pb).map((s, i) => (pb[i] === 1 ? 0 : s));
  const so = stridesOf(out);
  const total = product(out);
  const r = new Array<number>(total);
  for (let f = 0; f < total; f++) {
    let ia = 0;
    let ib = 0;
    let rest = f;
    for (let k = 0; k < n; k++) {
      const idx = Math.floor(rest / so[k]);
      rest -= idx * so[k];
      ia += idx * ta[k];
      ib += idx * tb[k];
    }
    r[f] = fn(da[ia], db[ib]);
  }
  return r;
}

/** Values after permuting axes. */
export function transposeData(shape: readonly number[], data: readonly number[], axes: readonly number[]): number[] {
  const src = stridesOf(shape);
  const out = axes.map((a) => shape[a]);
  const so = stridesOf(out);
  const total = product(out);
  const r = new Array<number>(total);
  for (let f = 0; f < total; f++) {
    let rest = f;
    let i = 0;
    for (let k = 0; k < out.length; k++) {
      const idx = Math.floor(rest / so[k]);
      rest -= idx * so[k];
      i += idx * src[axes[k]];
    }
    r[f] = data[i];
  }
  return r;
}

/** Values of arrays joined along an existing axis (all of the same rank and other dims). */
export function concatData(shapes: number[][], datas: (readonly number[])[], axis: number): number[] {
  const outer = product(shapes[0].slice(0, axis));
  const r: number[] = [];
  for (let o = 0; o < outer; o++)
    shapes.forEach((s, i) => {
      const block = product(s.slice(axis));
      for (let j = 0; j < block; j++) r.push(datas[i][o * block + j]);
    });
  return r;
}

/** Reduction over one axis (or all, axis null) of concrete values. */
export function reduceData(
  shape: readonly number[],
  data: readonly number[],
  axis: number | null,
  fn: (xs: number[]) => number,
): { shape: number[]; data: number[] } {
  if (axis === null) return { shape: [], data: [fn([...data])] };
  const outer = product(shape.slice(0, axis));
  const n = shape[axis];
  const inner = product(shape.slice(axis + 1));
  const r: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      const xs: number[] = [];
      for (let k = 0; k < n; k++) xs.push(data[(o * n + k) * inner + i]);
      r.push(fn(xs));
    }
  return { shape: [...shape.slice(0, axis), ...shape.slice(axis + 1)], data: r };
}
