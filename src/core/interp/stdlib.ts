// The parts of Python's standard library that model files use while building models:
// math, functools, collections, typing, dataclasses, enum, copy, warnings, itertools, ...
import { argparseModule } from './argparseModule';
import { enumModule } from './enumModule';
import { jsonModule } from './jsonModule';
import { moreItertools, moreMath, moreOperator, osPathModule, randomModule, versionInfo, withEntries } from './stdlibMore';
import { reModule } from './reModule';
import { loggingModule } from './loggingModule';
import { importlibModules, moduleTypeClass } from './importlibModule';
import type { Interpreter } from './interpreter';
import { args, builtin, intArg, moduleOf, nativeClass, NO_ARGS } from './native';
import { fitsOneValue, notMaterialised } from './memoryBudget';
import { numericValue } from './operators';
import {
  PyBuiltin,
  PyClass,
  PyDict,
  PyFloat,
  PyFunction,
  PyInstance,
  PyIterator,
  PyList,
  PyModule,
  PyPartial,
  PyProperty,
  PySet,
  PyTuple,
  SymInt,
  Unknown,
  type CallArgs,
  type Value,
} from './values';

type ModuleFactory = (it: Interpreter) => PyModule;

/** Standard-library modules by name, built on first import. */
export const STDLIB: Record<string, ModuleFactory> = {
  math: (it) => withEntries(mathModule(it), moreMath(it)),
  functools: functoolsModule,
  collections: collectionsModule,
  'collections.abc': (it) => typingModule(it, 'collections.abc'),
  typing: (it) => typingModule(it, 'typing'),
  typing_extensions: (it) => typingModule(it, 'typing_extensions'),
  dataclasses: dataclassesModule,
  enum: enumModule,
  copy: copyModule,
  warnings: () =>
    moduleOf('warnings', {
      warn: builtin('warn', () => null),
      filterwarnings: builtin('filterwarnings', () => null),
      simplefilter: builtin('simplefilter', () => null),
      catch_warnings: builtin('catch_warnings', () => null),
    }),
  itertools: (it) => withEntries(itertoolsModule(it), moreItertools(it)),
  operator: (it) => withEntries(operatorModule(it), moreOperator(it)),
  numbers: (it) => moduleOf('numbers', { Number: it.classes.float, Integral: it.classes.int, Real: it.classes.float }),
  abc: (it) =>
    moduleOf('abc', {
      ABC: it.classes.object,
      ABCMeta: it.classes.type,
      abstractmethod: builtin('abstractmethod', (a) => a.positional[0] ?? null),
    }),
  logging: loggingModule,
  os: (it) =>
    moduleOf('os', {
      environ: new PyDict(),
      path: osPathModule(it),
      getenv: builtin('getenv', (a) => a.positional[1] ?? null),
      sep: '/',
      name: 'posix',
    }),
  'os.path': (it) => it.importModule('os').attrs.get('path') as PyModule,
  sys: (it) =>
    moduleOf('sys', {
      version_info: versionInfo(),
      version: '3.11.0',
      maxsize: Number.MAX_SAFE_INTEGER,
      argv: new PyList(['model.py']),
      path: new PyList([]),
      platform: 'linux',
      modules: new LoadedModules(it),
    }),
  importlib: (it) => {
    const importlib = importlibModules(it).importlib;
    importlib.attrs.set('machinery', importlibMachinery(it));
    return importlib;
  },
  'importlib.util': (it) => it.importModule('importlib').attrs.get('util') as PyModule,
  'importlib.metadata': (it) => it.importModule('importlib').attrs.get('metadata') as PyModule,
  'importlib.machinery': (it) => it.importModule('importlib').attrs.get('machinery') as PyModule,
  inspect: (it) =>
    moduleOf('inspect', {
      signature: builtin('signature', () => it.unknown('inspect.signature is not modelled')),
      isclass: builtin('isclass', (a) => a.positional[0] instanceof PyClass),
      isfunction: builtin('isfunction', (a) => a.positional[0] instanceof PyFunction),
    }),
  types: (it) =>
    moduleOf('types', {
      SimpleNamespace: simpleNamespace(it),
      FunctionType: it.classes.object,
      MethodType: it.classes.object,
      ModuleType: moduleTypeClass(it),
    }),
  argparse: argparseModule,
  random: randomModule,
  re: reModule,
  contextlib: contextlibModule,
  json: jsonModule,
};

