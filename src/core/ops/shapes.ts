// Shape arithmetic shared by the cost catalogue: output sizes of convolutions and
// pools, tuples from ints, matmul broadcasting. Dims may be symbolic.
import { asSymNum } from '../interp/operators';
import { Poly, freshUnknownSymbol, symAdd, symMul, symProduct, symSub, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, Unknown, PyFloat, type Value } from '../interp/values';
import { Tensor, broadcastShapes, unknownDim } from '../torch/tensor';

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
    const items = v.items.map((x, i) => dimOf(x, `${what}[${i}]`));
    if (items.length === n) return items;
    if (items.length === 1) return Array<SymNum>(n).fill(items[0]);
    return items.slice(0, n).concat(Array<SymNum>(Math.max(0, n - items.length)).fill(unknownDim(`${what} has ${items.length} entries, expected ${n}`)));
  }
  return Array<SymNum>(n).fill(dimOf(v, what));
}

export function floorDiv(a: SymNum, b: SymNum, reason: string): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  const q = Poly.from(a).divExact(b);
  return q ? q.simplify() : Poly.symbol(freshUnknownSymbol(reason));
}

function ceilDiv(a: SymNum, b: SymNum, reason: string): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return Math.ceil(a / b);
  return floorDiv(a, b, reason);
}

/** floor((in + 2p − d·(k − 1) − 1) / s) + 1, as torch computes conv and pool outputs. */
export function convOutput(input: SymNum, k: SymNum, s: SymNum, p: SymNum, d: SymNum, ceilMode = false): SymNum {
  const span = symSub(symAdd(input, symMul(2, p)), symAdd(symMul(d, symSub(k, 1)), 1));
  const reason = 'output size of a strided window over a symbolic size';
  let out = symAdd(ceilMode ? ceilDiv(span, s, reason) : floorDiv(span, s, reason), 1);
  // ceil mode: the last window must start inside the input or left padding (torch's pooling_output_shape)
  if (ceilMode && typeof out === 'number' && typeof input === 'number' && typeof s === 'number' && typeof p === 'number')
    if ((out - 1) * s >= input + p) out -= 1;
  return out;
}

/** (in − 1)·s − 2p + d·(k − 1) + output_padding + 1. */
export function convTransposeOutput(input: SymNum, k: SymNum, s: SymNum, p: SymNum, op: SymNum, d: SymNum): SymNum {
  return symAdd(symSub(symMul(symSub(input, 1), s), symMul(2, p)), symAdd(symAdd(symMul(d, symSub(k, 1)), op), 1));
}

export function numelOf(shape: readonly SymNum[] | null): SymNum {
  return shape ? symProduct(shape) : unknownDim('shape unknown');
}

/** Output shape of torch.matmul; null when the inner dims cannot match. */
export function matmulShape(a: readonly SymNum[], b: readonly SymNum[]): { shape: SymNum[]; macs: SymNum } | null {
  if (a.length === 0 || b.length === 0) return null;
  const a2 = a.length === 1 ? [1, a[0]] : [...a];
  const b2 = b.length === 1 ? [b[0], 1] : [...b];
  const m = a2[a2.length - 2];
  const k = a2[a2.length - 1];
  const n = b2[b2.length - 1];
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  const shape = [...batch, m, n];
  const macs = symProduct([...batch, m, k, n]);
  if (a.length === 1) shape.splice(shape.length - 2, 1);
  if (b.length === 1) shape.splice(shape.length - 1, 1);
  return { shape, macs };
}

export { symAdd, symMul, symProduct, symSub };
