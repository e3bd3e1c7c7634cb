// More of the standard library that library code calls while importing and building models:
// itertools, operator and math beyond the basics, os.path on plain strings, sys.version_info.
import type { Interpreter } from './interpreter';
import { args, builtin, intArg, moduleOf } from './native';
import { numericValue } from './operators';
import { PyFloat, PyIterator, PyModule, PyTuple, Unknown, type CallArgs, type Value } from './values';

/** Adds entries to a module built elsewhere and returns it. */
export function withEntries(m: PyModule, entries: Record<string, Value>): PyModule {
  for (const [k, v] of Object.entries(entries)) m.attrs.set(k, v);
  return m;
}

export function moreItertools(it: Interpreter): Record<string, Value> {
  const items = (a: CallArgs, i: number): Value[] | Unknown => it.iterate(a.positional[i] ?? null);
  const test = (fn: Value, x: Value) => it.truthy(it.call(fn, args(x)));
  return {
    accumulate: builtin('accumulate', (a) => {
      const xs = items(a, 0);
      if (xs instanceof Unknown) return xs;
      const fn = a.positional[1] ?? a.keywords.get('func') ?? null;
      const out: Value[] = [];
      const initial = a.keywords.get('initial');
      let acc: Value | undefined = initial === null ? undefined : initial;
      if (acc !== undefined) out.push(acc);
      for (const x of xs) {
        acc = acc === undefined ? x : fn === null ? it.binary('+', acc, x, false) : it.call(fn, args(acc, x));
        out.push(acc);
      }
      return new PyIterator(out);
    }),
    takewhile: builtin('takewhile', (a) => {
      const xs = items(a, 1);
      if (xs instanceof Unknown) return xs;
      const out: Value[] = [];
      for (const x of xs) {
        const t = test(a.positional[0] ?? null, x);
        if (t instanceof Unknown) return t;
        if (!t) break;
        out.push(x);
      }
      return new PyIterator(out);
    }),
    dropwhile: builtin('dropwhile', (a) => {
      const xs = items(a, 1);
      if (xs instanceof Unknown) return xs;
      let i = 0;
      for (; i < xs.length; i++) {
        const t = test(a.positional[0] ?? null, xs[i]);
        if (t instanceof Unknown) return t;
        if (!t) break;
      }
      return new PyIterator(xs.slice(i));
    }),
    filterfalse: builtin('filterfalse', (a) => {
      const xs = items(a, 1);
      if (xs instanceof Unknown) return xs;
      const out: Value[] = [];
      for (const x of xs) {
        const t = a.positional[0] === null ? it.truthy(x) : test(a.positional[0] ?? null, x);
        if (t instanceof Unknown) return t;
        if (!t) out.push(x);
      }
      return new PyIterator(out);
    }),
    starmap: builtin('starmap', (a) => {
      const xs = items(a, 1);
      if (xs instanceof Unknown) return xs;
      const out: Value[] = [];
      for (const x of xs) {
        const argv = it.iterate(x);
        if (argv instanceof Unknown) return argv;
        out.push(it.call(a.positional[0] ?? null, { positional: argv, keywords: new Map() }));
      }
      return new PyIterator(out);
    }),
    groupby: builtin('groupby', (a) => {
      const xs = items(a, 0);
      if (xs instanceof Unknown) return xs;
      const keyFn = a.positional[1] ?? a.keywords.get('key') ?? null;
      const out: Value[] = [];
      let current: { key: Value; group: Value[] } | undefined;
      for (const x of xs) {
        const k = keyFn === null ? x : it.call(keyFn, args(x));
        const same = current ? it.truthy(it.compare('==', current.key, k)) : false;
        if (same instanceof Unknown) return same;
        if (current && same) current.group.push(x);
        else {
          if (current) out.push(new PyTuple([current.key, new PyIterator(current.group)]));
          current = { key: k, group: [x] };
        }
      }
      if (current) out.push(new PyTuple([current.key, new PyIterator(current.group)]));
      return new PyIterator(out);
    }),
    compress: builtin('compress', (a) => {
      const xs = items(a, 0);
      const sel = items(a, 1);
      if (xs instanceof Unknown) return xs;
      if (sel instanceof Unknown) return sel;
      const out: Value[] = [];
      for (let i = 0; i < Math.min(xs.length, sel.length); i++) {
        const t = it.truthy(sel[i]);
        if (t instanceof Unknown) return t;
        if (t) out.push(xs[i]);
      }
      return new PyIterator(out);
    }),
  };
}