/**
 * sys.modules: `sys.modules[__name__]` finds the module being run, as every imported one (through
 * the loader's cache). A name not imported yet is first given to the deferred imports that would
 * have imported it (lazy loading), then imported.
 */
class LoadedModules extends PyDict {
  constructor(private readonly it: Interpreter) {
    super();
  }
  override get(key: Value): Value | undefined {
    const v = super.get(key);
    if (v !== undefined || typeof key !== 'string') return v;
    if (this.it.options.loader.loadForMissingKey?.(this, key, this.it)) {
      const again = super.get(key);
      if (again !== undefined) return again;
    }
    return this.it.importModule(key);
  }
}

function contextlibModule(it: Interpreter): PyModule {
  const Null = nativeClass('nullcontext', [it.classes.object], {
    methods: {
      __init__: (a) => {
        if (a.positional[0] instanceof PyInstance) a.positional[0].payload = a.positional[1] ?? null;
        return null;
      },
      __enter__: (a) => ((a.positional[0] as PyInstance).payload as Value) ?? null,
      __exit__: () => false,
    },
  });
  return moduleOf('contextlib', {
    nullcontext: Null,
    suppress: Null,
    contextmanager: builtin('contextmanager', (a) => a.positional[0] ?? null),
    ExitStack: Null,
  });
}

function mathModule(it: Interpreter): PyModule {
  const f = (name: string, fn: (x: number) => number, intResult = false) =>
    builtin(`math.${name}`, (a) => {
      const x = numericValue(a.positional[0] ?? null);
      if (x === null) return a.positional[0] instanceof Unknown ? a.positional[0] : it.unknown(`math.${name} of a value that is not known`);
      const r = fn(x);
      return intResult ? r : new PyFloat(r);
    });
  return moduleOf('math', {
    pi: new PyFloat(Math.PI),
    e: new PyFloat(Math.E),
    inf: new PyFloat(Infinity),
    nan: new PyFloat(NaN),
    tau: new PyFloat(2 * Math.PI),
    sqrt: f('sqrt', Math.sqrt),
    exp: f('exp', Math.exp),
    log: builtin('math.log', (a) => {
      const x = numericValue(a.positional[0] ?? null);
      const base = a.positional[1] === undefined ? null : numericValue(a.positional[1]);
      if (x === null) return it.unknown('math.log of a value that is not known');
      return new PyFloat(base === null ? Math.log(x) : Math.log(x) / Math.log(base));
    }),
    log2: f('log2', Math.log2),
    log10: f('log10', Math.log10),
    ceil: f('ceil', Math.ceil, true),
    floor: f('floor', Math.floor, true),
    trunc: f('trunc', Math.trunc, true),
    fabs: f('fabs', Math.abs),
    sin: f('sin', Math.sin),
    cos: f('cos', Math.cos),
    tan: f('tan', Math.tan),
    atan: f('atan', Math.atan),
    tanh: f('tanh', Math.tanh),
    erf: f('erf', erf),
    isfinite: builtin('isfinite', (a) => Number.isFinite(numericValue(a.positional[0] ?? null) ?? NaN)),
    isnan: builtin('isnan', (a) => Number.isNaN(numericValue(a.positional[0] ?? null) ?? 0)),
    pow: builtin('math.pow', (a) => {
      const x = numericValue(a.positional[0] ?? null);
      const y = numericValue(a.positional[1] ?? null);
      return x === null || y === null ? it.unknown('math.pow of unknown values') : new PyFloat(Math.pow(x, y));
    }),
    prod: builtin('math.prod', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      let acc: Value = 1;
      for (const x of items) acc = it.binary('*', acc, x, false);
      return acc;
    }),
    gcd: builtin('math.gcd', (a) => {
      let [x, y] = a.positional.map((v) => intArg(v));
      if (x === null || y === null || x === undefined || y === undefined) return it.unknown('math.gcd of unknown values');
      x = Math.abs(x);
      y = Math.abs(y);
      while (y) [x, y] = [y, x % y];
      return x;
    }),
    isclose: builtin('isclose', (a) => {
      const x = numericValue(a.positional[0] ?? null);
      const y = numericValue(a.positional[1] ?? null);
      return x === null || y === null ? it.unknown('isclose') : Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    }),
  });
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26; only used for constants in constructors
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

