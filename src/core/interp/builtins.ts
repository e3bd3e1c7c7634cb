// Python's builtins: functions, types, exceptions, and the methods of str/list/dict/set/tuple.
import type { BuiltinClasses, Interpreter } from './interpreter';
import { args, builtin, intArg, nativeClass, NO_ARGS } from './native';
import { asSymNum, numericValue, scalarEquals, scalarOrder } from './operators';
import { pyFixed } from './floatText';
import { Scope } from './scope';
import { dictSubclassMethods } from './dictSubclass';
import { InstanceDict } from './instanceDict';
import { openBuiltin } from './fileObjects';
import { fitsOneValue, notMaterialised } from './memoryBudget';
import { PyRaise } from './signals';
import {
  ForeignValue,
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyClassMethod,
  PyDict,
  PyEllipsis,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PyModule,
  PyPartial,
  PyProperty,
  PyRange,
  PySet,
  PySlice,
  PyStaticMethod,
  PySuper,
  PyTuple,
  SymInt,
  Unknown,
  typeName,
  enumMixinValue,
  type CallArgs,
  type Value,
  classesChanged,
} from './values';

const EXCEPTION_TREE: [string, string][] = [
  ['Exception', 'BaseException'],
  ['KeyboardInterrupt', 'BaseException'],
  ['SystemExit', 'BaseException'],
  ['ArithmeticError', 'Exception'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['AssertionError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['KeyError', 'LookupError'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['RuntimeError', 'Exception'],
  ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'],
  ['StopIteration', 'Exception'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['OSError', 'Exception'],
  ['FileNotFoundError', 'OSError'],
  ['FileExistsError', 'OSError'],
  ['PermissionError', 'OSError'],
  ['IsADirectoryError', 'OSError'],
  ['NotADirectoryError', 'OSError'],
  ['TimeoutError', 'OSError'],
  ['ConnectionError', 'OSError'],
  ['BrokenPipeError', 'ConnectionError'],
  ['ConnectionResetError', 'ConnectionError'],
  ['ConnectionRefusedError', 'ConnectionError'],
  ['ConnectionAbortedError', 'ConnectionError'],
  ['EOFError', 'Exception'],
  ['MemoryError', 'Exception'],
  ['BufferError', 'Exception'],
  ['SystemError', 'Exception'],
  ['ReferenceError', 'Exception'],
  ['StopAsyncIteration', 'Exception'],
  ['GeneratorExit', 'BaseException'],
  ['UnicodeError', 'ValueError'],
  ['UnicodeDecodeError', 'UnicodeError'],
  ['UnicodeEncodeError', 'UnicodeError'],
  ['Warning', 'Exception'],
  ['UserWarning', 'Warning'],
  ['DeprecationWarning', 'Warning'],
  ['FutureWarning', 'Warning'],
  ['RuntimeWarning', 'Warning'],
  ['PendingDeprecationWarning', 'Warning'],
  ['ImportWarning', 'Warning'],
  ['SyntaxWarning', 'Warning'],
  ['ResourceWarning', 'Warning'],
];

export function installBuiltins(it: Interpreter): void {
  const scope = new Scope('builtins', null);
  const object = nativeClass('object', [], {
    methods: {
      __init__: () => null,
      __getattribute__: (a) => {
        if (typeof a.positional[1] !== 'string') return it.unknown('getattr');
        const v = it.genericLookupAttr(a.positional[0] ?? null, a.positional[1]);
        // None (null) is a value, not a miss
        return v !== undefined ? v : it.raise('AttributeError', a.positional[1]);
      },
      __setattr__: (a) => {
        if (typeof a.positional[1] === 'string') it.setAttr(a.positional[0] ?? null, a.positional[1], a.positional[2] ?? null, true);
        return null;
      },
      __delattr__: (a) => {
        const [obj, name] = a.positional;
        if (!(obj instanceof PyInstance) || typeof name !== 'string') return it.unknown('object.__delattr__ of a computed name');
        it.deleteAttr(obj, name);
        return null;
      },
      __new__: (a) => (a.positional[0] instanceof PyClass ? new PyInstance(a.positional[0]) : it.unknown('object.__new__')),
      __eq__: (a) => a.positional[0] === a.positional[1],
      __hash__: () => it.unknown('hash'),
      __repr__: (a) => it.repr(a.positional[0] ?? null),
      __str__: (a) => it.str(a.positional[0] ?? null),
    },
  });
  // type(None): what `isinstance(x, (A, type(None)))` checks against
  const noneType = nativeClass('NoneType', [object], {
    methods: { __construct__: () => null, __instancecheck__: (a) => a.positional[1] === null },
  });
  const typeCls = nativeClass('type', [object], {
    methods: {
      __construct__: (a) =>
        a.positional.length === 4
          ? it.createClass(a.positional[1], a.positional[2], a.positional[3])
          : a.positional[1] === null
            ? noneType
            : typeOf(it, a.positional[1] ?? null),
    },
  });
  const types: Record<string, PyClass> = {};
  const makeType = (name: string, construct: (a: CallArgs) => Value) => {
    const c = nativeClass(name, [object], {
      methods: { __construct__: (a) => construct({ positional: a.positional.slice(1), keywords: a.keywords }) },
    });
    types[name] = c;
    return c;
  };
  const BaseException = nativeClass('BaseException', [object]);
  const exceptions: Record<string, PyClass> = { BaseException };
  for (const [name, base] of EXCEPTION_TREE) exceptions[name] = nativeClass(name, [exceptions[base]]);

  const classes: BuiltinClasses = {
    object,
    type: typeCls,
    int: makeType('int', (a) => toInt(it, a.positional[0] ?? 0)),
    float: makeType('float', (a) => toFloat(it, a.positional[0] ?? 0)),
    str: makeType('str', (a) =>
      a.positional.length ? (a.positional[0] instanceof Unknown ? a.positional[0] : it.str(a.positional[0])) : '',
    ),
    bool: makeType('bool', (a) => {
      const t = it.truthy(a.positional[0] ?? false);
      return t;
    }),
    list: makeType('list', (a) => {
      if (!a.positional.length) return new PyList([]);
      const items = it.iterate(a.positional[0]);
      return items instanceof Unknown ? items : new PyList(items);
    }),
    tuple: makeType('tuple', (a) => {
      if (!a.positional.length) return new PyTuple([]);
      const items = it.iterate(a.positional[0]);
      return items instanceof Unknown ? items : new PyTuple(items);
    }),
    dict: makeType('dict', (a) => makeDict(it, a)),
    set: makeType('set', (a) => {
      const s = new PySet();
      if (a.positional.length) {
        const items = it.iterate(a.positional[0]);
        if (items instanceof Unknown) return items;
        for (const x of items) s.add(x);
      }
      return s;
    }),
    // type(None): not a builtin name, but a class that isinstance, `in` and calls see
    NoneType: nativeClass('NoneType', [object], {
      methods: { __construct__: () => null, __instancecheck__: (a) => a.positional[1] === null },
    }),
    BaseException,
    exceptions,
  };
  // subclasses of dict keep their class; their items live in a dict payload
  Object.assign(
    classes.dict.native!.methods!,
    dictSubclassMethods(it, (a) => makeDict(it, a)),
  );
  types.frozenset = types.set;
  // byte strings are not modelled: the type exists (annotations, isinstance), its values are Unknown
  makeType('bytes', () => it.unknown('bytes values are not modelled'));
  makeType('bytearray', () => it.unknown('bytearray values are not modelled'));
  types.dict.native!.methods!.fromkeys = (a) => {
    const keys = it.iterate(a.positional[0] ?? null);
    if (keys instanceof Unknown) return keys;
    return PyDict.of(keys.map((k) => [k, a.positional[1] ?? null]));
  };
  classesChanged();
  it.classes = classes;
  it.builtins = scope;
  const set = (name: string, v: Value) => scope.vars.set(name, v);
  for (const [k, v] of Object.entries(types)) set(k, v);
  set('object', object);
  set('type', typeCls);
  for (const [k, v] of Object.entries(exceptions)) set(k, v);
  // aliases of OSError since Python 3.3
  set('EnvironmentError', exceptions.OSError);
  set('IOError', exceptions.OSError);
  set('NotImplemented', new PyInstance(object));
  set('Ellipsis', PyEllipsis.instance);
  set('__name__', 'builtins');
  set('__debug__', true);

  set(
    'print',
    builtin('print', () => null),
  );
  set(
    'len',
    builtin('len', (a) => length(it, a.positional[0] ?? null)),
  );
  set(
    'range',
    builtin('range', (a) => makeRange(it, a.positional)),
  );
  set(
    'isinstance',
    builtin('isinstance', (a) => isInstance(it, a.positional[0] ?? null, a.positional[1] ?? null)),
  );
  set(
    'issubclass',
    builtin('issubclass', (a) => isSubclass(a.positional[0] ?? null, a.positional[1] ?? null)),
  );
  set(
    'getattr',
    builtin('getattr', (a) => {
      const [obj, name, dflt] = a.positional;
      if (typeof name !== 'string') return it.unknown('getattr with a computed name');
      if (dflt === undefined) return it.getAttr(obj ?? null, name);
      try {
        const v = it.lookupAttr(obj ?? null, name);
        return v === undefined ? dflt : v;
      } catch (e) {
        if (e instanceof PyRaise && e.exc.cls.isSubclassOf(exceptions.AttributeError)) return dflt;
        throw e;
      }
    }),
  );
  set(
    'setattr',
    builtin('setattr', (a) => {
      const [obj, name, v] = a.positional;
      if (typeof name === 'string') it.setAttr(obj ?? null, name, v ?? null);
      else it.note('setattr with a computed name ignored');
      return null;
    }),
  );
  set(
    'hasattr',
    builtin('hasattr', (a) => {
      const [obj, name] = a.positional;
      if (typeof name !== 'string') return it.unknown('hasattr with a computed name');
      if (obj instanceof Unknown) return obj;
      try {
        const v = it.lookupAttr(obj ?? null, name);
        return v !== undefined;
      } catch (e) {
        if (e instanceof PyRaise) return false;
        throw e;
      }
    }),
  );
  set(
    'delattr',
    builtin('delattr', (a) => {
      const [obj, name] = a.positional;
      if (typeof name !== 'string') return it.unknown('delattr with a computed name');
      if (obj instanceof PyInstance) it.deleteAttr(obj, name);
      else if (obj instanceof PyClass) it.deleteClassAttr(obj, name);
      return null;
    }),
  );
  set(
    'callable',
    builtin('callable', (a) => isCallable(a.positional[0] ?? null)),
  );
  set(
    'min',
    builtin('min', (a) => extremum(it, a, '<')),
  );
  set(
    'max',
    builtin('max', (a) => extremum(it, a, '>')),
  );
  set(
    'sum',
    builtin('sum', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      let acc: Value = a.positional[1] ?? a.keywords.get('start') ?? 0;
      for (const x of items) acc = it.binary('+', acc, x, false);
      return acc;
    }),
  );
  set(
    'abs',
    builtin('abs', (a) => {
      const v = a.positional[0] ?? null;
      const n = numericValue(v);
      if (n === null) return v instanceof Unknown || v instanceof SymInt ? v : it.unknown(`abs of ${typeName(v)}`);
      return v instanceof PyFloat ? new PyFloat(Math.abs(n)) : Math.abs(n);
    }),
  );
  set(
    'round',
    builtin('round', (a) => pyRound(it, a.positional[0] ?? null, a.positional[1] ?? a.keywords.get('ndigits') ?? null)),
  );
  set(
    'divmod',
    builtin(
      'divmod',
      (a) =>
        new PyTuple([it.binary('//', a.positional[0], a.positional[1], false), it.binary('%', a.positional[0], a.positional[1], false)]),
    ),
  );
  set(
    'pow',
    builtin('pow', (a) => {
      const [base, exp, mod] = a.positional;
      if (mod === undefined || mod === null) return it.binary('**', base, exp, false);
      if (typeof base !== 'number' || typeof exp !== 'number' || typeof mod !== 'number')
        return it.unknown('pow() with a modulus of non-int values');
      if (exp < 0 || mod === 0) return it.unknown('pow() with a negative exponent or zero modulus');
      let r = 1n;
      let b = ((BigInt(base) % BigInt(mod)) + BigInt(mod)) % BigInt(mod);
      for (let e = BigInt(exp); e > 0n; e >>= 1n, b = (b * b) % BigInt(mod)) if (e & 1n) r = (r * b) % BigInt(mod);
      return Number(r);
    }),
  );
  for (const [name, radix, prefix] of [
    ['hex', 16, '0x'],
    ['oct', 8, '0o'],
    ['bin', 2, '0b'],
  ] as const)
    set(
      name,
      builtin(name, (a) => {
        const n = a.positional[0];
        const v = typeof n === 'boolean' ? Number(n) : n;
        if (typeof v !== 'number') return v instanceof Unknown ? v : it.unknown(`${name}() of ${typeName(v ?? null)}`);
        return `${v < 0 ? '-' : ''}${prefix}${Math.abs(v).toString(radix)}`;
      }),
    );
  set(
    'zip',
    builtin('zip', (a) => {
      const lists: Value[][] = [];
      for (const p of a.positional) {
        const items = it.iterate(p);
        if (items instanceof Unknown) return items;
        lists.push(items);
      }
      const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(new PyTuple(lists.map((l) => l[i])));
      return new PyIterator(out);
    }),
  );
  set(
    'enumerate',
    builtin('enumerate', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      const start = intArg(a.positional[1] ?? a.keywords.get('start')) ?? 0;
      return new PyIterator(items.map((x, i) => new PyTuple([i + start, x])));
    }),
  );
  set(
    'reversed',
    builtin('reversed', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      return items instanceof Unknown ? items : new PyIterator([...items].reverse());
    }),
  );
  set(
    'sorted',
    builtin('sorted', (a) => sortValues(it, a.positional[0] ?? null, a.keywords)),
  );
  set(
    'any',
    builtin('any', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      let unknown: Unknown | undefined;
      for (const x of items) {
        const t = it.truthy(x);
        if (t === true) return true;
        if (t instanceof Unknown) unknown = t;
      }
      return unknown ?? false;
    }),
  );
  set(
    'all',
    builtin('all', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      let unknown: Unknown | undefined;
      for (const x of items) {
        const t = it.truthy(x);
        if (t === false) return false;
        if (t instanceof Unknown) unknown = t;
      }
      return unknown ?? true;
    }),
  );
  set(
    'map',
    builtin('map', (a) => {
      const [fn, ...iterables] = a.positional;
      const lists: Value[][] = [];
      for (const p of iterables) {
        const items = it.iterate(p);
        if (items instanceof Unknown) return items;
        lists.push(items);
      }
      const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
      const out: Value[] = [];
      for (let i = 0; i < n; i++) out.push(it.call(fn ?? null, args(...lists.map((l) => l[i]))));
      return new PyIterator(out);
    }),
  );
  set(
    'filter',
    builtin('filter', (a) => {
      const [fn, src] = a.positional;
      const items = it.iterate(src ?? null);
      if (items instanceof Unknown) return items;
      return new PyIterator(items.filter((x) => it.truthy(fn === null ? x : it.call(fn ?? null, args(x))) === true));
    }),
  );
  set(
    'iter',
    builtin('iter', (a) => {
      const v = a.positional[0] ?? null;
      if (v instanceof PyIterator) return v;
      const items = it.iterate(v);
      return items instanceof Unknown ? items : new PyIterator(items);
    }),
  );
  set(
    'next',
    builtin('next', (a) => {
      const v = a.positional[0] ?? null;
      if (v instanceof Unknown) return v;
      if (!(v instanceof PyIterator)) {
        const m = v instanceof PyInstance ? v.cls.lookup('__next__') : undefined;
        if (m) return it.call(it.bindIfFunction(m, v), NO_ARGS);
        it.raise('TypeError', `'${typeName(v)}' object is not an iterator`);
      }
      if (v.index < v.items.length) return v.items[v.index++];
      if (a.positional.length > 1) return a.positional[1];
      it.raise('StopIteration', '');
    }),
  );
  set(
    'super',
    builtin('super', (a) => {
      if (a.positional.length >= 2) {
        const [cls, self] = a.positional;
        if (cls instanceof PyClass) return new PySuper(cls, self ?? null);
        return it.unknown('super() of an unknown class');
      }
      const frame = it.frame;
      if (!frame?.definingClass) it.raise('RuntimeError', 'super(): no arguments');
      return new PySuper(frame.definingClass, frame.firstArg ?? null);
    }),
  );
  set(
    'property',
    builtin('property', (a) => {
      const arg = (i: number, name: string) => a.positional[i] ?? a.keywords.get(name) ?? null;
      return new PyProperty(arg(0, 'fget'), arg(1, 'fset'), arg(2, 'fdel'), arg(3, 'doc'));
    }),
  );
  set(
    'staticmethod',
    builtin('staticmethod', (a) => new PyStaticMethod(a.positional[0] ?? null)),
  );
  set(
    'classmethod',
    builtin('classmethod', (a) => new PyClassMethod(a.positional[0] ?? null)),
  );
  set(
    'repr',
    builtin('repr', (a) => it.repr(a.positional[0] ?? null)),
  );
  set(
    'id',
    builtin('id', () => it.unknown('id() of an object')),
  );
  set(
    'hash',
    builtin('hash', (a) => (typeof a.positional[0] === 'number' ? a.positional[0] : it.unknown('hash'))),
  );
  set(
    'ord',
    builtin('ord', (a) => (typeof a.positional[0] === 'string' ? a.positional[0].charCodeAt(0) : it.unknown('ord'))),
  );
  set(
    'chr',
    builtin('chr', (a) => (typeof a.positional[0] === 'number' ? String.fromCharCode(a.positional[0]) : it.unknown('chr'))),
  );
  set(
    'format',
    builtin('format', (a) => formatValue(it, a.positional[0] ?? null, typeof a.positional[1] === 'string' ? a.positional[1] : '')),
  );
  set(
    'vars',
    builtin('vars', (a) =>
      a.positional.length === 0
        ? localsDict(it)
        : a.positional[0] instanceof PyInstance
          ? PyDict.of([...a.positional[0].attrs])
          : a.positional[0] instanceof PyModule
            ? (a.positional[0].lazy?.resolveAll(), PyDict.of([...a.positional[0].attrs]))
            : it.unknown('vars()'),
    ),
  );
  set(
    'dir',
    builtin('dir', (a) => dirOf(it, a.positional[0])),
  );
  set(
    'globals',
    builtin('globals', () => {
      it.frame?.module.module.lazy?.resolveAll();
      const scope = it.frame?.module.scope;
      return scope ? new InstanceDict(scope.vars, (name, value) => scope.assign(name, value)) : new PyDict();
    }),
  );
  set(
    'locals',
    builtin('locals', () => localsDict(it)),
  );
  set('open', openBuiltin(it));
  set(
    'input',
    builtin('input', () => it.unknown('input() is not evaluated')),
  );
  set(
    'exit',
    builtin('exit', () => it.raise('SystemExit', 'exit()')),
  );
  set(
    '__import__',
    builtin('__import__', (a) => (typeof a.positional[0] === 'string' ? it.importModule(a.positional[0]) : it.unknown('__import__'))),
  );
  set(
    'slice',
    // a class, so that `isinstance(idx, slice)` (Sequential.__getitem__) answers
    nativeClass('slice', [object], {
      methods: {
        __construct__: (a) =>
          a.positional.length === 2
            ? new PySlice(null, a.positional[1], null)
            : new PySlice(a.positional[1] ?? null, a.positional[2] ?? null, a.positional[3] ?? null),
        __instancecheck__: (a) => a.positional[1] instanceof PySlice,
      },
    }),
  );

  it.builtinMethod = (obj, name) => builtinMethod(it, obj, name);
}

