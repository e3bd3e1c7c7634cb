// Instances of user subclasses of dict (yacs' CfgNode, attribute dicts): the instance keeps its
// class, attributes and methods, and its items live in a dict payload that dict's own methods
// (`super().__init__(d)`, `self[k]`, `k in self`, `self.items()`, `len(self)`) act on.
import type { Interpreter } from './interpreter';
import { PyClass, PyDict, PyInstance, PyList, Unknown, type CallArgs, type NativeFn, type Value } from './values';

/** The items of a dict-subclass instance (created empty on first use), or the dict itself. */
export function dictPayload(v: Value | undefined): PyDict | undefined {
  if (v instanceof PyDict) return v;
  if (!(v instanceof PyInstance)) return undefined;
  if (!(v.payload instanceof PyDict)) v.payload = new PyDict();
  return v.payload as PyDict;
}

/** dict's methods for subclass instances; `makeDict` builds a dict from dict()'s arguments. */
export function dictSubclassMethods(it: Interpreter, makeDict: (a: CallArgs) => Value): Record<string, NativeFn> {
  const rest = (a: CallArgs): CallArgs => ({ positional: a.positional.slice(1), keywords: a.keywords });
  const self = (a: CallArgs): PyDict => dictPayload(a.positional[0]) ?? it.raise('TypeError', "descriptor requires a 'dict' object");
  // dict's named methods (keys, items, get, update, pop, ...) act on the payload as on a dict
  const named =
    (name: string): NativeFn =>
    (a) =>
      it.call(it.getAttr(self(a), name), rest(a));
  const methods: Record<string, NativeFn> = {
    // dict(...) makes a dict; a subclass without its own __init__ (class AttrDict(dict)) an instance
    __construct__: (a) => {
      const cls = a.positional[0];
      if (!(cls instanceof PyClass) || !cls.def) return makeDict(rest(a));
      const inst = new PyInstance(cls);
      const init = methods.__init__({ positional: [inst, ...a.positional.slice(1)], keywords: a.keywords }, it);
      return init instanceof Unknown ? init : inst;
    },
    __init__: (a) => {
      const made = makeDict(rest(a));
      if (made instanceof Unknown) return made;
      const d = self(a);
      if (made instanceof PyDict) for (const [k, v] of made.entries.values()) d.set(k, v);
      return null;
    },
    __getitem__: (a) => it.getItem(self(a), a.positional[1] ?? null),
    __setitem__: (a) => {
      it.setItem(self(a), a.positional[1] ?? null, a.positional[2] ?? null);
      return null;
    },
    __delitem__: (a) => {
      if (!self(a).delete(a.positional[1] ?? null)) it.raise('KeyError', it.repr(a.positional[1] ?? null));
      return null;
    },
    __contains__: (a) => self(a).has(a.positional[1] ?? null),
    __len__: (a) => self(a).entries.size,
    __iter__: (a) => new PyList(self(a).keys()),
  };
  for (const name of ['keys', 'values', 'items', 'get', 'update', 'pop', 'setdefault', 'copy', 'clear', 'popitem'])
    methods[name] = named(name);
  return methods;
}
