// The op catalogue: torch functions, torch.nn.functional and Tensor methods, one entry per
// op with its Python signature and cost. MACs only for matrix products (torchvision's
// convention); elementwise work is counted apart; views cost and allocate nothing.
import type { Interpreter } from '../interp/interpreter';
import { asSymNum, numericValue } from '../interp/operators';
import { Poly, symAdd, symMul, symProduct, symSum, type SymNum } from '../interp/symbolic';
import { PyDtype, PyFloat, PyList, PyTuple, SymInt, Unknown, type Value } from '../interp/values';
import { binaryData, dataTensor, roundHalfEven, roundTo, unaryData } from '../torch/tensorData';
import { planEinsum } from '../torch/einops/einsum';
import { EinopsFailure } from '../torch/einops/pattern';
import {
  DEFAULT_FLOAT,
  DEFAULT_INT,
  DTYPES,
  MAX_CONCRETE_NUMEL,
  Tensor,
  broadcastShapes,
  normAxis,
  unknownDim,
  unknownTensor,
} from '../torch/tensor';
import { adaptiveShape, flattenShape, interpolateShape, pixelUnshuffleShape, poolShape } from './layers';
import type { OpResult, OpSpec } from './opSpec';
import * as cost from '../cost';
import { floorDiv } from '../cost';
import { convCall, linearCall } from './calls';
import { checkConvDtypes, checkOperandDtypes } from '../torch/mixedDtypes';
import { keptCount, keptIndices } from './filterCounts';
import { LOSS_OPS } from './lossOps';
import { dimOf, numelOf, tupleOf } from './shapes';

// ───────────────────────────── helpers ─────────────────────────────

export function isTensor(v: Value | undefined): v is Tensor {
  return v instanceof Tensor;
}

function fromDim(d: SymNum): Value {
  return typeof d === 'number' ? d : new SymInt(d);
}

export function sizeTuple(shape: readonly SymNum[]): PyTuple {
  const t = new PyTuple(shape.map(fromDim));
  t.typeName = 'Size';
  return t;
}

/** Shape arguments given as `(2, 3)`, `[2, 3]`, `torch.Size`, or as varargs `2, 3`. */
export function shapeArg(first: Value | undefined, rest: Value[], what: string): SymNum[] | Unknown {
  const items = first instanceof PyTuple || first instanceof PyList ? first.items : first === undefined ? rest : [first, ...rest];
  for (const i of items) if (i instanceof Unknown) return i;
  return items.map((x, i) => dimOf(x, `${what}[${i}]`));
}

/** An op whose input is not known: its output is unknown; only matmul-like ops have unknown MACs. */
export function unknownResult(reason: string, costly = false): OpResult {
  return { output: unknownTensor(reason), macs: costly ? unknownDim(reason) : 0, elementwise: 0 };
}

export function reasonOf(v: Value | undefined, what: string): string {
  if (v instanceof Unknown) return v.reason;
  if (v instanceof Tensor && v.unknownReason) return v.unknownReason;
  return `${what} is not a tensor of known shape`;
}

/** Result dtype of arithmetic between tensors and Python scalars (torch's type promotion, simplified). */
export function promote(a: Value, b: Value): PyDtype {
  const ta = a instanceof Tensor ? a : undefined;
  const tb = b instanceof Tensor ? b : undefined;
  const floats = [ta, tb].filter((t): t is Tensor => !!t && t.dtype.isFloat).map((t) => t.dtype);
  if (floats.length) return floats.sort((x, y) => y.bytes - x.bytes)[0];
  if (a instanceof PyFloat || b instanceof PyFloat) return DEFAULT_FLOAT;
  return ta?.dtype ?? tb?.dtype ?? DEFAULT_INT;
}

export function scalarOf(v: Value): number | undefined {
  const n = numericValue(v);
  return n === null ? undefined : n;
}

const BINARY_FNS: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  floor_divide: (x, y) => Math.floor(x / y),
  remainder: (x, y) => x - Math.floor(x / y) * y,
  pow: (x, y) => Math.pow(x, y),
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
  eq: (x, y) => +(x === y),
  ne: (x, y) => +(x !== y),
  lt: (x, y) => +(x < y),
  le: (x, y) => +(x <= y),
  gt: (x, y) => +(x > y),
  ge: (x, y) => +(x >= y),
  logical_and: (x, y) => +(!!x && !!y),
  logical_or: (x, y) => +(!!x || !!y),
  bitwise_and: (x, y) => x & y,
  bitwise_or: (x, y) => x | y,
  atan2: (x, y) => Math.atan2(x, y),
};
const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or']);

/** Broadcasting elementwise op between tensors and scalars, with concrete data when small. */
export function binaryOp(name: string, a: Value, b: Value): OpResult {
  const ta = a instanceof Tensor ? a : undefined;
  const tb = b instanceof Tensor ? b : undefined;
  for (const v of [a, b]) if (v instanceof Unknown) return unknownResult(v.reason);
  if ((ta && !ta.shape) || (tb && !tb.shape)) return unknownResult(reasonOf(ta && !ta.shape ? ta : tb, name));
  const shape = broadcastShapes(ta?.shape ?? [], tb?.shape ?? []);
  let dtype = COMPARISONS.has(name) ? DTYPES.bool : promote(a, b);
  if (name === 'div' && !dtype.isFloat) dtype = DEFAULT_FLOAT;
  const fn = BINARY_FNS[name];
  let data: number[] | undefined;
  if (fn) {
    const sa = ta ?? scalarOf(a);
    const sb = tb ?? scalarOf(b);
    if (sa !== undefined && sb !== undefined) data = binaryData(sa, sb, dtype, fn);
  }
  const n = numelOf(shape);
  return { output: new Tensor(shape, dtype, data && data.length === (typeof n === 'number' ? n : -1) ? data : undefined), elementwise: n };
}

export function unaryOp(name: string, fn?: (x: number) => number, opts: { keepInt?: boolean; flops?: number } = {}): OpSpec {
  return {
    signature: 'input, *args',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) {
        const n = scalarOf(x ?? null);
        if (n !== undefined && fn) return { output: new PyFloat(fn(n)) };
        return unknownResult(reasonOf(x, name));
      }
      const dtype = opts.keepInt || x.dtype.isFloat ? x.dtype : DEFAULT_FLOAT;
      return {
        output: new Tensor(x.shape, dtype, fn ? unaryData(x, dtype, fn) : undefined),
        elementwise: symMul(opts.flops ?? 1, numelOf(x.shape)),
      };
    },
  };
}

/** Same shape out as in: activations, dropout, masked_fill, clamp, softmax... */
export function sameShape(flops: number, opts: { view?: boolean; dtype?: PyDtype } = {}): OpSpec {
  return {
    signature: 'input, *args',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      return {
        output: new Tensor(x.shape, opts.dtype ?? x.dtype, opts.view ? x.data : undefined),
        elementwise: symMul(flops, numelOf(x.shape)),
        view: opts.view,
      };
    },
  };
}

function castOp(dtype: PyDtype): OpSpec {
  return {
    signature: 'input, *args',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      return {
        output: new Tensor(
          x.shape,
          dtype,
          x.data?.map((v) => roundTo(dtype, v)),
        ),
        view: x.dtype === dtype,
      };
    },
  };
}

export function dtypeOf(v: Value | undefined, fallback: PyDtype): PyDtype {
  return v instanceof PyDtype ? v : fallback;
}

/** Sizes after reducing over `dim` (None: all dims). */
export function reduceShape(shape: readonly SymNum[], dim: Value, keepdim: boolean): SymNum[] | null {
  if (dim === null || dim === undefined) return keepdim ? shape.map(() => 1) : [];
  const dims = dim instanceof PyTuple || dim instanceof PyList ? dim.items : [dim];
  const axes: number[] = [];
  for (const d of dims) {
    const n = numericValue(d);
    const ax = n === null ? null : normAxis(n, shape.length);
    if (ax === null) return null;
    axes.push(ax);
  }
  const out: SymNum[] = [];
  shape.forEach((s, i) => {
    if (axes.includes(i)) {
      if (keepdim) out.push(1);
    } else out.push(s);
  });
  return out;
}

/** The (values, indices) named tuple of max(dim), topk, sort: `.values` and `.indices` read as in torch. */
export function valuesIndices(values: Tensor, indices: Tensor): PyTuple {
  const t = new PyTuple([values, indices]);
  t.fields = ['values', 'indices'];
  return t;
}

/** Known values reduced over one axis (max(x, dim=1) of a small concrete tensor). */
function reduceAxisData(x: Tensor, dim: Value, fn: (xs: number[]) => number): number[] | undefined {
  const shape = x.shape;
  const d = numericValue(dim);
  if (!shape || !x.data || d === null || shape.some((s) => typeof s !== 'number')) return undefined;
  const dims = shape as number[];
  const axis = normAxis(d, dims.length);
  if (axis === null) return undefined;
  const n = dims[axis];
  const inner = dims.slice(axis + 1).reduce((p, q) => p * q, 1);
  const outer = dims.slice(0, axis).reduce((p, q) => p * q, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) out.push(fn(Array.from({ length: n }, (_, k) => x.data![o * n * inner + k * inner + i])));
  return out;
}

