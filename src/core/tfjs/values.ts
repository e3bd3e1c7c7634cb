// Values of the abstract JavaScript evaluator. Plain data stays plain (numbers, strings,
// booleans, null, undefined, arrays); objects, functions and classes get small classes;
// anything the evaluator cannot know is an Unknown that carries its reason and line.
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { Unknown } from '../interp/values';

export interface Site {
  file: string;
  /** 1-based line. */
  line: number;
  column?: number;
}

// A value the evaluator cannot know is the interpreter's Unknown (one for both front ends):
// operations on it give it back, reason intact.
export { Unknown };

/** An Unknown that became unknown at site. */
export function unknownAt(reason: string, site: Site | undefined): Unknown {
  return new Unknown(reason, site?.file, site?.line);
}

/** Where an Unknown (or a budget stop) happened, as a Site. */
export function siteOf(x: { file?: string; line?: number }): Site | undefined {
  return x.file === undefined || x.line === undefined ? undefined : { file: x.file, line: x.line };
}

/** A value that the analysis itself models (tf namespaces, layers, symbolic tensors, models). */
export abstract class HostValue {
  /** What it is, for messages: "tf.layers", "layer dense_Dense1". */
  abstract describe(): string;
  /** Property read; undefined means "no such property" (JavaScript's undefined). */
  get(_key: string, _ev: HostContext): Value {
    return undefined;
  }
  /** Property write; false when the value does not take it. */
  set(_key: string, _value: Value): boolean {
    return false;
  }
}

/** What host values may ask of the evaluator. */
export interface HostContext {
  /** The call stack of user code, outermost first, ending with the current call site. */
  sites(): Site[];
  /** Calls a function value (for callbacks). */
  call(fn: Value, thisArg: Value, args: Value[]): Value;
  /** Charges the step budget for bulk work (array copies). */
  charge(steps: number): void;
}

export class JsObject {
  readonly props = new Map<string, Value>();
  /** Set when an unknown object was spread in: keys not set afterwards are unknown, not undefined. */
  partial?: Unknown;
  constructor(
    /** The class of an instance made with `new`. */
    readonly cls?: JsClass,
  ) {}
}

export type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

export class JsFunction {
  readonly props = new Map<string, Value>();
  constructor(
    readonly node: FunctionNode,
    readonly closure: Scope,
    readonly file: string,
    readonly name: string,
    /** The class whose method this is (for super). */
    readonly home?: JsClass,
  ) {}
}

export type HostImpl = (thisArg: Value, args: Value[], ctx: HostContext) => Value;

export class HostFunction {
  constructor(
    readonly name: string,
    readonly impl: HostImpl,
    /** Properties of the function itself (namespaces that are also callable, like tf.train). */
    readonly members?: (key: string) => Value,
  ) {}
}

export class JsClass {
  readonly methods = new Map<string, JsFunction>();
  readonly getters = new Map<string, JsFunction>();
  readonly statics = new Map<string, Value>();
  /** Instance fields with their initializers, in order. */
  readonly fields: { key: string; value: TSESTree.Expression | null }[] = [];
  ctor?: JsFunction;
  constructor(
    readonly name: string,
    readonly superClass: Value,
    readonly closure: Scope,
    readonly file: string,
    readonly line: number,
  ) {}

  lookup(name: string): JsFunction | undefined {
    return this.methods.get(name) ?? (this.superClass instanceof JsClass ? this.superClass.lookup(name) : undefined);
  }

  lookupGetter(name: string): JsFunction | undefined {
    return this.getters.get(name) ?? (this.superClass instanceof JsClass ? this.superClass.lookupGetter(name) : undefined);
  }
}

export type Value =
  undefined | null | boolean | number | string | Value[] | JsObject | JsFunction | HostFunction | JsClass | Unknown | HostValue;

/**
 * JavaScript's lexical scope (let/const/var hoisting, closures, `this`). Its own class, not the
 * interpreter's Python scope: the two languages' scoping rules differ.
 */
export class Scope {
  readonly vars = new Map<string, Value>();
  /** Names given with --set: declarations leave them as they are. */
  pinned?: Set<string>;
  constructor(
    readonly parent: Scope | null,
    /** Function (or module) scopes hold `var` declarations and `this`. */
    readonly isFunction: boolean,
  ) {}

  lookup(name: string): { found: boolean; value: Value } {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined || s.vars.has(name)) return { found: true, value: v };
    }
    return { found: false, value: undefined };
  }

  declare(name: string, value: Value): void {
    if (this.pinned?.has(name) && this.vars.has(name)) return;
    this.vars.set(name, value);
  }

  /** Assignment: the nearest scope that has the name, else the outermost (sloppy globals). */
  assign(name: string, value: Value): void {
    let s: Scope | null = this;
    let last: Scope = this;
    for (; s; s = s.parent) {
      if (s.vars.has(name)) {
        if (!s.pinned?.has(name)) s.vars.set(name, value);
        return;
      }
      last = s;
    }
    last.vars.set(name, value);
  }

  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }
}

export function isUnknown(v: Value): v is Unknown {
  return v instanceof Unknown;
}

export function isCallable(v: Value): v is JsFunction | HostFunction | JsClass {
  return v instanceof JsFunction || v instanceof HostFunction || v instanceof JsClass;
}

/** A short description of a value for messages. */
export function describeValue(v: Value): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length <= 6 ? `[${v.map(describeValue).join(', ')}]` : `[${v.length} items]`;
  if (v instanceof Unknown) return `unknown (${v.reason})`;
  if (v instanceof JsFunction) return `function ${v.name || '(anonymous)'}`;
  if (v instanceof HostFunction) return v.name;
  if (v instanceof JsClass) return `class ${v.name}`;
  if (v instanceof JsObject) {
    const message = v.props.get('message');
    if (typeof message === 'string') return `${String(v.props.get('name') ?? 'Error')}: ${message}`;
    return v.cls ? `${v.cls.name} instance` : 'object';
  }
  return v.describe();
}
