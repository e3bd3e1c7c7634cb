// Lazy loading of library packages. A package `__init__` that imports a hundred submodules
// (timm: `from .beit import *` … for ~100 files) runs none of them: each import statement binds
// its names as *deferred*, and the submodule runs when one of them is first used (a module-level
// name lookup, an attribute of the package, `from pkg import name`). Registries filled by
// decorators (`@register_model`) are reached through a dict lookup that misses: the deferred
// modules whose source contains the key run (in the order eager loading would have run them)
// and the lookup is redone. Names of a star import come from `staticNames.ts`; when they cannot
// be known statically the import runs eagerly. Only top-level statements of a package `__init__`
// in the environment's libraries are deferred (not those under `try`, whose ImportError matters).
import type { Stmt } from '../python/ast';
import type { Interpreter } from './interpreter';
import type { ModuleContext } from './moduleContext';
import { starImportNames } from './staticNames';
import { PyList, PyTuple, type LazyNames, type PyDict, type PyModule, type Value } from './values';

export interface LazyHost {
  /** The file of a module found in the roots, or undefined. */
  findFile(name: string): string | undefined;
  isLoaded(name: string): boolean;
  /** Whether a package `__init__` file's imports may be deferred (it lies in a library root). */
  mayDefer(file: string): boolean;
  /** The text of a file to read its names (no step or byte budget charged), or undefined. */
  scanText(file: string): string | undefined;
  /** The top-level statements of a file the loader parsed. */
  topLevel(file: string): readonly Stmt[] | undefined;
  /** What `from <file's module> import *` binds, given its text (default: `starImportNames`; the engine's is cached). */
  starNames?(file: string, text: string): string[] | undefined;
  load(name: string, it: Interpreter): PyModule;
  /** Whether a module's top level is running (an import in progress). */
  importing(): boolean;
}

/** Library source read for names, all analyses together (timm's 110 model files are 3.4 MB). */
export const MAX_SCANNED_BYTES = 32 * 1024 * 1024;

type ImportStmt = Extract<Stmt, { k: 'import' | 'importfrom' }>;

/** One deferred import statement: which module it runs and the names it binds (bound name → name in the module). */
interface Provider {
  module: string;
  file: string;
  pkg: PyModule;
  /** null: the module itself (`from . import x`); '*': a star import. */
  binds: Map<string, string | null> | '*';
  starNames?: string[];
  done: boolean;
}

/** A deferred binding of one name: providers in statement order, or a value shadowed by a later deferred import. */
type Binding = Provider | { value: Value };

export class LazyImports {
  /** Providers not yet run, in the order their statements ran. */
  private pending: Provider[] = [];
  private readonly tables = new WeakMap<PyModule, Map<string, Binding[]>>();
  /** Dicts held at module level by library modules: the ones a missed key may be registered in. */
  private readonly registries = new WeakSet<PyDict>();
  private readonly texts = new Map<string, string | null>();
  private it: Interpreter | undefined;
  /** Deferred imports run so far, for measurement and tests. */
  forced = 0;

  constructor(private readonly host: LazyHost) {}