export function reduction(name: string, opts: { indices?: boolean; values?: boolean; data?: (xs: number[]) => number } = {}): OpSpec {
  return {
    signature: 'input, dim=None, keepdim=False, *, dtype=None',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, name));
      const dim = a.get('dim') ?? null;
      // torch.max(a, b) / torch.min(a, b): elementwise
      if (opts.values && dim instanceof Tensor) return binaryOp(name === 'max' ? 'maximum' : 'minimum', x, dim);
      const out = reduceShape(x.shape, dim, a.get('keepdim') === true);
      if (!out) return unknownResult(`${name} over an unknown dim`);
      const dtype = opts.indices ? DEFAULT_INT : dtypeOf(a.get('dtype'), x.dtype);
      const data =
        x.data && opts.data
          ? dim === null
            ? [roundTo(dtype, opts.data([...x.data]))]
            : reduceAxisData(x, dim, opts.data)?.map((v) => roundTo(dtype, v))
          : undefined;
      const t = new Tensor(out, dtype, data);
      // max(x, dim) returns (values, indices); max(x) returns a tensor
      const output = opts.values && dim !== null ? valuesIndices(t, new Tensor(out, DEFAULT_INT)) : t;
      return { output, elementwise: numelOf(x.shape) };
    },
  };
}

/** triu / tril over the last two dims; known values keep the triangle and zero the rest. */
function triangle(upper: boolean): OpSpec {
  return {
    signature: 'input, diagonal=0',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape || x.shape.length < 2) return unknownResult(reasonOf(x, 'input'));
      const k = numericValue(a.get('diagonal')!) ?? 0;
      const [rows, cols] = x.shape.slice(-2);
      let data: number[] | undefined;
      if (x.data && typeof rows === 'number' && typeof cols === 'number') {
        const src = x.data;
        data = src.map((v, i) => {
          const r = Math.floor(i / cols) % rows;
          const c = i % cols;
          return (upper ? c - r >= k : c - r <= k) ? v : 0;
        });
      }
      return { output: new Tensor(x.shape, x.dtype, data), elementwise: 0 };
    },
  };
}

// ───────────────────────────── creation ─────────────────────────────

function creation(fill: ((i: number) => number) | 'random'): OpSpec {
  return {
    signature: 'size=None, *args',
    run: (a, _it, rest) => {
      const shape = shapeArg(a.get('size') ?? undefined, rest.positional, 'size');
      if (shape instanceof Unknown) return unknownResult(shape.reason);
      const dtype = dtypeOf(rest.keywords.get('dtype'), DEFAULT_FLOAT);
      const n = numelOf(shape);
      const data =
        fill !== 'random' && typeof n === 'number' && n <= MAX_CONCRETE_NUMEL
          ? Array.from({ length: n }, (_, i) => roundTo(dtype, fill(i)))
          : undefined;
      return { output: new Tensor(shape, dtype, data) };
    },
  };
}

function likeCreation(fill: number | 'random' | 'arg'): OpSpec {
  return {
    signature: 'input, *args',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      const dtype = dtypeOf(rest.keywords.get('dtype'), x.dtype);
      const n = x.concreteNumel();
      const value =
        fill === 'arg' ? scalarOf(rest.positional[0] ?? rest.keywords.get('fill_value') ?? null) : fill === 'random' ? undefined : fill;
      const data = value !== undefined && n !== null && n <= MAX_CONCRETE_NUMEL ? Array(n).fill(roundTo(dtype, value)) : undefined;
      return { output: new Tensor(x.shape, dtype, data) };
    },
  };
}

/** Nested Python lists of numbers → shape and flat data. */
function literalTensor(v: Value, dtype?: PyDtype): Tensor | Unknown {
  const shape: number[] = [];
  const data: number[] = [];
  let isFloat = false;
  let unknown: Unknown | undefined;
  const walk = (x: Value, depth: number) => {
    if (x instanceof PyList || x instanceof PyTuple) {
      if (shape.length <= depth) shape.push(x.items.length);
      for (const i of x.items) walk(i, depth + 1);
      return;
    }
    if (x instanceof Tensor) {
      if (x.data && x.shape && x.shape.every((d) => typeof d === 'number')) {
        if (shape.length <= depth) shape.push(...(x.shape as number[]));
        data.push(...x.data);
        isFloat ||= x.dtype.isFloat;
      } else unknown = new Unknown('torch.tensor of tensors whose values are not known');
      return;
    }
    const n = numericValue(x);
    if (n === null) {
      unknown = x instanceof Unknown ? x : new Unknown('torch.tensor of non-numbers');
      return;
    }
    if (x instanceof PyFloat) isFloat = true;
    data.push(n);
  };
  walk(v, 0);
  if (unknown) return unknown;
  const dt = dtype ?? (isFloat ? DEFAULT_FLOAT : typeof v === 'boolean' ? DTYPES.bool : DEFAULT_INT);
  return new Tensor(shape, dt, data.length <= MAX_CONCRETE_NUMEL ? data.map((x) => roundTo(dt, x)) : undefined);
}

// ───────────────────────────── shape ops ─────────────────────────────

/** view/reshape with one -1 inferred. */
export function reshapeTo(x: Tensor, target: SymNum[]): Tensor | Unknown {
  const total = x.numel()!;
  const minus = target.findIndex((d) => d === -1);
  let shape = [...target];
  if (minus >= 0) {
    const known = symProduct(target.filter((_, i) => i !== minus));
    const q = Poly.from(total).divExact(known);
    shape[minus] = q ? q.simplify() : unknownDim('the -1 of a view/reshape could not be inferred');
  }
  shape = shape.map((d) => d);
  return new Tensor(shape, x.dtype, x.data);
}

function viewOp(): OpSpec {
  return {
    signature: 'input, *shape',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      const first = rest.positional[0] ?? rest.keywords.get('shape') ?? rest.keywords.get('size');
      if (first instanceof PyDtype) return { output: new Tensor(x.shape, first), view: true };
      const target = shapeArg(first, rest.positional.slice(1), 'shape');
      if (target instanceof Unknown) return unknownResult(target.reason);
      const out = reshapeTo(x, target);
      return out instanceof Unknown ? unknownResult(out.reason) : { output: out, view: true };
    },
  };
}

function permuteShape(shape: readonly SymNum[], dims: Value[]): SymNum[] | null {
  const axes = dims.map((d) => {
    const n = numericValue(d);
    return n === null ? null : normAxis(n, shape.length);
  });
  if (axes.some((x) => x === null) || axes.length !== shape.length) return null;
  return axes.map((i) => shape[i!]);
}

function catShape(tensors: Value[], dim: number, stack: boolean): OpResult {
  const ts: Tensor[] = [];
  for (const t of tensors) {
    if (!(t instanceof Tensor) || !t.shape) return unknownResult(reasonOf(t, stack ? 'stack input' : 'cat input'));
    ts.push(t);
  }
  if (ts.length === 0) return unknownResult('cat of nothing');
  const base = ts[0].shape!;
  const rank = stack ? base.length + 1 : base.length;
  const axis = normAxis(dim, rank);
  if (axis === null) return unknownResult('cat/stack dim out of range');
  let out: SymNum[];
  if (stack) out = [...base.slice(0, axis), ts.length, ...base.slice(axis)];
  else {
    // torch skips 1-D empty tensors in cat
    const nonEmpty = ts.filter((t) => !(t.shape!.length === 1 && t.shape![0] === 0));
    out = [...(nonEmpty[0] ?? ts[0]).shape!];
    out[axis] = symSum(nonEmpty.map((t) => t.shape![axis]));
  }
  const dtype = ts.map((t) => t.dtype).sort((x, y) => +y.isFloat - +x.isFloat || y.bytes - x.bytes)[0];
  let data: number[] | undefined;
  if (ts.every((t) => t.data) && axis === 0 && !stack) data = ts.flatMap((t) => [...t.data!]);
  if (ts.every((t) => t.data) && stack && axis === 0) data = ts.flatMap((t) => [...t.data!]);
  return { output: new Tensor(out, dtype, data), elementwise: 0 };
}

