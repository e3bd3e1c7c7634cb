// Dimension arithmetic of the kernel: integer division and window sizes over symbolic dims
// (plain numbers lift into them: every function returns a number when given numbers).
import { Poly, freshUnknownSymbol, symAdd, symMul, symSub, type SymNum } from '../interp/symbolic';

/** An opaque dim that carries the reason it is not known. */
export function unknownSize(reason: string): SymNum {
  return Poly.symbol(freshUnknownSymbol(reason));
}

/** ⌊a / b⌋; a symbolic quotient that does not divide exactly becomes an unknown with the reason. */
export function floorDiv(a: SymNum, b: SymNum, reason: string): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  const q = Poly.from(a).divExact(b);
  return q ? q.simplify() : unknownSize(reason);
}

function ceilDiv(a: SymNum, b: SymNum, reason: string): SymNum {
  if (typeof a === 'number' && typeof b === 'number') return Math.ceil(a / b);
  return floorDiv(a, b, reason);
}

/** ⌊(in + 2p − d·(k − 1) − 1) / s⌋ + 1, as torch computes conv and pool outputs (ceil mode: ⌈·⌉, last window inside). */
export function convOutput(input: SymNum, k: SymNum, s: SymNum, p: SymNum, d: SymNum, ceilMode = false): SymNum {
  const span = symSub(symAdd(input, symMul(2, p)), symAdd(symMul(d, symSub(k, 1)), 1));
  const reason = 'output size of a strided window over a symbolic size';
  let out = symAdd(ceilMode ? ceilDiv(span, s, reason) : floorDiv(span, s, reason), 1);
  // ceil mode: the last window must start inside the input or left padding (torch's pooling_output_shape)
  if (ceilMode && typeof out === 'number' && typeof input === 'number' && typeof s === 'number' && typeof p === 'number')
    if ((out - 1) * s >= input + p) out -= 1;
  return out;
}

/** 'same' padding: ⌈in / s⌉ (TF.js's rule; torch allows 'same' only at stride 1, where it is in). */
export function samePaddingOutput(input: SymNum, s: SymNum): SymNum {
  return ceilDiv(input, s, 'output size of a strided window over a symbolic size');
}

/** (in − 1)·s − 2p + d·(k − 1) + output_padding + 1. */
export function convTransposeOutput(input: SymNum, k: SymNum, s: SymNum, p: SymNum, op: SymNum, d: SymNum): SymNum {
  return symAdd(symSub(symMul(symSub(input, 1), s), symMul(2, p)), symAdd(symAdd(symMul(d, symSub(k, 1)), op), 1));
}

export function fmt(x: SymNum): string {
  return typeof x === 'number' ? String(x) : x.toString();
}

export function fmtProduct(xs: readonly SymNum[]): string {
  return xs.map(fmt).join('·');
}
