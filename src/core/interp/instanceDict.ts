// An instance's or a module's `__dict__`, and `globals()`: a dict whose writes reach the
// attributes (names), so `self.__dict__.update(kwargs)`, `self.__dict__[k] = v` and
// `globals()[k] = v` set them as in Python.
import { dictPayload } from './dictSubclass';
import { PyDict, PyInstance, type Value } from './values';

export class InstanceDict extends PyDict {
  constructor(
    private readonly attrs: Map<string, Value>,
    /** How a write binds a name (a module scope's keeps names fixed by --set). */
    private readonly assign: (name: string, value: Value) => void = (name, value) => attrs.set(name, value),
  ) {
    super();
    for (const [k, v] of attrs) super.set(k, v);
  }

  override set(key: Value, value: Value): void {
    super.set(key, value);
    if (typeof key === 'string') this.assign(key, value);
  }

  override delete(key: Value): boolean {
    if (typeof key === 'string') this.attrs.delete(key);
    return super.delete(key);
  }

  /** Whether this dict is the one holding `attrs` (an instance whose items are its attributes). */
  holds(attrs: Map<string, Value>): boolean {
    return this.attrs === attrs;
  }
}

/**
 * `obj.__dict__ = value`: the instance's attributes become the dict's string keys. A dict
 * subclass that adopts itself (`self.__dict__ = self`, attribute dicts) keeps its items and
 * attributes one: its items move to a dict over the attributes, so `h.k` and `h['k']` read and
 * write the same entry. False when `value` is no dict (the caller sets it as a plain attribute).
 */
export function replaceInstanceDict(obj: PyInstance, value: Value): boolean {
  const source = value instanceof PyInstance ? (value.payload instanceof PyDict ? value.payload : undefined) : dictPayload(value);
  if (!source) return false;
  const entries = [...source.entries.values()];
  obj.attrs.clear();
  if (value === obj) {
    const shared = new InstanceDict(obj.attrs);
    for (const [k, v] of entries) shared.set(k, v);
    obj.payload = shared;
  } else {
    for (const [k, v] of entries) if (typeof k === 'string') obj.attrs.set(k, v);
  }
  return true;
}

/** The dict an instance shares its attributes with, if it adopted itself as its `__dict__`. */
export function sharedItems(obj: PyInstance): InstanceDict | undefined {
  return obj.payload instanceof InstanceDict && obj.payload.holds(obj.attrs) ? obj.payload : undefined;
}