function functoolsModule(it: Interpreter): PyModule {
  const identityDecorator = (name: string) =>
    builtin(name, (a) => {
      // usable both as @decorator and as @decorator(...)
      const f = a.positional[0];
      if (
        a.positional.length === 1 &&
        a.keywords.size === 0 &&
        f !== null &&
        typeof f === 'object' &&
        'kind' in f &&
        ['function', 'builtin', 'class'].includes(f.kind)
      )
        return f;
      return builtin(`${name}.inner`, (b) => b.positional[0] ?? null);
    });
  return moduleOf('functools', {
    partial: builtin('functools.partial', (a) => {
      const [fn, ...rest] = a.positional;
      return new PyPartial(fn ?? null, rest, new Map(a.keywords));
    }),
    partialmethod: builtin('functools.partialmethod', (a) => {
      const [fn, ...rest] = a.positional;
      return new PyPartial(fn ?? null, rest, new Map(a.keywords), true);
    }),
    reduce: builtin('functools.reduce', (a) => {
      const [fn, seq, init] = a.positional;
      const items = it.iterate(seq ?? null);
      if (items instanceof Unknown) return items;
      let acc: Value | undefined = init;
      for (const x of items) acc = acc === undefined ? x : it.call(fn ?? null, args(acc, x));
      return acc ?? it.raise('TypeError', 'reduce() of empty sequence with no initial value');
    }),
    wraps: builtin('functools.wraps', (a) =>
      builtin('wraps.inner', (b) => {
        const wrapped = a.positional[0] ?? null;
        const wrapper = b.positional[0] ?? null;
        // update_wrapper: the wrapper takes the wrapped function's name and doc
        if (wrapper instanceof PyFunction) {
          for (const attr of ['__name__', '__qualname__', '__doc__', '__module__']) {
            const v = it.lookupAttr(wrapped, attr);
            if (v !== undefined) wrapper.attrs.set(attr, v);
          }
          wrapper.attrs.set('__wrapped__', wrapped);
        }
        return wrapper;
      }),
    ),
    lru_cache: identityDecorator('lru_cache'),
    cache: identityDecorator('cache'),
    cached_property: builtin('cached_property', (a) => Object.assign(new PyProperty(a.positional[0] ?? null), { cached: true })),
    update_wrapper: builtin('update_wrapper', (a) => a.positional[0] ?? null),
    total_ordering: builtin('total_ordering', (a) => a.positional[0] ?? null),
  });
}

