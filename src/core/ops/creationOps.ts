// Tensors made while constructing: torch.as_tensor, the legacy typed constructors
// (torch.FloatTensor(3, 4), torch.LongTensor([1, 2])), randperm, scalar_tensor, and the complex
// views rotary embeddings use, signal windows. They allocate and compute nothing countable.
import { numericValue } from '../interp/operators';
import { PyDtype, PyList, PyTuple, Unknown, type Value } from '../interp/values';
import { roundTo } from '../torch/tensorData';
import { DEFAULT_FLOAT, DTYPES, Tensor, unknownTensor } from '../torch/tensor';
import { dtypeOf, literalTensor, reasonOf, shapeArg, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { dimOf } from './shapes';

function cast(x: Tensor, dtype: PyDtype): Tensor {
  return x.dtype === dtype
    ? x
    : new Tensor(
        x.shape,
        dtype,
        x.data?.map((v) => roundTo(dtype, v)),
      );
}

/** torch.as_tensor(data, dtype=None): a tensor stays itself (cast when asked), a Python literal becomes one. */
function asTensor(a: Map<string, Value>): OpResult {
  const data = a.get('data') ?? null;
  const dtype = a.get('dtype');
  if (data instanceof Tensor) return { output: dtype instanceof PyDtype ? cast(data, dtype) : data, view: true };
  const t = literalTensor(data, dtype instanceof PyDtype ? dtype : undefined);
  return { output: t instanceof Unknown ? unknownTensor(t.reason) : t };
}

/** torch.FloatTensor(3, 4) (uninitialised, of that size) or torch.FloatTensor([[1, 2]]) (the data). */
function typedConstructor(dtype: PyDtype): OpSpec {
  return {
    signature: '*args, device=None',
    run: (_a, _it, rest) => {
      const first = rest.positional[0];
      if (rest.positional.length === 1 && (first instanceof PyList || first instanceof PyTuple) && !isSizeLike(first)) {
        const t = literalTensor(first, dtype);
        return { output: t instanceof Unknown ? unknownTensor(t.reason, dtype) : t };
      }
      if (rest.positional.length === 1 && first instanceof Tensor) return { output: cast(first, dtype) };
      const shape = shapeArg(first, rest.positional.slice(1), 'size');
      if (shape instanceof Unknown) return unknownResult(shape.reason);
      return { output: new Tensor(shape, dtype) };
    },
  };
}

/** torch.Size is the only sequence the legacy constructors read as a size rather than as data. */
function isSizeLike(v: PyList | PyTuple): boolean {
  return v instanceof PyTuple && v.typeName === 'Size';
}

const TYPED: Record<string, PyDtype> = {
  FloatTensor: DTYPES.float32,
  DoubleTensor: DTYPES.float64,
  HalfTensor: DTYPES.float16,
  BFloat16Tensor: DTYPES.bfloat16,
  LongTensor: DTYPES.int64,
  IntTensor: DTYPES.int32,
  ShortTensor: DTYPES.int16,
  CharTensor: DTYPES.int8,
  ByteTensor: DTYPES.uint8,
  BoolTensor: DTYPES.bool,
};

/** view_as_real: complex (..., n) → real (..., n, 2); view_as_complex the other way. */
function complexView(toComplex: boolean): OpSpec {
  return {
    signature: 'input',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      if (toComplex)
        return { output: new Tensor(x.shape.slice(0, -1), x.dtype === DTYPES.float64 ? DTYPES.complex128 : DTYPES.complex64), view: true };
      return { output: new Tensor([...x.shape, 2], x.dtype === DTYPES.complex128 ? DTYPES.float64 : DEFAULT_FLOAT), view: true };
    },
  };
}

/** torch.hann_window(N, periodic=True) and its kin: a 1-D window of N values (the values are not followed). */
function window(extra = ''): OpSpec {
  return {
    signature: `window_length, periodic=True, ${extra}*, dtype=None, layout=None, device=None, requires_grad=False`,
    run: (a) => ({ output: new Tensor([dimOf(a.get('window_length'), 'window_length')], dtypeOf(a.get('dtype'), DEFAULT_FLOAT)) }),
  };
}

export const CREATION_OPS: Record<string, OpSpec> = {
  hann_window: window(),
  hamming_window: window('alpha=0.54, beta=0.46, '),
  blackman_window: window(),
  bartlett_window: window(),
  kaiser_window: window('beta=12.0, '),
  as_tensor: { signature: 'data, dtype=None, device=None', run: asTensor },
  asarray: {
    signature: 'obj, *, dtype=None, device=None, copy=None, requires_grad=False',
    run: (a) =>
      asTensor(
        new Map([
          ['data', a.get('obj')!],
          ['dtype', a.get('dtype')!],
        ]),
      ),
  },
  ...Object.fromEntries(Object.entries(TYPED).map(([name, dtype]) => [name, typedConstructor(dtype)])),
  randperm: {
    signature: 'n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False',
    run: (a) => ({ output: new Tensor([dimOf(a.get('n'), 'n')], dtypeOf(a.get('dtype'), DTYPES.int64)) }),
  },
  scalar_tensor: {
    signature: 's, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False',
    run: (a) => {
      const dtype = dtypeOf(a.get('dtype'), DEFAULT_FLOAT);
      const v = numericValue(a.get('s') ?? null);
      return { output: new Tensor([], dtype, v === null ? undefined : [roundTo(dtype, v)]) };
    },
  },
  normal: {
    signature: 'mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False',
    run: (a) => {
      const size = a.get('size');
      if (size !== undefined && size !== null) {
        const shape = shapeArg(size, [], 'size');
        return shape instanceof Unknown
          ? unknownResult(shape.reason)
          : { output: new Tensor(shape, dtypeOf(a.get('dtype'), DEFAULT_FLOAT)) };
      }
      const t = [a.get('mean'), a.get('std')].find((v): v is Tensor => v instanceof Tensor);
      return t?.shape ? { output: new Tensor(t.shape, t.dtype) } : unknownResult('torch.normal without a size or tensor arguments');
    },
  },
  view_as_real: complexView(false),
  view_as_complex: complexView(true),
  polar: {
    signature: 'abs, angle',
    run: (a) => {
      const x = a.get('abs');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'abs'));
      return {
        output: new Tensor(x.shape, x.dtype === DTYPES.float64 ? DTYPES.complex128 : DTYPES.complex64),
        elementwise: x.numel() ?? 0,
      };
    },
  },
};