function typeOf(it: Interpreter, v: Value): Value {
  const c = it.classes;
  if (v === null) return c.NoneType;
  if (typeof v === 'boolean') return c.bool;
  if (typeof v === 'number') return c.int;
  if (typeof v === 'string') return c.str;
  if (v instanceof PyFloat) return c.float;
  if (v instanceof PyList && v.typeName === 'deque') return it.importModule('collections').attrs.get('deque') ?? c.list;
  if (v instanceof PyList) return c.list;
  if (v instanceof PyTuple) return c.tuple;
  if (v instanceof PyDict) return c.dict;
  if (v instanceof PySet) return c.set;
  if (v instanceof PyInstance) return v.cls;
  if (v instanceof PyClass) return c.type;
  if (v instanceof SymInt) return c.int;
  return it.unknown(`type() of ${typeName(v)}`);
}

function toInt(it: Interpreter, v: Value): Value {
  const mixin = enumMixinValue(v);
  if (mixin !== undefined) return toInt(it, mixin);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return Math.trunc(v.v);
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (Number.isInteger(n)) return n;
    it.raise('ValueError', `invalid literal for int(): '${v}'`);
  }
  if (v instanceof SymInt || v instanceof Unknown) return v;
  if (v instanceof ForeignValue) {
    const n = it.foreign.scalar(v);
    if (n !== undefined) return Math.trunc(n);
    return it.unknown(`int() of a ${typeName(v)} whose value is not known`);
  }
  return it.unknown(`int() of ${typeName(v)}`);
}

