// JavaScript's operators over evaluator values: conversions, truthiness, equality and the
// binary operators. An Unknown operand makes the result that same Unknown.
import { HostFunction, HostValue, JsClass, JsFunction, JsObject, Unknown, type Value } from './values';

/** Longest string or array the evaluator builds; beyond it values become unknown (keeps memory bounded). */
export const MAX_COLLECTION = 1_000_000;

export function truthy(v: Value): boolean | Unknown {
  if (v instanceof Unknown) return v;
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  return true;
}

export function toNumber(v: Value): number | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return 0;
  if (v === undefined) return NaN;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return 0;
    if (v.length === 1) return toNumber(v[0]);
    return NaN;
  }
  return NaN;
}

export function toStr(v: Value): string | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'string') return v;
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      if (x === undefined || x === null) {
        parts.push('');
        continue;
      }
      const s = toStr(x);
      if (s instanceof Unknown) return s;
      parts.push(s);
    }
    return parts.join(',');
  }
  if (v instanceof JsObject) return '[object Object]';
  if (v instanceof JsFunction || v instanceof HostFunction) return `function ${v.name}() { [code] }`;
  if (v instanceof JsClass) return `class ${v.name} { }`;
  if (v instanceof HostValue) return new Unknown(`${v.describe()} has no string form here`);
  return new Unknown('value has no string form');
}

export function typeOf(v: Value): string | Unknown {
  if (v instanceof Unknown) return v;
  if (v === undefined) return 'undefined';
  if (v === null) return 'object';
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return typeof v;
  if (v instanceof JsFunction || v instanceof HostFunction || v instanceof JsClass) return 'function';
  return 'object';
}

export function strictEquals(a: Value, b: Value): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  return a === b;
}

export function looseEquals(a: Value, b: Value): boolean | Unknown {
  if (a instanceof Unknown) return a;
  if (b instanceof Unknown) return b;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === typeof b) return a === b;
  if (isPrimitive(a) && isPrimitive(b)) {
    const x = toNumber(a);
    const y = toNumber(b);
    return x === y;
  }
  return a === b;
}

function isPrimitive(v: Value): v is number | string | boolean {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function toPrimitiveForAdd(v: Value): number | string | Unknown {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (v instanceof Unknown) return v;
  if (v === undefined || v === null || typeof v === 'boolean') return toNumber(v);
  return toStr(v);
}

export function binary(op: string, a: Value, b: Value): Value {
  switch (op) {
    case '===':
      return strictEquals(a, b);
    case '!==': {
      const r = strictEquals(a, b);
      return r instanceof Unknown ? r : !r;
    }
    case '==':
      return looseEquals(a, b);
    case '!=': {
      const r = looseEquals(a, b);
      return r instanceof Unknown ? r : !r;
    }
    case '+': {
      const x = toPrimitiveForAdd(a);
      if (x instanceof Unknown) return x;
      const y = toPrimitiveForAdd(b);
      if (y instanceof Unknown) return y;
      if (typeof x === 'string' || typeof y === 'string') {
        const s = String(x) + String(y);
        return s.length > MAX_COLLECTION ? new Unknown('string longer than the evaluator keeps') : s;
      }
      return x + y;
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (a instanceof Unknown) return a;
      if (b instanceof Unknown) return b;
      if (typeof a === 'string' && typeof b === 'string') return compare(op, a, b);
      const x = toNumber(a);
      if (x instanceof Unknown) return x;
      const y = toNumber(b);
      if (y instanceof Unknown) return y;
      return compare(op, x, y);
    }
  }
  const x = toNumber(a);
  if (x instanceof Unknown) return x;
  const y = toNumber(b);
  if (y instanceof Unknown) return y;
  switch (op) {
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      return x % y;
    case '**':
      return x ** y;
    case '|':
      return x | y;
    case '&':
      return x & y;
    case '^':
      return x ^ y;
    case '<<':
      return x << y;
    case '>>':
      return x >> y;
    case '>>>':
      return x >>> y;
  }
  return new Unknown(`operator ${op} is not evaluated`);
}

function compare<T extends number | string>(op: string, x: T, y: T): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

/** Property key of a value used in obj[key]. */
export function toKey(v: Value): string | Unknown {
  if (typeof v === 'number') return String(v);
  return toStr(v);
}

/** An array index from a key ("3" → 3), or undefined. */
export function arrayIndex(key: string): number | undefined {
  if (key.length === 0 || key.length > 10) return undefined;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key ? n : undefined;
}
