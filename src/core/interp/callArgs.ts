// Binding call arguments to parameters the way Python does: positional, keyword,
// defaults, *args and **kwargs.
import type { Param } from '../python/ast';
import { PyDict, PyFloat, PyTuple, type CallArgs, type Value } from './values';

export type BindResult = { ok: true; locals: Map<string, Value> } | { ok: false; error: string };

/**
 * What binding needs to know of a parameter list, worked out once per list: calls are many,
 * parameter lists few (a def's list lives as long as its AST).
 */
interface BindPlan {
  /** The parameters positional arguments fill, in order (those before `*args`). */
  readonly positional: readonly Param[];
  readonly varargs: Param | undefined;
  readonly varkw: Param | undefined;
  /** The parameters a keyword may name (not positional-only, not `*args` / `**kwargs`), by name. */
  readonly byKeyword: ReadonlyMap<string, Param>;
  /** Every parameter but `*args` / `**kwargs`, in order: missing ones take their defaults. */
  readonly named: readonly Param[];
  /** Whether `positional` is the start of `named` (always, for a list Python accepts). */
  readonly positionalFirst: boolean;
}

const plans = new WeakMap<readonly Param[], BindPlan>();

function planOf(params: readonly Param[]): BindPlan {
  let plan = plans.get(params);
  if (plan) return plan;
  const positional: Param[] = [];
  const byKeyword = new Map<string, Param>();
  const named: Param[] = [];
  let varargs: Param | undefined;
  let varkw: Param | undefined;
  for (const p of params) {
    if (p.kind === 'varargs') {
      varargs = p;
      continue;
    }
    if (p.kind === 'varkw') {
      varkw = p;
      continue;
    }
    named.push(p);
    if ((p.kind === 'pos' || p.kind === 'posonly') && !varargs) positional.push(p);
    if (p.kind !== 'posonly' && !byKeyword.has(p.name)) byKeyword.set(p.name, p);
  }
  const positionalFirst = positional.every((p, i) => named[i] === p);
  plans.set(params, (plan = { positional, varargs, varkw, byKeyword, named, positionalFirst }));
  return plan;
}

export function bindArguments(fnName: string, params: readonly Param[], defaults: ReadonlyMap<string, Value>, args: CallArgs): BindResult {
  const plan = planOf(params);
  const locals = new Map<string, Value>();
  const positional = args.positional;
  const slots = plan.positional;
  const filled = positional.length < slots.length ? positional.length : slots.length;
  for (let i = 0; i < filled; i++) locals.set(slots[i].name, positional[i]);
  const { varargs, varkw } = plan;
  if (varargs) locals.set(varargs.name, new PyTuple(positional.slice(filled)));
  else if (filled < positional.length)
    return { ok: false, error: `${fnName}() takes ${countPositional(params)} positional arguments but ${positional.length} were given` };

  const extra = varkw ? new PyDict() : undefined;
  if (args.keywords.size)
    for (const [name, value] of args.keywords) {
      if (plan.byKeyword.has(name)) {
        if (locals.has(name)) return { ok: false, error: `${fnName}() got multiple values for argument '${name}'` };
        locals.set(name, value);
      } else if (extra) extra.set(name, value);
      else return { ok: false, error: `${fnName}() got an unexpected keyword argument '${name}'` };
    }
  if (varkw && extra) locals.set(varkw.name, extra);

  // without keywords, the parameters bound so far are the first `filled` ones
  const named = plan.named;
  for (let i = args.keywords.size === 0 && plan.positionalFirst ? filled : 0; i < named.length; i++) {
    const p = named[i];
    if (locals.has(p.name)) continue;
    const d = defaults.get(p.name);
    if (d !== undefined) locals.set(p.name, d);
    else return { ok: false, error: `${fnName}() missing required argument '${p.name}'` };
  }
  return { ok: true, locals };
}

function countPositional(params: readonly Param[]): number {
  return params.filter((p) => p.kind === 'pos' || p.kind === 'posonly').length;
}

/** Names and defaults of a parameter list written as Python source, for native signatures. */
export interface NativeParam {
  name: string;
  default?: Value;
  kwonly?: boolean;
}

/** Binds against a native signature; missing required arguments are reported, extras kept in `rest`. */
export function bindNative(
  fnName: string,
  sig: readonly NativeParam[],
  args: CallArgs,
): { ok: true; values: Map<string, Value>; restPositional: Value[]; restKeywords: Map<string, Value> } | { ok: false; error: string } {
  const values = new Map<string, Value>();
  let pi = 0;
  for (const p of sig) {
    if (p.kwonly) continue;
    if (pi < args.positional.length) values.set(p.name, args.positional[pi++]);
  }
  // most calls pass no keyword: they share one empty map (callees copy a call's keywords before changing them)
  const restKeywords = args.keywords.size ? new Map<string, Value>() : NO_REST_KEYWORDS;
  const names = args.keywords.size ? namesOf(sig) : undefined;
  for (const [k, v] of args.keywords) {
    if (names!.has(k)) {
      if (values.has(k)) return { ok: false, error: `${fnName}() got multiple values for argument '${k}'` };
      values.set(k, v);
    } else restKeywords.set(k, v);
  }
  for (const p of sig) {
    if (values.has(p.name)) continue;
    if (p.default !== undefined) values.set(p.name, p.default);
    else return { ok: false, error: `${fnName}() missing required argument '${p.name}'` };
  }
  return { ok: true, values, restPositional: args.positional.slice(pi), restKeywords };
}

const NO_REST_KEYWORDS = new Map<string, Value>();

const signatureNames = new WeakMap<readonly NativeParam[], ReadonlySet<string>>();

/** The parameter names of a native signature, kept per signature (signatures are built once, called often). */
function namesOf(sig: readonly NativeParam[]): ReadonlySet<string> {
  let names = signatureNames.get(sig);
  if (!names) signatureNames.set(sig, (names = new Set(sig.map((p) => p.name))));
  return names;
}

/** Parses "in_features, out_features, bias=True, *, device=None" into a native signature. */
export function parseSignature(text: string): NativeParam[] {
  const out: NativeParam[] = [];
  let kwonly = false;
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    // `*` or `*args`: what follows is keyword-only; extra positionals go to the rest
    if (part.startsWith('*')) {
      if (!part.startsWith('**')) kwonly = true;
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) out.push({ name: part, kwonly });
    else out.push({ name: part.slice(0, eq).trim(), default: parseLiteral(part.slice(eq + 1).trim()), kwonly });
  }
  return out;
}

function parseLiteral(s: string): Value {
  if (s === 'None') return null;
  if (s === 'True') return true;
  if (s === 'False') return false;
  if (/^-?\d+$/.test(s)) return Number(s);
  if (/^'.*'$|^".*"$/.test(s)) return s.slice(1, -1);
  // floats are written with a dot or exponent in signatures ("eps=1e-05")
  if (/^-?[\d.]+(e-?\d+)?$/i.test(s)) return new PyFloat(Number(s));
  throw new Error(`unsupported default in native signature: ${s}`);
}
