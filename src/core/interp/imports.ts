// Import resolution: native modules (torch, the standard library) first, then Python files
// of the workspace and of the analyzed file's package tree. An import that cannot be
// resolved becomes a module whose attributes are Unknown, never a failure.
import { dirname, join, basename, isAbsolute, resolve } from 'node:path';
import { ImportGuard } from './sourceGuard';
import type { Module, Stmt } from '../python/ast';
import type { ModuleLoader } from './hooks';
import { LazyImports } from './lazyImports';
import type { Interpreter } from './interpreter';
import type { ModuleContext } from './moduleContext';
import { Scope } from './scope';
import { BudgetExceeded } from './signals';
import { starImportNames } from './staticNames';
import { ABSENT_FROM_PACKAGE, NOT_FOUND, PyDict, PyList, PyModule, PySet, Unknown } from './values';

/** How the loader reads files: the CLI reads the disk, the editor prefers unsaved buffers. */
export interface SourceHost {
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
  /** The names in a folder; undefined when it cannot be listed (then no import is judged missing for certain). */
  listDir?(path: string): string[] | undefined;
  /** Its files are the files on disk as they are (no unsaved buffers): a persistent cache may know them by `stat`. */
  onDisk?: boolean;
}

export type NativeModuleFactory = (it: Interpreter) => PyModule;

export interface LoaderOptions {
  host: SourceHost;
  parse: (text: string, path: string) => Module;
  /** The AST of a file as it is on disk, when a persistent cache knows it without reading the file (then it is not read). */
  astOnDisk?: (path: string) => Module | undefined;
  /** Native modules by dotted name (torch, torch.nn, math, ...). */
  natives: Record<string, NativeModuleFactory>;
  /** Top-level names whose submodules are all native; unknown submodules are reported as not modelled. */
  nativeRoots: string[];
  /** Steps one imported module may take to run its top level. */
  moduleBudget: number;
  /** Steps all modules first imported during one analysis may take together. */
  importsBudget?: number;
  /** Packages of the environment's libraries load their submodules on first use (default true). */
  lazy?: boolean;
  /** The names a star import of a file binds (default: read from its text by `staticNames.ts`). */
  starNames?: (file: string, text: string) => string[] | undefined;
  /** Run on a module by dotted name once its top level ran (library functions swapped for equivalents). */
  patches?: Record<string, (mod: PyModule) => void>;
}

const UNRESOLVED = '__wattlens_unresolved__';

export class WorkspaceLoader implements ModuleLoader {
  private readonly modules = new Map<string, PyModule>();
  private readonly astCache = new Map<string, { text: string | undefined; ast: Module }>();
  private roots: string[] = [];
  private libraryRoots: string[] = [];
  /** Imports read only regular files within size inside the roots (after symlinks). */
  private readonly guard = new ImportGuard();
  /** Deferred imports of library packages (lazy loading). */
  readonly lazy = new LazyImports({
    findFile: (name) => this.findFile(name),
    isLoaded: (name) => this.modules.has(name),
    mayDefer: (file) => this.options.lazy !== false && this.guard.isLibrary(file),
    scanText: (file) => (this.guard.reasonNotToScan(file) ? undefined : this.options.host.readFile(file)),
    topLevel: (file) => this.astCache.get(file)?.ast.body,
    starNames: (file, text) => (this.options.starNames ? this.options.starNames(file, text) : starImportNames(text)),
    load: (name, it) => this.importModule(name, undefined, it),
    importing: () => this.importDepth > 0,
  });
  private importDepth = 0;
  /** Steps left to the imports of the current analysis. */
  private importStepsLeft = Infinity;
  /** Files evaluated for imports in this session, for invalidation and dependency tracking. */
  readonly loadedFiles = new Set<string>();
  /** Problems met while importing (syntax errors, exceptions), by module name. */
  readonly problems = new Map<string, string>();

  constructor(private readonly options: LoaderOptions) {}

  /**
   * Where absolute imports are searched, in order: workspace roots, the analyzed file's package
   * root and folder, then `libraryRoots` (extra paths, the environment's site-packages), whose
   * source has its own byte budget and whose packages load lazily.
   */
  setRoots(roots: string[], libraryRoots: string[] = []): void {
    const unique = [...new Set([...roots, ...libraryRoots])];
    const libs = [...new Set(libraryRoots)];
    if (unique.join('\n') !== this.roots.join('\n') || libs.join('\n') !== this.libraryRoots.join('\n')) {
      this.roots = unique;
      this.libraryRoots = libs;
      this.guard.setRoots(unique, libs);
      this.invalidateFiles();
    }
    this.resetSysPath();
  }

