// Splitting, scattering, sorting and tiling: the indexing ops model code uses, with torch's
// shape rules. None multiplies and accumulates; scatters and sorts count one elementwise FLOP
// per element they write or compare.
import type { Interpreter } from '../interp/interpreter';
import { asSymNum, numericValue } from '../interp/operators';
import { symMul, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, Unknown, type Value } from '../interp/values';
import { DEFAULT_INT, Tensor, broadcastShapes, normAxis, unknownDim } from '../torch/tensor';
import { matmulResult, promote, reasonOf, reduceShape, shapeArg, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { numelOf } from './shapes';

function tensorArg(a: Map<string, Value>, name: string): Tensor | null {
  const x = a.get(name);
  return x instanceof Tensor && x.shape ? x : null;
}

/** torch.tensor_split: n sections (the first size % n one longer) or the pieces between indices. */
function tensorSplit(a: Map<string, Value>, it: Interpreter, rest: { keywords: Map<string, Value> }): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return { output: it.unknown(reasonOf(a.get('input'), 'tensor_split')) };
  const shape = x.shape!;
  const axis = normAxis(numericValue(a.get('dim') ?? 0) ?? 0, shape.length);
  if (axis === null) return { output: it.raise('IndexError', 'Dimension out of range') };
  const spec = a.get('indices_or_sections') ?? rest.keywords.get('indices') ?? rest.keywords.get('sections') ?? null;
  const size = shape[axis];
  const piece = (d: SymNum) =>
    new Tensor(
      shape.map((s, i) => (i === axis ? d : s)),
      x.dtype,
    );
  if (spec instanceof PyList || spec instanceof PyTuple || (spec instanceof Tensor && spec.shape?.length === 1 && spec.data)) {
    const points = spec instanceof Tensor ? [...spec.data!] : spec.items.map((v) => numericValue(v));
    if (typeof size !== 'number' || points.some((p) => p === null))
      return { output: it.unknown('tensor_split at indices of a symbolic or unknown size') };
    const bounds = [0, ...(points as number[]).map((p) => Math.min(Math.max(p < 0 ? p + size : p, 0), size)), size];
    return { output: new PyTuple(bounds.slice(1).map((end, i) => piece(Math.max(0, end - bounds[i])))), view: true };
  }
  const n = numericValue(spec);
  if (n === null || n <= 0) return { output: it.unknown('tensor_split sections unknown') };
  if (typeof size !== 'number') return { output: it.unknown('tensor_split of a symbolic size') };
  const base = Math.floor(size / n);
  return { output: new PyTuple(Array.from({ length: n }, (_, i) => piece(base + (i < size % n ? 1 : 0)))), view: true };
}

/** scatter, index_add, masked_scatter...: the input's shape, one write per source element. */
function writeInto(): OpSpec {
  return {
    signature: 'input, *args',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      return { output: new Tensor(x.shape, x.dtype), elementwise: numelOf(x.shape) };
    },
  };
}

function argsort(): OpSpec {
  return {
    signature: 'input, dim=-1, descending=False, stable=False',
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'argsort'));
      return { output: new Tensor(x.shape, DEFAULT_INT), elementwise: numelOf(x.shape) };
    },
  };
}

/** repeat_interleave whose repeats are a tensor: the output length is their sum, when known. */
function repeatInterleave(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return unknownResult(reasonOf(a.get('input'), 'repeat_interleave'));
  const r = a.get('repeats') ?? null;
  const d = a.get('dim');
  const shape = x.shape!;
  let total: SymNum | null;
  const scalar = r instanceof Tensor ? (r.data?.length === 1 && r.shape?.length === 0 ? r.data[0] : null) : asSymNum(r);
  if (r instanceof Tensor && scalar === null) total = r.data ? r.data.reduce((p, q) => p + q, 0) : null;
  else total = null;
  const axis = d === null || d === undefined ? null : normAxis(numericValue(d) ?? 0, shape.length);
  const along = axis === null ? numelOf(shape) : shape[axis];
  const length =
    scalar !== null ? symMul(along, scalar) : (total ?? unknownDim('repeat_interleave with repeats whose values are not known'));
  const out = axis === null ? [length] : shape.map((s, i) => (i === axis ? length : s));
  return { output: new Tensor(out, x.dtype) };
}

/** torch.tile: repeat with the reps padded by ones in front. */
function tile(a: Map<string, Value>, _it: Interpreter, rest: { positional: Value[] }): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return unknownResult(reasonOf(a.get('input'), 'tile'));
  const reps = shapeArg(a.get('dims') ?? rest.positional[0], rest.positional.slice(1), 'dims');
  if (reps instanceof Unknown) return unknownResult(reps.reason);
  const n = Math.max(reps.length, x.shape!.length);
  const shape = [...Array<SymNum>(n - x.shape!.length).fill(1), ...x.shape!];
  const r = [...Array<SymNum>(n - reps.length).fill(1), ...reps];
  return {
    output: new Tensor(
      shape.map((d, i) => symMul(d, r[i])),
      x.dtype,
    ),
  };
}

function rot90(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return unknownResult(reasonOf(a.get('input'), 'rot90'));
  const k = (((numericValue(a.get('k')!) ?? 1) % 4) + 4) % 4;
  const dims = a.get('dims');
  const [d0, d1] = dims instanceof PyList || dims instanceof PyTuple ? dims.items.map((v) => numericValue(v) ?? 0) : [0, 1];
  const shape = [...x.shape!];
  const i = normAxis(d0, shape.length);
  const j = normAxis(d1, shape.length);
  if (i !== null && j !== null && k % 2 === 1) [shape[i], shape[j]] = [shape[j], shape[i]];
  return { output: new Tensor(shape, x.dtype) };
}

