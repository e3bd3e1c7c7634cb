// Small helpers for writing natively implemented Python functions and classes.
import { bindNative, parseSignature, type NativeParam } from './callArgs';
import type { Interpreter } from './interpreter';
import { numericValue } from './operators';
import { PyBuiltin, PyClass, PyFloat, PyModule, Unknown, type CallArgs, type NativeClassHooks, type NativeFn, type Value } from './values';

export const NO_ARGS: CallArgs = { positional: [], keywords: new Map() };

export function args(...positional: Value[]): CallArgs {
  return { positional, keywords: new Map() };
}

export function builtin(name: string, fn: NativeFn): PyBuiltin {
  return new PyBuiltin(name, fn);
}

/**
 * A native function with a Python-style signature: `fnSig('max_pool2d', 'input, kernel_size, stride=None', (a) => ...)`.
 * Arguments arrive bound by name; a binding error raises TypeError as Python would.
 */
export function fnSig(
  name: string,
  signature: string,
  body: (a: Map<string, Value>, it: Interpreter, rest: { positional: Value[]; keywords: Map<string, Value> }) => Value,
): PyBuiltin {
  const sig: NativeParam[] = parseSignature(signature);
  return new PyBuiltin(name, (callArgs, it) => {
    const b = bindNative(name, sig, callArgs);
    if (!b.ok) return it.raise('TypeError', b.error);
    return body(b.values, it, { positional: b.restPositional, keywords: b.restKeywords });
  });
}

export function nativeClass(name: string, bases: PyClass[], hooks: NativeClassHooks = {}, layerType?: string): PyClass {
  const cls = new PyClass(name, bases, hooks, layerType);
  cls.mro = [cls, ...linearBases(bases)];
  cls.dict.set('__name__', name);
  return cls;
}

function linearBases(bases: PyClass[]): PyClass[] {
  const out: PyClass[] = [];
  for (const b of bases) for (const c of b.mro) if (!out.includes(c)) out.push(c);
  return out;
}

export function moduleOf(name: string, entries: Record<string, Value>): PyModule {
  const m = new PyModule(name);
  for (const [k, v] of Object.entries(entries)) m.attrs.set(k, v);
  m.attrs.set('__name__', name);
  return m;
}

/** An integer argument, or null when it is not a known int. */
export function intArg(v: Value | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

export function floatArg(v: Value | undefined): number | null {
  return v === undefined ? null : numericValue(v);
}

export function isUnknownValue(v: Value | undefined): v is Unknown {
  return v instanceof Unknown;
}

export function pyFloat(n: number): PyFloat {
  return new PyFloat(n);
}