function splitOp(kind: 'split' | 'chunk' | 'unbind'): OpSpec {
  const signature = kind === 'unbind' ? 'input, dim=0' : kind === 'chunk' ? 'input, chunks, dim=0' : 'input, split_size_or_sections, dim=0';
  return {
    signature,
    run: (a, it) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return { output: x instanceof Unknown ? x : it.unknown(reasonOf(x, kind)) };
      const axis = normAxis(numericValue(a.get('dim') ?? 0) ?? 0, x.shape.length);
      if (axis === null) return { output: it.unknown(`${kind} dim out of range`) };
      const size = x.shape[axis];
      const piece = (d: SymNum) => {
        const s = [...x.shape!];
        s[axis] = d;
        return new Tensor(s, x.dtype);
      };
      if (kind === 'unbind') {
        if (typeof size !== 'number') return { output: it.unknown('unbind over a symbolic dim') };
        const s = x.shape.filter((_, i) => i !== axis);
        return { output: new PyTuple(Array.from({ length: size }, () => new Tensor(s, x.dtype))), view: true };
      }
      if (kind === 'chunk') {
        const n = numericValue(a.get('chunks') ?? null);
        if (n === null) return { output: it.unknown('chunk count unknown') };
        if (typeof size === 'number') {
          const each = Math.ceil(size / n);
          const parts: Tensor[] = [];
          for (let done = 0; done < size; done += each) parts.push(piece(Math.min(each, size - done)));
          return { output: new PyTuple(parts), view: true };
        }
        const each = floorDiv(size, n, 'chunk of a symbolic size');
        return { output: new PyTuple(Array.from({ length: n }, () => piece(each))), view: true };
      }
      const spec = a.get('split_size_or_sections') ?? null;
      if (spec instanceof PyList || spec instanceof PyTuple)
        return { output: new PyTuple(spec.items.map((d, i) => piece(dimOf(d, `sections[${i}]`)))), view: true };
      const each = asSymNum(spec);
      if (each === null) return { output: it.unknown('split size unknown') };
      if (typeof size === 'number' && typeof each === 'number') {
        const parts: Tensor[] = [];
        for (let done = 0; done < size; done += each) parts.push(piece(Math.min(each, size - done)));
        return { output: new PyTuple(parts), view: true };
      }
      const count = Poly.from(size).divExact(each);
      const n = count?.simplify();
      if (typeof n !== 'number') return { output: it.unknown('split of a symbolic size into an unknown number of parts') };
      return { output: new PyTuple(Array.from({ length: n }, () => piece(each))), view: true };
    },
  };
}

/** torch.nonzero / torch.where(condition): the indices of the true elements, [count, rank] or a tuple of rank [count]. */
function nonzeroResult(x: Value | undefined, asTuple: boolean, it: Interpreter): OpResult {
  if (!(x instanceof Tensor) || !x.shape) {
    const n = unknownDim('nonzero returns a data-dependent number of elements');
    return { output: asTuple ? it.unknown(reasonOf(x, 'nonzero input')) : new Tensor([n, 1], DEFAULT_INT) };
  }
  const what = asTuple ? 'torch.where(condition)' : 'nonzero';
  const count = keptCount(x, what, it);
  const rank = Math.max(1, x.shape.length);
  if (!asTuple) return { output: new Tensor([count, rank], DEFAULT_INT), elementwise: numelOf(x.shape) };
  const indices = keptIndices(x);
  return {
    output: new PyTuple(Array.from({ length: rank }, () => new Tensor([count], DEFAULT_INT, indices))),
    elementwise: numelOf(x.shape),
  };
}

/** Output shape of basic and advanced indexing: x[0], x[:, :T], x[..., None], x[:, [-1], :], x[mask]. */
export function indexShape(
  x: Tensor,
  index: Value,
  it: Interpreter,
): { shape: SymNum[] | null; view: boolean; data?: number[]; reason?: string } {
  const items: Value[] = index instanceof PyTuple ? [...index.items] : [index];
  const shape = x.shape!;
  const consuming = items.filter((i) => i !== null && !(i && typeof i === 'object' && (i as { kind?: string }).kind === 'ellipsis')).length;
  // dims, and the shapes of advanced indices (tensors, lists) placed where torch puts them
  const out: (SymNum | { adv: readonly SymNum[] })[] = [];
  let dim = 0;
  let view = true;
  let data: number[] | undefined;
  for (const item of items) {
    if (item === null) {
      out.push(1);
      continue;
    }
    if (item && typeof item === 'object' && (item as { kind?: string }).kind === 'ellipsis') {
      const skip = shape.length - consuming;
      for (let k = 0; k < skip; k++) out.push(shape[dim++]);
      continue;
    }
    const size = shape[dim];
    if (size === undefined) return { shape: null, view, reason: 'too many indices for tensor' };
    if (typeof item === 'number' || typeof item === 'boolean' || item instanceof SymInt) {
      if (shape.length === 1 && x.data && typeof item === 'number') data = [x.data[item < 0 ? item + x.data.length : item]];
      dim++;
      continue;
    }
    if (item instanceof Unknown) {
      dim++;
      continue;
    }
    if (item && typeof item === 'object' && (item as { kind?: string }).kind === 'slice') {
      const raw = item as unknown as { lo: Value; hi: Value; step: Value };
      const s = { lo: sliceBound(raw.lo), hi: sliceBound(raw.hi), step: sliceBound(raw.step) };
      out.push(sliceLength(size, s.lo, s.hi, s.step, it));
      if (shape.length === 1 && x.data && typeof size === 'number') {
        const lo = numericValue(s.lo) ?? 0;
        const hi = numericValue(s.hi) ?? size;
        const st = numericValue(s.step) ?? 1;
        const norm = (v: number) => (v < 0 ? Math.max(0, v + size) : Math.min(v, size));
        const picked: number[] = [];
        for (let i = norm(lo); i < norm(hi); i += st) picked.push(x.data[i]);
        data = picked;
      }
      dim++;
      continue;
    }
    if (item instanceof PyList || item instanceof PyTuple) {
      view = false;
      out.push({ adv: [item.items.length] });
      dim++;
      continue;
    }
    if (item instanceof Tensor) {
      view = false;
      if (item.dtype.name === 'bool') {
        out.push({
          adv: [
            item.shape
              ? keptCount(item, 'boolean mask indexing', it)
              : unknownDim('boolean mask indexing selects a data-dependent number of elements'),
          ],
        });
        dim += item.shape?.length ?? 1;
      } else {
        if (!item.shape) return { shape: null, view, reason: 'index tensor of unknown shape' };
        out.push({ adv: item.shape });
        dim++;
      }
      continue;
    }
    return { shape: null, view, reason: `unsupported index ${it.repr(item)}` };
  }
  while (dim < shape.length) out.push(shape[dim++]);
  return { shape: placeAdvanced(out), view, data };
}

/**
 * Torch's placement of advanced indices (after integers selected their dims): their shapes
 * broadcast together and take the place of the first one when they are adjacent, else go first.
 */
function placeAdvanced(out: (SymNum | { adv: readonly SymNum[] })[]): SymNum[] {
  const at = out.flatMap((e, i) => (typeof e === 'object' && 'adv' in e ? [i] : []));
  if (!at.length) return out as SymNum[];
  const shape = at.map((i) => (out[i] as { adv: readonly SymNum[] }).adv).reduce((p, q) => broadcastShapes(p, q));
  const plain = out.filter((e): e is SymNum => !(typeof e === 'object' && 'adv' in e));
  const adjacent = at.every((i, k) => k === 0 || i === at[k - 1] + 1);
  if (!adjacent) return [...shape, ...plain];
  const before = out.slice(0, at[0]).length;
  return [...plain.slice(0, before), ...shape, ...plain.slice(before)];
}

/** A slice bound as Python reads it (__index__): a one-element integer tensor of known value is that int. */
function sliceBound(v: Value): Value {
  if (v instanceof Tensor && !v.dtype.isFloat && v.dtype.name !== 'bool' && v.data?.length === 1 && v.shape?.every((d) => d === 1))
    return v.data[0];
  return v;
}

function sliceLength(size: SymNum, lo: Value, hi: Value, step: Value, it: Interpreter): SymNum {
  const st = numericValue(step) ?? 1;
  const loS = lo === null ? null : asSymNum(lo);
  const hiS = hi === null ? null : asSymNum(hi);
  if (typeof size === 'number' && (lo === null || typeof loS === 'number') && (hi === null || typeof hiS === 'number')) {
    const norm = (v: number) => (v < 0 ? Math.max(0, v + size) : Math.min(v, size));
    const a = loS === null ? 0 : norm(loS as number);
    const b = hiS === null ? size : norm(hiS as number);
    return Math.max(0, Math.ceil((b - a) / st));
  }
  if (lo === null && hi === null) return st === 1 ? size : floorDiv(size, st, 'strided slice of a symbolic size');
  // x[:, :T] with T ≤ size: the slice keeps T elements
  if (lo === null && hiS !== null && st === 1) {
    if (typeof hiS === 'number' && hiS < 0) return symAdd(size, hiS);
    if (typeof hiS !== 'number' || typeof size !== 'number') {
      // x[:T] of a table of N rows (positions, a causal mask): the code expects T ≤ N
      if (typeof size === 'number' && typeof hiS !== 'number') it.boundSymbol(hiS, size);
      it.note(
        `slice [:${typeof hiS === 'number' ? hiS : hiS.toString()}] of a dim of size ${typeof size === 'number' ? size : size.toString()} assumed to fit`,
      );
      return hiS;
    }
  }
  if (hi === null && loS !== null && st === 1) {
    if (typeof loS === 'number' && loS < 0) return -loS;
    return Poly.from(size).sub(loS).simplify();
  }
  return unknownDim('slice bounds are symbolic');
}

// ───────────────────────────── matmul family ─────────────────────────────

