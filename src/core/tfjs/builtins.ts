// The JavaScript standard library as far as model files use it: Math, Number, String,
// Array, Object, JSON, Map, Set, console, and the methods of arrays, strings and numbers.
// Bulk work charges the step budget; sizes are capped so evaluation stays bounded.
import { MAX_COLLECTION, arrayIndex, strictEquals, toKey, toNumber, toStr, truthy } from './operators';
import {
  HostFunction,
  HostValue,
  JsFunction,
  JsObject,
  Scope,
  Unknown,
  describeValue,
  type HostContext,
  type HostImpl,
  type Value,
} from './values';

const fn = (name: string, impl: HostImpl) => new HostFunction(name, impl);

/** A JS object built from entries (for namespaces like Math). */
function objectOf(entries: Record<string, Value>): JsObject {
  const o = new JsObject();
  for (const [k, v] of Object.entries(entries)) o.props.set(k, v);
  return o;
}

function firstUnknown(args: Value[]): Unknown | undefined {
  for (const a of args) if (a instanceof Unknown) return a;
  return undefined;
}

/** A Math/Number function over numbers: unknown in, unknown out. */
function numeric(name: string, f: (...xs: number[]) => number): HostFunction {
  return fn(name, (_t, args) => {
    const xs: number[] = [];
    for (const a of args) {
      const n = toNumber(a);
      if (n instanceof Unknown) return n;
      xs.push(n);
    }
    return f(...xs);
  });
}

function tooLong(what: string): Unknown {
  return new Unknown(`${what} longer than ${MAX_COLLECTION} items is not evaluated`);
}

// ───────────────────────────── Map and Set ─────────────────────────────

export class JsMap extends HostValue {
  readonly map = new Map<Value, Value>();
  describe(): string {
    return 'Map';
  }
  override get(key: string): Value {
    const m = this.map;
    switch (key) {
      case 'size':
        return m.size;
      case 'get':
        return fn('Map.get', (_t, [k]) => m.get(k));
      case 'set':
        return fn('Map.set', (_t, [k, v]) => (m.set(k, v), this));
      case 'has':
        return fn('Map.has', (_t, [k]) => m.has(k));
      case 'delete':
        return fn('Map.delete', (_t, [k]) => m.delete(k));
      case 'keys':
        return fn('Map.keys', () => [...m.keys()]);
      case 'values':
        return fn('Map.values', () => [...m.values()]);
      case 'entries':
        return fn('Map.entries', () => [...m.entries()].map(([k, v]) => [k, v]));
      case 'forEach':
        return fn('Map.forEach', (_t, [cb], ctx) => {
          for (const [k, v] of m) ctx.call(cb, undefined, [v, k, this]);
          return undefined;
        });
    }
    return undefined;
  }
}

export class JsSet extends HostValue {
  readonly items = new Set<Value>();
  describe(): string {
    return 'Set';
  }
  override get(key: string): Value {
    const s = this.items;
    switch (key) {
      case 'size':
        return s.size;
      case 'add':
        return fn('Set.add', (_t, [v]) => (s.add(v), this));
      case 'has':
        return fn('Set.has', (_t, [v]) => s.has(v));
      case 'delete':
        return fn('Set.delete', (_t, [v]) => s.delete(v));
      case 'values':
      case 'keys':
        return fn('Set.values', () => [...s]);
      case 'forEach':
        return fn('Set.forEach', (_t, [cb], ctx) => {
          for (const v of s) ctx.call(cb, undefined, [v, v, this]);
          return undefined;
        });
    }
    return undefined;
  }
}

/** The items for-of and spread walk, or an Unknown. */
export function iterate(v: Value): Value[] | Unknown {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof JsMap) return [...v.map.entries()].map(([k, x]) => [k, x]);
  if (v instanceof JsSet) return [...v.items];
  if (v instanceof Unknown) return v;
  return new Unknown(`${describeValue(v)} is not iterable here`);
}

// ───────────────────────────── arrays ─────────────────────────────

function callback(ctx: HostContext, cb: Value, args: Value[]): Value {
  return ctx.call(cb, undefined, args);
}

function arrayOf(t: Value): Value[] | Unknown {
  return Array.isArray(t) ? t : new Unknown(`${describeValue(t)} is not an array`);
}

function relIndex(v: Value, len: number, dflt: number): number | Unknown {
  if (v === undefined) return dflt;
  const n = toNumber(v);
  if (n instanceof Unknown) return n;
  const i = Math.trunc(Number.isNaN(n) ? 0 : n);
  return i < 0 ? Math.max(0, len + i) : Math.min(i, len);
}