export function moreOperator(it: Interpreter): Record<string, Value> {
  const bin = (op: string) => builtin(`operator.${op}`, (a) => it.binary(op, a.positional[0] ?? null, a.positional[1] ?? null, false));
  const cmp = (op: string) => builtin(`operator.${op}`, (a) => it.compare(op, a.positional[0] ?? null, a.positional[1] ?? null));
  const un = (op: string) => builtin(`operator.${op}`, (a) => it.unary(op, a.positional[0] ?? null));
  const getter = (keys: Value[], get: (obj: Value, k: Value) => Value) =>
    builtin('getter', (b) => {
      const obj = b.positional[0] ?? null;
      return keys.length === 1 ? get(obj, keys[0]) : new PyTuple(keys.map((k) => get(obj, k)));
    });
  const attrPath = (obj: Value, k: Value): Value =>
    typeof k === 'string' ? k.split('.').reduce((o, part) => it.getAttr(o, part), obj) : it.unknown('attrgetter of a non-str');
  return {
    pow: bin('**'),
    and_: bin('&'),
    or_: bin('|'),
    xor: bin('^'),
    lshift: bin('<<'),
    rshift: bin('>>'),
    eq: cmp('=='),
    ne: cmp('!='),
    lt: cmp('<'),
    le: cmp('<='),
    gt: cmp('>'),
    ge: cmp('>='),
    neg: un('-'),
    pos: un('+'),
    not_: un('not'),
    invert: un('~'),
    truth: builtin('operator.truth', (a) => it.truthy(a.positional[0] ?? null)),
    getitem: builtin('operator.getitem', (a) => it.getItem(a.positional[0] ?? null, a.positional[1] ?? null)),
    contains: builtin('operator.contains', (a) => it.contains(a.positional[0] ?? null, a.positional[1] ?? null)),
    itemgetter: builtin('itemgetter', (a) => getter(a.positional, (o, k) => it.getItem(o, k))),
    attrgetter: builtin('attrgetter', (a) => getter(a.positional, attrPath)),
    methodcaller: builtin('methodcaller', (a) =>
      builtin('methodcaller.inner', (b) =>
        typeof a.positional[0] === 'string'
          ? it.call(it.getAttr(b.positional[0] ?? null, a.positional[0]), { positional: a.positional.slice(1), keywords: a.keywords })
          : it.unknown('methodcaller of a non-str'),
      ),
    ),
  };
}

export function moreMath(it: Interpreter): Record<string, Value> {
  const num = (v: Value | undefined) => (v === undefined ? null : numericValue(v));
  const f1 = (name: string, fn: (x: number) => number) =>
    builtin(`math.${name}`, (a) => {
      const x = num(a.positional[0]);
      return x === null ? it.unknown(`math.${name} of a value that is not known`) : new PyFloat(fn(x));
    });
  const f2 = (name: string, fn: (x: number, y: number) => number) =>
    builtin(`math.${name}`, (a) => {
      const x = num(a.positional[0]);
      const y = num(a.positional[1]);
      return x === null || y === null ? it.unknown(`math.${name} of values that are not known`) : new PyFloat(fn(x, y));
    });
  const ints = (name: string, fn: (...xs: number[]) => Value) =>
    builtin(`math.${name}`, (a) => {
      const xs = a.positional.map((v) => intArg(v));
      if (xs.some((x) => x === null)) return it.unknown(`math.${name} of values that are not known ints`);
      return fn(...(xs as number[]));
    });
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const comb = (n: number, k: number) => {
    if (k < 0 || k > n) return 0;
    let r = 1;
    for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
    return Math.round(r);
  };
  return {
    isqrt: ints('isqrt', (n) => (n < 0 ? it.raise('ValueError', 'isqrt() argument must be nonnegative') : Math.floor(Math.sqrt(n)))),
    factorial: ints('factorial', (n) => factorial(n)),
    comb: ints('comb', comb),
    perm: ints('perm', (n, k = n) => (k > n ? 0 : Math.round(factorial(n) / factorial(n - k)))),
    lcm: ints('lcm', (...xs) => xs.reduce((l, x) => (l === 0 || x === 0 ? 0 : Math.abs(l * x) / gcd(l, x)), 1)),
    radians: f1('radians', (x) => (x * Math.PI) / 180),
    degrees: f1('degrees', (x) => (x * 180) / Math.PI),
    asin: f1('asin', Math.asin),
    acos: f1('acos', Math.acos),
    sinh: f1('sinh', Math.sinh),
    cosh: f1('cosh', Math.cosh),
    expm1: f1('expm1', Math.expm1),
    log1p: f1('log1p', Math.log1p),
    atan2: f2('atan2', Math.atan2),
    hypot: f2('hypot', Math.hypot),
    copysign: f2('copysign', (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))),
    fmod: f2('fmod', (x, y) => x % y),
    isinf: builtin('isinf', (a) => {
      const x = num(a.positional[0]);
      return x === null ? it.unknown('math.isinf of a value that is not known') : x === Infinity || x === -Infinity;
    }),
  };
}