function matmulResult(a: Value, b: Value, name: string, it?: Interpreter): OpResult {
  if (!(a instanceof Tensor) || !a.shape) return unknownResult(reasonOf(a, `${name} input`), true);
  if (!(b instanceof Tensor) || !b.shape) return unknownResult(reasonOf(b, `${name} input`), true);
  if (it) checkOperandDtypes(it, a, b, 'operand');
  const r = cost.matmul(a.shape, b.shape);
  if (!r) return unknownResult(`${name} of a 0-d tensor`, true);
  const dtype = promote(a, b);
  return { output: new Tensor(r.shape, dtype), macs: r.macs, formula: `MACs = batch·m·k·n of ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}` };
}

export function fmtShape(s: readonly SymNum[]): string {
  return s.map((d) => (typeof d === 'number' ? String(d) : d.toString())).join('×');
}

/** `...` in an einsum equation as explicit indices (0-9, right-aligned and broadcast as torch does). */
function expandEllipsis(eq: string, operands: Value[]): [string, string | undefined] {
  const [lhs, rhs] = eq.split('->');
  if (!eq.includes('...')) return [lhs, rhs];
  let width = 0;
  const inputs = lhs.split(',').map((term, i) => {
    if (!term.includes('...')) return term;
    const t = operands[i];
    const n = t instanceof Tensor && t.shape ? t.shape.length - (term.length - 3) : 0;
    width = Math.max(width, n);
    return term.replace('...', '#'.repeat(Math.max(0, n)));
  });
  const dots = Array.from({ length: width }, (_, k) => String(k)).join('');
  // each operand's ellipsis dims are the last of the broadcast ones
  const named = inputs.map((term) => term.replace(/#+/, (m) => dots.slice(width - m.length)));
  const out = rhs === undefined ? undefined : rhs.replace('...', dots);
  const implicit =
    rhs === undefined
      ? dots +
        [...new Set(named.join('').replace(/[0-9]/g, ''))]
          .filter((ch) => named.join('').split(ch).length === 2)
          .sort()
          .join('')
      : undefined;
  return [named.join(','), out ?? implicit];
}

/** torch.einsum: output from the equation; MACs of the bmm each pair with summed indices becomes. */
export function einsum(eq: string, operands: Value[]): OpResult {
  const [lhs, rhsRaw] = expandEllipsis(eq.replace(/\s/g, ''), operands);
  const inputs = lhs.split(',');
  const sizes = new Map<string, SymNum>();
  const ts: Tensor[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const t = operands[i];
    if (!(t instanceof Tensor) || !t.shape) return unknownResult(reasonOf(t, 'einsum operand'), true);
    ts.push(t);
    const letters = inputs[i];
    if (letters.length !== t.shape.length)
      return unknownResult(`einsum operand ${i} has rank ${t.shape.length}, equation says ${letters.length}`, true);
    [...letters].forEach((ch, k) => {
      const prev = sizes.get(ch);
      if (prev === undefined || prev === 1) sizes.set(ch, t.shape![k]);
    });
  }
  const rhs =
    rhsRaw ??
    [...new Set(inputs.join(''))]
      .filter((ch) => inputs.join('').split(ch).length === 2)
      .sort()
      .join('');
  const out = [...rhs].map((ch) => sizes.get(ch) ?? unknownDim(`einsum index ${ch}`));
  let macs: SymNum = 0;
  if (inputs.length > 1) {
    // contracted as torch does it: an outer product ('i,j->ij') is a multiply, no MACs
    try {
      macs = planEinsum(
        inputs.map((term) => [...term]),
        ts.map((t) => t.shape!),
        [...rhs],
      ).macs;
    } catch (err) {
      if (err instanceof EinopsFailure) return unknownResult(err.message, true);
      throw err;
    }
  }
  return { output: new Tensor(out, promote(ts[0], ts[1] ?? ts[0])), macs, formula: `MACs of ${eq} as torch contracts it` };
}

function convFunctional(nd: number, transposed: boolean): OpSpec {
  return {
    signature: transposed
      ? 'input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1'
      : 'input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1',
    run: (a, it) => {
      const x = a.get('input');
      const w = a.get('weight');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'conv input'), true);
      if (!(w instanceof Tensor) || !w.shape) return unknownResult(reasonOf(w, 'conv weight'), true);
      checkConvDtypes(it, x, w);
      const g = dimOf(a.get('groups'), 'groups');
      const pad = a.get('padding');
      // weight: (out, in/groups, *k); transposed: (in, out/groups, *k)
      const perGroup = symMul(w.shape[1], g);
      const { shape, ...r } = convCall(
        x,
        nd,
        {
          inChannels: transposed ? w.shape[0] : perGroup,
          outChannels: transposed ? perGroup : w.shape[0],
          groups: g,
          kernel: w.shape.slice(2),
          stride: tupleOf(a.get('stride'), nd, 'stride'),
          dilation: tupleOf(a.get('dilation'), nd, 'dilation'),
          padding: !transposed && (pad === 'same' || pad === 'valid') ? pad : tupleOf(pad, nd, 'padding'),
          outputPadding: transposed ? tupleOf(a.get('output_padding'), nd, 'output_padding') : undefined,
          weight: w.shape,
        },
        it,
      );
      return { ...r, output: new Tensor(shape, x.dtype) };
    },
    cost: transposed ? 'MACs = numel(input)·(out/groups)·k' : 'MACs = numel(output)·(in/groups)·k',
  };
}

function poolFunctional(nd: number, kind: 'max' | 'avg'): OpSpec {
  return {
    signature:
      kind === 'max'
        ? 'input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False'
        : 'input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'pool input'));
      const stride = a.get('stride');
      const out = poolShape(
        x.shape,
        nd,
        a.get('kernel_size')!,
        stride instanceof PyList && stride.items.length === 0 ? null : (stride ?? null),
        a.get('padding') ?? 0,
        a.get('dilation') ?? 1,
        a.get('ceil_mode') === true,
      );
      const y = new Tensor(out, x.dtype);
      return {
        output: a.get('return_indices') === true ? new PyTuple([y, new Tensor(out, DEFAULT_INT)]) : y,
        ...cost.pool(out, tupleOf(a.get('kernel_size'), nd, 'kernel_size')),
      };
    },
  };
}

function adaptiveFunctional(nd: number, kind: 'max' | 'avg'): OpSpec {
  return {
    signature: kind === 'max' ? 'input, output_size, return_indices=False' : 'input, output_size',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'pool input'));
      const y = new Tensor(adaptiveShape(x.shape, nd, a.get('output_size')!), x.dtype);
      return { output: a.get('return_indices') === true ? new PyTuple([y, y]) : y, ...cost.adaptivePool(x.shape) };
    },
  };
}

/** F.interpolate and its deprecated aliases: one interpolated value per output element. */
function interpolateFunctional(name: string, signature: string): OpSpec {
  return {
    signature,
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, name));
      const out = interpolateShape(x.shape, a.get('size') ?? null, a.get('scale_factor') ?? null);
      return { output: new Tensor(out, x.dtype), elementwise: numelOf(out) };
    },
  };
}

/** Reference scaled_dot_product_attention: MACs of q·kᵀ and weights·v. */
function sdpa(a: Map<string, Value>): OpResult {
  const q = a.get('query');
  const k = a.get('key');
  const v = a.get('value');
  if (!(q instanceof Tensor) || !q.shape || q.shape.length < 2) return unknownResult(reasonOf(q, 'query'), true);
  if (!(k instanceof Tensor) || !k.shape || k.shape.length < 2) return unknownResult(reasonOf(k, 'key'), true);
  if (!(v instanceof Tensor) || !v.shape) return unknownResult(reasonOf(v, 'value'), true);
  const batch = broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2));
  const r = cost.attention({
    batch,
    queryLength: q.shape[q.shape.length - 2],
    keyLength: k.shape[k.shape.length - 2],
    qkDim: q.shape[q.shape.length - 1],
    vDim: v.shape[v.shape.length - 1],
  });
  return { ...r, output: new Tensor([...batch, q.shape[q.shape.length - 2], v.shape[v.shape.length - 1]], q.dtype) };
}

function linearFunctional(a: Map<string, Value>, it: Interpreter): OpResult {
  const x = a.get('input');
  const w = a.get('weight');
  if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'linear input'), true);
  if (!(w instanceof Tensor) || !w.shape) return unknownResult(reasonOf(w, 'linear weight'), true);
  checkOperandDtypes(it, x, w, 'weights');
  // weight (out, in), or (in,) for a single output whose dim is dropped
  const { shape, ...r } = linearCall(x, w.shape[w.shape.length - 1], w.shape.length === 2 ? w.shape[0] : 1, it);
  return { ...r, output: new Tensor(w.shape.length === 2 ? shape : shape.slice(0, -1), x.dtype) };
}

