// Constructed models kept between analyses of a file, so an edit of `forward` re-runs only
// `forward`. A model is reused only while (1) its module namespace is the one it was built in
// (the module did not run again: definitionPatch.ts), (2) none of the functions and methods its
// construction called changed since, and (3) no forward pass changed the model's state (its
// attributes, submodules, lists, dicts, its classes' dicts, the module's globals and what they
// hold): the state is fingerprinted after construction and checked before the model is taken again.
import type { UnmodelledLog } from '../interp/interpreter';
import type { ModuleContext } from '../interp/moduleContext';
import { PyClass, PyDict, PyInstance, PyList, PyTuple, type Value } from '../interp/values';
import type { Module as AstModule } from '../python/ast';
import { statementAt } from './statementAt';
import { Tensor } from '../torch/tensor';

export interface BuiltModel {
  ctx: ModuleContext;
  model: PyInstance;
  /** What the construction left behind, restored before forward as a fresh construction leaves it. */
  unmodelled: UnmodelledLog;
  moduleValues: number;
  notes: [string, string][];
  bounds: [string, number][];
  steps: number;
  /** Lines the construction's dependency trace holds (the file's definitions it used). */
  lines: number[];
  /** The units (a top-level definition, or a statement of a class body) the construction used, by first line. */
  units: Set<number>;
  fingerprint: unknown[];
}

const MAX_BUILT_MODELS = 64;

export class BuiltModels {
  private readonly byFile = new Map<string, Map<string, BuiltModel>>();

  get(file: string, key: string, ctx: ModuleContext): BuiltModel | undefined {
    const hit = this.byFile.get(file)?.get(key);
    return hit && hit.ctx === ctx ? hit : undefined;
  }

  set(file: string, key: string, built: BuiltModel): void {
    let models = this.byFile.get(file);
    if (!models) this.byFile.set(file, (models = new Map<string, BuiltModel>()));
    // built models hold their whole object graphs: a bounded number across files, other files' first
    let total = 0;
    for (const m of this.byFile.values()) total += m.size;
    for (const [other, held] of this.byFile) {
      if (total < MAX_BUILT_MODELS) break;
      if (other === file) continue;
      total -= held.size;
      this.byFile.delete(other);
    }
    if (total >= MAX_BUILT_MODELS) models.clear();
    models.set(key, built);
  }

  delete(file: string, key: string): void {
    this.byFile.get(file)?.delete(key);
  }

  /** Functions starting at `rows` took new code in `ctx`: models whose construction ran one of them are built again. */
  changed(file: string, ctx: ModuleContext, rows: Set<number>): void {
    const models = this.byFile.get(file);
    if (!models) return;
    for (const [key, built] of models) if (built.ctx !== ctx || [...rows].some((r) => built.units.has(r))) models.delete(key);
  }

  forget(file: string): void {
    this.byFile.delete(file);
  }

  clear(): void {
    this.byFile.clear();
  }
}

/** The first line of the unit holding each line: a class body's statement, else the top-level statement. */
export function unitsOf(ast: AstModule, lines: Iterable<number>): Set<number> {
  const units = new Set<number>();
  for (const row of lines) {
    const top = statementAt(ast.body, row);
    if (!top) continue;
    const inner = top.k === 'class' ? statementAt(top.body, row) : undefined;
    units.add((inner ?? top).line);
  }
  return units;
}

/**
 * Everything a forward pass could change that a later forward pass would read: identities and
 * sizes along the model's object graph, its classes' dicts and the module's globals.
 */
export function stateFingerprint(model: PyInstance, ctx: ModuleContext): unknown[] {
  // sized like the last one (the same model built again after an edit, or one of its siblings):
  // an array grown by push is copied at every growth, each copy garbage
  const walk = new StateWalk(undefined, lastFingerprintLength);
  walk.state(model, ctx);
  walk.out.length = walk.emitted;
  lastFingerprintLength = Math.min(walk.emitted, MAX_FINGERPRINT_HINT);
  return walk.out;
}

let lastFingerprintLength = 0;
/** A huge model's size is no hint for the next (its array would be reserved for nothing). */
const MAX_FINGERPRINT_HINT = 1 << 18;

/** Whether the state is still the one fingerprinted (walked again, compared as it goes, nothing kept). */
export function sameState(fingerprint: readonly unknown[], model: PyInstance, ctx: ModuleContext): boolean {
  const walk = new StateWalk(fingerprint);
  return walk.state(model, ctx) && walk.at === fingerprint.length;
}

/**
 * Emits the state in a fixed order: appended to `out`, or compared with `against` (stopping at
 * the first difference). One monomorphic method per kind of value, no closure per item: the walk
 * runs once per model built and its graph is every module, attribute and parameter.
 */
class StateWalk {
  readonly out: unknown[];
  /** How many values were appended to `out` (its length may be larger until trimmed). */
  emitted = 0;
  at = 0;
  private readonly seen = new Set<object>();
  private readonly classes = new Set<PyClass>();

  constructor(
    private readonly against: readonly unknown[] | undefined,
    sizeHint = 0,
  ) {
    this.out = against === undefined && sizeHint > 0 ? new Array<unknown>(sizeHint) : [];
  }

  state(model: PyInstance, ctx: ModuleContext): boolean {
    if (!this.visit(model)) return false;
    for (const cls of this.classes) for (const [k, x] of cls.dict) if (!this.emit(k) || !this.emit(x)) return false;
    // the module's globals, and the lists, dicts and instances they hold (a forward pass appending to a module-level list)
    for (const [k, x] of ctx.scope.vars) if (!this.emit(k) || !this.emit(x) || !this.visit(x)) return false;
    return true;
  }

  private emit(x: unknown): boolean {
    const against = this.against;
    if (against === undefined) {
      this.out[this.emitted++] = x;
      return true;
    }
    return this.at < against.length && against[this.at++] === x;
  }

  private visit(v: Value | undefined): boolean {
    if (v === null || v === undefined || typeof v !== 'object') return true;
    // a tensor holds nothing to walk into: its flags are emitted at each reference (no set to look it up in)
    if (v instanceof Tensor) return this.emit(v.isParameter) && this.emit(v.requiresGrad);
    // only what holds other values is remembered (functions, classes, floats are emitted by identity already)
    if (v instanceof PyInstance) return this.first(v) ? this.instance(v) : true;
    if (v instanceof PyList || v instanceof PyTuple) {
      if (!this.first(v)) return true;
      if (!this.emit(v.items.length)) return false;
      for (const x of v.items) if (!this.emit(x) || !this.visit(x)) return false;
      return true;
    }
    if (v instanceof PyDict) return this.first(v) ? this.dict(v) : true;
    return true;
  }

  private first(v: object): boolean {
    if (this.seen.has(v)) return false;
    this.seen.add(v);
    return true;
  }

  private instance(v: PyInstance): boolean {
    this.classes.add(v.cls);
    if (!this.emit(v.cls) || !this.emit(v.attrs.size)) return false;
    for (const [k, x] of v.attrs) if (!this.emit(k) || !this.emit(x)) return false;
    for (const x of v.attrs.values()) if (!this.visit(x)) return false;
    const state = v.module;
    return !state || (this.visit(state.modules) && this.visit(state.parameters) && this.visit(state.buffers));
  }

  private dict(v: PyDict): boolean {
    if (!this.emit(v.entries.size)) return false;
    for (const [k, x] of v.entries.values()) if (!this.emit(k) || !this.emit(x) || !this.visit(k) || !this.visit(x)) return false;
    return true;
  }
}
