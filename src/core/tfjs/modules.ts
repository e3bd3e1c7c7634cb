// Imports of a TF.js model file: TF.js packages give the tf namespace (any alias, named or
// default imports, require), relative imports are evaluated from the workspace (.ts, .tsx,
// .js, .mjs, .cjs, .jsx and index files), anything else is an Unknown with the reason.
import { dirname, resolve } from 'node:path';
import { ImportGuard } from '../interp/sourceGuard';
import { jsLimitError } from '../interp/signals';
import { BudgetExceeded, type Evaluator, type ModuleRecord, type ModuleResolver } from './evaluator';
import { parseSource } from './parse';
import { runtimeMember } from './graph';
import { TFJS_PACKAGES, type TfApi } from './tfApi';
import { Unknown, type Site, type Value, siteOf, unknownAt } from './values';

export interface SourceReader {
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
}

const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.mts', '.cts'];

export class WorkspaceModules implements ModuleResolver {
  private readonly records = new Map<string, ModuleRecord>();
  readonly problems: Unknown[] = [];
  evaluator!: Evaluator;
  /** Relative and absolute imports read only regular files within size inside the roots (after symlinks). */
  private readonly guard: ImportGuard;

  constructor(
    private readonly reader: SourceReader,
    private readonly tf: TfApi,
    /** The analyzed file and its text (it may be unsaved), so an import cycle back to it reuses it. */
    private readonly main: { file: string; record?: ModuleRecord },
    /** Folders imports may be read from (the workspace; the analyzed file's folder is always one). */
    roots: readonly string[] = [],
  ) {
    this.guard = new ImportGuard([...roots, dirname(main.file)]);
  }

  /** Files evaluated through imports. */
  get importedFiles(): string[] {
    return [...this.records.keys()].filter((f) => f !== this.main.file);
  }

  load(specifier: string, fromFile: string, site: Site): ModuleRecord | Value {
    if (TFJS_PACKAGES.has(specifier)) return this.tf.namespace(specifier);
    if (specifier === '@tensorflow/tfjs-core' || specifier.startsWith('@tensorflow/')) return runtimeMember(specifier);
    if (!specifier.startsWith('.') && !specifier.startsWith('/'))
      return unknownAt(`"${specifier}" is a package WattLens does not evaluate`, site);
    const path = this.resolvePath(specifier, fromFile);
    if (!path) {
      const u = unknownAt(`cannot find the module "${specifier}" imported by ${fromFile.split(/[\\/]/).pop()}`, site);
      this.problem(u);
      return u;
    }
    if (path === this.main.file && this.main.record) return this.main.record;
    const known = this.records.get(path);
    if (known) return known;
    const refused = this.guard.reasonNotToRead(path);
    const text = refused ? undefined : this.reader.readFile(path);
    const reason = refused ?? (text === undefined ? `cannot read ${path}` : this.guard.reasonTextTooLarge(path, text));
    if (reason || text === undefined) {
      const u = unknownAt(reason ?? `cannot read ${path}`, site);
      this.problem(u);
      return u;
    }
    const parsed = parseSource(path, text);
    if ('error' in parsed) {
      const u = unknownAt(`${path.split(/[\\/]/).pop()}: ${parsed.error.reason}`, siteOf(parsed.error) ?? site);
      this.problem(u);
      return u;
    }
    for (const e of parsed.syntaxErrors)
      this.problem(unknownAt(`${path.split(/[\\/]/).pop()}: ${e.reason} (the rest of the file is still read)`, siteOf(e)));
    const ev = this.evaluator;
    const record = ev.newModule(path);
    this.records.set(path, record);
    try {
      const thrown = ev.withCallSite(site, () => ev.runModule(record, parsed.program));
      if (thrown) this.problem(unknownAt(`${path.split(/[\\/]/).pop()}: ${thrown.reason}`, siteOf(thrown)));
    } catch (e) {
      const limit = jsLimitError(e);
      if (!(e instanceof BudgetExceeded) && !limit) throw e;
      const why = e instanceof BudgetExceeded ? e.message : limit!.message;
      this.problem(
        unknownAt(
          `${path.split(/[\\/]/).pop()}: evaluation stopped (${why}); names defined after that point are unknown`,
          (e instanceof BudgetExceeded ? siteOf(e) : undefined) ?? site,
        ),
      );
    }
    return record;
  }

  private problem(u: Unknown): void {
    if (!this.problems.some((p) => p.reason === u.reason)) this.problems.push(u);
  }

  private resolvePath(specifier: string, fromFile: string): string | undefined {
    const base = resolve(dirname(fromFile), specifier);
    const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
    // TypeScript ESM style: import './blocks.js' names blocks.ts
    const m = /\.(m|c)?jsx?$/.exec(base);
    if (m) {
      const stem = base.slice(0, -m[0].length);
      candidates.push(...['.ts', '.tsx', '.mts', '.cts'].map((e) => stem + e));
    }
    for (const c of candidates) if (this.reader.isFile(c)) return c;
    return undefined;
  }
}