function normFunctional(kind: cost.NormKind): OpSpec {
  return {
    signature: 'input, *args',
    run: (a, it) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'input'));
      if (kind === 'layer') {
        // F.layer_norm(input, normalized_shape, ...) raises as torch does on a wrong trailing shape
        const rest = a.get('args');
        const ns = rest instanceof PyTuple ? rest.items[0] : undefined;
        const dims = ns instanceof PyTuple || ns instanceof PyList ? ns.items : typeof ns === 'number' ? [ns] : undefined;
        const error = dims?.every((d) => typeof d === 'number') ? cost.layerNormInputError(x.shape, dims as number[]) : null;
        if (error) it.raise('RuntimeError', error);
      }
      return { output: new Tensor(x.shape, x.dtype), ...cost.norm(kind, x.shape) };
    },
  };
}

// ───────────────────────────── the table ─────────────────────────────

const ACTIVATIONS = [
  'relu',
  'relu_',
  'relu6',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'hardswish',
  'hardsigmoid',
  'hardtanh',
  'leaky_relu',
  'elu',
  'selu',
  'celu',
  'mish',
  'softplus',
  'softsign',
  'logsigmoid',
  'glu_',
  'prelu',
  'rrelu',
  'threshold',
  'tanhshrink',
  'hardshrink',
  'softshrink',
  'sigmoid_',
  'tanh_',
];

