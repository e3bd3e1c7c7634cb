// Python arguments as dims for the cost catalogue: ints and tuples of ints, symbolic or
// unknown. The shape rules themselves (conv and pool outputs, matmul) are in src/core/cost.
import { asSymNum } from '../interp/operators';
import { symProduct, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, Unknown, PyFloat, type Value } from '../interp/values';
import { Tensor, unknownDim } from '../torch/tensor';

/** A Python int-like value as a dim; unknown values become opaque dims carrying the reason. */
export function dimOf(v: Value | undefined, what: string): SymNum {
  if (v === undefined) return unknownDim(`${what} missing`);
  const s = asSymNum(v);
  if (s !== null) return s;
  if (v instanceof Unknown) return unknownDim(`${what} unknown: ${v.reason}`);
  if (v instanceof PyFloat && Number.isInteger(v.v)) return v.v;
  if (v instanceof Tensor && v.data?.length === 1) return v.data[0];
  return unknownDim(`${what} is not an int`);
}

/** An int or a tuple/list of n ints → n dims (torch's _ntuple). */
export function tupleOf(v: Value | undefined, n: number, what: string): SymNum[] {
  if (v instanceof PyTuple || v instanceof PyList) {
    // an int needs no name: the item's label is built only for what may become an unknown dim
    const items = v.items.map((x, i) => (typeof x === 'number' ? x : dimOf(x, `${what}[${i}]`)));
    if (items.length === n) return items;
    if (items.length === 1) return Array<SymNum>(n).fill(items[0]);
    return items
      .slice(0, n)
      .concat(Array<SymNum>(Math.max(0, n - items.length)).fill(unknownDim(`${what} has ${items.length} entries, expected ${n}`)));
  }
  return Array<SymNum>(n).fill(dimOf(v, what));
}

export function numelOf(shape: readonly SymNum[] | null): SymNum {
  return shape ? symProduct(shape) : unknownDim('shape unknown');
}
