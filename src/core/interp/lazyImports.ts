// Lazy loading of library modules. A package `__init__` that imports a hundred submodules
// (timm: `from .beit import *` … for ~100 files) runs none of them: each top-level
// `from … import …` of a library module binds its names as *deferred*, and the imported module
// runs when one of them is first used (a module-level name lookup, an attribute of the module,
// `from pkg import name`), with the semantics of the eager import at that point. Every way code
// can observe a deferred module's side effects forces it first:
// - its names, and the submodule attribute the import sets on its package (`pkg.sub`);
// - `dir()`, `vars()`, `__dict__`, `globals()` and star imports of a module with deferred names;
// - `sys.modules`: a key that misses runs the deferred imports of that module (and its
//   submodules); iterating it runs all of them;
// - registries (dicts a library module holds at module level, filled by decorators such as
//   `@register_model`): a string key that misses runs the deferred modules whose text contains
//   the key, then, if it still misses, every deferred module whose text imports the registry's
//   module or one of its packages (the modules that can reach it by name); iterating the dict,
//   its `len`, `keys()`, `values()` or `items()` runs the latter first.
// Names of a star import come from `staticNames.ts`; when they cannot be known statically the
// import runs eagerly. Only top-level statements are deferred (not those under `try`, whose
// ImportError matters), only in the environment's libraries, only imports within the importer's
// own top-level package. While a module's top level runs, registries are not completed: a
// duplicate check during registration sees the modules loaded so far, as in eager loading.
import type { Stmt } from '../python/ast';
import type { Interpreter } from './interpreter';
import type { ModuleContext } from './moduleContext';
import { importedModules, reaches } from './staticImports';
import { mayBindDynamically, starImportNames } from './staticNames';
import { namesReadAtTopLevel } from './topLevelNames';
import { PyList, PyTuple, type LazyNames, type PyDict, type PyModule, type PySet, type Value } from './values';

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
  /** What a star import binds, once its text was scanned (undefined: not yet; null: not knowable). */
  starNames?: string[] | null;
  /**
   * Its text may bind names a look-up cannot find in it (`mayBindDynamically`: a walrus in a
   * method, `match` in a docstring): scanned before any name it could be the last to bind is looked up.
   */
  dynamic?: boolean;
  done: boolean;
  /** Its module is being loaded. */
  running?: boolean;
  /** Statement order. */
  seq: number;
}

/** A deferred binding of one name: providers in statement order, or a value shadowed by a later deferred import. */
type Binding = Provider | { value: Value; seq: number };

export class LazyImports {
  /** Providers not yet run, in the order their statements ran. */
  private pending: Provider[] = [];
  private readonly tables = new WeakMap<PyModule, Map<string, Binding[]>>();
  /** Dicts held at module level by library modules: the ones a missed key may be registered in. */
  /** Dicts, lists and sets held at module level by library modules (registries deferred modules may fill), with the module's name. */
  private readonly registries = new WeakMap<PyDict | PyList | PySet, string>();
  /** The modules each deferred file's text imports (who can reach a registry by name). */
  private readonly imports = new Map<string, Set<string>>();
  private readonly texts = new Map<string, string | null>();
  private it: Interpreter | undefined;
  private seq = 0;
  /** Deferred imports run so far, for measurement and tests. */
  forced = 0;

  constructor(private readonly host: LazyHost) {}