export const OPS: Record<string, OpSpec> = {
  // creation
  zeros: creation(() => 0),
  ones: creation(() => 1),
  empty: creation('random'),
  rand: creation('random'),
  randn: creation('random'),
  full: {
    signature: 'size, fill_value, *, dtype=None, device=None, requires_grad=False',
    run: (a) => {
      const shape = shapeArg(a.get('size'), [], 'size');
      if (shape instanceof Unknown) return unknownResult(shape.reason);
      const v = scalarOf(a.get('fill_value') ?? null);
      const dtype = dtypeOf(a.get('dtype'), a.get('fill_value') instanceof PyFloat ? DEFAULT_FLOAT : DEFAULT_INT);
      const n = numelOf(shape);
      return {
        output: new Tensor(
          shape,
          dtype,
          v !== undefined && typeof n === 'number' && n <= MAX_CONCRETE_NUMEL ? Array(n).fill(v) : undefined,
        ),
      };
    },
  },
  randint: {
    signature: 'low=0, high=None, size=None, *, dtype=None, device=None, generator=None',
    run: (a) => {
      // randint(high, size) and randint(low, high, size)
      const size = a.get('size') ?? a.get('high');
      const shape = shapeArg(size ?? undefined, [], 'size');
      if (shape instanceof Unknown) return unknownResult(shape.reason);
      return { output: new Tensor(shape, dtypeOf(a.get('dtype'), DEFAULT_INT)) };
    },
  },
  zeros_like: likeCreation(0),
  ones_like: likeCreation(1),
  empty_like: likeCreation('random'),
  rand_like: likeCreation('random'),
  randn_like: likeCreation('random'),
  full_like: likeCreation('arg'),
  arange: {
    signature: 'start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False',
    run: (a, it) => {
      let start = a.get('start')!;
      let end = a.get('end') ?? null;
      if (end === null) {
        end = start;
        start = 0;
      }
      const s0 = scalarOf(start);
      const e0 = scalarOf(end);
      const st = scalarOf(a.get('step')!) ?? 1;
      const isFloat = [start, end, a.get('step')!].some((v) => v instanceof PyFloat);
      const dtype = dtypeOf(a.get('dtype'), isFloat ? DEFAULT_FLOAT : DEFAULT_INT);
      if (s0 === undefined || e0 === undefined) {
        const se = asSymNum(end);
        if (s0 === 0 && st === 1 && se !== null) return { output: new Tensor([se], dtype) };
        return { output: it.unknown('torch.arange with unknown bounds') };
      }
      const n = Math.max(0, Math.ceil((e0 - s0) / st));
      const data = n <= MAX_CONCRETE_NUMEL ? Array.from({ length: n }, (_, i) => roundTo(dtype, s0 + i * st)) : undefined;
      return { output: new Tensor([n], dtype, data) };
    },
  },
  linspace: {
    signature: 'start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False',
    run: (a, it) => {
      const s0 = scalarOf(a.get('start')!);
      const e0 = scalarOf(a.get('end')!);
      const n = scalarOf(a.get('steps')!);
      if (s0 === undefined || e0 === undefined || n === undefined) return { output: it.unknown('torch.linspace with unknown arguments') };
      const dtype = dtypeOf(a.get('dtype'), DEFAULT_FLOAT);
      const step = n > 1 ? (e0 - s0) / (n - 1) : 0;
      // torch fills the second half from the end, so the last value is exactly `end`
      const half = Math.floor(n / 2);
      // only small tensors carry their values: np.linspace(0, 1, 10**12) is a shape
      const data =
        n <= MAX_CONCRETE_NUMEL
          ? Array.from({ length: n }, (_, i) => roundTo(dtype, i < half ? s0 + step * i : e0 - step * (n - 1 - i)))
          : undefined;
      return { output: new Tensor([n], dtype, data) };
    },
  },
  eye: {
    signature: 'n, m=None, *, dtype=None, device=None, requires_grad=False',
    run: (a) => {
      const n = dimOf(a.get('n'), 'n');
      const m = a.get('m') === null ? n : dimOf(a.get('m'), 'm');
      return { output: new Tensor([n, m], dtypeOf(a.get('dtype'), DEFAULT_FLOAT)) };
    },
  },
  tensor: {
    signature: 'data, *, dtype=None, device=None, requires_grad=False, pin_memory=False',
    run: (a) => {
      const t = literalTensor(a.get('data')!, a.get('dtype') instanceof PyDtype ? (a.get('dtype') as PyDtype) : undefined);
      return { output: t instanceof Unknown ? unknownTensor(t.reason) : t };
    },
  },
  meshgrid: {
    signature: '*tensors, indexing=None',
    run: (_a, it, rest) => {
      const items =
        rest.positional.length === 1 && (rest.positional[0] instanceof PyList || rest.positional[0] instanceof PyTuple)
          ? (rest.positional[0] as PyList).items
          : rest.positional;
      const sizes = items.map((t) => (t instanceof Tensor && t.shape ? (t.shape[0] ?? 1) : unknownDim('meshgrid input')));
      const ij = rest.keywords.get('indexing') !== 'xy';
      const shape = ij ? sizes : sizes.length >= 2 ? [sizes[1], sizes[0], ...sizes.slice(2)] : sizes;
      void it;
      return { output: new PyTuple(items.map(() => new Tensor(shape, items[0] instanceof Tensor ? items[0].dtype : DEFAULT_INT))) };
    },
  },
  // casts and metadata-only methods
  float: castOp(DTYPES.float32),
  double: castOp(DTYPES.float64),
  half: castOp(DTYPES.float16),
  bfloat16: castOp(DTYPES.bfloat16),
  long: castOp(DTYPES.int64),
  int: castOp(DTYPES.int32),
  bool: castOp(DTYPES.bool),
  byte: castOp(DTYPES.uint8),
  char: castOp(DTYPES.int8),
  short: castOp(DTYPES.int16),
  to: {
    signature: 'input, *args',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor)) return { output: x ?? null, view: true };
      const dt = [...rest.positional, ...rest.keywords.values()].find((v): v is PyDtype => v instanceof PyDtype);
      return {
        output: dt
          ? new Tensor(
              x.shape,
              dt,
              x.data?.map((v) => roundTo(dt, v)),
            )
          : x,
        view: !dt || dt === x.dtype,
      };
    },
  },
  type: {
    signature: 'input, dtype=None',
    run: (a) => {
      const x = a.get('input');
      const dt = a.get('dtype');
      if (!(x instanceof Tensor)) return { output: x ?? null, view: true };
      return { output: dt instanceof PyDtype ? new Tensor(x.shape, dt, x.data) : x, view: true };
    },
  },
  contiguous: { signature: 'input, *args', run: (a) => ({ output: a.get('input')!, view: true }) },
  clone: sameShape(0),
  detach: { signature: 'input', run: (a) => ({ output: a.get('input')!, view: true }) },
  cpu: { signature: 'input', run: (a) => ({ output: a.get('input')!, view: true }) },
  cuda: { signature: 'input, *args', run: (a) => ({ output: a.get('input')!, view: true }) },
  requires_grad_: { signature: 'input, requires_grad=True', run: (a) => ({ output: a.get('input')!, view: true }) },
  // elementwise arithmetic
  add: { signature: 'input, other, *, alpha=1, out=None', run: (a) => binaryOp('add', a.get('input')!, a.get('other')!) },
  sub: { signature: 'input, other, *, alpha=1, out=None', run: (a) => binaryOp('sub', a.get('input')!, a.get('other')!) },
  mul: { signature: 'input, other, *, out=None', run: (a) => binaryOp('mul', a.get('input')!, a.get('other')!) },
  div: {
    signature: 'input, other, *, rounding_mode=None, out=None',
    run: (a) => binaryOp(a.get('rounding_mode') === 'floor' ? 'floor_divide' : 'div', a.get('input')!, a.get('other')!),
  },
  true_divide: { signature: 'input, other', run: (a) => binaryOp('div', a.get('input')!, a.get('other')!) },
  floor_divide: { signature: 'input, other', run: (a) => binaryOp('floor_divide', a.get('input')!, a.get('other')!) },
  remainder: { signature: 'input, other', run: (a) => binaryOp('remainder', a.get('input')!, a.get('other')!) },
  pow: { signature: 'input, exponent', run: (a) => binaryOp('pow', a.get('input')!, a.get('exponent')!) },
  maximum: { signature: 'input, other', run: (a) => binaryOp('maximum', a.get('input')!, a.get('other')!) },
  minimum: { signature: 'input, other', run: (a) => binaryOp('minimum', a.get('input')!, a.get('other')!) },
  eq: { signature: 'input, other', run: (a) => binaryOp('eq', a.get('input')!, a.get('other')!) },
  ne: { signature: 'input, other', run: (a) => binaryOp('ne', a.get('input')!, a.get('other')!) },
  lt: { signature: 'input, other', run: (a) => binaryOp('lt', a.get('input')!, a.get('other')!) },
  le: { signature: 'input, other', run: (a) => binaryOp('le', a.get('input')!, a.get('other')!) },
  gt: { signature: 'input, other', run: (a) => binaryOp('gt', a.get('input')!, a.get('other')!) },
  ge: { signature: 'input, other', run: (a) => binaryOp('ge', a.get('input')!, a.get('other')!) },
  logical_and: { signature: 'input, other', run: (a) => binaryOp('logical_and', a.get('input')!, a.get('other')!) },
  logical_or: { signature: 'input, other', run: (a) => binaryOp('logical_or', a.get('input')!, a.get('other')!) },
  atan2: { signature: 'input, other', run: (a) => binaryOp('atan2', a.get('input')!, a.get('other')!) },
  divide: { signature: 'input, other, *, rounding_mode=None', run: (a) => binaryOp('div', a.get('input')!, a.get('other')!) },
  multiply: { signature: 'input, other', run: (a) => binaryOp('mul', a.get('input')!, a.get('other')!) },
  // input + weight * (end - input): all three broadcast
  lerp: {
    signature: 'input, end, weight',
    run: (a) => {
      const input = a.get('input')!;
      const diff = binaryOp('sub', a.get('end')!, input).output;
      return binaryOp('add', input, binaryOp('mul', a.get('weight')!, diff).output);
    },
  },
  // input + value * tensor1 * tensor2: all three broadcast (timm's Affine: addcmul(beta, alpha, x))
  addcmul: {
    signature: 'input, tensor1, tensor2, *, value=1',
    run: (a) => {
      const product = binaryOp('mul', a.get('tensor1')!, a.get('tensor2')!).output;
      const value = a.get('value') ?? 1;
      return binaryOp('add', a.get('input')!, value === 1 ? product : binaryOp('mul', product, value).output);
    },
  },
  where: {
    signature: 'condition, input=None, other=None',
    run: (a, it) => {
      const c = a.get('condition');
      const x = a.get('input') ?? null;
      const y = a.get('other') ?? null;
      // torch.where(condition): nonzero(condition, as_tuple=True)
      if (x === null && y === null) return nonzeroResult(c, true, it);
      const shapes = [c, x, y].filter((v): v is Tensor => v instanceof Tensor && !!v.shape).map((t) => t.shape!);
      if (!shapes.length) return unknownResult('torch.where of unknown tensors');
      const shape = shapes.reduce((p, q) => broadcastShapes(p, q));
      return { output: new Tensor(shape, promote(x, y)), elementwise: numelOf(shape) };
    },
  },
  masked_fill: sameShape(1),
  clamp: sameShape(1),
  clip: sameShape(1),
  clamp_min: sameShape(1),
  clamp_max: sameShape(1),
  nan_to_num: sameShape(1),
  abs: unaryOp('abs', Math.abs, { keepInt: true }),
  neg: unaryOp('neg', (x) => -x, { keepInt: true }),
  exp: unaryOp('exp', Math.exp),
  log: unaryOp('log', Math.log),
  log2: unaryOp('log2', Math.log2),
  log10: unaryOp('log10', Math.log10),
  log1p: unaryOp('log1p', Math.log1p),
  sqrt: unaryOp('sqrt', Math.sqrt),
  rsqrt: unaryOp('rsqrt', (x) => 1 / Math.sqrt(x)),
  sin: unaryOp('sin', Math.sin),
  cos: unaryOp('cos', Math.cos),
  erf: unaryOp('erf'),
  reciprocal: unaryOp('reciprocal', (x) => 1 / x),
  square: unaryOp('square', (x) => x * x, { keepInt: true }),
  sign: unaryOp('sign', Math.sign, { keepInt: true }),
  round: unaryOp('round', roundHalfEven, { keepInt: true }),
  floor: unaryOp('floor', Math.floor, { keepInt: true }),
  ceil: unaryOp('ceil', Math.ceil, { keepInt: true }),
  trunc: unaryOp('trunc', Math.trunc, { keepInt: true }),
  ...Object.fromEntries(ACTIVATIONS.map((n) => [n, sameShape(cost.FLOPS_PER_ELEMENT.activation)])),
  dropout: sameShape(0),
  dropout1d: sameShape(0),
  dropout2d: sameShape(0),
  dropout3d: sameShape(0),
  alpha_dropout: sameShape(0),
  softmax: sameShape(cost.FLOPS_PER_ELEMENT.softmax),
  log_softmax: sameShape(cost.FLOPS_PER_ELEMENT.softmax),
  softmin: sameShape(cost.FLOPS_PER_ELEMENT.softmax),
  cumsum: sameShape(1),
  cumprod: sameShape(1),
  tril: triangle(false),
  triu: triangle(true),
  normalize: sameShape(3),
  layer_norm: normFunctional('layer'),
  batch_norm: normFunctional('batch'),
  group_norm: normFunctional('group'),
  instance_norm: normFunctional('instance'),
  rms_norm: normFunctional('rms'),
  local_response_norm: normFunctional('localResponse'),
  // reductions
  sum: reduction('sum', { data: (xs) => xs.reduce((p, q) => p + q, 0) }),
  mean: reduction('mean', { data: (xs) => xs.reduce((p, q) => p + q, 0) / xs.length }),
  prod: reduction('prod', { data: (xs) => xs.reduce((p, q) => p * q, 1) }),
  std: reduction('std'),
  var: reduction('var'),
  norm: reduction('norm'),
  logsumexp: reduction('logsumexp'),
  amax: reduction('amax', { data: (xs) => Math.max(...xs) }),
  amin: reduction('amin', { data: (xs) => Math.min(...xs) }),
  max: reduction('max', { values: true, data: (xs) => Math.max(...xs) }),
  min: reduction('min', { values: true, data: (xs) => Math.min(...xs) }),
  argmax: reduction('argmax', { indices: true }),
  argmin: reduction('argmin', { indices: true }),
  all: reduction('all'),
  any: reduction('any'),
  median: reduction('median', { values: true }),
  diff: {
    signature: 'input, n=1, dim=-1',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'diff'));
      const out = [...x.shape];
      const ax = normAxis(numericValue(a.get('dim') ?? -1) ?? -1, out.length) ?? 0;
      out[ax] = symAdd(out[ax], -1);
      const data = x.data && x.shape.length === 1 ? x.data.slice(1).map((v, i) => roundTo(x.dtype, v - x.data![i])) : undefined;
      return { output: new Tensor(out, x.dtype, data), elementwise: numelOf(out) };
    },
  },
  topk: {
    signature: 'input, k, dim=-1, largest=True, sorted=True',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'topk'));
      const out = [...x.shape];
      const ax = normAxis(numericValue(a.get('dim') ?? -1) ?? -1, out.length) ?? out.length - 1;
      out[ax] = dimOf(a.get('k'), 'k');
      return { output: valuesIndices(new Tensor(out, x.dtype), new Tensor(out, DEFAULT_INT)), elementwise: numelOf(x.shape) };
    },
  },
  sort: {
    signature: 'input, dim=-1, descending=False, stable=False',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'sort'));
      return { output: valuesIndices(new Tensor(x.shape, x.dtype), new Tensor(x.shape, DEFAULT_INT)), elementwise: numelOf(x.shape) };
    },
  },
  // matrix products
  matmul: {
    signature: 'input, other',
    run: (a, it) => matmulResult(a.get('input')!, a.get('other')!, 'matmul', it),
    cost: 'MACs = batch·m·k·n',
  },
  mm: { signature: 'input, mat2', run: (a, it) => matmulResult(a.get('input')!, a.get('mat2')!, 'mm', it), cost: 'MACs = m·k·n' },
  bmm: { signature: 'input, mat2', run: (a, it) => matmulResult(a.get('input')!, a.get('mat2')!, 'bmm', it), cost: 'MACs = b·m·k·n' },
  // a dense first operand (the engine models no sparse layout) runs as torch.mm does
  spmm: { signature: 'input, mat2', run: (a, it) => matmulResult(a.get('input')!, a.get('mat2')!, 'spmm', it), cost: 'MACs = m·k·n' },
  addmm: {
    signature: 'input, mat1, mat2, *, beta=1, alpha=1',
    run: (a) => matmulResult(a.get('mat1')!, a.get('mat2')!, 'addmm'),
    cost: 'MACs = m·k·n',
  },
  baddbmm: {
    signature: 'input, batch1, batch2, *, beta=1, alpha=1',
    run: (a) => matmulResult(a.get('batch1')!, a.get('batch2')!, 'baddbmm'),
    cost: 'MACs = b·m·k·n',
  },
  outer: {
    signature: 'input, vec2',
    run: (a) => {
      const x = a.get('input');
      const y = a.get('vec2');
      if (!(x instanceof Tensor) || !x.shape || !(y instanceof Tensor) || !y.shape) return unknownResult('outer of unknown tensors');
      const data = x.data && y.data ? x.data.flatMap((p) => y.data!.map((q) => roundTo(promote(x, y), p * q))) : undefined;
      return { output: new Tensor([x.shape[0], y.shape[0]], promote(x, y), data), elementwise: symMul(x.shape[0], y.shape[0]) };
    },
  },
  einsum: {
    signature: 'equation, *operands',
    run: (a, it, rest) => {
      const eq = a.get('equation');
      const ops =
        rest.positional.length === 1 && (rest.positional[0] instanceof PyList || rest.positional[0] instanceof PyTuple)
          ? [...(rest.positional[0] as PyList).items]
          : rest.positional;
      if (typeof eq !== 'string') return unknownResult('einsum equation unknown');
      void it;
      return einsum(eq, ops);
    },
    cost: 'MACs = product of every distinct index size',
  },
  linear: { signature: 'input, weight, bias=None', run: linearFunctional, cost: 'MACs = rows·in·out' },
  conv1d: convFunctional(1, false),
  conv2d: convFunctional(2, false),
  conv3d: convFunctional(3, false),
  conv_transpose1d: convFunctional(1, true),
  conv_transpose2d: convFunctional(2, true),
  conv_transpose3d: convFunctional(3, true),
  scaled_dot_product_attention: {
    signature: 'query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, enable_gqa=False',
    run: sdpa,
    cost: 'MACs = batch·L·S·(E + Ev): q·kᵀ and weights·v',
  },
  max_pool1d: poolFunctional(1, 'max'),
  max_pool2d: poolFunctional(2, 'max'),
  max_pool3d: poolFunctional(3, 'max'),
  avg_pool1d: poolFunctional(1, 'avg'),
  avg_pool2d: poolFunctional(2, 'avg'),
  avg_pool3d: poolFunctional(3, 'avg'),
  adaptive_avg_pool1d: adaptiveFunctional(1, 'avg'),
  adaptive_avg_pool2d: adaptiveFunctional(2, 'avg'),
  adaptive_avg_pool3d: adaptiveFunctional(3, 'avg'),
  adaptive_max_pool1d: adaptiveFunctional(1, 'max'),
  adaptive_max_pool2d: adaptiveFunctional(2, 'max'),
  adaptive_max_pool3d: adaptiveFunctional(3, 'max'),
  interpolate: interpolateFunctional(
    'interpolate',
    "input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False",
  ),
  // the deprecated spellings older repositories still call: interpolate under another name
  upsample: interpolateFunctional('upsample', "input, size=None, scale_factor=None, mode='nearest', align_corners=None"),
  upsample_nearest: interpolateFunctional('upsample_nearest', 'input, size=None, scale_factor=None'),
  upsample_bilinear: interpolateFunctional('upsample_bilinear', 'input, size=None, scale_factor=None'),
  pad: {
    signature: "input, pad, mode='constant', value=None",
    run: (a) => {
      const x = a.get('input');
      const p = a.get('pad');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'pad'));
      if (!(p instanceof PyTuple || p instanceof PyList)) return unknownResult('pad sizes unknown');
      const out = [...x.shape];
      for (let i = 0; i < p.items.length / 2; i++) {
        const axis = out.length - 1 - i;
        out[axis] = symSum([out[axis], dimOf(p.items[2 * i], 'pad'), dimOf(p.items[2 * i + 1], 'pad')]);
      }
      return { output: new Tensor(out, x.dtype) };
    },
  },
  embedding: {
    signature: 'input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False',
    run: (a) => {
      const x = a.get('input');
      const w = a.get('weight');
      if (!(x instanceof Tensor) || !x.shape || !(w instanceof Tensor) || !w.shape) return unknownResult('embedding of unknown tensors');
      return { output: new Tensor([...x.shape, w.shape[1]], w.dtype) };
    },
  },
  one_hot: {
    signature: 'tensor, num_classes=-1',
    run: (a) => {
      const x = a.get('tensor');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult('one_hot input');
      const n = a.get('num_classes');
      return {
        output: new Tensor(
          [...x.shape, numericValue(n ?? -1) === -1 ? unknownDim('one_hot without num_classes') : dimOf(n, 'num_classes')],
          DEFAULT_INT,
        ),
      };
    },
  },
  pixel_shuffle: {
    signature: 'input, upscale_factor',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape || x.shape.length < 3) return unknownResult('pixel_shuffle input');
      const r = dimOf(a.get('upscale_factor'), 'upscale_factor');
      const [c, h, w] = x.shape.slice(-3);
      return {
        output: new Tensor([...x.shape.slice(0, -3), floorDiv(c, symMul(r, r), 'channels / r²'), symMul(h, r), symMul(w, r)], x.dtype),
      };
    },
  },
  pixel_unshuffle: {
    signature: 'input, downscale_factor',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape || x.shape.length < 3) return unknownResult('pixel_unshuffle input');
      return { output: new Tensor(pixelUnshuffleShape(x.shape, dimOf(a.get('downscale_factor'), 'downscale_factor')), x.dtype) };
    },
  },
  // losses (lossOps.ts)
  ...LOSS_OPS,
  // shape ops (views unless they copy)
  view: viewOp(),
  reshape: viewOp(),
  view_as: {
    signature: 'input, other',
    run: (a) => {
      const x = a.get('input');
      const o = a.get('other');
      if (!(x instanceof Tensor) || !(o instanceof Tensor) || !o.shape) return unknownResult('view_as of unknown tensors');
      return { output: new Tensor(o.shape, x.dtype), view: true };
    },
  },
  flatten: {
    signature: 'input, start_dim=0, end_dim=-1',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'flatten'));
      return {
        output: new Tensor(
          flattenShape(x.shape, numericValue(a.get('start_dim')!) ?? 0, numericValue(a.get('end_dim')!) ?? -1),
          x.dtype,
          x.data,
        ),
        view: true,
      };
    },
  },
  unflatten: {
    signature: 'input, dim, sizes',
    run: (a) => {
      const x = a.get('input');
      const sizes = shapeArg(a.get('sizes'), [], 'sizes');
      if (!(x instanceof Tensor) || !x.shape || sizes instanceof Unknown) return unknownResult('unflatten of unknown tensors');
      const ax = normAxis(numericValue(a.get('dim')!) ?? 0, x.shape.length) ?? 0;
      const whole = x.shape[ax];
      const minus = sizes.findIndex((d) => d === -1);
      if (minus >= 0) sizes[minus] = floorDiv(whole, symProduct(sizes.filter((_, i) => i !== minus)), 'unflatten -1');
      return { output: new Tensor([...x.shape.slice(0, ax), ...sizes, ...x.shape.slice(ax + 1)], x.dtype), view: true };
    },
  },
  permute: {
    signature: 'input, *dims',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'permute'));
      const first = rest.positional[0] ?? rest.keywords.get('dims');
      const dims = first instanceof PyTuple || first instanceof PyList ? [...first.items] : rest.positional;
      const out = permuteShape(x.shape, dims);
      return out ? { output: new Tensor(out, x.dtype), view: true } : unknownResult('permute dims do not match the rank');
    },
  },
  transpose: {
    signature: 'input, dim0, dim1',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'transpose'));
      const i = normAxis(numericValue(a.get('dim0')!) ?? 0, x.shape.length);
      const j = normAxis(numericValue(a.get('dim1')!) ?? 0, x.shape.length);
      if (i === null || j === null) return unknownResult('transpose dims out of range');
      const out = [...x.shape];
      [out[i], out[j]] = [out[j], out[i]];
      return { output: new Tensor(out, x.dtype), view: true };
    },
  },
  swapaxes: {
    signature: 'input, axis0, axis1',
    run: (a, it, r) =>
      OPS.transpose.run(
        new Map([
          ['input', a.get('input')!],
          ['dim0', a.get('axis0')!],
          ['dim1', a.get('axis1')!],
        ]),
        it,
        r,
      ),
  },
  // F.glu: the first half of dim gated by the sigmoid of the second (torch.nn.GLU's function)
  glu: {
    signature: 'input, dim=-1',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'glu'));
      const axis = normAxis(numericValue(a.get('dim')!) ?? -1, x.shape.length);
      if (axis === null) return unknownResult('glu over a dim out of range');
      const out = [...x.shape];
      out[axis] = floorDiv(out[axis], 2, 'glu halves an odd dimension');
      return { output: new Tensor(out, x.dtype), elementwise: symMul(2, numelOf(out)) };
    },
  },
  // torch.swapdims: transpose's other spelling
  swapdims: { signature: 'input, dim0, dim1', run: (a, it, r) => OPS.transpose.run(a, it, r) },
  movedim: {
    signature: 'input, source, destination',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'movedim'));
      const src = normAxis(numericValue(a.get('source')!) ?? 0, x.shape.length);
      const dst = normAxis(numericValue(a.get('destination')!) ?? 0, x.shape.length);
      if (src === null || dst === null) return unknownResult('movedim with tuple dims is not modelled');
      const out = [...x.shape];
      const [d] = out.splice(src, 1);
      out.splice(dst, 0, d);
      return { output: new Tensor(out, x.dtype), view: true };
    },
  },
  t: {
    signature: 'input',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 't'));
      return { output: new Tensor([...x.shape].reverse(), x.dtype), view: true };
    },
  },
  squeeze: {
    signature: 'input, dim=None',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'squeeze'));
      const d = a.get('dim');
      if (d === null || d === undefined)
        return {
          output: new Tensor(
            x.shape.filter((s) => s !== 1),
            x.dtype,
            x.data,
          ),
          view: true,
        };
      const ax = normAxis(numericValue(d) ?? 0, x.shape.length);
      return {
        output: new Tensor(
          x.shape.filter((s, i) => !(i === ax && s === 1)),
          x.dtype,
          x.data,
        ),
        view: true,
      };
    },
  },
  unsqueeze: {
    signature: 'input, dim',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'unsqueeze'));
      const ax = normAxis(numericValue(a.get('dim')!) ?? 0, x.shape.length + 1);
      if (ax === null) return unknownResult('unsqueeze dim out of range');
      const out = [...x.shape];
      out.splice(ax, 0, 1);
      return { output: new Tensor(out, x.dtype, x.data), view: true };
    },
  },
  expand: {
    signature: 'input, *sizes',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'expand'));
      const sizes = shapeArg(rest.positional[0], rest.positional.slice(1), 'size');
      if (sizes instanceof Unknown) return unknownResult(sizes.reason);
      const lead = sizes.length - x.shape.length;
      return {
        output: new Tensor(
          sizes.map((d, i) => (d === -1 ? x.shape![i - lead] : d)),
          x.dtype,
        ),
        view: true,
      };
    },
  },
  expand_as: {
    signature: 'input, other',
    run: (a) => {
      const o = a.get('other');
      const x = a.get('input');
      if (!(o instanceof Tensor) || !o.shape || !(x instanceof Tensor)) return unknownResult('expand_as of unknown tensors');
      return { output: new Tensor(o.shape, x.dtype), view: true };
    },
  },
  repeat: {
    signature: 'input, *sizes',
    run: (a, _it, rest) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'repeat'));
      const reps = shapeArg(rest.positional[0], rest.positional.slice(1), 'repeats');
      if (reps instanceof Unknown) return unknownResult(reps.reason);
      const shape = [...Array<number>(Math.max(0, reps.length - x.shape.length)).fill(1), ...x.shape];
      return {
        output: new Tensor(
          shape.map((d, i) => symMul(d, reps[i] ?? 1)),
          x.dtype,
        ),
      };
    },
  },
  repeat_interleave: {
    signature: 'input, repeats=None, dim=None, *, output_size=None',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'repeat_interleave'));
      const r = asSymNum(a.get('repeats') ?? null);
      const d = a.get('dim');
      if (r === null) return unknownResult('repeat_interleave with tensor repeats');
      if (d === null || d === undefined) return { output: new Tensor([symMul(numelOf(x.shape), r)], x.dtype) };
      const ax = normAxis(numericValue(d) ?? 0, x.shape.length) ?? 0;
      const out = [...x.shape];
      out[ax] = symMul(out[ax], r);
      return { output: new Tensor(out, x.dtype) };
    },
  },
  cat: { signature: 'tensors, dim=0', run: (a) => catShape(listOf(a.get('tensors')), numericValue(a.get('dim')!) ?? 0, false) },
  concat: { signature: 'tensors, dim=0', run: (a) => catShape(listOf(a.get('tensors')), numericValue(a.get('dim')!) ?? 0, false) },
  concatenate: { signature: 'tensors, axis=0', run: (a) => catShape(listOf(a.get('tensors')), numericValue(a.get('axis')!) ?? 0, false) },
  stack: { signature: 'tensors, dim=0', run: (a) => catShape(listOf(a.get('tensors')), numericValue(a.get('dim')!) ?? 0, true) },
  split: splitOp('split'),
  chunk: splitOp('chunk'),
  unbind: splitOp('unbind'),
  narrow: {
    signature: 'input, dim, start, length',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'narrow'));
      const out = [...x.shape];
      out[normAxis(numericValue(a.get('dim')!) ?? 0, out.length) ?? 0] = dimOf(a.get('length'), 'length');
      return { output: new Tensor(out, x.dtype), view: true };
    },
  },
  roll: sameShape(0),
  flip: sameShape(0),
  gather: {
    signature: 'input, dim, index',
    run: (a) => {
      const i = a.get('index');
      const x = a.get('input');
      if (!(i instanceof Tensor) || !i.shape || !(x instanceof Tensor)) return unknownResult('gather of unknown tensors');
      return { output: new Tensor(i.shape, x.dtype) };
    },
  },
  index_select: {
    signature: 'input, dim, index',
    run: (a) => {
      const x = a.get('input');
      const i = a.get('index');
      if (!(x instanceof Tensor) || !x.shape || !(i instanceof Tensor) || !i.shape) return unknownResult('index_select of unknown tensors');
      const out = [...x.shape];
      out[normAxis(numericValue(a.get('dim')!) ?? 0, out.length) ?? 0] = i.shape[0] ?? 1;
      return { output: new Tensor(out, x.dtype) };
    },
  },
  diagonal: {
    signature: 'input, offset=0, dim1=0, dim2=1',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape || x.shape.length < 2) return unknownResult('diagonal input');
      // dim1 and dim2 go; the diagonal's length, min(n1 + min(offset, 0), n2 - max(offset, 0)), is appended
      const d1 = normAxis(numericValue(a.get('dim1')!) ?? 0, x.shape.length);
      const d2 = normAxis(numericValue(a.get('dim2')!) ?? 1, x.shape.length);
      const offset = numericValue(a.get('offset')!) ?? 0;
      const [n1, n2] = d1 === null || d2 === null ? [null, null] : [x.shape[d1], x.shape[d2]];
      const length =
        typeof n1 === 'number' && typeof n2 === 'number'
          ? Math.max(0, Math.min(n1 + Math.min(offset, 0), n2 - Math.max(offset, 0)))
          : offset === 0 && n1 !== null && n1 === n2
            ? n1
            : unknownDim('diagonal of symbolic dims');
      return { output: new Tensor([...x.shape.filter((_, i) => i !== d1 && i !== d2), length], x.dtype), view: true };
    },
  },
  masked_select: {
    signature: 'input, mask',
    run: (a, it) => {
      const x = a.get('input');
      const mask = a.get('mask');
      const shapes = [x, mask].filter((v): v is Tensor => v instanceof Tensor && !!v.shape);
      if (shapes.length < 2)
        return { output: new Tensor([unknownDim('masked_select returns a data-dependent number of elements')], DEFAULT_FLOAT) };
      const full = new Tensor(
        broadcastShapes(shapes[0].shape!, shapes[1].shape!),
        DTYPES.bool,
        mask instanceof Tensor ? mask.data : undefined,
      );
      const dtype = x instanceof Tensor ? x.dtype : DEFAULT_FLOAT;
      return { output: new Tensor([keptCount(full, 'masked_select', it)], dtype), elementwise: numelOf(full.shape) };
    },
  },
  nonzero: {
    signature: 'input, *, as_tuple=False',
    run: (a, it) => nonzeroResult(a.get('input'), a.get('as_tuple') === true, it),
  },
  unfold: {
    signature: 'input, dimension, size, step',
    run: (a) => {
      const x = a.get('input');
      if (!(x instanceof Tensor) || !x.shape) return unknownResult(reasonOf(x, 'unfold'));
      const ax = normAxis(numericValue(a.get('dimension')!) ?? 0, x.shape.length) ?? 0;
      const size = dimOf(a.get('size'), 'size');
      const step = dimOf(a.get('step'), 'step');
      const out = [...x.shape];
      out[ax] = symAdd(floorDiv(symAdd(out[ax], symMul(-1, size)), step, 'unfold of a symbolic size'), 1);
      out.push(size);
      return { output: new Tensor(out, x.dtype), view: true };
    },
  },
};

export function listOf(v: Value | undefined): Value[] {
  if (v instanceof PyList || v instanceof PyTuple) return [...v.items];
  return v === undefined ? [] : [v];
}

export { DEFAULT_FLOAT, DEFAULT_INT, literalTensor, matmulResult, sdpa, binaryOp as elementwiseBinary, dataTensor };
