// Python operators on scalars, symbolic ints, strings and sequences. Tensors are handled
// by the torch semantics the interpreter was given; unknowns propagate.
import { pyFixed } from './floatText';
import { Poly, symAdd, symEquals, symMul, symSub, type SymNum } from './symbolic';
import { MAX_VALUE_ELEMENTS, fitsOneValue, notMaterialised } from './memoryBudget';
import { enumMixinValue, ForeignValue, PyClass, PyFloat, PyList, PyTuple, SymInt, Unknown, PySet, PyDict, type Value } from './values';

/** A Python number as JS: ints and bools as number, PyFloat unwrapped; null if not numeric. */
export function numericValue(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.v;
  const mixin = enumMixinValue(v);
  return mixin === undefined ? null : numericValue(mixin);
}

/** int-like: int, bool or a symbolic int. */
export function asSymNum(v: Value): SymNum | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof SymInt) return v.poly;
  return null;
}

export function fromSymNum(x: SymNum): number | SymInt {
  if (typeof x === 'number') return x;
  const s = x.simplify();
  return typeof s === 'number' ? s : new SymInt(s);
}

function isFloat(v: Value): boolean {
  return v instanceof PyFloat;
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Result of a binary operator, or undefined when these operand types do not support it. */
/** `room`: elements a sequence result may have (the memory budget left; one value's bound by default). */
export function scalarBinary(op: string, a: Value, b: Value, room = MAX_VALUE_ELEMENTS): Value | undefined {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== null && y !== null) {
    const float = isFloat(a) || isFloat(b);
    switch (op) {
      case '+':
        return float ? new PyFloat(x + y) : x + y;
      case '-':
        return float ? new PyFloat(x - y) : x - y;
      case '*':
        return float ? new PyFloat(x * y) : x * y;
      case '/':
        return y === 0 ? undefined : new PyFloat(x / y);
      case '//':
        if (y === 0) return undefined;
        return float ? new PyFloat(Math.floor(x / y)) : Math.floor(x / y);
      case '%':
        if (y === 0) return undefined;
        return float ? new PyFloat(pyMod(x, y)) : pyMod(x, y);
      case '**': {
        const r = Math.pow(x, y);
        return float || y < 0 ? new PyFloat(r) : r;
      }
      case '&':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a && b : x & y;
      case '|':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a || b : x | y;
      case '^':
        return typeof a === 'boolean' && typeof b === 'boolean' ? a !== b : x ^ y;
      case '<<':
        return x * Math.pow(2, y);
      case '>>':
        return Math.floor(x / Math.pow(2, y));
    }
    return undefined;
  }
  // symbolic ints: exact in +, -, *; // and % only when they divide
  const sa = asSymNum(a);
  const sb = asSymNum(b);
  if (sa !== null && sb !== null && (a instanceof SymInt || b instanceof SymInt)) {
    switch (op) {
      case '+':
        return fromSymNum(symAdd(sa, sb));
      case '-':
        return fromSymNum(symSub(sa, sb));
      case '*':
        return fromSymNum(symMul(sa, sb));
      case '//': {
        const q = Poly.from(sa).divExact(sb);
        return q ? fromSymNum(q) : new Unknown(`${symText(sa)} // ${symText(sb)} is not known to divide exactly`);
      }
      case '/': {
        const q = Poly.from(sa).divExact(sb);
        return q ? fromSymNum(q) : new Unknown(`${symText(sa)} / ${symText(sb)} is symbolic`);
      }
      case '%': {
        const q = Poly.from(sa).divExact(sb);
        return q ? 0 : new Unknown(`${symText(sa)} % ${symText(sb)} is symbolic`);
      }
    }
    return new Unknown(`operator ${op} on symbolic dimension ${symText(sa)}`);
  }
  if (sa !== null && b instanceof PyFloat && a instanceof SymInt) return new Unknown(`symbolic ${symText(sa)} ${op} float`);
  if (sb !== null && a instanceof PyFloat && b instanceof SymInt) return new Unknown(`float ${op} symbolic ${symText(sb)}`);
  // sequences
  // sequences: sized before they are built (the memory budget's bound on one value)
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return bounded('str', a.length + b.length, () => a + b, room);
    if (a instanceof PyList && b instanceof PyList)
      return bounded('list', a.items.length + b.items.length, () => new PyList(a.items.concat(b.items)), room);
    if (a instanceof PyTuple && b instanceof PyTuple)
      return bounded('tuple', a.items.length + b.items.length, () => new PyTuple(a.items.concat(b.items)), room);
  }
  if (op === '*') {
    const times = (n: number): number => Math.max(0, Math.trunc(n));
    const repeat = (n: number, items: readonly Value[]): Value[] => {
      const out: Value[] = [];
      for (let i = 0; i < n; i++) for (const x of items) out.push(x);
      return out;
    };
    if (typeof a === 'string' && typeof b === 'number') return bounded('str', a.length * times(b), () => a.repeat(times(b)), room);
    if (typeof b === 'string' && typeof a === 'number') return bounded('str', b.length * times(a), () => b.repeat(times(a)), room);
    if (a instanceof PyList && typeof b === 'number')
      return bounded('list', a.items.length * times(b), () => new PyList(repeat(times(b), a.items)), room);
    if (b instanceof PyList && typeof a === 'number')
      return bounded('list', b.items.length * times(a), () => new PyList(repeat(times(a), b.items)), room);
    if (a instanceof PyTuple && typeof b === 'number')
      return bounded('tuple', a.items.length * times(b), () => new PyTuple(repeat(times(b), a.items)), room);
    if (b instanceof PyTuple && typeof a === 'number')
      return bounded('tuple', b.items.length * times(a), () => new PyTuple(repeat(times(a), b.items)), room);
  }
  if (op === '%' && typeof a === 'string') return percentFormat(a, b);
  if (op === '|' && a instanceof PyDict && b instanceof PyDict) {
    const d = PyDict.of([...a.entries.values()]);
    for (const [k, v] of b.entries.values()) d.set(k, v);
    return d;
  }
  const setA = setLike(a);
  const setB = setLike(b);
  if (setA && setB) {
    const out = new PySet();
    if (op === '|') {
      for (const v of [...setA.items(), ...setB.items()]) out.add(v);
    } else if (op === '&') {
      for (const v of setA.items()) if (setB.has(v)) out.add(v);
    } else if (op === '-') {
      for (const v of setA.items()) if (!setB.has(v)) out.add(v);
    } else return undefined;
    return out;
  }
  return undefined;
}