function collectionsModule(it: Interpreter): PyModule {
  // a subclass of dict, so that subclasses of it (transformers' ModelOutput) keep dict's methods
  const OrderedDict: PyClass = nativeClass('OrderedDict', [it.classes.dict], {
    methods: {
      __construct__: (a) => {
        if (a.positional[0] !== OrderedDict) return it.classes.dict.native!.methods!.__construct__(a, it);
        const d = it.call(it.classes.dict, { positional: a.positional.slice(1), keywords: a.keywords });
        if (d instanceof PyDict) d.typeName = 'OrderedDict';
        return d;
      },
      __instancecheck__: (a) => a.positional[1] instanceof PyDict && a.positional[1].typeName === 'OrderedDict',
    },
  });
  const defaultdict = builtin('defaultdict', (a) => {
    const d = new PyDict();
    d.typeName = 'defaultdict';
    d.defaultFactory = a.positional[0] ?? null;
    return d;
  });
  return moduleOf('collections', {
    OrderedDict,
    defaultdict,
    namedtuple: builtin('namedtuple', (a) => namedtuple(it, a)),
    Counter: builtin('Counter', (a) => {
      const d = new PyDict();
      const items = a.positional.length ? it.iterate(a.positional[0]) : [];
      if (items instanceof Unknown) return items;
      for (const x of items) d.set(x, ((d.get(x) as number | undefined) ?? 0) + 1);
      return d;
    }),
    deque: nativeClass('deque', [it.classes.object], {
      methods: {
        __construct__: (a) => {
          const source = a.positional[1] ?? a.keywords.get('iterable');
          const items = source === undefined || source === null ? [] : it.iterate(source);
          if (items instanceof Unknown) return items;
          const bound = a.positional[2] ?? a.keywords.get('maxlen') ?? null;
          const maxlen = bound === null ? null : intArg(bound);
          if (maxlen === null && bound !== null) return it.unknown('deque maxlen is not known');
          const d = new PyList(maxlen === null ? [...items] : items.slice(Math.max(0, items.length - maxlen)));
          d.typeName = 'deque';
          d.maxlen = maxlen;
          return d;
        },
        __instancecheck__: (a) => a.positional[1] instanceof PyList && a.positional[1].typeName === 'deque',
      },
    }),
  });
}

function namedtuple(it: Interpreter, a: CallArgs): Value {
  const [typename, fieldsArg] = a.positional;
  let fields: string[] = [];
  if (typeof fieldsArg === 'string') fields = fieldsArg.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  else {
    const items = it.iterate(fieldsArg ?? null);
    if (items instanceof Unknown) return items;
    fields = items.filter((x): x is string => typeof x === 'string');
  }
  const defaultsArg = a.keywords.get('defaults');
  const defaults = defaultsArg ? it.iterate(defaultsArg) : [];
  const dflt = defaults instanceof Unknown ? [] : defaults;
  const name = typeof typename === 'string' ? typename : 'namedtuple';
  const cls: PyClass = nativeClass(name, [it.classes.object], {
    methods: {
      __construct__: (b) => {
        const values: Value[] = [];
        fields.forEach((f, i) => {
          const v =
            i + 1 < b.positional.length
              ? b.positional[i + 1]
              : b.keywords.has(f)
                ? b.keywords.get(f)
                : dflt[i - (fields.length - dflt.length)];
          values.push(v === undefined ? it.raise('TypeError', `${name}() missing argument '${f}'`) : v);
        });
        const t = new PyTuple(values);
        t.fields = fields;
        t.typeName = name;
        return t;
      },
      __instancecheck__: (b) => b.positional[1] instanceof PyTuple && b.positional[1].typeName === name,
    },
  });
  cls.dict.set('_fields', new PyTuple(fields));
  return cls;
}