  /** Forgets every deferred import (the files changed). */
  clear(): void {
    this.pending = [];
    this.texts.clear();
    this.scannedBytes = 0;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  noteRegistry(d: PyDict): void {
    this.registries.add(d);
  }

  defer(stmt: ImportStmt, ctx: ModuleContext, it: Interpreter): boolean {
    if (ctx.name !== ctx.packageName || !ctx.file.endsWith('__init__.py') || !this.host.mayDefer(ctx.file)) return false;
    if (!this.host.topLevel(ctx.file)?.includes(stmt)) return false;
    this.it = it;
    const planned = stmt.k === 'importfrom' ? this.planFrom(stmt, ctx) : undefined;
    if (!planned) return false;
    const pkg = ctx.module;
    let table = this.tables.get(pkg);
    if (!table) {
      table = new Map();
      this.tables.set(pkg, table);
      const names = this.namesOf(pkg, table);
      pkg.lazy = names;
      ctx.scope.missing = (n) => names.resolve(n);
    }
    for (const p of planned) {
      this.pending.push(p);
      const bound = p.binds === '*' ? p.starNames! : [...p.binds.keys()];
      for (const n of bound) {
        const list = table.get(n) ?? [];
        // the statement binds n now: an earlier value stays behind it, for when the module turns out not to define n
        const old = pkg.attrs.get(n);
        if (old !== undefined) {
          list.push({ value: old });
          pkg.attrs.delete(n);
        }
        list.push(p);
        table.set(n, list);
      }
    }
    return true;
  }

  private planFrom(stmt: Extract<Stmt, { k: 'importfrom' }>, ctx: ModuleContext): Provider[] | undefined {
    let name = stmt.module;
    if (stmt.level > 0) {
      const pkg = ctx.packageName.split('.').filter(Boolean);
      const base = pkg.slice(0, Math.max(0, pkg.length - (stmt.level - 1)));
      name = [...base, ...(stmt.module ? stmt.module.split('.') : [])].join('.');
    }
    const pkg = ctx.module;
    if (name === ctx.name) {
      // `from . import a, b`: each a submodule not yet run
      if (stmt.names === '*') return undefined;
      const out: Provider[] = [];
      for (const { name: n, alias } of stmt.names) {
        const sub = `${name}.${n}`;
        const file = this.host.isLoaded(sub) || pkg.attrs.has(n) ? undefined : this.host.findFile(sub);
        if (!file) return undefined;
        out.push({ module: sub, file, pkg, binds: new Map([[alias ?? n, null]]), done: false });
      }
      return out;
    }
    if (!name.startsWith(`${ctx.name}.`) || this.host.isLoaded(name)) return undefined;
    const file = this.host.findFile(name);
    if (!file) return undefined;
    if (stmt.names === '*') {
      const text = this.text(file);
      const starNames = text === undefined ? undefined : this.host.starNames ? this.host.starNames(file, text) : starImportNames(text);
      if (!starNames) return undefined;
      return [{ module: name, file, pkg, binds: '*', starNames, done: false }];
    }
    return [{ module: name, file, pkg, binds: new Map(stmt.names.map((x) => [x.alias ?? x.name, x.name])), done: false }];
  }

  /** Source read to learn names or find registry keys; past the cap, imports run eagerly (and their byte budget applies). */
  private scannedBytes = 0;

  private text(file: string): string | undefined {
    if (!this.texts.has(file)) {
      if (this.scannedBytes >= MAX_SCANNED_BYTES) return undefined;
      const text = this.host.scanText(file);
      this.scannedBytes += text?.length ?? 0;
      this.texts.set(file, text ?? null);
    }
    return this.texts.get(file) ?? undefined;
  }

  private namesOf(pkg: PyModule, table: Map<string, Binding[]>): LazyNames {
    return {
      resolve: (name) => {
        const list = table.get(name);
        if (!list) return undefined;
        for (;;) {
          const last = list.at(-1);
          if (last === undefined) {
            table.delete(name);
            return undefined;
          }
          if ('value' in last) {
            table.delete(name);
            pkg.attrs.set(name, last.value);
            return last.value;
          }
          if (!last.done) this.run(last);
          else list.pop();
          const bound = pkg.attrs.get(name);
          if (bound !== undefined && !table.has(name)) return bound;
        }
      },
      resolveAll: () => {
        for (const p of this.pending.filter((x) => x.pkg === pkg)) this.run(p);
        for (const name of [...table.keys()]) pkg.lazy?.resolve(name);
      },
    };
  }

  /** Runs a deferred module and binds the names its statement would have bound where no later statement rebound them. */
  private run(p: Provider): void {
    if (p.done) return;
    p.done = true;
    this.forced++;
    this.pending = this.pending.filter((x) => x !== p);
    const it = this.it!;
    // names assigned after the statement was deferred; loading a submodule also sets the
    // package's attribute of that name, which the statement then rebinds, as in Python
    const table0 = this.tables.get(p.pkg)!;
    const rebound = new Set([...table0.keys()].filter((n) => p.pkg.attrs.has(n)));
    const mod = this.host.load(p.module, it);
    const table = this.tables.get(p.pkg)!;
    const valueOf = (source: string | null): Value | undefined => {
      if (source === null) return mod;
      const own = mod.attrs.get(source);
      if (own !== undefined) return own;
      const v = mod.lazy?.resolve(source);
      if (v !== undefined) return v;
      const sub = `${p.module}.${source}`;
      return this.host.findFile(sub) ? this.host.load(sub, it) : undefined;
    };
    const entries: [string, string | null][] = p.binds === '*' ? starEntries(mod) : [...p.binds.entries()];
    for (const [bound, source] of entries) {
      const list = table.get(bound);
      if (!list) {
        // a name the static scan did not list: bound as eager loading would, unless rebound since
        if (p.binds === '*' && !rebound.has(bound) && !p.pkg.attrs.has(bound)) {
          const v = valueOf(source);
          if (v !== undefined) p.pkg.attrs.set(bound, v);
        }
        continue;
      }
      const at = list.indexOf(p);
      if (at < 0) continue;
      const v = valueOf(source);
      if (v === undefined) list.splice(at, 1);
      else list[at] = { value: v };
      // a later statement assigned the name: it wins
      if (rebound.has(bound)) {
        table.delete(bound);
        continue;
      }
      const last = list.at(-1);
      if (last && 'value' in last) {
        p.pkg.attrs.set(bound, last.value);
        table.delete(bound);
      } else if (!last) table.delete(bound);
    }
  }

  /**
   * A string key missed in a dict: when the dict is a library module's module-level dict (a
   * registry), the deferred modules whose source contains the key run, in statement order.
   * Not while a module's top level runs: a registration checking for duplicates sees the modules
   * loaded so far, as it would in the middle of eager loading.
   */
  loadForMissingKey(d: PyDict, key: string, it: Interpreter): boolean {
    if (!this.pending.length || !this.registries.has(d) || !key || this.host.importing()) return false;
    this.it = it;
    const candidates = this.pending.filter((p) => this.text(p.file)?.includes(key));
    for (const p of candidates) {
      const list = this.tables.get(p.pkg);
      if (!list) continue;
      this.run(p);
    }
    return candidates.length > 0;
  }
}

/** What `from m import *` binds from a module that ran: its `__all__`, else its public names. */
function starEntries(mod: PyModule): [string, string][] {
  const all = mod.attrs.get('__all__');
  const names: string[] =
    all instanceof PyList || all instanceof PyTuple
      ? (all.items as Value[]).filter((x): x is string => typeof x === 'string')
      : [...mod.attrs.keys()].filter((k) => !k.startsWith('_'));
  return names.map((n): [string, string] => [n, n]);
}
