// torch.finfo and torch.iinfo: the limits of each dtype as torch reports them.
import type { Interpreter } from '../interp/interpreter';
import { moduleOf } from '../interp/native';
import { PyDtype, PyFloat, type Value } from '../interp/values';
import { DEFAULT_FLOAT } from './tensor';

/** bits, eps, max, tiny (smallest normal), resolution: torch 1.13's finfo. */
const FLOAT_INFO: Record<string, [number, number, number, number, number]> = {
  float32: [32, 1.1920928955078125e-7, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-6],
  float64: [64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15],
  float16: [16, 0.0009765625, 65504, 6.103515625e-5, 0.001],
  bfloat16: [16, 0.0078125, 3.3895313892515355e38, 1.1754943508222875e-38, 0.01],
  complex64: [32, 1.1920928955078125e-7, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-6],
  complex128: [64, 2.220446049250313e-16, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-15],
};

/** bits, min, max; int64's are beyond a double's exact range and kept as BigInt-free approximations by the interpreter's ints. */
const INT_INFO: Record<string, [number, number, number]> = {
  int8: [8, -128, 127],
  uint8: [8, 0, 255],
  int16: [16, -32768, 32767],
  int32: [32, -2147483648, 2147483647],
  int64: [64, -(2 ** 63), 2 ** 63 /* 2**63 - 1, as the nearest double */],
  bool: [8, 0, 1],
};

export function finfo(it: Interpreter, dtype: Value | undefined): Value {
  const d = dtype === undefined || dtype === null ? DEFAULT_FLOAT : dtype;
  if (!(d instanceof PyDtype)) return it.unknown('torch.finfo of a value that is not a dtype');
  const info = FLOAT_INFO[d.name] as [number, number, number, number, number] | undefined;
  if (!info) return it.raise('TypeError', 'torch.finfo() requires a floating point input type.');
  const [bits, eps, max, tiny, resolution] = info;
  return moduleOf('finfo', {
    bits,
    eps: new PyFloat(eps),
    max: new PyFloat(max),
    min: new PyFloat(-max),
    tiny: new PyFloat(tiny),
    smallest_normal: new PyFloat(tiny),
    resolution: new PyFloat(resolution),
    dtype: d.name,
  });
}

export function iinfo(it: Interpreter, dtype: Value | undefined): Value {
  if (dtype === undefined) return it.raise('TypeError', "iinfo() missing required argument 'type' (pos 1)");
  if (!(dtype instanceof PyDtype)) return it.unknown('torch.iinfo of a value that is not a dtype');
  const info = INT_INFO[dtype.name] as [number, number, number] | undefined;
  if (!info) return it.raise('TypeError', 'torch.iinfo() requires an integer input type.');
  const [bits, min, max] = info;
  return moduleOf('iinfo', { bits, min, max, dtype: dtype.name });
}

/** Attributes of a dtype: torch.float16.is_floating_point, .itemsize, .is_complex, .is_signed. */
export function dtypeAttr(d: PyDtype, name: string): Value | undefined {
  const complex = d.name.startsWith('complex');
  switch (name) {
    case 'is_floating_point':
      return d.isFloat && !complex;
    case 'is_complex':
      return complex;
    case 'is_signed':
      return d.name !== 'uint8' && d.name !== 'bool';
    case 'itemsize':
      return d.bytes;
  }
  return undefined;
}