function toFloat(it: Interpreter, v: Value): Value {
  const n = numericValue(v);
  if (n !== null) return new PyFloat(n);
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'inf' || t === 'infinity') return new PyFloat(Infinity);
    if (t === '-inf') return new PyFloat(-Infinity);
    if (t === 'nan') return new PyFloat(NaN);
    const x = Number(t);
    if (!Number.isNaN(x)) return new PyFloat(x);
    it.raise('ValueError', `could not convert string to float: '${v}'`);
  }
  if (v instanceof ForeignValue) {
    const n = it.foreign.scalar(v);
    if (n !== undefined) return new PyFloat(n);
  }
  if (v instanceof Unknown) return v;
  return it.unknown(`float() of ${typeName(v)}`);
}

function makeDict(it: Interpreter, a: CallArgs): Value {
  const d = new PyDict();
  const src = a.positional[0];
  if (src instanceof PyDict) for (const [k, v] of src.entries.values()) d.set(k, v);
  else if (src instanceof Unknown) return src;
  else if (src !== undefined) {
    const items = it.iterate(src);
    if (items instanceof Unknown) return items;
    for (const pair of items) {
      const kv = it.iterate(pair);
      if (kv instanceof Unknown || kv.length !== 2) return it.unknown('dict() from non-pairs');
      d.set(kv[0], kv[1]);
    }
  }
  for (const [k, v] of a.keywords) d.set(k, v);
  return d;
}