function typingModule(it: Interpreter, name: string): PyModule {
  const passthrough = builtin('typing', (a) => a.positional[0] ?? null);
  const anyType = it.classes.object;
  const entries: Record<string, Value> = {
    // the parameters of a generic alias are not kept: its pieces are Unknown, not an import failure
    get_args: builtin('get_args', () => it.unknown('typing.get_args: the parameters of a generic alias are not kept')),
    get_origin: builtin('get_origin', () => it.unknown('typing.get_origin: the origin of a generic alias is not kept')),
    cast: builtin('typing.cast', (a) => a.positional[1] ?? null),
    TYPE_CHECKING: false,
    overload: passthrough,
    final: passthrough,
    no_type_check: passthrough,
    TypeVar: builtin('TypeVar', () => anyType),
    NewType: builtin('NewType', (a) => a.positional[1] ?? anyType),
    get_type_hints: builtin('get_type_hints', () => new PyDict()),
    NamedTuple: namedTupleBase(it),
  };
  for (const n of [
    'Any',
    'Optional',
    'Union',
    'List',
    'Dict',
    'Tuple',
    'Set',
    'FrozenSet',
    'Callable',
    'Type',
    'Iterable',
    'Iterator',
    'Sequence',
    'Mapping',
    'MutableMapping',
    'Generator',
    'Literal',
    'ClassVar',
    'Generic',
    'Protocol',
    'Annotated',
    'Final',
    'Awaitable',
    'OrderedDict',
    'DefaultDict',
    'Deque',
    'Hashable',
    'Sized',
    'Collection',
    'Container',
    'MutableSequence',
    'AbstractSet',
  ])
    entries[n] = anyType;
  // the generic aliases are also constructors: typing.OrderedDict() makes an OrderedDict
  const collections = collectionsModule(it);
  Object.assign(entries, {
    Dict: it.classes.dict,
    List: it.classes.list,
    Tuple: it.classes.tuple,
    Set: it.classes.set,
    FrozenSet: it.classes.set,
    OrderedDict: collections.attrs.get('OrderedDict')!,
    DefaultDict: collections.attrs.get('defaultdict')!,
    Deque: collections.attrs.get('deque')!,
  });
  entries.Sequence = nativeClass('Sequence', [it.classes.object], {
    methods: {
      __instancecheck__: (a) =>
        a.positional[1] instanceof PyList || a.positional[1] instanceof PyTuple || typeof a.positional[1] === 'string',
    },
  });
  entries.Mapping = nativeClass('Mapping', [it.classes.object], {
    methods: { __instancecheck__: (a) => a.positional[1] instanceof PyDict },
  });
  entries.Iterable = nativeClass('Iterable', [it.classes.object], {
    methods: {
      __instancecheck__: (a) => {
        const v = a.positional[1];
        return (
          v instanceof PyList ||
          v instanceof PyTuple ||
          v instanceof PyDict ||
          v instanceof PySet ||
          typeof v === 'string' ||
          v instanceof PyIterator
        );
      },
    },
  });
  entries.Callable = nativeClass('Callable', [it.classes.object], {
    methods: { __instancecheck__: (a) => it.call(it.builtins.vars.get('callable')!, args(a.positional[1] ?? null)) },
  });
  return moduleOf(name, entries);
}

/** `class Point(NamedTuple): x: int; y: int = 0` — fields from annotations. */
function namedTupleBase(it: Interpreter): PyClass {
  const base: PyClass = nativeClass('NamedTuple', [it.classes.object], {
    methods: {
      __init_subclass_native__: (a) => {
        const cls = a.positional[0] as PyClass;
        const ann = cls.dict.get('__annotations__');
        const fields = ann instanceof PyDict ? ann.keys().filter((k): k is string => typeof k === 'string') : [];
        const nt = namedtuple(it, {
          positional: [cls.name, new PyList(fields)],
          keywords: new Map([['defaults', new PyList(fields.map((f) => cls.dict.get(f)).filter((v): v is Value => v !== undefined))]]),
        });
        if (nt instanceof PyClass)
          cls.native = {
            methods: { __construct__: nt.native!.methods!.__construct__, __instancecheck__: nt.native!.methods!.__instancecheck__ },
          };
        return null;
      },
    },
  });
  return base;
}

