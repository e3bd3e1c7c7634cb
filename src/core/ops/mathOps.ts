// Elementwise math beyond the basic operators: trigonometry, predicates (isfinite, logical_not),
// fmod, copysign, addcdiv. One elementwise FLOP per output element, no MACs; values are kept
// only where the catalogue's own arithmetic computes them (names of binaryOp's table).
import { DTYPES } from '../torch/tensor';
import { binaryOp, sameShape, unaryOp } from './functional';
import type { OpSpec } from './opSpec';

function binary(name: string, as = name): OpSpec {
  return { signature: 'input, other, *, out=None', run: (a) => binaryOp(as, a.get('input')!, a.get('other')!) };
}

export const MATH_OPS: Record<string, OpSpec> = {
  tan: unaryOp('tan', Math.tan),
  atan: unaryOp('atan', Math.atan),
  asin: unaryOp('asin', Math.asin),
  acos: unaryOp('acos', Math.acos),
  sinh: unaryOp('sinh', Math.sinh),
  cosh: unaryOp('cosh', Math.cosh),
  asinh: unaryOp('asinh', Math.asinh),
  acosh: unaryOp('acosh', Math.acosh),
  atanh: unaryOp('atanh', Math.atanh),
  arctan: unaryOp('atan', Math.atan),
  expm1: unaryOp('expm1', Math.expm1),
  exp2: unaryOp('exp2', (x) => 2 ** x),
  erfc: unaryOp('erfc'),
  erfinv: unaryOp('erfinv'),
  frac: unaryOp('frac', (x) => x - Math.trunc(x)),
  fix: unaryOp('fix', Math.trunc, { keepInt: true }),
  absolute: unaryOp('abs', Math.abs, { keepInt: true }),
  negative: unaryOp('neg', (x) => -x, { keepInt: true }),
  sgn: unaryOp('sign', Math.sign, { keepInt: true }),
  signbit: sameShape(1, { dtype: DTYPES.bool }),
  logical_not: sameShape(1, { dtype: DTYPES.bool }),
  bitwise_not: sameShape(1),
  isfinite: sameShape(1, { dtype: DTYPES.bool }),
  isnan: sameShape(1, { dtype: DTYPES.bool }),
  isinf: sameShape(1, { dtype: DTYPES.bool }),
  isposinf: sameShape(1, { dtype: DTYPES.bool }),
  isneginf: sameShape(1, { dtype: DTYPES.bool }),
  fmod: binary('fmod'),
  copysign: binary('copysign'),
  hypot: binary('hypot'),
  logical_xor: binary('ne'),
  bitwise_xor: binary('bitwise_xor'),
  greater: binary('gt'),
  greater_equal: binary('ge'),
  less: binary('lt'),
  less_equal: binary('le'),
  not_equal: binary('ne'),
  subtract: binary('sub'),
  fmax: binary('maximum'),
  fmin: binary('minimum'),
  addcdiv: {
    signature: 'input, tensor1, tensor2, *, value=1',
    run: (a) => {
      const quotient = binaryOp('div', a.get('tensor1')!, a.get('tensor2')!).output;
      const value = a.get('value') ?? 1;
      return binaryOp('add', a.get('input')!, value === 1 ? quotient : binaryOp('mul', quotient, value).output);
    },
  },
};