function length(it: Interpreter, v: Value): Value {
  if (typeof v === 'string') return v.length;
  if (v instanceof PyList) return it.whole(v).items.length;
  if (v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return it.whole(v).entries.size;
  if (v instanceof PySet) return it.whole(v).entries.size;
  if (v instanceof PyRange) return v.length;
  if (v instanceof PyIterator) return v.items.length - v.index;
  if (v instanceof Unknown) return v;
  if (v instanceof ForeignValue) return it.foreign.len(v);
  if (v instanceof PyClass && v.lookup('__class_iter__')) {
    const members = it.iterate(v);
    return members instanceof Unknown ? members : members.length;
  }
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__len__');
    if (m) return it.call(it.bindIfFunction(m, v), NO_ARGS);
  }
  it.raise('TypeError', `object of type '${typeName(v)}' has no len()`);
}

function makeRange(it: Interpreter, p: Value[]): Value {
  const nums = p.map((x) => (typeof x === 'boolean' ? (x ? 1 : 0) : x instanceof ForeignValue ? (it.foreign.scalar(x) ?? x) : x));
  for (const n of nums) {
    if (n instanceof Unknown) return n;
    if (n instanceof SymInt) return it.unknown(`range over symbolic ${n.poly.toString()}`);
    if (typeof n !== 'number') {
      it.raise('TypeError', `'${typeName(n)}' object cannot be interpreted as an integer`);
    }
  }
  const v = nums as number[];
  if (v.length === 1) return new PyRange(0, v[0], 1);
  if (v.length === 2) return new PyRange(v[0], v[1], 1);
  if (v[2] === 0) it.raise('ValueError', 'range() arg 3 must not be zero');
  return new PyRange(v[0], v[1], v[2]);
}

