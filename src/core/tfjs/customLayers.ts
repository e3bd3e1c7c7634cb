// Custom layers (classes extending tf.layers.Layer): the layer's own computeOutputShape() and
// build() run in the evaluator, and the weights build() makes with this.addWeight(...) are
// its parameters, as TF.js counts them. Its call() is not costed: MACs stay unknown.
import { ConfigError, type Shape } from './config';
import type { TfLayerSpec, Weight } from './layers';
import { JsClass, JsObject, Unknown, describeValue, type HostContext, type Value } from './values';

/** Weights recorded by addWeight while a custom layer's build() runs. */
const building = new WeakMap<JsObject, Weight[]>();

/** tf.layers.Layer.prototype.addWeight(name, shape, dtype, initializer, regularizer, trainable). */
export function recordWeight(self: Value, args: Value[]): Value {
  const list = self instanceof JsObject ? building.get(self) : undefined;
  if (!list) return new Unknown('addWeight outside build() is not analyzed');
  const [name, shape, , , , trainable] = args;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number'))
    throw new ConfigError(`addWeight(${describeValue(name)}) has shape ${describeValue(shape)}, not a list of numbers`);
  list.push({
    name: typeof name === 'string' ? name : 'weight',
    shape: shape as number[],
    trainable: trainable === undefined || trainable === null ? true : Boolean(trainable),
  });
  return new Unknown(`the weight ${describeValue(name)} holds values only at run time`);
}

export function isCustomLayerObject(v: Value, isLayerBase: (base: Value) => boolean): v is JsObject {
  if (!(v instanceof JsObject) || !v.cls) return false;
  let c: Value = v.cls;
  while (c instanceof JsClass) c = c.superClass;
  return isLayerBase(c);
}

/** A catalogue entry made from the layer object's own methods. */
export function customLayerSpec(obj: JsObject, ctx: HostContext): TfLayerSpec {
  const cls = obj.cls!;
  const arg = (input: Shape[]): Value => (input.length === 1 ? [...input[0]] : input.map((s) => [...s]));
  const run = (method: string, input: Shape[]): Value => {
    const fn = cls.lookup(method);
    if (!fn) return undefined;
    try {
      return ctx.call(fn, obj, [arg(input)]);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const why = e && typeof e === 'object' && 'message' in e ? String((e as { message: unknown }).message) : String(e);
      throw new ConfigError(`${cls.name}.${method}() did not finish: ${why}`);
    }
  };
  return {
    className: cls.name,
    anyInputs: true,
    unknownCost: `custom layer class ${cls.name}: its call() is not costed, so its MACs are unknown`,
    weights: (_c, input) => {
      const list: Weight[] = [];
      building.set(obj, list);
      try {
        run('build', input);
      } finally {
        building.delete(obj);
      }
      return list;
    },
    outputShape: (_c, input) => {
      if (!cls.lookup('computeOutputShape')) return input.length === 1 ? [...input[0]] : input;
      const out = run('computeOutputShape', input);
      const shape = (v: Value): Shape => {
        if (!Array.isArray(v) || !v.every((d) => d === null || typeof d === 'number'))
          throw new ConfigError(`${cls.name}.computeOutputShape() gave ${describeValue(v)}, not a shape`);
        return v as Shape;
      };
      if (Array.isArray(out) && out.length > 0 && out.every((x) => Array.isArray(x))) return out.map(shape);
      return shape(out);
    },
  };
}