const ARRAY_METHODS: Record<string, HostImpl> = {
  push: (t, args, ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    if (a.length + args.length > MAX_COLLECTION) return tooLong('array');
    ctx.charge(args.length);
    a.push(...args);
    return a.length;
  },
  pop: (t) => (Array.isArray(t) ? t.pop() : arrayOf(t)),
  shift: (t) => (Array.isArray(t) ? t.shift() : arrayOf(t)),
  unshift: (t, args) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    a.unshift(...args);
    return a.length;
  },
  map: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    return a.map((x, i) => callback(ctx, cb, [x, i, a]));
  },
  forEach: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    a.forEach((x, i) => callback(ctx, cb, [x, i, a]));
    return undefined;
  },
  filter: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const out: Value[] = [];
    for (let i = 0; i < a.length; i++) {
      const keep = truthy(callback(ctx, cb, [a[i], i, a]));
      if (keep instanceof Unknown) return keep;
      if (keep) out.push(a[i]);
    }
    return out;
  },
  reduce: (t, args, ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    let i = 0;
    let acc: Value;
    if (args.length >= 2) acc = args[1];
    else {
      if (a.length === 0) return new Unknown('reduce of an empty array with no initial value');
      acc = a[0];
      i = 1;
    }
    for (; i < a.length; i++) acc = callback(ctx, args[0], [acc, a[i], i, a]);
    return acc;
  },
  some: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (let i = 0; i < a.length; i++) {
      const r = truthy(callback(ctx, cb, [a[i], i, a]));
      if (r !== false) return r;
    }
    return false;
  },
  every: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (let i = 0; i < a.length; i++) {
      const r = truthy(callback(ctx, cb, [a[i], i, a]));
      if (r !== true) return r;
    }
    return true;
  },
  find: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (let i = 0; i < a.length; i++) {
      const r = truthy(callback(ctx, cb, [a[i], i, a]));
      if (r instanceof Unknown) return r;
      if (r) return a[i];
    }
    return undefined;
  },
  findIndex: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (let i = 0; i < a.length; i++) {
      const r = truthy(callback(ctx, cb, [a[i], i, a]));
      if (r instanceof Unknown) return r;
      if (r) return i;
    }
    return -1;
  },
  includes: (t, [x]) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (const y of a) {
      const eq = strictEquals(y, x);
      if (eq !== false) return eq;
    }
    return false;
  },
  indexOf: (t, [x]) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    for (let i = 0; i < a.length; i++) {
      const eq = strictEquals(a[i], x);
      if (eq instanceof Unknown) return eq;
      if (eq) return i;
    }
    return -1;
  },
  join: (t, [sep]) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const s = sep === undefined ? ',' : toStr(sep);
    if (s instanceof Unknown) return s;
    const parts: string[] = [];
    for (const x of a) {
      const p = x === undefined || x === null ? '' : toStr(x);
      if (p instanceof Unknown) return p;
      parts.push(p);
    }
    return parts.join(s);
  },
  slice: (t, [start, end], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const s = relIndex(start, a.length, 0);
    if (s instanceof Unknown) return s;
    const e = relIndex(end, a.length, a.length);
    if (e instanceof Unknown) return e;
    ctx.charge(Math.max(0, e - s));
    return a.slice(s, e);
  },
  splice: (t, args) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const s = relIndex(args[0], a.length, 0);
    if (s instanceof Unknown) return s;
    const count = args.length < 2 ? a.length - s : toNumber(args[1]);
    if (count instanceof Unknown) return count;
    return a.splice(s, Math.max(0, count), ...args.slice(2));
  },
  concat: (t, args, ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const out = [...a];
    for (const x of args) {
      if (x instanceof Unknown) return x;
      // sized first, and copied by a loop: a spread of a million arguments overflows the stack
      if (out.length + (Array.isArray(x) ? x.length : 1) > MAX_COLLECTION) return tooLong('array');
      if (Array.isArray(x)) for (const y of x) out.push(y);
      else out.push(x);
    }
    ctx.charge(out.length);
    return out;
  },
  fill: (t, [v, start, end]) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const s = relIndex(start, a.length, 0);
    const e = relIndex(end, a.length, a.length);
    if (s instanceof Unknown) return s;
    if (e instanceof Unknown) return e;
    return a.fill(v, s, e);
  },
  reverse: (t) => (Array.isArray(t) ? t.reverse() : arrayOf(t)),
  flat: (t, [depth], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const d = depth === undefined ? 1 : toNumber(depth);
    if (d instanceof Unknown) return d;
    const out: Value[] = (a as unknown[]).flat(Math.min(d, 20)) as Value[];
    if (out.length > MAX_COLLECTION) return tooLong('array');
    ctx.charge(out.length);
    return out;
  },
  flatMap: (t, [cb], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const out: Value[] = [];
    for (let i = 0; i < a.length; i++) {
      const r = callback(ctx, cb, [a[i], i, a]);
      if (Array.isArray(r)) for (const y of r) out.push(y);
      else out.push(r);
    }
    return out;
  },
  at: (t, [i]) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    const n = toNumber(i);
    if (n instanceof Unknown) return n;
    return a.at(Math.trunc(n));
  },
  keys: (t) => (Array.isArray(t) ? t.map((_, i) => i) : arrayOf(t)),
  values: (t) => (Array.isArray(t) ? [...t] : arrayOf(t)),
  entries: (t) => (Array.isArray(t) ? t.map((x, i) => [i, x]) : arrayOf(t)),
  sort: (t, [cmp], ctx) => {
    const a = arrayOf(t);
    if (a instanceof Unknown) return a;
    if (a.some((x) => x instanceof Unknown)) return new Unknown('sorting unknown values');
    let failed: Unknown | undefined;
    a.sort((x, y) => {
      if (cmp === undefined) return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
      const r = toNumber(ctx.call(cmp, undefined, [x, y]));
      if (r instanceof Unknown) {
        failed ??= r;
        return 0;
      }
      return r;
    });
    return failed ?? a;
  },
  toString: (t: Value) => toStr(t),
};
const ARRAY_FUNCTIONS = new Map<string, HostFunction>(
  Object.entries(ARRAY_METHODS).map(([k, impl]): [string, HostFunction] => [k, fn(`Array.prototype.${k}`, impl)]),
);