  deferImport(stmt: Extract<Stmt, { k: 'import' | 'importfrom' }>, from: ModuleContext, it: Interpreter): boolean {
    return this.lazy.defer(stmt, from, it);
  }

  loadForMissingKey(dict: PyDict, key: string, it: Interpreter): boolean {
    if (dict === this.sysModules) return this.lazy.loadModules(key, it);
    return this.lazy.loadForMissingKey(dict, key, it);
  }

  completeCollection(c: PyDict | PyList | PySet, it: Interpreter): void {
    if (c === this.sysModules) this.lazy.loadModules(undefined, it);
    else this.lazy.completeRegistry(c, it);
  }

  /** A new analysis: the total of imported bytes and the imports' step budget start again. */
  beginAnalysis(): void {
    this.guard.resetTotal();
    this.importStepsLeft = this.options.importsBudget ?? Infinity;
    this.resetSysPath();
  }

  /** Forgets every evaluated file module (after any file change); native modules stay. */
  invalidateFiles(): void {
    for (const [name, m] of this.modules)
      if (m.file) {
        this.modules.delete(name);
        this.sysModules?.delete(name);
      }
    this.lazy.clear();
    this.loadedFiles.clear();
    this.problems.clear();
  }

  importModule(name: string, _from: ModuleContext | undefined, it: Interpreter): PyModule {
    const cached = this.modules.get(name);
    if (cached) return cached;
    const native = this.options.natives[name];
    if (native) {
      // the parent package first, as Python does, so `import collections.abc` makes `collections.abc` reachable
      const dot = name.lastIndexOf('.');
      if (dot > 0 && name.slice(0, dot) in this.options.natives) this.importModule(name.slice(0, dot), _from, it);
      const m = native(it);
      this.modules.set(name, m);
      if (name === 'sys') this.fillSysModules(m);
      this.linkParent(name, m, it);
      return m;
    }
    const top = name.split('.')[0];
    if (this.options.nativeRoots.includes(top)) return this.unresolved(name, `${name} is not modelled by WattLens`, it);
    // the parent package first, as Python does: its __init__ may import this module, and a
    // cycle through it then sees the parent's names, not a half-run submodule
    const dot = name.lastIndexOf('.');
    if (dot > 0 && !(top in this.options.natives)) {
      this.importModule(name.slice(0, dot), _from, it);
      const during = this.modules.get(name);
      if (during) return during;
    }
    // a package the engine provides natively is never read from an installed copy (a venv holds torch's own source)
    const file = this.findFile(name, top in this.options.natives);
    if (!file) {
      const absent =
        dot > 0 && !this.sysModules?.entries.has(name) && this.absentFromInstalledPackage(name.slice(0, dot), name.slice(dot + 1));
      const m = this.unresolved(name, this.notFoundReason(name, top), it);
      m.attrs.set(NOT_FOUND, true);
      if (absent) m.attrs.set(ABSENT_FROM_PACKAGE, true);
      return m;
    }
    return this.loadFile(name, file, it);
  }

  /**
   * Whether `parent` is an installed package run from its own `__init__.py`, searched only in its
   * folder (`__path__` unchanged) and with nothing put in sys.modules for the submodule: then a
   * submodule found in no root is missing for Python too. A workspace package may be half written
   * (or generated), so only installed ones count.
   */
  private absentFromInstalledPackage(parent: string, child: string): boolean {
    const pkg = this.modules.get(parent);
    if (!pkg?.file || basename(pkg.file) !== '__init__.py' || pkg.attrs.has(UNRESOLVED) || pkg.replacedBy !== undefined) return false;
    if (!this.guard.isLibrary(pkg.file)) return false;
    const path = pkg.attrs.get('__path__');
    if (!(path instanceof PyList) || path.items.length !== 1 || path.items[0] !== dirname(pkg.file)) return false;
    // no file nor folder of that name at all: not a compiled extension (name.cpython-311-x86_64-linux-gnu.so), a .pyc, a namespace package
    const names = this.options.host.listDir?.(dirname(pkg.file));
    return names !== undefined && !names.some((n) => n === child || n.startsWith(`${child}.`));
  }

  /** Why an import found nothing: where it was searched, and whether its whole package is missing (not installed). */
  private notFoundReason(name: string, top: string): string {
    if (!this.libraryRoots.length) return `module ${name} is not in the workspace`;
    const topMissing = top !== name && this.modules.get(top)?.attrs.get(NOT_FOUND) === true;
    return `module ${name} is not in the workspace nor in the Python environment${topMissing ? ` (${top} is not installed)` : ''}`;
  }