function dataclassesModule(it: Interpreter): PyModule {
  // what Field.default holds when a field has none
  const missing = new PyInstance(nativeClass('_MISSING_TYPE', [it.classes.object]));
  const fieldFn = builtin('dataclasses.field', (a) => {
    const spec = new PyDict();
    spec.typeName = '__dataclass_field__';
    for (const [k, v] of a.keywords) spec.set(k, v);
    return spec;
  });
  const decorate = (cls: Value, options: Map<string, Value>): Value => {
    if (!(cls instanceof PyClass)) return cls;
    makeDataclass(it, cls, options);
    return cls;
  };
  const dataclass = builtin('dataclass', (a) => {
    if (a.positional.length === 1) return decorate(a.positional[0] ?? null, a.keywords);
    return builtin('dataclass.inner', (b) => decorate(b.positional[0] ?? null, a.keywords));
  });
  return moduleOf('dataclasses', {
    MISSING: missing,
    dataclass,
    field: fieldFn,
    asdict: builtin('asdict', (a) => {
      const v = a.positional[0];
      return v instanceof PyInstance ? PyDict.of([...v.attrs]) : it.unknown('asdict of a non-dataclass');
    }),
    replace: builtin('replace', (a) => {
      const v = a.positional[0];
      if (!(v instanceof PyInstance)) return it.unknown('replace of a non-dataclass');
      const kw = new Map(v.attrs);
      for (const [k, x] of a.keywords) kw.set(k, x);
      return it.call(v.cls, { positional: [], keywords: kw });
    }),
    fields: builtin('fields', (a) => {
      const v = a.positional[0];
      const cls = v instanceof PyInstance ? v.cls : v instanceof PyClass ? v : undefined;
      return new PyTuple(
        (cls?.dataclassFields ?? []).map((f) =>
          moduleOf('Field', {
            name: f.name,
            default: f.default !== undefined ? f.default : missing,
            default_factory: f.factory !== undefined ? f.factory : missing,
            init: true,
          }),
        ),
      );
    }),
    is_dataclass: builtin('is_dataclass', (a) => {
      const v = a.positional[0];
      return (v instanceof PyInstance ? v.cls : v instanceof PyClass ? v : undefined)?.dataclassFields !== undefined;
    }),
  });
}

function makeDataclass(it: Interpreter, cls: PyClass, _options: Map<string, Value>): void {
  const inherited = cls.mro
    .slice(1)
    .reverse()
    .flatMap((c) => c.dataclassFields ?? []);
  const fields = new Map(inherited.map((f) => [f.name, f]));
  const ann = cls.dict.get('__annotations__');
  if (ann instanceof PyDict)
    for (const [k, typeText] of ann.entries.values()) {
      if (typeof k !== 'string' || (typeof typeText === 'string' && typeText.startsWith('ClassVar'))) continue;
      const raw = cls.dict.get(k);
      if (raw instanceof PyDict && raw.typeName === '__dataclass_field__') {
        const factory = raw.get('default_factory');
        const d = raw.get('default');
        fields.set(k, { name: k, default: d, factory: factory ?? undefined });
        if (d !== undefined) cls.dict.set(k, d);
        else cls.dict.delete(k);
      } else fields.set(k, { name: k, default: raw });
    }
  cls.dataclassFields = [...fields.values()];
  if (!cls.dict.has('__init__') || cls.dict.get('__init__') instanceof PyBuiltin)
    cls.dict.set(
      '__init__',
      builtin(`${cls.name}.__init__`, (a) => {
        const [self, ...pos] = a.positional;
        if (!(self instanceof PyInstance)) return null;
        const list = self.cls.dataclassFields ?? cls.dataclassFields!;
        list.forEach((f, i) => {
          let v: Value | undefined = i < pos.length ? pos[i] : a.keywords.get(f.name);
          if (v === undefined) v = f.factory !== undefined ? it.call(f.factory, NO_ARGS) : f.default;
          if (v === undefined) it.raise('TypeError', `${cls.name}.__init__() missing required argument '${f.name}'`);
          it.setAttr(self, f.name, v);
        });
        const post = self.cls.lookup('__post_init__');
        if (post) it.call(it.bindIfFunction(post, self), NO_ARGS);
        return null;
      }),
    );
}

