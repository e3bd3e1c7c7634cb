// Python name resolution: function locals, enclosing function scopes (closures), module
// globals, builtins. Class bodies are a scope of their own that nested functions do not see.
import type { PyClass, Value } from './values';

export type ScopeKind = 'builtins' | 'module' | 'function' | 'class';

export class Scope {
  private globalNames?: Set<string>;
  private nonlocalNames?: Set<string>;

  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | null,
    /** A module scope shares its map with the module object's attributes. */
    readonly vars: Map<string, Value> = new Map(),
  ) {}

  /** A class body's class: functions defined in it get it as CPython's __class__ cell (zero-argument super()). */
  classCell?: PyClass;

  /** A module scope's names bound by deferred imports (lazy loading), consulted on a miss. */
  missing?: (name: string) => Value | undefined;

  lookup(name: string): Value | undefined {
    const own = orMissing(this.vars.get(name), this, name);
    if (own !== undefined) return own;
    if (this.globalNames?.has(name)) return this.moduleScope()?.lookup(name);
    // nested functions skip enclosing class bodies, as Python does
    let s = this.parent;
    while (s) {
      if (s.kind !== 'class') {
        const v = orMissing(s.vars.get(name), s, name);
        if (v !== undefined) return v;
      }
      s = s.parent;
    }
    return undefined;
  }

  /** Names fixed from outside (--set NAME=VALUE): assignments in the code do not change them. */
  pinned?: Set<string>;

  assign(name: string, value: Value): void {
    if (this.pinned?.has(name)) return;
    if (this.globalNames?.has(name)) {
      (this.moduleScope() ?? this).vars.set(name, value);
      return;
    }
    if (this.nonlocalNames?.has(name)) {
      for (let s = this.parent; s; s = s.parent)
        if (s.kind === 'function' && s.vars.has(name)) {
          s.vars.set(name, value);
          return;
        }
    }
    this.vars.set(name, value);
  }

  delete(name: string): void {
    this.vars.delete(name);
  }

  declareGlobal(name: string): void {
    (this.globalNames ??= new Set()).add(name);
  }

  declareNonlocal(name: string): void {
    (this.nonlocalNames ??= new Set()).add(name);
  }

  moduleScope(): Scope | null {
    let s: Scope | null = this;
    while (s && s.kind !== 'module') s = s.parent;
    return s;
  }
}

/** A bound value (None is null, so no `??`), else the scope's deferred names. */
function orMissing(v: Value | undefined, scope: Scope, name: string): Value | undefined {
  return v !== undefined || !scope.missing ? v : scope.missing(name);
}
