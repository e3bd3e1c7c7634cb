// Half-precision activations into float32 weights (or the reverse): torch raises outside autocast
// ("Input type (torch.HalfTensor) and weight type (torch.FloatTensor) should be the same",
// "mat1 and mat2 must have the same dtype", "expected scalar type BFloat16 but found Float").
// The analyzer raises the same only where it knows every weight's dtype: module and parameter
// dtype conversions (.half(), .to(dtype), .apply, .data =), layers built with dtype=,
// set_default_dtype and any autocast are not modelled, so once one is seen it stays silent, for the
// rest of the interpreter's life: silence is the safe side (a model built or a module imported earlier
// may be reused without running its conversion again).
import type { Interpreter } from '../interp/interpreter';
import type { Value } from '../interp/values';
import { Tensor } from './tensor';

const UNSURE = 'torch.weightDtypesUnsure';

/** Weights may not be the dtype the analyzer gave them (a conversion or autocast it does not model). */
export function markWeightDtypesUnsure(it: Interpreter): void {
  it.ext.set(UNSURE, true);
}

const SCALAR: Record<string, string> = { float16: 'Half', bfloat16: 'BFloat16', float32: 'Float', float64: 'Double' };
const HALF = new Set(['float16', 'bfloat16']);

/** The two dtypes when torch would raise for them: floating, different, one of them half precision. */
function mismatch(it: Interpreter, a: Value | undefined, b: Value | undefined): [string, string] | null {
  if (it.ext.get(UNSURE) || !(a instanceof Tensor) || !(b instanceof Tensor)) return null;
  const [x, w] = [a.dtype.name, b.dtype.name];
  if (x === w || !SCALAR[x] || !SCALAR[w] || !(HALF.has(x) || HALF.has(w))) return null;
  return [x, w];
}

const why = (x: string, w: string, what: string) => ` (a ${x} input with ${w} ${what}, outside autocast)`;

/** nn.ConvNd / F.convNd: raises as torch does when the input's dtype is not the weight's. */
export function checkConvDtypes(it: Interpreter, input: Value | undefined, weight: Value | undefined): void {
  const m = mismatch(it, input, weight);
  if (m)
    it.raise(
      'RuntimeError',
      `Input type (torch.${SCALAR[m[0]]}Tensor) and weight type (torch.${SCALAR[m[1]]}Tensor) should be the same${why(m[0], m[1], 'weights')}`,
    );
}

/** nn.Linear: raises as torch does when the input's dtype is not the weight's. */
export function checkLinearDtypes(it: Interpreter, input: Value | undefined, weight: Value | undefined): void {
  const m = mismatch(it, input, weight);
  if (m) it.raise('RuntimeError', `mat1 and mat2 must have the same dtype${why(m[0], m[1], 'weights')}`);
}

/** F.linear, matmul, mm, bmm: raises as torch does when the operands' dtypes differ. */
export function checkOperandDtypes(it: Interpreter, a: Value | undefined, b: Value | undefined, what: string): void {
  const m = mismatch(it, a, b);
  if (m) it.raise('RuntimeError', `expected scalar type ${SCALAR[m[0]]} but found ${SCALAR[m[1]]}${why(m[0], m[1], what)}`);
}