  /** Forgets every deferred import (the files changed). */
  clear(): void {
    this.pending = [];
    this.texts.clear();
    this.imports.clear();
    this.topLevelReads.clear();
    this.scannedBytes = 0;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  noteRegistry(d: PyDict | PyList | PySet, moduleName: string): void {
    if (!this.registries.has(d)) this.registries.set(d, moduleName);
  }

  /**
   * What a module's deferred names and pending submodules resolve through; installed on every
   * library module, so `pkg.sub` runs a deferred `from .sub import x` made anywhere.
   */
  attach(mod: PyModule): void {
    if (mod.lazy) return;
    const table = new Map<string, Binding[]>();
    this.tables.set(mod, table);
    mod.lazy = this.namesOf(mod, table);
  }

  defer(stmt: ImportStmt, ctx: ModuleContext, it: Interpreter): boolean {
    if (!this.host.mayDefer(ctx.file)) return false;
    if (!this.host.topLevel(ctx.file)?.includes(stmt)) return false;
    this.it = it;
    const planned = stmt.k === 'importfrom' ? this.planFrom(stmt, ctx) : undefined;
    if (!planned) return false;
    // a plain module defers only names its own top level does not read: they are forced after it
    // ran, so deferring adds no import cycle that eager loading does not have
    if (!(ctx.name === ctx.packageName && ctx.file.endsWith('__init__.py'))) {
      const read = this.readAtTopLevel(ctx.file);
      if (!read || planned.some((p) => p.binds === '*' || [...p.binds.keys()].some((n) => read.has(n)))) return false;
    }
    const pkg = ctx.module;
    this.attach(pkg);
    const table = this.tables.get(pkg)!;
    const names = pkg.lazy!;
    // a builtin's name is looked up in module scope first: it runs nothing unless an import binds it
    ctx.scope.missing ??= (n) => (table.has(n) || !it.builtins.vars.has(n) ? names.resolve(n) : undefined);
    for (const p of planned) {
      p.seq = ++this.seq;
      this.pending.push(p);
      // a star import's text is scanned for names when a name it holds is looked up (planFrom
      // scanned it already where it may rebind a name the module has)
      if (p.binds === '*' && p.starNames === undefined) continue;
      const bound = p.binds === '*' ? p.starNames! : [...p.binds.keys()];
      for (const n of bound) {
        const list = table.get(n) ?? [];
        // the statement binds n now: an earlier value stays behind it, for when the module turns out not to define n
        const old = pkg.attrs.get(n);
        if (old !== undefined) {
          list.push({ value: old, seq: p.seq - 0.5 });
          pkg.attrs.delete(n);
        }
        list.push(p);
        table.set(n, list);
      }
    }
    return true;
  }

  private scanStarNames(p: Provider): string[] | null {
    const text = this.text(p.file);
    return (text === undefined ? undefined : this.host.starNames ? this.host.starNames(p.file, text) : starImportNames(text)) ?? null;
  }

  /**
   * Names of a deferred star import not scanned yet, entered in its module's table in statement
   * order (a name assigned since stays: a later statement wins). False when they cannot be known.
   */
  private ensureScanned(p: Provider): boolean {
    if (p.binds !== '*' || p.starNames !== undefined) return p.starNames !== null;
    p.starNames = this.scanStarNames(p);
    if (!p.starNames) return false;
    const table = this.tables.get(p.pkg)!;
    for (const n of p.starNames) {
      if (p.pkg.attrs.has(n)) continue;
      const list = table.get(n) ?? [];
      const at = list.findIndex((b) => b.seq > p.seq);
      list.splice(at < 0 ? list.length : at, 0, p);
      table.set(n, list);
    }
    return true;
  }

  /** Before `name` is looked up in `pkg`: the unscanned star imports whose text holds it are scanned (or run, when their names cannot be known). */
  private scanFor(pkg: PyModule, name: string): void {
    // a possibly dynamic star import before the name's last binding cannot be what binds it
    const last = this.tables.get(pkg)?.get(name)?.at(-1)?.seq ?? -Infinity;
    for (const p of this.pending)
      if (
        p.pkg === pkg &&
        p.binds === '*' &&
        p.starNames === undefined &&
        ((p.dynamic && p.seq > last) || containsKey(this.text(p.file), name)) &&
        !this.ensureScanned(p)
      )
        this.run(p);
  }

  private planFrom(stmt: Extract<Stmt, { k: 'importfrom' }>, ctx: ModuleContext): Provider[] | undefined {
    let name = stmt.module;
    if (stmt.level > 0) {
      const pkg = ctx.packageName.split('.').filter(Boolean);
      const base = pkg.slice(0, Math.max(0, pkg.length - (stmt.level - 1)));
      name = [...base, ...(stmt.module ? stmt.module.split('.') : [])].join('.');
    }
    const pkg = ctx.module;
    const isPackage = ctx.name === ctx.packageName && ctx.file.endsWith('__init__.py');
    if (name === ctx.name) {
      // `from . import a, b`: each a submodule not yet run
      if (stmt.names === '*') return undefined;
      const out: Provider[] = [];
      for (const { name: n, alias } of stmt.names) {
        const sub = `${name}.${n}`;
        const file = this.host.isLoaded(sub) || pkg.attrs.has(n) ? undefined : this.host.findFile(sub);
        if (!file) return undefined;
        out.push({ module: sub, file, pkg, binds: new Map([[alias ?? n, null]]), done: false, seq: 0 });
      }
      return out;
    }
    // a package defers its submodules; a plain module, imports within its top-level package
    const within = isPackage ? name.startsWith(`${ctx.name}.`) : name.split('.')[0] === ctx.name.split('.')[0] && name !== ctx.name;
    if (!within || this.host.isLoaded(name)) return undefined;
    const file = this.host.findFile(name);
    if (!file || !this.host.mayDefer(file)) return undefined;
    if (stmt.names === '*') {
      const text = this.text(file);
      if (text === undefined) return undefined;
      const p: Provider = { module: name, file, pkg, binds: '*', done: false, seq: 0 };
      // names it may bind dynamically, or may rebind a name the module has (whose value then
      // stays behind it): scanned now; names that cannot be known: it runs now
      // (a dunder such as `__name__` is bound by a star import only through an `__all__` listing it: never seen)
      const own = [...pkg.attrs.keys()].filter((n) => !/^__.*__$/.test(n));
      const shadows = own.some((n) => containsKey(text, n));
      const dynamic = mayBindDynamically(text);
      // one that may bind dynamically into a package with no names of its own yet (timm.models'
      // ~90 star imports, among them eva.py's walrus in a method): scanned when a name it could
      // bind is looked up, not now
      if (dynamic && !shadows && !own.length) p.dynamic = true;
      else if ((shadows || dynamic) && !(p.starNames = this.scanStarNames(p))) return undefined;
      return [p];
    }
    return [{ module: name, file, pkg, binds: new Map(stmt.names.map((x) => [x.alias ?? x.name, x.name])), done: false, seq: 0 }];
  }

  private readonly topLevelReads = new Map<string, Set<string>>();

  private readAtTopLevel(file: string): Set<string> | undefined {
    let read = this.topLevelReads.get(file);
    if (!read) {
      const body = this.host.topLevel(file);
      if (!body) return undefined;
      read = namesReadAtTopLevel(body);
      this.topLevelReads.set(file, read);
    }
    return read;
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
        this.scanFor(pkg, name);
        const list = table.get(name);
        if (!list) {
          // scanning ran a star import whose names cannot be known statically, and it bound the name
          const ran = pkg.attrs.get(name);
          if (ran !== undefined) return ran;
          // `pkg.sub` where a deferred import of pkg.sub (made in any module) would have set it
          // (not while a module's top level runs: an import there would run unrelated modules in
          // its middle; `from pkg import sub` then imports sub itself)
          if (this.host.importing()) return undefined;
          const sub = `${pkg.name}.${name}`;
          if (this.host.findFile(sub) ? !this.runImportersOf(sub) : !this.runStarsFor(pkg, name)) return undefined;
          return pkg.attrs.get(name) ?? (table.has(name) ? pkg.lazy!.resolve(name) : undefined);
        }
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
          // a module whose import is in progress (a cycle): its names are not there yet, as in Python
          if (last.running) return undefined;
          if (!last.done) this.run(last);
          else list.pop();
          const bound = pkg.attrs.get(name);
          if (bound !== undefined && !table.has(name)) return bound;
        }
      },
      resolveAll: () => {
        const prefix = `${pkg.name}.`;
        for (const p of this.pending.filter((x) => x.pkg === pkg || x.module.startsWith(prefix))) this.run(p);
        for (const name of [...table.keys()]) pkg.lazy?.resolve(name);
      },
    };
  }

  /**
   * A name missing from a module that has deferred star imports: a star import binds what the
   * module's `__all__` holds when it ran, which code may extend (timm's `@register_model`
   * appends each model's name), so the static scan may have missed it. The star imports whose
   * text holds the name run first, then, while it still misses, all of them. True when some ran.
   */
  private runStarsFor(pkg: PyModule, name: string): boolean {
    const stars = this.pending.filter((x) => x.pkg === pkg && x.binds === '*');
    if (!stars.length) return false;
    const byText = stars.filter((x) => containsKey(this.text(x.file), name));
    for (const p of byText) this.run(p);
    if (byText.length && pkg.attrs.has(name)) return true;
    for (const p of stars) this.run(p);
    return true;
  }

  /** Runs a deferred module and binds the names its statement would have bound where no later statement rebound them. */
  private run(p: Provider): void {
    if (p.done) return;
    // a star import whose text was not scanned yet is not scanned now (timm's 212 KB
    // vision_transformer.py, run for a registry key, was scanned only to learn the one name of its
    // literal `__all__`): the names it binds are known once it ran, and those another statement
    // binds too take their place among that one's bindings, in statement order, as scanning would
    // have placed them
    const unscanned = p.binds === '*' && p.starNames === undefined;
    /** Names the package had before it ran: scanning would have left those bindings alone. */
    const had = unscanned ? new Set(p.pkg.attrs.keys()) : undefined;
    p.done = true;
    this.forced++;
    this.pending = this.pending.filter((x) => x !== p);
    const it = this.it!;
    // names assigned after the statement was deferred; loading a submodule also sets the
    // package's attribute of that name, which the statement then rebinds, as in Python
    const table0 = this.tables.get(p.pkg)!;
    const rebound = new Set([...table0.keys()].filter((n) => p.pkg.attrs.has(n)));
    p.running = true;
    let mod: PyModule;
    try {
      mod = this.host.load(p.module, it);
    } finally {
      p.running = false;
    }
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
        // (not scanned: unless the package had it before, which scanning would have left alone)
        if (p.binds === '*' && !rebound.has(bound) && !(had ?? p.pkg.attrs).has(bound)) {
          const v = valueOf(source);
          if (v !== undefined) p.pkg.attrs.set(bound, v);
        }
        continue;
      }
      let at = list.indexOf(p);
      if (at < 0) {
        if (!had || had.has(bound)) continue;
        at = list.findIndex((b) => b.seq > p.seq);
        if (at < 0) at = list.length;
        list.splice(at, 0, p);
      }
      const v = valueOf(source);
      if (v === undefined) list.splice(at, 1);
      else list[at] = { value: v, seq: p.seq };
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
   * A string key missed in a registry (a library module's module-level dict): the deferred
   * modules whose text contains the key run first (in statement order), then, while it still
   * misses, every deferred module whose text imports the registry's module. True when modules
   * ran (the caller looks again). Not while a module's top level runs: a registration checking
   * for duplicates sees the modules loaded so far, as it would in the middle of eager loading.
   */
  loadForMissingKey(d: PyDict, key: string, it: Interpreter): boolean {
    if (!this.pending.length || !key || this.host.importing()) return false;
    const owner = this.registries.get(d);
    if (owner === undefined) return false;
    this.it = it;
    const byText = this.pending.filter((p) => containsKey(this.text(p.file), key));
    if (byText.length) {
      for (const p of byText) this.run(p);
      return true;
    }
    return this.completeRegistry(d, it);
  }

  /** Before a registry is read whole (iteration, `len`, `keys()`…): every deferred module that can reach it runs. */
  completeRegistry(d: PyDict | PyList | PySet, it: Interpreter): boolean {
    if (!this.pending.length || this.host.importing()) return false;
    const owner = this.registries.get(d);
    if (owner === undefined) return false;
    this.it = it;
    let ran = false;
    // a module that runs may defer imports of its own that reach the registry too
    for (
      let writers = this.pending.filter((p) => this.mayReach(p, owner));
      writers.length;
      writers = this.pending.filter((p) => this.mayReach(p, owner))
    ) {
      for (const p of writers) this.run(p);
      ran = true;
    }
    return ran;
  }

  /** `sys.modules[name]` missed: what would have imported it runs (everything deferred for `name` undefined). */
  loadModules(name: string | undefined, it: Interpreter): boolean {
    if (!this.pending.length || this.host.importing()) return false;
    this.it = it;
    if (name !== undefined) return this.runImportersOf(name);
    for (const p of this.pending) this.run(p);
    return true;
  }

  /**
   * Module `name` (or one below it) would have been imported: the deferred imports of it run,
   * and the deferred modules whose text imports it, until none is left (a module that runs
   * defers imports of its own). True when some ran.
   */
  private runImportersOf(name: string): boolean {
    const due = () => this.pending.filter((p) => reaches(name, p.module) || this.mayReach(p, name, true));
    let ran = false;
    for (let list = due(); list.length; list = due()) {
      for (const p of list) this.run(p);
      ran = true;
    }
    return ran;
  }

  /**
   * Whether a deferred module's text imports `target` or one of its packages (unknown text: yes);
   * with `below`, also a module inside `target` (importing it runs `target` first).
   */
  private mayReach(p: Provider, target: string, below = false): boolean {
    let refs = this.imports.get(p.file);
    if (!refs) {
      const text = this.text(p.file);
      if (text === undefined) return true;
      refs = importedModules(text, p.file.endsWith('__init__.py') ? p.module : p.module.split('.').slice(0, -1).join('.'));
      this.imports.set(p.file, refs);
    }
    for (const r of refs) if (reaches(r, target) || (below && reaches(target, r))) return true;
    return false;
  }
}

const WORD = /\w/;

/**
 * Whether `key` occurs in `text` as a whole name (`vit_base` is not in `samvit_base`): where
 * registered, a key is a function's name or a string literal. Only orders the forcing: a key
 * still missing afterwards runs every module that can reach the registry.
 */
function containsKey(text: string | undefined, key: string): boolean {
  if (text === undefined) return true;
  const open = WORD.test(key[0]);
  const close = WORD.test(key[key.length - 1]);
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    if (open && at > 0 && WORD.test(text[at - 1])) continue;
    if (close && WORD.test(text[at + key.length] ?? '')) continue;
    return true;
  }
  return false;
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
