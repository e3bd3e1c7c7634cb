// An instance's `__dict__`: a dict whose writes reach the instance's attributes, so
// `self.__dict__.update(kwargs)` and `self.__dict__[k] = v` set attributes as in Python.
import { PyDict, type Value } from './values';

export class InstanceDict extends PyDict {
  constructor(private readonly attrs: Map<string, Value>) {
    super();
    for (const [k, v] of attrs) super.set(k, v);
  }

  override set(key: Value, value: Value): void {
    super.set(key, value);
    if (typeof key === 'string') this.attrs.set(key, value);
  }

  override delete(key: Value): boolean {
    if (typeof key === 'string') this.attrs.delete(key);
    return super.delete(key);
  }
}