const TYPE_CHECKS: Record<string, (v: Value) => boolean> = {
  int: (v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof SymInt,
  float: (v) => v instanceof PyFloat,
  str: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  list: (v) => v instanceof PyList,
  tuple: (v) => v instanceof PyTuple,
  dict: (v) => v instanceof PyDict,
  set: (v) => v instanceof PySet,
  object: () => true,
  type: (v) => v instanceof PyClass,
};

export function isInstance(it: Interpreter, v: Value, cls: Value): Value {
  if (cls instanceof PyTuple) {
    let unknown: Unknown | undefined;
    for (const c of cls.items) {
      // None inside `int | None`
      if (c === null && cls.typeName === 'UnionType') {
        if (v === null) return true;
        continue;
      }
      const r = isInstance(it, v, c);
      if (r === true) return true;
      if (r instanceof Unknown) unknown = r;
    }
    return unknown ?? false;
  }
  if (v instanceof Unknown) return v;
  if (cls instanceof Unknown) return cls;
  if (!(cls instanceof PyClass)) return it.unknown(`isinstance against ${typeName(cls)}`);
  const check = cls.native?.methods?.__instancecheck__;
  if (check) return check(args(cls, v), it);
  if (v instanceof PyInstance) return v.cls.isSubclassOf(cls);
  const builtinCheck = TYPE_CHECKS[cls.name];
  if (builtinCheck && it.builtins.vars.get(cls.name) === cls) return builtinCheck(v);
  if (v instanceof PyClass) return cls === it.classes.type;
  if ((v instanceof PyTuple || v instanceof PyDict) && cls.name === (v.typeName ?? '')) return true;
  return false;
}

function isSubclass(a: Value, b: Value): Value {
  if (a instanceof Unknown) return a;
  if (b instanceof PyTuple) return b.items.some((x) => isSubclass(a, x) === true);
  if (a instanceof PyClass && b instanceof PyClass) return a.isSubclassOf(b);
  return false;
}

function isCallable(v: Value): Value {
  if (v instanceof Unknown) return v;
  if (v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyBoundMethod || v instanceof PyClass || v instanceof PyPartial)
    return true;
  if (v instanceof PyInstance) return v.cls.lookup('__call__') !== undefined;
  return false;
}

function extremum(it: Interpreter, a: CallArgs, op: '<' | '>'): Value {
  const items = a.positional.length === 1 ? it.iterate(a.positional[0]) : a.positional;
  if (items instanceof Unknown) return items;
  const key = a.keywords.get('key');
  if (items.length === 0) {
    const d = a.keywords.get('default');
    if (d !== undefined) return d;
    it.raise('ValueError', 'arg is an empty sequence');
  }
  let best = items[0];
  let bestKey = key ? it.call(key, args(best)) : best;
  for (const x of items.slice(1)) {
    const k = key ? it.call(key, args(x)) : x;
    const r = scalarOrder(op, k, bestKey);
    if (r === undefined) {
      // max(B, 1) with B symbolic: dims are ≥ 1
      const sk = asSymNum(k);
      const sb = asSymNum(bestKey);
      if (sk !== null && sb !== null && (sk === 1 || sb === 1)) {
        if (op === '>') {
          if (sb === 1) {
            best = x;
            bestKey = k;
          }
        } else if (sk === 1) {
          best = x;
          bestKey = k;
        }
        continue;
      }
      return it.unknown(`${op === '<' ? 'min' : 'max'} of values that are not comparable here`);
    }
    if (r) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

function pyRound(it: Interpreter, v: Value, nd: Value): Value {
  const n = numericValue(v);
  if (n === null) return v instanceof Unknown || v instanceof SymInt ? v : it.unknown(`round of ${typeName(v)}`);
  const roundHalfEven = (x: number) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  };
  if (nd === null) return roundHalfEven(n);
  const d = intArg(nd) ?? 0;
  if (d >= 0) return typeof v === 'number' || typeof v === 'boolean' ? n : new PyFloat(Number(pyFixed(n, d)));
  const f = Math.pow(10, -d);
  const r = roundHalfEven(n / f) * f;
  return typeof v === 'number' || typeof v === 'boolean' ? r : new PyFloat(r);
}

function sortValues(it: Interpreter, v: Value, kw: Map<string, Value>): Value {
  const items = it.iterate(v);
  if (items instanceof Unknown) return items;
  const key = kw.get('key');
  const reverse = kw.get('reverse') === true;
  const keyed = items.map((x) => ({ x, k: key && key !== null ? it.call(key, args(x)) : x }));
  let failed = false;
  keyed.sort((p, q) => {
    if (scalarOrder('<', p.k, q.k)) return -1;
    if (scalarOrder('>', p.k, q.k)) return 1;
    if (scalarEquals(p.k, q.k) === undefined) failed = true;
    return 0;
  });
  if (failed) return it.unknown('sorted() over values that are not comparable');
  const out = keyed.map((p) => p.x);
  if (reverse) out.reverse();
  return new PyList(out);
}

/** A format's precision, within the 0-100 digits toFixed and toExponential accept. */
function digits(prec: string | undefined, fallback: number): number {
  return Math.min(100, prec ? Number(prec) : fallback);
}

function formatValue(it: Interpreter, v: Value, spec: string): Value {
  if (v instanceof Unknown) return v;
  const n = numericValue(v);
  const m = /^(.?[<>^=])?([+\- ])?(#)?(0)?(\d+)?(,|_)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) return it.str(v);
  const [, align, , , zero, width, grouping, prec, type] = m;
  let s: string;
  if (n !== null && type) {
    switch (type) {
      case 'd':
        s = String(Math.trunc(n));
        break;
      case 'f':
      case 'F':
        s = pyFixed(n, prec ? Number(prec) : 6);
        break;
      case 'e':
      case 'E':
        s = n.toExponential(digits(prec, 6));
        break;
      case '%':
        s = `${pyFixed(n * 100, prec ? Number(prec) : 6)}%`;
        break;
      case 'g':
      case 'G':
        s = String(Number(n.toPrecision(Math.max(1, digits(prec, 6)))));
        break;
      case 'x':
        s = Math.trunc(n).toString(16);
        break;
      default:
        s = String(n);
    }
  } else if (n !== null && prec) s = pyFixed(n, Number(prec));
  else s = it.str(v);
  if (grouping && n !== null) s = s.replace(/^-?\d+/, (int) => int.replace(/\B(?=(\d{3})+$)/g, grouping));
  if (width && !fitsOneValue(Number(width))) return it.notBuilt('str', notMaterialised('str', Number(width)));
  if (width && s.length < Number(width)) {
    const w = Number(width);
    const fill = align && align.length === 2 ? align[0] : zero ? '0' : ' ';
    const dir = align ? align[align.length - 1] : n !== null ? '>' : '<';
    const pad = fill.repeat(w - s.length);
    s = dir === '<' ? s + pad : dir === '^' ? pad.slice(0, pad.length >> 1) + s + pad.slice(pad.length >> 1) : pad + s;
  }
  return s;
}

/** str.format: "{}", "{0}", "{name}", "{:.2f}", "{name.attr}". */
function strFormat(it: Interpreter, fmt: string, a: CallArgs): Value {
  let auto = 0;
  let unknown: Unknown | undefined;
  const out = fmt.replace(
    /\{\{|\}\}|\{([^{}:!]*)(![rsa])?(?::([^{}]*))?\}/g,
    (m, field: string | undefined, _conv, spec: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const path = (field ?? '').split('.');
      const head = path[0];
      let v: Value | undefined =
        head === '' ? a.positional[auto++] : /^\d+$/.test(head) ? a.positional[Number(head)] : a.keywords.get(head);
      if (v === undefined) {
        unknown = it.unknown(`format field ${head} missing`);
        return '';
      }
      for (const attr of path.slice(1)) v = it.getAttr(v, attr);
      const r = formatValue(it, v, spec ?? '');
      if (r instanceof Unknown) {
        unknown = r;
        return '';
      }
      return typeof r === 'string' ? r : it.str(r);
    },
  );
  return unknown ?? out;
}

function builtinMethod(it: Interpreter, obj: Value, name: string): Value | undefined {
  const m = (fn: (a: CallArgs) => Value) => builtin(`${typeName(obj)}.${name}`, (a) => fn(a));
  if (typeof obj === 'string') return strMethod(it, obj, name, m);
  if (obj instanceof PyList) return listMethod(it, obj, name, m);
  if (obj instanceof PyDict) return dictMethod(it, obj, name, m);
  if (obj instanceof PySet) return setMethod(it, obj, name, m);
  if (obj instanceof PyTuple) {
    if (name === 'index') return m((a) => obj.items.findIndex((x) => scalarEquals(x, a.positional[0] ?? null) === true));
    if (name === 'count') return m((a) => obj.items.filter((x) => scalarEquals(x, a.positional[0] ?? null) === true).length);
    if (obj.fields) {
      if (name === '_fields') return new PyTuple(obj.fields);
      if (name === '_asdict') return m(() => PyDict.of(obj.fields!.map((f, i) => [f, obj.items[i]])));
      if (name === '_replace')
        return m((a) => {
          const t = new PyTuple(obj.fields!.map((f, i) => (a.keywords.has(f) ? a.keywords.get(f)! : obj.items[i])));
          t.fields = obj.fields;
          t.typeName = obj.typeName;
          return t;
        });
    }
    return undefined;
  }
  if (typeof obj === 'number' || obj instanceof PyFloat) {
    const n = numericValue(obj)!;
    if (name === 'is_integer') return m(() => Number.isInteger(n));
    if (name === 'bit_length') return m(() => (n === 0 ? 0 : Math.floor(Math.log2(Math.abs(n))) + 1));
    if (name === 'real') return obj;
    if (name === '__index__' || name === '__int__') return m(() => Math.trunc(n));
    return undefined;
  }
  if (obj instanceof PyIterator) {
    if (name === '__next__') return m(() => (obj.index < obj.items.length ? obj.items[obj.index++] : it.raise('StopIteration', '')));
    if (name === '__iter__') return m(() => obj);
  }
  if (obj instanceof PyModule && name === '__dict__') {
    obj.lazy?.resolveAll();
    return new InstanceDict(obj.attrs);
  }
  if (obj instanceof SymInt) return undefined;
  return undefined;
}

/** dir(): the sorted attribute names of a module, class or instance; Unknown where they are not all known. */
function dirOf(it: Interpreter, obj: Value | undefined): Value {
  const names = new Set<string>();
  const addClass = (cls: PyClass) => {
    for (const c of cls.mro) {
      for (const k of c.dict.keys()) names.add(k);
      for (const k of Object.keys(c.native?.methods ?? {})) if (!k.endsWith('_native__') && k !== '__construct__') names.add(k);
    }
  };
  if (obj === undefined) return it.unknown('dir() without an argument is not modelled');
  if (obj instanceof PyModule) {
    if (obj.attrs.has('__wattlens_unresolved__'))
      return it.unknown(`dir(${obj.name}): ${String(obj.attrs.get('__wattlens_unresolved__'))}`);
    obj.lazy?.resolveAll();
    for (const k of obj.attrs.keys()) names.add(k);
  } else if (obj instanceof PyClass) {
    if (obj.unknownBaseReason()) return it.unknown(obj.unknownBaseReason()!);
    addClass(obj);
  } else if (obj instanceof PyInstance) {
    if (obj.cls.unknownBaseReason()) return it.unknown(obj.cls.unknownBaseReason()!);
    for (const k of obj.attrs.keys()) names.add(k);
    addClass(obj.cls);
  } else return it.unknown(`dir() of a ${typeName(obj)} is not modelled`);
  return new PyList([...names].sort());
}

/** A str padded to the width in the first argument, when that width is within one value's bound. */
function padded(it: Interpreter, a: CallArgs, pad: () => string): Value {
  const w = intArg(a.positional[0]) ?? 0;
  return fitsOneValue(w) ? it.charged(pad()) : it.notBuilt('str', notMaterialised('str', w));
}

function strMethod(it: Interpreter, s: string, name: string, m: (fn: (a: CallArgs) => Value) => PyBuiltin): Value | undefined {
  const str = (a: CallArgs, i: number) => (typeof a.positional[i] === 'string' ? (a.positional[i] as string) : undefined);
  switch (name) {
    case 'format':
      return m((a) => strFormat(it, s, a));
    case 'join':
      return m((a) => {
        const items = it.iterate(a.positional[0] ?? null);
        if (items instanceof Unknown) return items;
        if (items.some((x) => typeof x !== 'string')) return it.unknown('join of non-strings');
        const length = (items as string[]).reduce((n, x) => n + x.length, 0) + s.length * Math.max(0, items.length - 1);
        return fitsOneValue(length) ? it.charged((items as string[]).join(s)) : it.notBuilt('str', notMaterialised('str', length));
      });
    case 'split':
    case 'rsplit':
      return m((a) => {
        const sep = str(a, 0);
        const parts = sep === undefined ? s.trim().split(/\s+/).filter(Boolean) : s.split(sep);
        const max = intArg(a.positional[1] ?? a.keywords.get('maxsplit'));
        if (max !== null && max >= 0 && parts.length > max + 1 && sep !== undefined) {
          if (name === 'split') return new PyList([...parts.slice(0, max), parts.slice(max).join(sep)]);
          return new PyList([parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)]);
        }
        return new PyList(parts);
      });
    case 'strip':
      return m((a) => stripChars(s, str(a, 0), true, true));
    case 'lstrip':
      return m((a) => stripChars(s, str(a, 0), true, false));
    case 'rstrip':
      return m((a) => stripChars(s, str(a, 0), false, true));
    case 'startswith':
      return m((a) => {
        const p = a.positional[0];
        if (p instanceof PyTuple) return p.items.some((x) => typeof x === 'string' && s.startsWith(x));
        return typeof p === 'string' && s.startsWith(p);
      });
    case 'endswith':
      return m((a) => {
        const p = a.positional[0];
        if (p instanceof PyTuple) return p.items.some((x) => typeof x === 'string' && s.endsWith(x));
        return typeof p === 'string' && s.endsWith(p);
      });
    case 'replace':
      return m((a) => {
        const parts = s.split(str(a, 0) ?? '');
        const count = intArg(a.positional[2] ?? a.keywords.get('count') ?? null) ?? -1;
        const old = str(a, 0) ?? '';
        const by = str(a, 1) ?? '';
        const replaced = count < 0 || count >= parts.length - 1 ? parts.length - 1 : count;
        // sized before it is built: a replacement can multiply the length
        const length = s.length + replaced * (by.length - old.length);
        if (!fitsOneValue(length)) return it.notBuilt('str', notMaterialised('str', length));
        if (replaced === parts.length - 1) return it.charged(parts.join(by));
        return it.charged(parts.slice(0, count + 1).join(by) + old + parts.slice(count + 1).join(old));
      });
    case 'swapcase':
      return m(() => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
    case 'isspace':
      return m(() => /^\s+$/.test(s));
    case 'removeprefix':
      return m((a) => {
        const p = str(a, 0) ?? '';
        return p && s.startsWith(p) ? s.slice(p.length) : s;
      });
    case 'removesuffix':
      return m((a) => {
        const p = str(a, 0) ?? '';
        return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
      });
    case 'lower':
      return m(() => s.toLowerCase());
    case 'upper':
      return m(() => s.toUpperCase());
    case 'title':
      return m(() => s.replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()));
    case 'capitalize':
      return m(() => (s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s));
    case 'find':
      return m((a) => s.indexOf(str(a, 0) ?? ''));
    case 'rfind':
      return m((a) => s.lastIndexOf(str(a, 0) ?? ''));
    case 'index':
      return m((a) => {
        const i = s.indexOf(str(a, 0) ?? '');
        return i < 0 ? it.raise('ValueError', 'substring not found') : i;
      });
    case 'count':
      return m((a) => s.split(str(a, 0) ?? '').length - 1);
    case 'isdigit':
    case 'isnumeric':
    case 'isdecimal':
      return m(() => /^\d+$/.test(s));
    case 'isalpha':
      return m(() => /^[A-Za-z]+$/.test(s));
    case 'isalnum':
      return m(() => /^[A-Za-z0-9]+$/.test(s));
    case 'isidentifier':
      return m(() => /^[A-Za-z_]\w*$/.test(s));
    case 'isupper':
      return m(() => s.toUpperCase() === s && /[A-Z]/.test(s));
    case 'islower':
      return m(() => s.toLowerCase() === s && /[a-z]/.test(s));
    case 'zfill':
      return m((a) => padded(it, a, () => s.padStart(intArg(a.positional[0]) ?? 0, '0')));
    case 'ljust':
      return m((a) => padded(it, a, () => s.padEnd(intArg(a.positional[0]) ?? 0, str(a, 1) ?? ' ')));
    case 'rjust':
      return m((a) => padded(it, a, () => s.padStart(intArg(a.positional[0]) ?? 0, str(a, 1) ?? ' ')));
    case 'center':
      return m((a) => {
        const w = intArg(a.positional[0]) ?? 0;
        if (!fitsOneValue(w)) return it.notBuilt('str', notMaterialised('str', w));
        const fill = str(a, 1) ?? ' ';
        const pad = Math.max(0, w - s.length);
        // CPython: the odd space goes left when the width is odd
        const left = (pad >> 1) + (pad & w & 1);
        return fill.repeat(left) + s + fill.repeat(pad - left);
      });
    case 'partition':
    case 'rpartition':
      return m((a) => {
        const sep = str(a, 0) ?? '';
        const i = name === 'partition' ? s.indexOf(sep) : s.lastIndexOf(sep);
        if (i < 0) return name === 'partition' ? new PyTuple([s, '', '']) : new PyTuple(['', '', s]);
        return new PyTuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
      });
    case 'splitlines':
      return m(() => new PyList(s.split(/\r?\n/)));
    case 'encode':
      return m(() => s);
    case 'casefold':
      return m(() => s.toLowerCase());
  }
  return undefined;
}

function stripChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t\n\r\f\v';
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a])) a++;
  if (right) while (b > a && set.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function listMethod(it: Interpreter, l: PyList, name: string, m: (fn: (a: CallArgs) => Value) => PyBuiltin): Value | undefined {
  if (l.typeName === 'deque') {
    const d = dequeMethod(it, l, name, m);
    if (d !== undefined) return d;
    if (['insert', 'sort'].includes(name)) return undefined;
  }
  switch (name) {
    case 'append':
      return m((a) => {
        l.items.push(a.positional[0] ?? null);
        return null;
      });
    case 'extend':
      return m((a) => {
        const items = it.iterate(a.positional[0] ?? null);
        if (items instanceof Unknown) l.items.push(items);
        else if (!fitsOneValue(l.items.length + items.length))
          l.items.push(it.notBuilt('list', notMaterialised('list', l.items.length + items.length)));
        else for (const x of items) l.items.push(x);
        return null;
      });
    case 'insert':
      return m((a) => {
        let i = intArg(a.positional[0]) ?? l.items.length;
        if (i < 0) i = Math.max(0, i + l.items.length);
        l.items.splice(i, 0, a.positional[1] ?? null);
        return null;
      });
    case 'pop':
      return m((a) => {
        if (l.items.length === 0) it.raise('IndexError', 'pop from empty list');
        const i = intArg(a.positional[0]) ?? -1;
        const j = i < 0 ? i + l.items.length : i;
        return l.items.splice(j, 1)[0];
      });
    case 'remove':
      return m((a) => {
        const i = l.items.findIndex((x) => scalarEquals(x, a.positional[0] ?? null) === true || x === a.positional[0]);
        if (i < 0) it.raise('ValueError', 'list.remove(x): x not in list');
        l.items.splice(i, 1);
        return null;
      });
    case 'index':
      return m((a) => {
        const i = l.items.findIndex((x) => scalarEquals(x, a.positional[0] ?? null) === true || x === a.positional[0]);
        return i < 0 ? it.raise('ValueError', 'x not in list') : i;
      });
    case 'count':
      return m((a) => l.items.filter((x) => scalarEquals(x, a.positional[0] ?? null) === true).length);
    case 'reverse':
      return m(() => {
        l.items.reverse();
        return null;
      });
    case 'sort':
      return m((a) => {
        const sorted = sortValues(it, l, a.keywords);
        if (sorted instanceof PyList) l.items = sorted.items;
        return null;
      });
    case 'copy':
      return m(() => new PyList([...l.items]));
    case 'clear':
      return m(() => {
        l.items.length = 0;
        return null;
      });
  }
  return undefined;
}

/** collections.deque: a list with a bound (the oldest items fall off the other end) and left-end methods. */
function dequeMethod(it: Interpreter, l: PyList, name: string, m: (fn: (a: CallArgs) => Value) => PyBuiltin): Value | undefined {
  const bound = (fromLeft: boolean) => {
    const excess = l.maxlen === null || l.maxlen === undefined ? 0 : l.items.length - l.maxlen;
    if (excess > 0) l.items.splice(fromLeft ? l.items.length - excess : 0, excess);
  };
  const each = (v: Value | undefined, add: (x: Value) => void): Value => {
    const items = it.iterate(v ?? null);
    if (items instanceof Unknown) return items;
    for (const x of items) add(x);
    return null;
  };
  switch (name) {
    case 'maxlen':
      return l.maxlen ?? null;
    case 'append':
      return m((a) => (l.items.push(a.positional[0] ?? null), bound(false), null));
    case 'appendleft':
      return m((a) => (l.items.unshift(a.positional[0] ?? null), bound(true), null));
    case 'extend':
      return m((a) => each(a.positional[0], (x) => (l.items.push(x), bound(false))));
    case 'extendleft':
      return m((a) => each(a.positional[0], (x) => (l.items.unshift(x), bound(true))));
    case 'popleft':
      return m(() => (l.items.length ? l.items.shift()! : it.raise('IndexError', 'pop from an empty deque')));
    case 'pop':
      return m(() => (l.items.length ? l.items.pop()! : it.raise('IndexError', 'pop from an empty deque')));
    case 'rotate':
      return m((a) => {
        const n = intArg(a.positional[0] ?? 1);
        if (n === null) return it.unknown('deque.rotate by a step that is not known');
        const len = l.items.length;
        if (len) {
          const k = ((n % len) + len) % len;
          l.items = [...l.items.slice(len - k), ...l.items.slice(0, len - k)];
        }
        return null;
      });
    case 'copy':
      return m(() => Object.assign(new PyList([...l.items]), { typeName: 'deque' as const, maxlen: l.maxlen }));
  }
  return undefined;
}

function dictMethod(it: Interpreter, d: PyDict, name: string, m: (fn: (a: CallArgs) => Value) => PyBuiltin): Value | undefined {
  switch (name) {
    case 'keys':
      return m(() => Object.assign(new PyList(it.whole(d).keys()), { typeName: 'dict_keys' as const }));
    case 'values':
      return m(() => new PyList(it.whole(d).values()));
    case 'items':
      return m(() => new PyList([...it.whole(d).entries.values()].map(([k, v]) => new PyTuple([k, v]))));
    case 'get':
      return m((a) => {
        const v = it.dictGet(d, a.positional[0] ?? null);
        return v !== undefined ? v : (a.positional[1] ?? null);
      });
    case 'pop':
      return m((a) => {
        const k = a.positional[0] ?? null;
        const v = d.get(k);
        if (v !== undefined) {
          d.delete(k);
          return v;
        }
        if (a.positional.length > 1) return a.positional[1];
        if (k instanceof Unknown) return k;
        return it.raise('KeyError', it.repr(k));
      });
    case 'setdefault':
      return m((a) => {
        const k = a.positional[0] ?? null;
        const v = d.get(k);
        if (v !== undefined) return v;
        d.set(k, a.positional[1] ?? null);
        return a.positional[1] ?? null;
      });
    case 'update':
      return m((a) => {
        const src = a.positional[0];
        if (src instanceof PyDict) for (const [k, v] of src.entries.values()) d.set(k, v);
        else if (src !== undefined) {
          const items = it.iterate(src);
          if (!(items instanceof Unknown))
            for (const p of items) {
              const kv = it.iterate(p);
              if (!(kv instanceof Unknown) && kv.length === 2) d.set(kv[0], kv[1]);
            }
        }
        for (const [k, v] of a.keywords) d.set(k, v);
        return null;
      });
    case 'copy':
      return m(() => {
        const c = PyDict.of([...d.entries.values()]);
        c.typeName = d.typeName;
        return c;
      });
    case 'clear':
      return m(() => {
        d.entries.clear();
        return null;
      });
    case 'popitem':
      return m(() => {
        const last = [...d.entries.values()].pop();
        if (!last) return it.raise('KeyError', 'popitem(): dictionary is empty');
        d.delete(last[0]);
        return new PyTuple(last);
      });
    case 'move_to_end':
      return m((a) => {
        const k = a.positional[0] ?? null;
        const v = d.get(k);
        if (v !== undefined) {
          d.delete(k);
          d.set(k, v);
        }
        return null;
      });
  }
  return undefined;
}

function setMethod(it: Interpreter, s: PySet, name: string, m: (fn: (a: CallArgs) => Value) => PyBuiltin): Value | undefined {
  const other = (v: Value | undefined): Value[] => {
    const items = it.iterate(v ?? null);
    return items instanceof Unknown ? [] : items;
  };
  switch (name) {
    case 'add':
      return m((a) => {
        s.add(a.positional[0] ?? null);
        return null;
      });
    case 'update':
      return m((a) => {
        for (const p of a.positional) for (const x of other(p)) s.add(x);
        return null;
      });
    case 'remove':
    case 'discard':
      return m((a) => {
        s.entries.delete(keyOf(a.positional[0] ?? null));
        return null;
      });
    case 'union':
      return m((a) => {
        const out = new PySet();
        for (const x of s.items()) out.add(x);
        for (const p of a.positional) for (const x of other(p)) out.add(x);
        return out;
      });
    case 'intersection':
      return m((a) => {
        const o = new PySet();
        for (const x of other(a.positional[0])) o.add(x);
        const out = new PySet();
        for (const x of s.items()) if (o.has(x)) out.add(x);
        return out;
      });
    case 'difference':
      return m((a) => {
        const o = new PySet();
        for (const x of other(a.positional[0])) o.add(x);
        const out = new PySet();
        for (const x of s.items()) if (!o.has(x)) out.add(x);
        return out;
      });
    case 'symmetric_difference':
      return m((a) => {
        const o = new PySet();
        for (const x of other(a.positional[0])) o.add(x);
        const out = new PySet();
        for (const x of s.items()) if (!o.has(x)) out.add(x);
        for (const x of o.items()) if (!s.has(x)) out.add(x);
        return out;
      });
    case 'issuperset':
      return m((a) => other(a.positional[0]).every((x) => s.has(x)));
    case 'isdisjoint':
      return m((a) => !other(a.positional[0]).some((x) => s.has(x)));
    case 'difference_update':
      return m((a) => {
        for (const p of a.positional) for (const x of other(p)) s.entries.delete(keyOf(x));
        return null;
      });
    case 'issubset':
      return m((a) => {
        const o = new PySet();
        for (const x of other(a.positional[0])) o.add(x);
        return s.items().every((x) => o.has(x));
      });
    case 'copy':
      return m(() => {
        const out = new PySet();
        for (const x of s.items()) out.add(x);
        return out;
      });
    case 'pop':
      return m(() => {
        const first = s.items()[0];
        if (first === undefined) return it.raise('KeyError', 'pop from an empty set');
        s.entries.delete(keyOf(first));
        return first;
      });
  }
  return undefined;
}

function keyOf(v: Value): unknown {
  const s = new PySet();
  s.add(v);
  return [...s.entries.keys()][0];
}

/**
 * locals(): a snapshot of the calling function's variables, parameters first in CPython's
 * co_varnames order (positional, keyword-only, *args, **kwargs), then the others as they were
 * bound; at module level, the globals.
 */
function localsDict(it: Interpreter): PyDict {
  const frame = it.frame;
  const vars = frame?.locals;
  if (!vars) return PyDict.of([...(frame?.module.scope.vars ?? new Map<string, Value>())]);
  const params = frame.fn?.params ?? [];
  const star = (p: (typeof params)[number]) => (p.kind === 'varargs' ? 1 : p.kind === 'varkw' ? 2 : 0);
  const names = [...params].sort((p, q) => star(p) - star(q)).map((p) => p.name);
  const entries: [string, Value][] = [];
  for (const name of names) if (vars.has(name)) entries.push([name, vars.get(name)!]);
  for (const [name, v] of vars) if (!names.includes(name)) entries.push([name, v]);
  return PyDict.of(entries);
}
