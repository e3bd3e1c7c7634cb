// Which models a TF.js file defines: top-level variables that hold a model, builder functions
// (called with their defaults; parameters without one are unknown), and classes whose
// instances hold or build one. The same model reached two ways (a builder and the variable
// it fills) is reported once, by the tf.sequential / tf.model call that created it.
import { jsLimitError } from '../interp/signals';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { T } from './ast';
import { BudgetExceeded, JsThrow, type Evaluator, type ModuleRecord } from './evaluator';
import { ModelValue } from './graph';
import { referencedNames } from './astQueries';
import { JsClass, JsFunction, JsObject, Scope, Unknown, type Site, type Value, siteOf } from './values';

/** Names that run or train a model rather than build one. */
const NOT_BUILDERS =
  /^(main|train|test|eval|evaluate|run|fit|predict|infer|inference|demo|benchmark|profile|export|load|save|setup|plot|show|visuali[sz]e|render|fetch|download|prepare|preprocess|handle|on)([A-Z_]|$)/;

export type EntryKind = 'variable' | 'builder' | 'class' | 'builder-args';

/** Preference when one model is reached by several entries (lower wins). */
const PREFERENCE: Record<EntryKind, number> = { builder: 0, variable: 1, class: 2, 'builder-args': 3 };

export interface Candidate {
  name: string;
  kind: EntryKind;
  line: number;
  /** How it is built, for the report ("createModel()", "model"). */
  entry: string;
  /** Parameters without a default that the call leaves undefined. */
  missingArguments?: string[];
  build(ev: Evaluator): Value;
}

export interface BuiltModel {
  candidate: Candidate;
  model: ModelValue;
  /** Control flow skipped or cut off while it was built. */
  uncertain: Unknown[];
  /** Assumptions made while it was built (unknown conditions taken as false). */
  assumed?: string[];
}

/** Top-level definitions that may define a model, in source order. */
export function findCandidates(
  program: TSESTree.Program,
  record: ModuleRecord,
  set: Record<string, string>,
  parseValue: (text: string) => Value,
): Candidate[] {
  const out: Candidate[] = [];
  const scope = record.scope;
  for (const stmt of program.body) {
    const d = stmt.type === T.ExportNamedDeclaration || stmt.type === T.ExportDefaultDeclaration ? stmt.declaration : stmt;
    if (!d) continue;
    if (d.type === T.FunctionDeclaration && d.id) addFunction(out, d.id.name, d.loc.start.line, scope.vars.get(d.id.name), set, parseValue);
    else if (d.type === T.ClassDeclaration && d.id) addClass(out, d.id.name, d.loc.start.line, scope.vars.get(d.id.name));
    else if (d.type === T.VariableDeclaration) {
      for (const decl of d.declarations) {
        if (decl.id.type !== T.Identifier) continue;
        const name = decl.id.name;
        const value = scope.vars.get(name);
        const line = decl.loc.start.line;
        if (value instanceof ModelValue) out.push({ name, kind: 'variable', line, entry: name, build: () => value });
        else if (value instanceof JsFunction) addFunction(out, name, line, value, set, parseValue);
        else if (value instanceof JsClass) addClass(out, name, line, value);
        else if (value instanceof JsObject) {
          // an object holding a model: const classifier = { model: tf.sequential(...) }
          for (const [k, v] of value.props)
            if (v instanceof ModelValue) out.push({ name: `${name}.${k}`, kind: 'variable', line, entry: `${name}.${k}`, build: () => v });
        }
      }
    }
  }
  return out;
}

function addFunction(
  out: Candidate[],
  name: string,
  line: number,
  fn: Value,
  set: Record<string, string>,
  parseValue: (text: string) => Value,
): void {
  if (!(fn instanceof JsFunction) || NOT_BUILDERS.test(name) || name.startsWith('_') || !reachesTf(fn)) return;
  const { args, required } = entryArguments(fn, set, parseValue);
  out.push({
    name,
    kind: required.length ? 'builder-args' : 'builder',
    line,
    entry: `${name}()`,
    missingArguments: required,
    build: (ev) => ev.callFunction(fn, undefined, args, { file: fn.file, line }),
  });
}

function addClass(out: Candidate[], name: string, line: number, cls: Value): void {
  if (!(cls instanceof JsClass)) return;
  out.push({
    name,
    kind: 'class',
    line,
    entry: `new ${name}()`,
    missingArguments: cls.ctor ? entryArguments(cls.ctor, {}, () => undefined).required : [],
    build: (ev) => {
      const site: Site = { file: cls.file, line };
      const inst = ev.construct(cls, cls.ctor ? entryArguments(cls.ctor, {}, () => undefined).args : [], site);
      const held = modelIn(inst);
      if (held) return held;
      // else a method that builds one: build(), createModel(), ...
      for (const [method, fn] of allMethods(cls)) {
        if (NOT_BUILDERS.test(method) || method.startsWith('_') || method.startsWith('#')) continue;
        const { args, required } = entryArguments(fn, {}, () => undefined);
        if (required.length) continue;
        const r = ev.callFunction(fn, inst, args, site);
        const m = modelIn(r) ?? modelIn(inst);
        if (m) return m;
      }
      return undefined;
    },
  });
}