  /** `sys.modules` holds the modules imported so far, as in Python (registries look modules up there). */
  private fillSysModules(sys: PyModule): void {
    const path = sys.attrs.get('path');
    if (path instanceof PyList) this.sysPath = path;
    this.resetSysPath();
    const dict = sys.attrs.get('modules');
    if (!(dict instanceof PyDict)) return;
    this.sysModules = dict;
    for (const [n, m] of this.modules) if (!m.attrs.has(UNRESOLVED)) dict.set(n, m);
  }

  private sysModules: PyDict | undefined;
  /** `sys.path`: the roots, in order, as a script sees them; what it appends or inserts is searched too. */
  private sysPath: PyList | undefined;

  /** Each analysis starts from the roots alone: entries a script added belong to its own run. */
  private resetSysPath(): void {
    if (this.sysPath) this.sysPath.items = [...this.roots];
  }

  /**
   * The folders absolute imports search: `sys.path` where a script changed it, else the roots.
   * A relative entry (`sys.path.append('core')`) is relative to the folder Python runs in:
   * taken as each workspace root in turn, the analyzed file's folder among them, as a script run
   * from its own folder or from the workspace finds it. Entries outside the roots stay
   * unreadable (the guard refuses them with its reason).
   */
  private searchRoots(): string[] {
    const entries = this.sysPath?.items;
    if (!entries || (entries.length === this.roots.length && entries.every((e, i) => e === this.roots[i]))) return this.roots;
    const own = this.roots.filter((r) => !this.libraryRoots.includes(r));
    const out: string[] = [];
    for (const entry of entries) {
      if (typeof entry !== 'string') continue;
      if (isAbsolute(entry)) out.push(resolve(entry));
      else for (const root of own) out.push(resolve(root, entry || '.'));
    }
    return [...new Set(out)];
  }

  private linkParent(name: string, m: PyModule, it: Interpreter): void {
    const dot = name.lastIndexOf('.');
    if (dot < 0) return;
    const parent = this.modules.get(name.slice(0, dot));
    if (parent && !parent.attrs.has(name.slice(dot + 1))) parent.attrs.set(name.slice(dot + 1), m);
    void it;
  }

  /** A module found but not read or run (outside the roots, too large, out of budget): unresolved, and a problem. */
  private refused(name: string, reason: string, it: Interpreter): PyModule {
    this.problems.set(name, reason);
    return this.unresolved(name, reason, it);
  }

  private unresolved(name: string, reason: string, it: Interpreter): PyModule {
    const m = new PyModule(name);
    m.attrs.set(UNRESOLVED, reason);
    m.attrs.set('__name__', name);
    this.modules.set(name, m);
    void it;
    return m;
  }

  canFind(name: string): boolean {
    if (this.modules.has(name)) return !this.modules.get(name)!.attrs.has(UNRESOLVED);
    if (name in this.options.natives) return true;
    if (this.options.nativeRoots.includes(name.split('.')[0])) return false;
    return this.findFile(name, name.split('.')[0] in this.options.natives) !== undefined;
  }

  readDataFile(path: string): { text: string } | { reason: string } {
    const refused = this.guard.reasonNotToRead(path, 'files a model reads');
    if (refused) return { reason: refused };
    const text = this.options.host.readFile(path);
    if (text === undefined) return { reason: `${basename(path)} could not be read` };
    const tooLarge = this.guard.reasonTextTooLarge(path, text, 'files a model reads');
    if (tooLarge) return { reason: tooLarge };
    // a dependency of this analysis, as an imported file is: changing it invalidates the result
    this.loadedFiles.add(path);
    return { text };
  }

  findFile(name: string, skipLibraries = false): string | undefined {
    const parts = name.split('.');
    const roots = this.searchRoots().filter((root) => !(skipLibraries && this.libraryRoots.includes(root)));
    // Python finds the top package first: a regular package or module in any root wins over a
    // folder without __init__.py in an earlier one (a checkout named like the package it holds)
    const top = parts.length > 1 ? roots.find((root) => this.isRegularModule(join(root, parts[0]))) : undefined;
    for (const root of top !== undefined ? [top] : roots) {
      const base = join(root, ...parts);
      if (this.options.host.isFile(`${base}.py`)) return `${base}.py`;
      if (this.options.host.isFile(join(base, '__init__.py'))) return join(base, '__init__.py');
    }
    return undefined;
  }

  private isRegularModule(base: string): boolean {
    return this.options.host.isFile(`${base}.py`) || this.options.host.isFile(join(base, '__init__.py'));
  }