export function arrayMember(a: Value[], key: string): Value {
  if (key === 'length') return a.length;
  const i = arrayIndex(key);
  if (i !== undefined) return a[i];
  return ARRAY_FUNCTIONS.get(key);
}

// ───────────────────────────── strings and numbers ─────────────────────────────

function strArgs(args: Value[]): (string | number | boolean | undefined)[] | Unknown {
  const u = firstUnknown(args);
  if (u) return u;
  return args.map((a) =>
    typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' || a === undefined ? a : String(toStr(a)),
  );
}

const STRING_METHODS: Record<string, (s: string, args: (string | number | boolean | undefined)[]) => Value> = {
  toUpperCase: (s) => s.toUpperCase(),
  toLowerCase: (s) => s.toLowerCase(),
  trim: (s) => s.trim(),
  trimStart: (s) => s.trimStart(),
  trimEnd: (s) => s.trimEnd(),
  startsWith: (s, [x]) => s.startsWith(String(x)),
  endsWith: (s, [x]) => s.endsWith(String(x)),
  includes: (s, [x]) => s.includes(String(x)),
  indexOf: (s, [x]) => s.indexOf(String(x)),
  split: (s, [sep]) => (sep === undefined ? [s] : s.split(String(sep))),
  slice: (s, [a, b]) => s.slice(a === undefined ? undefined : Number(a), b === undefined ? undefined : Number(b)),
  substring: (s, [a, b]) => s.substring(Number(a ?? 0), b === undefined ? undefined : Number(b)),
  charAt: (s, [i]) => s.charAt(Number(i ?? 0)),
  replace: (s, [a, b]) => s.replace(String(a), String(b)),
  replaceAll: (s, [a, b]) => s.split(String(a)).join(String(b)),
  padStart: (s, [n, p]) => s.padStart(Math.min(Number(n), MAX_COLLECTION), p === undefined ? ' ' : String(p)),
  padEnd: (s, [n, p]) => s.padEnd(Math.min(Number(n), MAX_COLLECTION), p === undefined ? ' ' : String(p)),
  repeat: (s, [n]) => (s.length * Number(n) > MAX_COLLECTION ? tooLong('string') : s.repeat(Math.max(0, Number(n) || 0))),
  concat: (s, args) => s.concat(...args.map(String)),
  toString: (s: string) => s,
  at: (s, [i]) => s.at(Number(i ?? 0)),
};
const STRING_FUNCTIONS = new Map<string, HostFunction>(
  Object.entries(STRING_METHODS).map(([k, impl]): [string, HostFunction] => [
    k,
    fn(`String.prototype.${k}`, (t, args) => {
      if (typeof t !== 'string') return new Unknown(`${describeValue(t)} is not a string`);
      const a = strArgs(args);
      return a instanceof Unknown ? a : impl(t, a);
    }),
  ]),
);