/**
 * Whether a function can reach TF.js: it names, directly or through the functions it calls,
 * something that is not a plain JavaScript value (the tf namespace, a layer or model, an
 * import, a class). Helpers that only compute (padSequences, confusionMatrix) are not run.
 */
export function reachesTf(fn: JsFunction, seen = new Set<JsFunction>()): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  for (const name of referencedNames(fn.node)) {
    if (name === 'this' || name === 'require') return true;
    let scope: Scope | null = fn.closure;
    while (scope && !scope.vars.has(name)) scope = scope.parent;
    // names of the function itself (parameters, locals) and of the JavaScript globals reach nothing
    if (!scope || !scope.parent) continue;
    const v = scope.vars.get(name);
    if (v instanceof JsFunction ? reachesTf(v, seen) : isOpaque(v)) return true;
  }
  return false;
}

function isOpaque(v: Value): boolean {
  return !(
    v === undefined ||
    v === null ||
    typeof v === 'number' ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (Array.isArray(v) && v.every((x) => !isOpaque(x)))
  );
}

function allMethods(cls: JsClass): [string, JsFunction][] {
  const out: [string, JsFunction][] = [];
  for (let c: Value = cls; c instanceof JsClass; c = c.superClass)
    for (const [k, f] of c.methods) if (!out.some(([m]) => m === k)) out.push([k, f]);
  return out;
}

/** Arguments to call a builder with: --set values by parameter name; parameters without a default get undefined, as a call with no arguments gives them. */
export function entryArguments(
  fn: JsFunction,
  set: Record<string, string>,
  parseValue: (text: string) => Value,
): { args: Value[]; required: string[] } {
  const required: string[] = [];
  const args = fn.node.params.map((p) => {
    const name = paramName(p);
    if (name && set[name] !== undefined) return parseValue(set[name]);
    if (isRequired(p)) required.push(name ?? '(destructured)');
    return undefined;
  });
  return { args, required };
}

function isRequired(p: TSESTree.Parameter): boolean {
  if (p.type === T.AssignmentPattern || p.type === T.RestElement) return false;
  if (p.type === T.Identifier) return !p.optional;
  if (p.type === T.TSParameterProperty) return p.parameter.type === T.Identifier && !p.parameter.optional;
  return true;
}

function paramName(p: TSESTree.Parameter): string | undefined {
  if (p.type === T.Identifier) return p.name;
  if (p.type === T.AssignmentPattern && p.left.type === T.Identifier) return p.left.name;
  if (p.type === T.RestElement && p.argument.type === T.Identifier) return p.argument.name;
  if (p.type === T.TSParameterProperty) return paramName(p.parameter as TSESTree.Parameter);
  return undefined;
}

/** A model in a value: the value itself, or a property of an object (model, net, ...). */
export function modelIn(v: Value): ModelValue | undefined {
  if (v instanceof ModelValue) return v;
  if (v instanceof JsObject) {
    const preferred = v.props.get('model');
    if (preferred instanceof ModelValue) return preferred;
    for (const x of v.props.values()) if (x instanceof ModelValue) return x;
  }
  if (Array.isArray(v)) for (const x of v) if (x instanceof ModelValue) return x;
  return undefined;
}

/** Where a model was created (its tf.sequential / tf.model call). */
export function creationKey(m: ModelValue): string {
  const s = m.sites[m.sites.length - 1];
  return s ? `${s.file}:${s.line}:${s.column ?? 0}` : `#${m.id}`;
}

/** Keeps one entry per created model, preferring builders, then variables, then classes. */
export function dedupe(built: BuiltModel[]): BuiltModel[] {
  const best = new Map<string, BuiltModel>();
  for (const b of built) {
    const key = creationKey(b.model);
    const prev = best.get(key);
    if (!prev || PREFERENCE[b.candidate.kind] < PREFERENCE[prev.candidate.kind]) best.set(key, b);
  }
  return [...best.values()].sort((a, b) => a.candidate.line - b.candidate.line);
}

/** Runs a candidate; a user throw or budget exhaustion becomes the returned reason. */
export function runCandidate(c: Candidate, ev: Evaluator): { value: Value } | { failure: string; site?: Site } {
  try {
    return { value: c.build(ev) };
  } catch (e) {
    if (e instanceof JsThrow) return { failure: `${c.entry} threw ${describeThrown(e.value)}`, site: e.site };
    if (e instanceof BudgetExceeded) return { failure: `${c.entry} did not finish: ${e.message}`, site: siteOf(e) };
    const limit = jsLimitError(e);
    if (limit) return { failure: `${c.entry} did not finish: ${limit.message}` };
    throw e;
  }
}

function describeThrown(v: Value): string {
  if (v instanceof JsObject && typeof v.props.get('message') === 'string')
    return `${String(v.props.get('name') ?? 'Error')}: ${String(v.props.get('message'))}`;
  return typeof v === 'string' ? JSON.stringify(v) : 'a value';
}