function copyModule(it: Interpreter): PyModule {
  const shallow = (v: Value, deep: boolean): Value => {
    if (v instanceof PyList) return new PyList(deep ? v.items.map((x) => shallow(x, true)) : [...v.items]);
    if (v instanceof PyDict) {
      const d = PyDict.of([...v.entries.values()].map(([k, x]) => [k, deep ? shallow(x, true) : x]));
      d.typeName = v.typeName;
      return d;
    }
    if (v instanceof PyInstance) {
      const hooks = v.cls.instanceAttrHooks();
      if (hooks?.copy) return hooks.copy(v, deep, it);
      const c = new PyInstance(v.cls);
      for (const [k, x] of v.attrs) c.attrs.set(k, deep ? shallow(x, true) : x);
      c.payload = v.payload;
      return c;
    }
    // foreign values (tensors) are shared, as are immutable values
    return v;
  };
  return moduleOf('copy', {
    copy: builtin('copy.copy', (a) => shallow(a.positional[0] ?? null, false)),
    deepcopy: builtin('copy.deepcopy', (a) => shallow(a.positional[0] ?? null, true)),
  });
}

function itertoolsModule(it: Interpreter): PyModule {
  const lists = (a: CallArgs): Value[][] | Unknown => {
    const out: Value[][] = [];
    for (const p of a.positional) {
      const items = it.iterate(p);
      if (items instanceof Unknown) return items;
      out.push(items);
    }
    return out;
  };
  return moduleOf('itertools', {
    chain: Object.assign(
      builtin('chain', (a) => {
        const l = lists(a);
        return l instanceof Unknown ? l : new PyIterator(l.flat());
      }),
      {
        attrs: new Map<string, Value>([
          [
            'from_iterable',
            builtin('chain.from_iterable', (a) => {
              const outer = it.iterate(a.positional[0] ?? null);
              if (outer instanceof Unknown) return outer;
              const l = lists({ positional: outer, keywords: new Map() });
              return l instanceof Unknown ? l : new PyIterator(l.flat());
            }),
          ],
        ]),
      },
    ),
    product: builtin('product', (a) => {
      const l = lists(a);
      if (l instanceof Unknown) return l;
      const repeat = intArg(a.keywords.get('repeat')) ?? 1;
      const pools = Array.from({ length: Math.min(repeat, 64) }, () => l).flat();
      const count = pools.reduce((n, pool) => n * pool.length, 1);
      if (!fitsOneValue(count * (pools.length + 1))) return it.notBuilt('sequence', notMaterialised('sequence', count));
      let acc: Value[][] = [[]];
      for (const pool of pools) acc = acc.flatMap((prefix) => pool.map((x) => [...prefix, x]));
      return new PyIterator(acc.map((t) => new PyTuple(t)));
    }),
    repeat: builtin('repeat', (a) => {
      const n = intArg(a.positional[1] ?? a.keywords.get('times'));
      if (n === null) return it.unknown('itertools.repeat without a count');
      if (!fitsOneValue(n)) return it.notBuilt('sequence', notMaterialised('sequence', n));
      return new PyIterator(Array.from({ length: n }, () => a.positional[0] ?? null));
    }),
    accumulate: builtin('accumulate', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      const out: Value[] = [];
      let acc: Value | undefined = a.keywords.get('initial');
      if (acc !== undefined && acc !== null) out.push(acc);
      for (const x of items) {
        acc = acc === undefined || acc === null ? x : it.binary('+', acc, x, false);
        out.push(acc);
      }
      return new PyIterator(out);
    }),
    islice: builtin('islice', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      const stop = intArg(a.positional[a.positional.length > 2 ? 2 : 1]) ?? items.length;
      const start = a.positional.length > 2 ? (intArg(a.positional[1]) ?? 0) : 0;
      const step = a.positional.length > 3 ? (intArg(a.positional[3]) ?? 1) : 1;
      return new PyIterator(items.slice(start, stop).filter((_, i) => i % step === 0));
    }),
    combinations: builtin('combinations', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      const r = intArg(a.positional[1] ?? a.keywords.get('r') ?? null);
      if (items instanceof Unknown) return items;
      if (r === null) return it.unknown('combinations() length unknown');
      const out: Value[] = [];
      const pick = (from: number, chosen: Value[]) => {
        if (chosen.length === r) return void out.push(new PyTuple(chosen));
        for (let i = from; i < items.length; i++) pick(i + 1, [...chosen, items[i]]);
      };
      pick(0, []);
      return new PyIterator(out);
    }),
    permutations: builtin('permutations', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      const r = intArg(a.positional[1] ?? a.keywords.get('r') ?? null) ?? items.length;
      const out: Value[] = [];
      const pick = (used: boolean[], chosen: Value[]) => {
        if (chosen.length === r) return void out.push(new PyTuple(chosen));
        items.forEach((x, i) => {
          if (used[i]) return;
          used[i] = true;
          pick(used, [...chosen, x]);
          used[i] = false;
        });
      };
      pick([], []);
      return new PyIterator(out);
    }),
    count: builtin('count', () => it.unknown('itertools.count is unbounded')),
    zip_longest: builtin('zip_longest', (a) => {
      const l = lists(a);
      if (l instanceof Unknown) return l;
      const n = Math.max(0, ...l.map((x) => x.length));
      return new PyIterator(Array.from({ length: n }, (_, i) => new PyTuple(l.map((x) => x[i] ?? a.keywords.get('fillvalue') ?? null))));
    }),
    pairwise: builtin('pairwise', (a) => {
      const items = it.iterate(a.positional[0] ?? null);
      if (items instanceof Unknown) return items;
      return new PyIterator(items.slice(1).map((x, i) => new PyTuple([items[i], x])));
    }),
  });
}