  private loadFile(name: string, file: string, it: Interpreter): PyModule {
    const refused = this.guard.reasonNotToRead(file);
    if (refused) return this.refused(name, refused, it);
    if (this.importStepsLeft <= 0)
      return this.refused(name, `${basename(file)} not run: this analysis' imports used up their ${this.options.importsBudget} steps`, it);
    const known = this.astCache.has(file) ? undefined : this.options.astOnDisk?.(file);
    if (known) this.astCache.set(file, { text: undefined, ast: known });
    const text = known ? undefined : this.options.host.readFile(file);
    if (!known && text === undefined) return this.unresolved(name, `${file} could not be read`, it);
    const tooLarge = text === undefined ? undefined : this.guard.reasonTextTooLarge(file, text);
    if (tooLarge) return this.refused(name, tooLarge, it);
    const ast = known ?? this.parse(file, text!);
    const isPackage = basename(file) === '__init__.py';
    const mod = new PyModule(name, file);
    mod.attrs.set('__name__', name);
    mod.attrs.set('__file__', file);
    mod.attrs.set('__spec__', null);
    mod.attrs.set('__package__', isPackage ? name : name.split('.').slice(0, -1).join('.'));
    if (isPackage) mod.attrs.set('__path__', new PyList([dirname(file)]));
    // registered before running, so circular imports see the partial module as Python does
    this.modules.set(name, mod);
    this.sysModules?.set(name, mod);
    this.loadedFiles.add(file);
    if (this.options.lazy !== false && this.guard.isLibrary(file)) this.lazy.attach(mod);
    const scope = new Scope('module', null, mod.attrs);
    const ctx: ModuleContext = { name, packageName: isPackage ? name : name.split('.').slice(0, -1).join('.'), file, scope, module: mod };
    // an import runs with its own step budget, then gives the caller back what it had left
    const savedSteps = it.steps;
    const savedBudget = it.budget;
    it.steps = 0;
    it.budget = Math.min(this.options.moduleBudget, this.importStepsLeft);
    this.importDepth++;
    try {
      const raised = it.runModule(ast, ctx);
      if (raised)
        this.problems.set(name, `raised ${raised.exc.cls.name} at line ${(raised.line ?? 0) + 1}: ${String(raised.exc.payload ?? '')}`);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      this.problems.set(name, `top level exceeded its step budget at line ${(e.line ?? 0) + 1}`);
    } finally {
      this.importDepth--;
      this.importStepsLeft -= it.steps;
      it.steps = savedSteps;
      it.budget = savedBudget;
    }
    this.options.patches?.[name]?.(mod);
    if (ast.syntaxErrors.length) this.problems.set(name, `syntax error at line ${ast.syntaxErrors[0].line + 1}`);
    if (ast.notAnalyzed?.length) this.problems.set(name, ast.notAnalyzed[0].reason);
    if (this.guard.isLibrary(file))
      for (const v of mod.attrs.values())
        if (v instanceof PyDict || v instanceof PyList || v instanceof PySet) this.lazy.noteRegistry(v, name);
    // `sys.modules[__name__] = _LazyModule(...)`: importers get what the module left there
    const left = this.sysModules?.get(name);
    if (left !== undefined && left !== mod && !(left instanceof Unknown)) mod.replacedBy = left;
    this.linkParent(name, mod, it);
    return mod;
  }

  /** The module object of a file this loader evaluated. */
  moduleOfFile(file: string): PyModule | undefined {
    for (const m of this.modules.values()) if (m.file === file) return m;
    return undefined;
  }

  /** The AST of a file this loader evaluated (to read its `# wattlens:` comments). */
  astOf(file: string): Module | undefined {
    return this.astCache.get(file)?.ast;
  }

  private parse(file: string, text: string): Module {
    const c = this.astCache.get(file);
    if (c && c.text === text) return c.ast;
    const ast = this.options.parse(text, file);
    this.astCache.set(file, { text, ast });
    return ast;
  }
}

/**
 * The dotted module name and package of a file, found by walking up folders that hold
 * an __init__.py; also the root above the top package (searched for absolute imports).
 */
export function moduleIdentity(file: string, host: SourceHost): { name: string; packageName: string; packageRoot: string } {
  const parts: string[] = [];
  let dir = dirname(file);
  const stem = basename(file).replace(/\.pyi?$/, '');
  while (host.isFile(join(dir, '__init__.py'))) {
    parts.unshift(basename(dir));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const packageName = parts.join('.');
  const name = stem === '__init__' ? packageName : [...parts, stem].join('.');
  return { name: name || stem, packageName: stem === '__init__' ? packageName : packageName, packageRoot: dir };
}
