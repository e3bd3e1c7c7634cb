// The abstract tensor: a shape (dims may be symbolic), a dtype, and, for the small tensors
// model constructors compute with (torch.arange, linspace), the concrete data.
import type { Interpreter } from '../interp/interpreter';
import { ForeignValue, PyDtype, type Value } from '../interp/values';
import { Poly, freshUnknownSymbol, symProduct, type SymNum } from '../interp/symbolic';

export const DTYPES: Record<string, PyDtype> = {};
for (const [name, bytes, isFloat, ...aliases] of [
  ['float32', 4, true, 'float'],
  ['float64', 8, true, 'double'],
  ['float16', 2, true, 'half'],
  ['bfloat16', 2, true],
  ['int64', 8, false, 'long'],
  ['int32', 4, false, 'int'],
  ['int16', 2, false, 'short'],
  ['int8', 1, false],
  ['uint8', 1, false],
  ['bool', 1, false],
  ['complex64', 8, true, 'cfloat'],
  ['complex128', 16, true, 'cdouble'],
] as [string, number, boolean, ...string[]][]) {
  const d = new PyDtype(name, bytes, isFloat);
  DTYPES[name] = d;
  for (const a of aliases) DTYPES[a] = d;
}

export const DEFAULT_FLOAT = DTYPES.float32;
export const DEFAULT_INT = DTYPES.int64;

/** Concrete data is kept only for tensors this small: enough for constructor arithmetic. */
export const MAX_CONCRETE_NUMEL = 4096;

/**
 * Python behaviour a kind of array overrides (numpy's ndarray): each hook answers, or returns
 * undefined to fall back to torch's.
 */
export interface ArrayBehaviour {
  getAttr(t: Tensor, name: string, it: Interpreter): Value | undefined;
  binary(op: string, a: Value, b: Value, it: Interpreter): Value | undefined;
  compare(op: string, a: Value, b: Value, it: Interpreter): Value | undefined;
  unary(op: string, t: Tensor, it: Interpreter): Value | undefined;
  getItem(t: Tensor, index: Value, it: Interpreter): Value | undefined;
  iterate(t: Tensor, it: Interpreter): Value[] | undefined;
}

/** A foreign value to the interpreter: its Python behaviour is TorchTensorSemantics. */
export class Tensor extends ForeignValue {
  readonly kind = 'tensor';
  /** Registered through nn.Parameter: counts as a parameter when set on a module. */
  isParameter = false;
  requiresGrad = false;
  /** Set on the data of a PackedSequence (pack_padded_sequence): its padded time and batch sizes. */
  packed?: { time: SymNum; batch: SymNum };
  constructor(
    /** null when even the rank is unknown. */
    readonly shape: readonly SymNum[] | null,
    readonly dtype: PyDtype = DEFAULT_FLOAT,
    /** Row-major values when small and known. */
    readonly data?: readonly number[],
    /** Why the shape is unknown, when it is. */
    readonly unknownReason?: string,
  ) {
    super();
  }

  /** Behaviour that overrides torch's (numpy arrays); none for torch tensors. */
  get behaviour(): ArrayBehaviour | undefined {
    return undefined;
  }

  get rank(): number | null {
    return this.shape ? this.shape.length : null;
  }

  numel(): SymNum | null {
    return this.shape ? symProduct(this.shape) : null;
  }

  /** Concrete numel, or null if symbolic / unknown. */
  concreteNumel(): number | null {
    const n = this.numel();
    return typeof n === 'number' ? n : null;
  }
}

export function unknownTensor(reason: string, dtype: PyDtype = DEFAULT_FLOAT): Tensor {
  return new Tensor(null, dtype, undefined, reason);
}

/** A dim nobody can know: an opaque symbol carrying the reason. */
export function unknownDim(reason: string): SymNum {
  return Poly.symbol(freshUnknownSymbol(reason));
}

/** Normalises a possibly negative axis; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

/** Numpy/torch broadcasting of two shapes; unknown dims broadcast to the other side when it is > 1. */
export function broadcastShapes(a: readonly SymNum[], b: readonly SymNum[]): SymNum[] {
  const n = Math.max(a.length, b.length);
  const out: SymNum[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i];
    const y = b[b.length - n + i];
    if (x === undefined) out.push(y);
    else if (y === undefined) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (typeof x === 'number') out.push(x);
    else out.push(typeof y === 'number' ? y : x);
  }
  return out;
}

export function sameDtypeFloat(a: Tensor, b?: Tensor): PyDtype {
  if (a.dtype.isFloat) return a.dtype;
  if (b?.dtype.isFloat) return b.dtype;
  return a.dtype;
}