function gcd(x: number, y: number): number {
  x = Math.abs(x);
  y = Math.abs(y);
  while (y) [x, y] = [y, x % y];
  return x;
}

function posixNormpath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !p.startsWith('/')) out.push(part);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/') || '.';
}

/** os.path on POSIX paths given as strings; what needs the file system is Unknown. */
export function osPathModule(it: Interpreter): PyModule {
  const str1 = (name: string, fn: (p: string) => Value) =>
    builtin(`os.path.${name}`, (a) => {
      const p = a.positional[0];
      return typeof p === 'string' ? fn(p) : p instanceof Unknown ? p : it.unknown(`os.path.${name} of a path that is not known`);
    });
  const fileSystem = (name: string) => builtin(`os.path.${name}`, () => it.unknown(`os.path.${name}: the file system is not read`));
  const split = (p: string): [string, string] => {
    const i = p.lastIndexOf('/') + 1;
    const head = p.slice(0, i);
    return [/^\/+$/.test(head) ? head : head.replace(/\/+$/, ''), p.slice(i)];
  };
  return moduleOf('os.path', {
    join: builtin('os.path.join', (a) => {
      const parts = a.positional;
      const unknown = parts.find((x) => typeof x !== 'string');
      if (unknown !== undefined) return unknown instanceof Unknown ? unknown : it.unknown('os.path.join of a path that is not known');
      let out = '';
      for (const p of parts as string[]) out = p.startsWith('/') ? p : out === '' || out.endsWith('/') ? out + p : `${out}/${p}`;
      return out;
    }),
    basename: str1('basename', (p) => split(p)[1]),
    dirname: str1('dirname', (p) => split(p)[0]),
    split: str1('split', (p) => new PyTuple(split(p))),
    splitext: str1('splitext', (p) => {
      const base = split(p)[1];
      const dot = base.lastIndexOf('.');
      if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return new PyTuple([p, '']);
      const cut = p.length - (base.length - dot);
      return new PyTuple([p.slice(0, cut), p.slice(cut)]);
    }),
    isabs: str1('isabs', (p) => p.startsWith('/')),
    normpath: str1('normpath', posixNormpath),
    exists: fileSystem('exists'),
    isfile: fileSystem('isfile'),
    isdir: fileSystem('isdir'),
    // an absolute path needs no working folder (`os.path.abspath(__file__)`)
    abspath: builtin('os.path.abspath', (a) => {
      const p = a.positional[0];
      if (typeof p === 'string' && p.startsWith('/')) return posixNormpath(p);
      return p instanceof Unknown ? p : it.unknown('os.path.abspath: the working folder is not known');
    }),
    realpath: fileSystem('realpath'),
    expanduser: fileSystem('expanduser'),
    getsize: fileSystem('getsize'),
    sep: '/',
  });
}

/** sys.version_info as a named tuple of the Python the corpus targets. */
export function versionInfo(): PyTuple {
  const t = new PyTuple([3, 11, 0, 'final', 0]);
  t.fields = ['major', 'minor', 'micro', 'releaselevel', 'serial'];
  t.typeName = 'version_info';
  return t;
}

/**
 * random: draws are made at run time, so their values are unknown, except where only one value can
 * come out (random.randrange(1), randint(3, 3), choice([x])): Demucs' transformer shifts its
 * positions by random.randrange(sin_random_shift + 1), which is 0 at the default shift of 0.
 */
export function randomModule(it: Interpreter): PyModule {
  const drawn = (what: string) => it.unknown(`random.${what}: the value is drawn at run time`);
  return moduleOf('random', {
    randrange: builtin('randrange', (a) => {
      const [x, y, s] = [0, 1, 2].map((i) => intArg(a.positional[i]));
      const [start, stop, step] = a.positional.length === 1 ? [0, x, 1] : [x, y, a.positional.length > 2 ? s : 1];
      if (start === null || stop === null || step === null || step === 0) return drawn('randrange');
      const count = Math.max(0, Math.ceil((stop - start) / step));
      if (count === 0) return it.raise('ValueError', `empty range in randrange(${start}, ${stop}, ${step})`);
      return count === 1 ? start : drawn('randrange');
    }),
    randint: builtin('randint', (a) => {
      const [lo, hi] = [intArg(a.positional[0]), intArg(a.positional[1])];
      return lo !== null && lo === hi ? lo : drawn('randint');
    }),
    choice: builtin('choice', (a) => {
      const xs = it.iterate(a.positional[0] ?? null);
      return !(xs instanceof Unknown) && xs.length === 1 ? xs[0] : drawn('choice');
    }),
    random: builtin('random', () => drawn('random')),
    uniform: builtin('uniform', () => drawn('uniform')),
    gauss: builtin('gauss', () => drawn('gauss')),
    seed: builtin('seed', () => null),
  });
}
