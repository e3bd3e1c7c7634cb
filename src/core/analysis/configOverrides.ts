// `--set` on config objects. A key names a module constant (`n_layer`) or a path of attributes
// and dict keys (`model.n_layer`, `MODEL.BACKBONE.DEPTH`). A path whose first name is a
// module-level name is applied after the module code ran; any other path, and every plain name,
// is applied to the arguments of the model's constructor or builder after they were evaluated and
// before the call: the config is built as the code builds it, then changed, then read by the
// model. Every change is undone after the analysis (configs may live in imported modules).
import type { Interpreter } from '../interp/interpreter';
import { PyRaise } from '../interp/signals';
import {
  PyBoundMethod,
  PyBuiltin,
  PyClass,
  PyDict,
  PyFunction,
  PyInstance,
  PyModule,
  PyProperty,
  Unknown,
  typeName,
  type Value,
} from '../interp/values';
import { isModuleClass } from '../torch/moduleAttrs';

export type Undo = () => void;

export function runUndo(undo: Undo[]): void {
  for (const u of undo.splice(0).reverse()) u();
}

/** Objects whose attributes or keys configure a model: not layers, tensors, functions or numbers. */
export function isConfigObject(v: Value | undefined): boolean {
  if (v instanceof PyDict) return true;
  if (v instanceof PyInstance) return !v.module && !isModuleClass(v.cls);
  if (v instanceof PyClass) return v.def !== undefined && !isModuleClass(v);
  return v instanceof PyModule;
}

/** An argument of the entry call, with the parameter it binds to when known. */
export interface BoundArgument {
  param?: string;
  value: Value;
}

/** The value of attribute or key `name` of a config object; undefined when it has none (methods don't count). */
export function configMember(it: Interpreter, obj: Value, name: string): Value | undefined {
  if (obj instanceof PyDict) return obj.get(name);
  if (!(obj instanceof PyInstance || obj instanceof PyClass || obj instanceof PyModule)) return undefined;
  let v: Value | undefined;
  try {
    v = it.lookupAttr(obj, name);
    if (v === undefined && obj instanceof PyInstance && obj.cls.lookup('__getattr__')) v = it.getAttr(obj, name);
  } catch (e) {
    if (e instanceof PyRaise) return undefined;
    throw e;
  }
  if (v instanceof PyFunction || v instanceof PyBoundMethod || v instanceof PyBuiltin) return undefined;
  return v;
}

/**
 * Sets `path` under `root` to `value`, recording how to undo it; returns why not when a name on
 * the path is missing (a typo must not pass silently). An unknown config stays unknown.
 */
export function setConfigPath(it: Interpreter, root: Value, path: string[], value: Value, undo: Undo[]): string | undefined {
  let obj = root;
  for (let i = 0; i < path.length; i++) {
    if (obj instanceof Unknown) return undefined;
    const current = configMember(it, obj, path[i]);
    if (current === undefined) return `${describeConfig(obj)} has no attribute or key '${path[i]}'`;
    if (i === path.length - 1) {
      setMember(it, obj, path[i], value, current, undo);
      return undefined;
    }
    if (!isConfigObject(current) && !(current instanceof Unknown))
      return `'${path.slice(0, i + 1).join('.')}' is not a config object (${describeConfig(current)})`;
    obj = current;
  }
  return undefined;
}

/**
 * Applies the overrides to the arguments of the entry call: a plain name to every config argument
 * that has it; a path to the argument its first name binds to (`config.n_layer` for
 * `GPT(config)`), else to the first config argument that has that first name. Returns the paths
 * that reached no argument, and the first error.
 */
export function applyToArguments(
  it: Interpreter,
  args: BoundArgument[],
  overrides: { key: string; value: () => Value }[],
  undo: Undo[],
): { unresolved: string[]; error?: string } {
  const unresolved: string[] = [];
  const configs = args.filter((a) => isConfigObject(a.value));
  for (const { key, value } of overrides) {
    const path = key.split('.');
    if (path.length === 1) {
      for (const a of configs)
        if (configMember(it, a.value, key) !== undefined) {
          const error = setConfigPath(it, a.value, path, value(), undo);
          if (error) return { unresolved, error: `--set ${key}: ${error}` };
        }
      continue;
    }
    const named = args.find((a) => a.param === path[0]);
    const holder = configs.find((a) => configMember(it, a.value, path[0]) !== undefined);
    const target = named ? { root: named.value, rest: path.slice(1) } : holder ? { root: holder.value, rest: path } : undefined;
    if (!target) {
      unresolved.push(key);
      continue;
    }
    const error = setConfigPath(it, target.root, target.rest, value(), undo);
    if (error) return { unresolved, error: `--set ${key}: ${error}` };
  }
  return { unresolved };
}

function setMember(it: Interpreter, obj: Value, name: string, value: Value, old: Value, undo: Undo[]): void {
  // a dict subclass's item (yacs' CfgNode): set in its items, past its __setattr__ (a frozen config too)
  const items = obj instanceof PyInstance && !obj.attrs.has(name) && obj.payload instanceof PyDict ? obj.payload : undefined;
  if (items?.has(name)) return setMember(it, items, name, value, old, undo);
  if (obj instanceof PyDict) {
    const had = obj.has(name);
    obj.set(name, value);
    undo.push(() => (had ? obj.set(name, old) : obj.delete(name)));
  } else if (obj instanceof PyInstance) {
    if (obj.cls.lookup(name) instanceof PyProperty) {
      it.setAttr(obj, name, value);
      undo.push(() => it.setAttr(obj, name, old));
      return;
    }
    const had = obj.attrs.has(name);
    obj.attrs.set(name, value);
    undo.push(() => (had ? obj.attrs.set(name, old) : obj.attrs.delete(name)));
  } else if (obj instanceof PyClass) {
    // a class attribute (class Config: depth = 4), and a dataclass field's default
    const had = obj.dict.has(name);
    const previous = obj.dict.get(name);
    obj.dict.set(name, value);
    const field = obj.dataclassFields?.find((f) => f.name === name);
    const fieldDefault = field?.default;
    if (field) field.default = value;
    undo.push(() => {
      if (had) obj.dict.set(name, previous!);
      else obj.dict.delete(name);
      if (field) field.default = fieldDefault;
    });
  } else if (obj instanceof PyModule) {
    obj.attrs.set(name, value);
    undo.push(() => obj.attrs.set(name, old));
  }
}

function describeConfig(v: Value): string {
  if (v instanceof PyDict) return 'the dict';
  if (v instanceof PyInstance) return `the ${v.cls.name} object`;
  if (v instanceof PyClass) return `class ${v.name}`;
  if (v instanceof PyModule) return `module ${v.name}`;
  return typeName(v);
}
