// Ops whose output depends on the data or on randomness (unique, bincount, multinomial,
// bernoulli), and the views of complex and strided tensors. Data-dependent sizes stay unknown
// dims with their reason; nothing here multiplies and accumulates.
import { numericValue } from '../interp/operators';
import { type SymNum } from '../interp/symbolic';
import { PyTuple, Unknown, type Value } from '../interp/values';
import { roundTo, uniqueValues } from '../torch/tensorData';
import { DTYPES, MAX_CONCRETE_NUMEL, Tensor, normAxis, unknownDim } from '../torch/tensor';
import { reasonOf, reduceShape, sameShape, shapeArg, unknownResult, valuesIndices } from './functional';
import type { OpSpec } from './opSpec';
import { dimOf, numelOf } from './shapes';

function tensorArg(a: Map<string, Value>, name: string): Tensor | null {
  const x = a.get(name);
  return x instanceof Tensor && x.shape ? x : null;
}

/** A result whose length depends on the values: unknown, with the reason. */
function dataDependent(what: string, dtype = DTYPES.int64): OpSpec {
  return {
    signature: 'input, *args',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor)) return unknownResult(reasonOf(x, what));
      return {
        output: new Tensor([unknownDim(`${what} returns a data-dependent number of elements`)], dtype === DTYPES.int64 ? dtype : x.dtype),
      };
    },
  };
}

/** kthvalue / mode / nanmedian(dim): (values, indices) over dim. */
function valuesOver(signature: string): OpSpec {
  return {
    signature,
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'input'));
      const dim = a.get('dim') ?? null;
      const out = reduceShape(x.shape!, dim, a.get('keepdim') === true);
      if (!out) return unknownResult('reduction over an unknown dim');
      const values = new Tensor(out, x.dtype);
      return { output: dim === null ? values : valuesIndices(values, new Tensor(out, DTYPES.int64)), elementwise: numelOf(x.shape) };
    },
  };
}

/** In-place writes: the tensor keeps its shape; its known values become the written ones, or unknown. */
function overwrite(values: (x: Tensor, a: Map<string, Value>) => number[] | undefined, signature = 'input, *args'): OpSpec {
  return {
    signature,
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'input'));
      const n = x.concreteNumel();
      const data = n !== null && n <= MAX_CONCRETE_NUMEL ? values(x, a) : undefined;
      return {
        output: new Tensor(x.shape, x.dtype, data?.length === n ? data.map((v) => roundTo(x.dtype, v)) : undefined),
        elementwise: numelOf(x.shape),
      };
    },
  };
}

const random = overwrite(() => undefined);

/**
 * torch.unique / unique_consecutive: with the values known (a small constant tensor, e.g. the
 * stage widths a RegNet computes), the result is known; otherwise its length is a
 * data-dependent unknown. Returns (values[, inverse][, counts]) as torch does.
 */
function uniqueOp(what: string, consecutive: boolean): OpSpec {
  return {
    signature: consecutive
      ? 'input, return_inverse=False, return_counts=False, dim=None'
      : 'input, sorted=True, return_inverse=False, return_counts=False, dim=None',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, what));
      const dim = a.get('dim') ?? null;
      const axis = dim === null ? null : normAxis(numericValue(dim) ?? NaN, x.shape.length);
      if (dim !== null && axis === null) return unknownResult(`${what}: dim is not known`);
      const known = dim === null && x.data && (consecutive || a.get('sorted') !== false) ? uniqueValues(x.data, consecutive) : undefined;
      const reason = `torch.${what} returns a data-dependent number of elements`;
      const length = known ? known.values.length : unknownDim(reason);
      const values =
        axis === null
          ? new Tensor([length], x.dtype, known?.values)
          : new Tensor(
              x.shape.map((d, i) => (i === axis ? length : d)),
              x.dtype,
            );
      const out: Value[] = [values];
      if (a.get('return_inverse') === true) out.push(new Tensor(axis === null ? x.shape : [x.shape[axis]], DTYPES.int64, known?.inverse));
      if (a.get('return_counts') === true) out.push(new Tensor([length], DTYPES.int64, known?.counts));
      return { output: out.length === 1 ? values : new PyTuple(out) };
    },
  };
}