export function stringMember(s: string, key: string): Value {
  if (key === 'length') return s.length;
  const i = arrayIndex(key);
  if (i !== undefined) return s[i];
  return STRING_FUNCTIONS.get(key);
}

const NUMBER_FUNCTIONS = new Map<string, HostFunction>([
  [
    'toFixed',
    fn('Number.prototype.toFixed', (t, [d]) =>
      typeof t === 'number' ? t.toFixed(Math.min(100, Number(toNumber(d ?? 0)) || 0)) : new Unknown('toFixed of a non-number'),
    ),
  ],
  ['toString', fn('Number.prototype.toString', (t) => (typeof t === 'number' ? String(t) : new Unknown('toString of a non-number')))],
  [
    'toPrecision',
    fn('Number.prototype.toPrecision', (t, [d]) =>
      typeof t === 'number'
        ? d === undefined
          ? String(t)
          : t.toPrecision(Math.max(1, Math.min(100, Number(d))))
        : new Unknown('toPrecision of a non-number'),
    ),
  ],
]);

export function numberMember(key: string): Value {
  return NUMBER_FUNCTIONS.get(key);
}

// ───────────────────────────── globals ─────────────────────────────

function objectKeys(v: Value): string[] | Unknown {
  if (v instanceof JsObject) return v.partial ? v.partial : [...v.props.keys()];
  if (Array.isArray(v)) return v.map((_, i) => String(i));
  if (v instanceof Unknown) return v;
  return new Unknown(`keys of ${describeValue(v)}`);
}

function arrayFrom(args: Value[], ctx: HostContext): Value {
  const [src, mapFn] = args;
  let items: Value[];
  if (src instanceof JsObject && !Array.isArray(src)) {
    const len = toNumber(src.props.get('length'));
    if (len instanceof Unknown) return len;
    if (!Number.isFinite(len) || len < 0) return [];
    if (len > MAX_COLLECTION) return tooLong('array');
    ctx.charge(len);
    items = Array.from({ length: len }, () => undefined);
  } else {
    const it = iterate(src);
    if (it instanceof Unknown) return it;
    items = [...it];
  }
  return mapFn === undefined ? items : items.map((x, i) => ctx.call(mapFn, undefined, [x, i]));
}

function makeArray(args: Value[], ctx: HostContext): Value {
  if (args.length === 1 && typeof args[0] === 'number') {
    const n = args[0];
    if (!Number.isInteger(n) || n < 0) return new Unknown(`invalid array length ${n}`);
    if (n > MAX_COLLECTION) return tooLong('array');
    ctx.charge(n);
    return Array.from({ length: n }, () => undefined);
  }
  if (args.length === 1 && args[0] instanceof Unknown) return args[0];
  return [...args];
}

function jsonStringify(v: Value, depth = 0): string | Unknown {
  if (depth > 50) return new Unknown('JSON nesting too deep');
  if (v instanceof Unknown) return v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const s = x === undefined ? 'null' : jsonStringify(x, depth + 1);
      if (s instanceof Unknown) return s;
      parts.push(s);
    }
    return `[${parts.join(',')}]`;
  }
  if (v instanceof JsObject) {
    if (v.partial) return v.partial;
    const parts: string[] = [];
    for (const [k, x] of v.props) {
      if (x === undefined || x instanceof JsFunction || x instanceof HostFunction) continue;
      const s = jsonStringify(x, depth + 1);
      if (s instanceof Unknown) return s;
      parts.push(`${JSON.stringify(k)}:${s}`);
    }
    return `{${parts.join(',')}}`;
  }
  return new Unknown(`JSON of ${describeValue(v)}`);
}