function kron(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  const y = tensorArg(a, 'other');
  if (!x || !y) return unknownResult('kron of unknown tensors');
  const n = Math.max(x.shape!.length, y.shape!.length);
  const pad = (s: readonly SymNum[]) => [...Array<SymNum>(n - s.length).fill(1), ...s];
  const [p, q] = [pad(x.shape!), pad(y.shape!)];
  const out = p.map((d, i) => symMul(d, q[i]));
  return { output: new Tensor(out, promote(x, y)), elementwise: numelOf(out) };
}

/** var_mean / std_mean: two reductions' shapes. */
function statMean(): OpSpec {
  return {
    signature: 'input, dim=None, unbiased=True, keepdim=False, *, correction=None',
    run: (a) => {
      const x = tensorArg(a, 'input');
      if (!x) return unknownResult(reasonOf(a.get('input'), 'var_mean'));
      const out = reduceShape(x.shape!, a.get('dim') ?? null, a.get('keepdim') === true);
      if (!out) return unknownResult('var_mean over an unknown dim');
      return { output: new PyTuple([new Tensor(out, x.dtype), new Tensor(out, x.dtype)]), elementwise: symMul(3, numelOf(x.shape)) };
    },
  };
}

/** take_along_dim and searchsorted/bucketize: the index's or the input's shape. */
function shapeOf(name: string, dtype?: typeof DEFAULT_INT, leading = name): OpSpec {
  return {
    signature: `${leading}, *args`,
    run: (a) => {
      const x = tensorArg(a, name);
      if (!x) return unknownResult(reasonOf(a.get(name), name));
      return { output: new Tensor(x.shape, dtype ?? x.dtype), elementwise: numelOf(x.shape) };
    },
  };
}

export const INDEXING_OPS: Record<string, OpSpec> = {
  tensor_split: { signature: 'input, indices_or_sections=None, dim=0', run: tensorSplit },
  scatter: writeInto(),
  scatter_add: writeInto(),
  scatter_reduce: writeInto(),
  index_add: writeInto(),
  index_copy: writeInto(),
  index_fill: writeInto(),
  index_put: writeInto(),
  masked_scatter: writeInto(),
  argsort: argsort(),
  msort: shapeOf('input'),
  repeat_interleave: { signature: 'input, repeats=None, dim=None, *, output_size=None', run: repeatInterleave },
  tile: { signature: 'input, dims=None, *args', run: tile },
  rot90: { signature: 'input, k=1, dims=None', run: rot90 },
  reshape_as: {
    signature: 'input, other',
    run: (a) => {
      const x = a.get('input');
      const o = tensorArg(a, 'other');
      if (!(x instanceof Tensor) || !o) return unknownResult('reshape_as of unknown tensors');
      return { output: new Tensor(o.shape, x.dtype, x.data), view: true };
    },
  },
  kron: { signature: 'input, other', run: kron },
  dot: { signature: 'input, tensor', run: (a) => matmulResult(a.get('input')!, a.get('tensor')!, 'dot'), cost: 'MACs = n' },
  vdot: { signature: 'input, other', run: (a) => matmulResult(a.get('input')!, a.get('other')!, 'vdot'), cost: 'MACs = n' },
  inner: {
    signature: 'input, other',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const y = tensorArg(a, 'other');
      if (!x || !y || x.shape!.length === 0 || y.shape!.length === 0) return unknownResult('inner of unknown or 0-d tensors', true);
      const k = x.shape![x.shape!.length - 1];
      const out = [...x.shape!.slice(0, -1), ...y.shape!.slice(0, -1)];
      return { output: new Tensor(out, promote(x, y)), macs: symMul(numelOf(out), k) };
    },
    cost: 'MACs = outputs·k',
  },
  var_mean: statMean(),
  std_mean: statMean(),
  take_along_dim: {
    signature: 'input, indices, dim=None',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const i = tensorArg(a, 'indices');
      if (!x || !i) return unknownResult('take_along_dim of unknown tensors');
      const d = a.get('dim');
      if (d === null || d === undefined) return { output: new Tensor([numelOf(i.shape)], x.dtype), elementwise: numelOf(i.shape) };
      // broadcast, except along dim, which is the indices'
      const out = broadcastShapes(x.shape!, i.shape!);
      const axis = normAxis(numericValue(d) ?? 0, out.length);
      if (axis !== null && i.shape!.length === out.length) out[axis] = i.shape![axis];
      return { output: new Tensor(out, x.dtype), elementwise: numelOf(out) };
    },
  },
  searchsorted: {
    signature: 'sorted_sequence, input, *args',
    run: (a) => shapeOf('input', DEFAULT_INT).run(a, undefined as never, { positional: [], keywords: new Map() }),
  },
  bucketize: shapeOf('input', DEFAULT_INT),
  trace: {
    signature: 'input',
    run: (a) => {
      const x = tensorArg(a, 'input');
      return x ? { output: new Tensor([], x.dtype), elementwise: x.shape![0] ?? 0 } : unknownResult('trace of an unknown tensor');
    },
  },
  count_nonzero: {
    signature: 'input, dim=None',
    run: (a) => {
      const x = tensorArg(a, 'input');
      const out = x ? reduceShape(x.shape!, a.get('dim') ?? null, false) : null;
      return x && out ? { output: new Tensor(out, DEFAULT_INT), elementwise: numelOf(x.shape) } : unknownResult('count_nonzero input');
    },
  },
};