export const DATA_OPS: Record<string, OpSpec> = {
  fill_: overwrite((x, a) => {
    const v = numericValue(a.get('value') ?? null);
    return v === null ? undefined : Array<number>(x.concreteNumel()!).fill(v);
  }, 'input, value'),
  zero_: overwrite((x) => Array<number>(x.concreteNumel()!).fill(0)),
  copy_: overwrite((_x, a) => {
    const src = a.get('src');
    return src instanceof Tensor && src.data ? [...src.data] : undefined;
  }, 'input, src, non_blocking=False'),
  normal_: random,
  uniform_: random,
  random_: random,
  exponential_: random,
  cauchy_: random,
  log_normal_: random,
  geometric_: random,
  bernoulli_: random,
  unique: uniqueOp('unique', false),
  unique_consecutive: uniqueOp('unique_consecutive', true),
  bincount: dataDependent('bincount'),
  histc: {
    signature: 'input, bins=100, min=0, max=0',
    run: (a) => {
      const x = tensorArg(a, 'input');
      return x
        ? { output: new Tensor([dimOf(a.get('bins'), 'bins')], x.dtype), elementwise: numelOf(x.shape) }
        : unknownResult('histc input');
    },
  },
  multinomial: {
    signature: 'input, num_samples, replacement=False, *, generator=None',
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'multinomial'));
      return { output: new Tensor([...x.shape!.slice(0, -1), dimOf(a.get('num_samples'), 'num_samples')], DTYPES.int64) };
    },
  },
  bernoulli: sameShape(1),
  poisson: sameShape(1),
  exponential: sameShape(1),
  geometric: sameShape(1),
  cauchy: sameShape(1),
  log_normal: sameShape(1),
  random: sameShape(0),
  equal: {
    signature: 'input, other',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const y = tensorArg(a, 'other');
      if (x?.data && y?.data) return { output: x.data.length === y.data.length && x.data.every((v, i) => v === y.data![i]) };
      return { output: new Unknown('torch.equal compares values that are not known statically') };
    },
  },
  conj: sameShape(0, { view: true }),
  conj_physical: sameShape(0),
  resolve_conj: sameShape(0, { view: true }),
  resolve_neg: sameShape(0, { view: true }),
  real: {
    signature: 'input',
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'real'));
      const dtype = x.dtype === DTYPES.complex128 ? DTYPES.float64 : x.dtype === DTYPES.complex64 ? DTYPES.float32 : x.dtype;
      return { output: new Tensor(x.shape, dtype, x.data), view: true };
    },
  },
  dist: {
    signature: 'input, other, p=2',
    run: (a) => {
      const x = tensorArg(a, 'input');
      return x ? { output: new Tensor([], x.dtype), elementwise: numelOf(x.shape) } : unknownResult('dist input');
    },
  },
  as_strided: {
    signature: 'input, size, stride, storage_offset=None',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const size = shapeArg(a.get('size'), [], 'size');
      if (!x || size instanceof Unknown) return unknownResult('as_strided of an unknown tensor or size');
      return { output: new Tensor(size, x.dtype), view: true };
    },
  },
  resize: {
    signature: 'input, *sizes',
    run: (a, _it, rest) => {
      const x = tensorArg(a, 'input');
      const size = shapeArg(rest.positional[0], rest.positional.slice(1), 'size');
      if (!x || size instanceof Unknown) return unknownResult('resize of an unknown tensor or size');
      return { output: new Tensor(size, x.dtype) };
    },
  },
  resize_as: {
    signature: 'input, other',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const o = tensorArg(a, 'other');
      return x && o ? { output: new Tensor(o.shape, x.dtype) } : unknownResult('resize_as of unknown tensors');
    },
  },
  trapezoid: {
    signature: 'y, x=None, *, dx=None, dim=-1',
    run: (a) => {
      const y = tensorArg(a, 'y');
      if (!y) return unknownResult(reasonOf(a.get('y'), 'trapezoid'));
      const axis = normAxis(numericValue(a.get('dim')!) ?? -1, y.shape!.length);
      const out: SymNum[] = y.shape!.filter((_, i) => i !== axis);
      return { output: new Tensor(out, y.dtype), elementwise: numelOf(y.shape) };
    },
  },
  kthvalue: valuesOver('input, k, dim=-1, keepdim=False'),
  mode: valuesOver('input, dim=-1, keepdim=False'),
  nanmedian: valuesOver('input, dim=None, keepdim=False'),
};
