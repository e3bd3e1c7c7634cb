// An instance's or a module's `__dict__`, and `globals()`: a dict whose writes reach the
// attributes (names), so `self.__dict__.update(kwargs)`, `self.__dict__[k] = v` and
// `globals()[k] = v` set them as in Python.
import { PyDict, type Value } from './values';

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
}