function fromJson(x: unknown): Value {
  if (x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return x.map(fromJson);
  if (typeof x === 'object') {
    const o = new JsObject();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.props.set(k, fromJson(v));
    return o;
  }
  return undefined;
}

function errorClass(name: string): HostFunction {
  return fn(name, (_t, [message]) => objectOf({ name, message: message === undefined ? '' : message }));
}

const noop = fn('console.log', () => undefined);
const SIDE_EFFECT_FREE_GLOBALS = [
  'console',
  'Math',
  'JSON',
  'Number',
  'String',
  'Object',
  'Array',
  'Boolean',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
];
/** Calls on these globals cannot add layers; skipping them taints nothing. */
export const PURE_GLOBALS = new Set(SIDE_EFFECT_FREE_GLOBALS);

/** The global scope every module sees. */
export function makeGlobals(): Scope {
  const g = new Scope(null, true);
  const set = (k: string, v: Value) => g.vars.set(k, v);
  set('undefined', undefined);
  set('NaN', NaN);
  set('Infinity', Infinity);
  set(
    'Math',
    objectOf({
      PI: Math.PI,
      E: Math.E,
      LN2: Math.LN2,
      LN10: Math.LN10,
      SQRT2: Math.SQRT2,
      max: numeric('Math.max', Math.max),
      min: numeric('Math.min', Math.min),
      floor: numeric('Math.floor', Math.floor),
      ceil: numeric('Math.ceil', Math.ceil),
      round: numeric('Math.round', Math.round),
      trunc: numeric('Math.trunc', Math.trunc),
      sqrt: numeric('Math.sqrt', Math.sqrt),
      pow: numeric('Math.pow', Math.pow),
      abs: numeric('Math.abs', Math.abs),
      sign: numeric('Math.sign', Math.sign),
      log: numeric('Math.log', Math.log),
      log2: numeric('Math.log2', Math.log2),
      log10: numeric('Math.log10', Math.log10),
      exp: numeric('Math.exp', Math.exp),
      sin: numeric('Math.sin', Math.sin),
      cos: numeric('Math.cos', Math.cos),
      tanh: numeric('Math.tanh', Math.tanh),
      random: fn('Math.random', () => new Unknown('Math.random() is not known before the program runs')),
    }),
  );
  const numberFn = fn('Number', (_t, [v]) => (v === undefined ? 0 : toNumber(v)));
  set('Number', numberFn);
  const numberStatics = new Map<string, Value>([
    ['isInteger', fn('Number.isInteger', (_t, [v]) => (v instanceof Unknown ? v : Number.isInteger(v)))],
    ['isFinite', fn('Number.isFinite', (_t, [v]) => (v instanceof Unknown ? v : Number.isFinite(v)))],
    ['isNaN', fn('Number.isNaN', (_t, [v]) => (v instanceof Unknown ? v : Number.isNaN(v)))],
    ['parseInt', numeric('Number.parseInt', (x, r) => parseInt(String(x), r))],
    ['parseFloat', numeric('Number.parseFloat', (x) => parseFloat(String(x)))],
    ['MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ['EPSILON', Number.EPSILON],
    ['POSITIVE_INFINITY', Infinity],
  ]);
  HOST_STATICS.set(numberFn, numberStatics);
  set(
    'String',
    fn('String', (_t, [v]) => toStr(v ?? '')),
  );
  set(
    'Boolean',
    fn('Boolean', (_t, [v]) => truthy(v)),
  );
  set(
    'parseInt',
    fn('parseInt', (_t, [s, r]) => {
      const str = toStr(s);
      if (str instanceof Unknown) return str;
      const radix = r === undefined ? undefined : toNumber(r);
      return radix instanceof Unknown ? radix : parseInt(str, radix);
    }),
  );
  set(
    'parseFloat',
    fn('parseFloat', (_t, [s]) => {
      const str = toStr(s);
      return str instanceof Unknown ? str : parseFloat(str);
    }),
  );
  set(
    'isNaN',
    numeric('isNaN', (x) => (Number.isNaN(x) ? 1 : 0)),
  );
  set(
    'isFinite',
    fn('isFinite', (_t, [x]) => (x instanceof Unknown ? x : Number.isFinite(toNumber(x)))),
  );
  const arrayFn = fn('Array', (_t, args, ctx) => makeArray(args, ctx));
  set('Array', arrayFn);
  HOST_STATICS.set(
    arrayFn,
    new Map<string, Value>([
      ['isArray', fn('Array.isArray', (_t, [v]) => (v instanceof Unknown ? v : Array.isArray(v)))],
      ['from', fn('Array.from', (_t, args, ctx) => arrayFrom(args, ctx))],
      ['of', fn('Array.of', (_t, args) => [...args])],
    ]),
  );
  const objectFn = fn('Object', (_t, [v]) => (v === undefined || v === null ? new JsObject() : v));
  set('Object', objectFn);
  HOST_STATICS.set(
    objectFn,
    new Map<string, Value>([
      ['keys', fn('Object.keys', (_t, [v]) => objectKeys(v))],
      [
        'values',
        fn('Object.values', (_t, [v]) => {
          if (v instanceof JsObject) return v.partial ?? [...v.props.values()];
          if (Array.isArray(v)) return [...v];
          return v instanceof Unknown ? v : new Unknown(`values of ${describeValue(v)}`);
        }),
      ],
      [
        'entries',
        fn('Object.entries', (_t, [v]) => {
          if (v instanceof JsObject) return v.partial ?? [...v.props].map(([k, x]) => [k, x]);
          if (Array.isArray(v)) return v.map((x, i) => [String(i), x]);
          return v instanceof Unknown ? v : new Unknown(`entries of ${describeValue(v)}`);
        }),
      ],
      [
        'fromEntries',
        fn('Object.fromEntries', (_t, [v]) => {
          const items = iterate(v);
          if (items instanceof Unknown) return items;
          const o = new JsObject();
          for (const e of items) {
            if (!Array.isArray(e)) return new Unknown('Object.fromEntries of non-pairs');
            const k = toKey(e[0]);
            if (k instanceof Unknown) return k;
            o.props.set(k, e[1]);
          }
          return o;
        }),
      ],
      [
        'assign',
        fn('Object.assign', (_t, [target, ...sources]) => {
          if (!(target instanceof JsObject))
            return target instanceof Unknown ? target : new Unknown(`Object.assign onto ${describeValue(target)}`);
          for (const s of sources) {
            if (s instanceof Unknown) {
              target.props.clear();
              target.partial = s;
            } else if (s instanceof JsObject) {
              if (s.partial) {
                target.props.clear();
                target.partial = s.partial;
              }
              for (const [k, x] of s.props) target.props.set(k, x);
            }
          }
          return target;
        }),
      ],
      ['freeze', fn('Object.freeze', (_t, [v]) => v)],
      ['seal', fn('Object.seal', (_t, [v]) => v)],
    ]),
  );
  set(
    'JSON',
    objectOf({
      stringify: fn('JSON.stringify', (_t, [v]) => jsonStringify(v)),
      parse: fn('JSON.parse', (_t, [s]) => {
        if (typeof s !== 'string') return s instanceof Unknown ? s : new Unknown('JSON.parse of a non-string');
        try {
          return fromJson(JSON.parse(s));
        } catch {
          return new Unknown('JSON.parse of invalid JSON');
        }
      }),
    }),
  );
  set(
    'console',
    objectOf({
      log: noop,
      info: noop,
      warn: noop,
      error: noop,
      debug: noop,
      table: noop,
      time: noop,
      timeEnd: noop,
      group: noop,
      groupEnd: noop,
    }),
  );
  for (const name of ['Error', 'TypeError', 'RangeError', 'ValueError']) set(name, errorClass(name));
  set(
    'Map',
    fn('Map', (_t, [init]) => {
      const m = new JsMap();
      if (init !== undefined) {
        const items = iterate(init);
        if (items instanceof Unknown) return items;
        for (const e of items) if (Array.isArray(e)) m.map.set(e[0], e[1]);
      }
      return m;
    }),
  );
  set(
    'Set',
    fn('Set', (_t, [init]) => {
      const s = new JsSet();
      if (init !== undefined) {
        const items = iterate(init);
        if (items instanceof Unknown) return items;
        for (const x of items) s.items.add(x);
      }
      return s;
    }),
  );
  const promiseFn = fn('Promise', () => new Unknown('a Promise is not evaluated'));
  set('Promise', promiseFn);
  HOST_STATICS.set(
    promiseFn,
    new Map<string, Value>([
      ['resolve', fn('Promise.resolve', (_t, [v]) => v)],
      ['all', fn('Promise.all', (_t, [v]) => v)],
    ]),
  );
  for (const name of [
    'process',
    'window',
    'document',
    'navigator',
    'fetch',
    'setTimeout',
    'setInterval',
    'performance',
    'Date',
    'globalThis',
    'Buffer',
    'localStorage',
  ])
    set(name, new Unknown(`${name} belongs to the running program, not to the model's definition`));
  set('Symbol', new Unknown('Symbol is not evaluated'));
  set('RegExp', new Unknown('regular expressions are not evaluated'));
  return g;
}

/** Static members of host functions (Array.isArray, Object.keys, Number.isInteger). */
export const HOST_STATICS = new Map<HostFunction, Map<string, Value>>();

export function hostFunctionMember(f: HostFunction, key: string): Value {
  if (key === 'name') return f.name;
  return HOST_STATICS.get(f)?.get(key);
}