/** A set, or a dict's keys() (set-like in Python: `set | d.keys()`). */
function setLike(v: Value): PySet | undefined {
  if (v instanceof PySet) return v;
  if (!(v instanceof PyList) || v.typeName !== 'dict_keys') return undefined;
  const out = new PySet();
  for (const item of v.items) out.add(item);
  return out;
}

/** Builds a sequence of `n` elements, or says why not (over one value's bound; NaN and ∞ included). */
function bounded(kind: string, n: number, build: () => Value, room: number): Value {
  if (n <= room) return build();
  const u = new Unknown(fitsOneValue(n) ? `${notMaterialised(kind, n)} (the analysis' memory budget is spent)` : notMaterialised(kind, n));
  u.pyType = kind;
  return u;
}

function symText(x: SymNum): string {
  return typeof x === 'number' ? String(x) : x.toString();
}

/** Equality as Python's == on values this module understands; undefined when it cannot say. */
export function scalarEquals(a: Value, b: Value): boolean | undefined {
  if (a === b) return true;
  // an unknown element (a dim of an unknown tensor) makes `shape == (M, N)` unknown, not false
  if (a instanceof Unknown || b instanceof Unknown) return undefined;
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== null && y !== null) return x === y;
  if (a instanceof SymInt || b instanceof SymInt) {
    const sa = asSymNum(a);
    const sb = asSymNum(b);
    if (sa === null || sb === null) return false;
    return symEquals(sa, sb) ? true : undefined;
  }
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a === null || b === null) return a === b;
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = scalarEquals(a.items[i], b.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, [, v]] of a.entries) {
      const o = b.entries.get(k);
      if (!o) return false;
      const e = scalarEquals(v, o[1]);
      if (e !== true) return e;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    // identity for everything else (classes, instances, functions)
    if ((a as { kind?: string }).kind === 'unknown' || (b as { kind?: string }).kind === 'unknown') return undefined;
    if (a instanceof ForeignValue || b instanceof ForeignValue) return undefined;
    return false;
  }
  return false;
}

/** <, <=, >, >= on numbers, strings and sequences; undefined when unknown. */
export function scalarOrder(op: string, a: Value, b: Value): boolean | undefined {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x !== null && y !== null) return compareNums(op, x, y);
  if (typeof a === 'string' && typeof b === 'string') return compareNums(op, a < b ? -1 : a > b ? 1 : 0, 0);
  if ((a instanceof PyTuple && b instanceof PyTuple) || (a instanceof PyList && b instanceof PyList)) {
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const eq = scalarEquals(a.items[i], b.items[i]);
      if (eq === undefined) return undefined;
      if (!eq) return scalarOrder(op, a.items[i], b.items[i]);
    }
    return compareNums(op, a.items.length, b.items.length);
  }
  // symbolic dims are positive: B >= 1 holds, anything else stays unknown
  return undefined;
}

function compareNums(op: string, x: number, y: number): boolean | undefined {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
  return undefined;
}

/** printf-style formatting for the "%d %s %.2f" cases model files use in messages. */
function percentFormat(fmt: string, arg: Value): Value {
  const args = arg instanceof PyTuple ? [...arg.items] : [arg];
  let i = 0;
  let failed = false;
  const out = fmt.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdrifgex%])/g, (_m, _flags, _w, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    const n = numericValue(v ?? null);
    if (conv === 's' || conv === 'r') return typeof v === 'string' ? v : n !== null ? String(n) : String(v);
    if (n === null) {
      failed = true;
      return '';
    }
    if (conv === 'd' || conv === 'i') return String(Math.trunc(n));
    // toExponential takes at most 100 digits (pyFixed caps its own)
    if (conv === 'f') return pyFixed(n, prec ? Number(prec) : 6);
    if (conv === 'e') return n.toExponential(Math.min(100, prec ? Number(prec) : 6));
    return String(n);
  });
  return failed ? new Unknown('string formatting of a non-number') : out;
}

/** `int | None`, `A | B | C` on classes (PEP 604): a union that isinstance() accepts; undefined when a or b is no type. */
export function typeUnion(a: Value, b: Value): PyTuple | undefined {
  const members = (v: Value): readonly Value[] | undefined =>
    v === null || v instanceof PyClass ? [v] : v instanceof PyTuple && v.typeName === 'UnionType' ? v.items : undefined;
  const l = members(a);
  const r = members(b);
  if (!l || !r) return undefined;
  const u = new PyTuple([...l, ...r.filter((x) => !l.includes(x))]);
  u.typeName = 'UnionType';
  return u;
}