function operatorModule(it: Interpreter): PyModule {
  const bin = (op: string) => builtin(`operator.${op}`, (a) => it.binary(op, a.positional[0] ?? null, a.positional[1] ?? null, false));
  return moduleOf('operator', {
    add: bin('+'),
    sub: bin('-'),
    mul: bin('*'),
    truediv: bin('/'),
    floordiv: bin('//'),
    mod: bin('%'),
    matmul: bin('@'),
    itemgetter: builtin('itemgetter', (a) =>
      builtin('itemgetter.inner', (b) => it.getItem(b.positional[0] ?? null, a.positional[0] ?? null)),
    ),
    attrgetter: builtin('attrgetter', (a) =>
      builtin('attrgetter.inner', (b) =>
        typeof a.positional[0] === 'string' ? it.getAttr(b.positional[0] ?? null, a.positional[0]) : it.unknown('attrgetter'),
      ),
    ),
    index: builtin('operator.index', (a) =>
      typeof a.positional[0] === 'number' || a.positional[0] instanceof SymInt ? a.positional[0] : it.unknown('operator.index'),
    ),
  });
}

/**
 * What libraries use to find their compiled extensions (torchvision's `_C`): a finder's spec has an
 * unknown origin, since extension files are never read; the ops they register are modelled natively.
 */
function importlibMachinery(it: Interpreter): PyModule {
  const spec = (name: Value) => {
    const s = new PyInstance(it.classes.object);
    s.attrs.set('name', name);
    s.attrs.set('origin', it.unknown('the file of a compiled extension is not read'));
    return s;
  };
  const FileFinder = nativeClass('FileFinder', [it.classes.object], {
    methods: {
      __init__: () => null,
      find_spec: (a) => spec(a.positional[1] ?? null),
    },
  });
  return moduleOf('importlib.machinery', {
    FileFinder,
    ExtensionFileLoader: nativeClass('ExtensionFileLoader', [it.classes.object]),
    EXTENSION_SUFFIXES: new PyList(['.cpython-311-x86_64-linux-gnu.so', '.abi3.so', '.so']),
  });
}

function simpleNamespace(it: Interpreter): PyClass {
  return nativeClass('SimpleNamespace', [it.classes.object], {
    methods: {
      __init__: (a) => {
        const self = a.positional[0];
        if (self instanceof PyInstance) for (const [k, v] of a.keywords) self.attrs.set(k, v);
        return null;
      },
    },
  });
}
