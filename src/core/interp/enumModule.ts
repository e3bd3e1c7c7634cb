// enum: Enum, IntEnum, StrEnum, Flag, IntFlag and auto. Members are instances of their class
// made when the class body has run; members of a class that mixes in int or str also act as
// their value in arithmetic, comparison, hashing and str methods (values.ts `enumMixinValue`).
import type { Interpreter } from './interpreter';
import { builtin, moduleOf, nativeClass } from './native';
import { scalarEquals } from './operators';
import {
  PyBuiltin,
  PyClass,
  PyClassMethod,
  PyDict,
  PyFunction,
  PyInstance,
  PyList,
  PyModule,
  PyProperty,
  PyStaticMethod,
  type CallArgs,
  type Value,
} from './values';

export function enumModule(it: Interpreter): PyModule {
  const autoCls = nativeClass('auto', [it.classes.object]);
  const members = (cls: PyClass): PyInstance[] =>
    [...((cls.dict.get('__members__') as PyDict | undefined)?.values() ?? [])].filter((m): m is PyInstance => m instanceof PyInstance);

  const construct = (a: CallArgs): Value => {
    const [cls, value] = a.positional;
    if (!(cls instanceof PyClass)) return it.unknown('Enum()');
    if (value instanceof PyInstance && value.cls.isSubclassOf(cls)) return value;
    for (const m of members(cls)) {
      const v = m.attrs.get('_value_') ?? null;
      if (v === value || scalarEquals(v, value ?? null) === true) return m;
    }
    return it.raise('ValueError', `${it.repr(value ?? null)} is not a valid ${cls.name}`);
  };

  const Enum: PyClass = nativeClass('Enum', [it.classes.object], {
    methods: {
      __init_subclass_native__: (a) => {
        const cls = a.positional[0] as PyClass;
        // the class's own construction, not that of a mixed-in int or str
        cls.native = { ...cls.native, methods: { ...cls.native?.methods, __construct__: construct } };
        const mixin = [it.classes.int, it.classes.str, it.classes.float].some((c) => cls.isSubclassOf(c));
        const table = new PyDict();
        for (const base of cls.mro.slice(1)) {
          const inherited = base.dict.get('__members__');
          if (inherited instanceof PyDict && inherited.keys().length)
            return it.raise('TypeError', `${cls.name}: cannot extend ${base.name}`);
        }
        const lastValues: Value[] = [];
        for (const [k, raw] of [...cls.dict]) {
          if (k.startsWith('_') || isDescriptorLike(raw)) continue;
          const made = table.values();
          if (made.includes(raw)) continue;
          const value = raw instanceof PyInstance && raw.cls === autoCls ? nextValue(it, cls, k, lastValues, Flag, StrEnum) : raw;
          const existing = made.find((m) => m instanceof PyInstance && scalarEquals(m.attrs.get('_value_') ?? null, value) === true);
          if (existing) {
            cls.dict.set(k, existing); // an alias of an earlier member
            continue;
          }
          lastValues.push(value);
          const member = new PyInstance(cls);
          member.payload = mixin ? { enumValue: value, mixinValue: value } : { enumValue: value };
          for (const [n, v] of [
            ['name', k],
            ['value', value],
            ['_name_', k],
            ['_value_', value],
          ] as const)
            member.attrs.set(n, v);
          cls.dict.set(k, member);
          table.set(k, member);
        }
        cls.dict.set('__members__', table);
        return null;
      },
      __construct__: construct,
    },
  });
  Enum.dict.set('__members__', new PyDict());
  // iteration and len() over the class: its members in definition order (EnumMeta.__iter__)
  Enum.dict.set(
    '__class_iter__',
    new PyClassMethod(
      builtin('Enum.__iter__', (a) =>
        a.positional[0] instanceof PyClass ? new PyList(members(a.positional[0])) : it.unknown('Enum iteration'),
      ),
    ),
  );
  // MyEnum["NAME"]
  Enum.dict.set(
    '__class_getitem__',
    new PyClassMethod(
      builtin('Enum.__class_getitem__', (a) => {
        const [cls, key] = a.positional;
        if (!(cls instanceof PyClass) || typeof key !== 'string') return it.unknown('Enum lookup');
        const m = (cls.dict.get('__members__') as PyDict | undefined)?.get(key);
        return m ?? it.raise('KeyError', key);
      }),
    ),
  );
  const IntEnum = nativeClass('IntEnum', [it.classes.int, Enum]);
  const StrEnum = nativeClass('StrEnum', [it.classes.str, Enum]);
  const Flag = nativeClass('Flag', [Enum]);
  const IntFlag = nativeClass('IntFlag', [it.classes.int, Flag]);
  return moduleOf('enum', {
    EnumMeta: it.classes.type,
    EnumType: it.classes.type,
    Enum,
    IntEnum,
    StrEnum,
    Flag,
    IntFlag,
    auto: autoCls,
    unique: builtin('unique', (a) => a.positional[0] ?? null),
  });
}

function isDescriptorLike(v: Value): boolean {
  return (
    v instanceof PyFunction ||
    v instanceof PyClassMethod ||
    v instanceof PyStaticMethod ||
    v instanceof PyProperty ||
    v instanceof PyBuiltin ||
    v instanceof PyClass
  );
}

/** auto(): the class's _generate_next_value_, else a lowercased name (StrEnum), the next power of two (Flag) or last + 1. */
function nextValue(it: Interpreter, cls: PyClass, name: string, last: Value[], Flag: PyClass, StrEnum: PyClass): Value {
  const custom = cls.lookup('_generate_next_value_');
  if (custom instanceof PyFunction || custom instanceof PyStaticMethod)
    return it.call(custom instanceof PyStaticMethod ? custom.fn : custom, {
      positional: [name, 1, last.length, new PyList([...last])],
      keywords: new Map(),
    });
  if (cls.isSubclassOf(StrEnum)) return name.toLowerCase();
  const ints = last.filter((v): v is number => typeof v === 'number');
  if (cls.isSubclassOf(Flag)) return ints.length ? 2 ** Math.floor(Math.log2(Math.max(...ints)) + 1) : 1;
  const prev = last[last.length - 1];
  return typeof prev === 'number' ? prev + 1 : 1;
}
