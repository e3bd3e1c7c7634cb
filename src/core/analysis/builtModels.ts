// Constructed models kept between analyses of a file, so an edit of `forward` re-runs only
// `forward`. A model is reused only while (1) its module namespace is the one it was built in
// (the module did not run again: definitionPatch.ts), (2) none of the functions and methods its
// construction called changed since, and (3) no forward pass changed the model's state (its
// attributes, submodules, lists, dicts, its classes' dicts, the module's globals): the state is
// fingerprinted after construction and checked after each forward pass.
import type { UnmodelledLog } from '../interp/interpreter';
import type { ModuleContext } from '../interp/moduleContext';
import { PyClass, PyDict, PyInstance, PyList, PyTuple, type Value } from '../interp/values';
import type { Module as AstModule, Stmt } from '../python/ast';
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
  const within = (s: Stmt, row: number) =>
    row >= Math.min(s.line, ...(s.k === 'def' || s.k === 'class' ? s.decorators.map((d) => d.line) : [])) && row <= (s.endLine ?? s.line);
  for (const row of lines) {
    const top = ast.body.find((s) => within(s, row));
    if (!top) continue;
    const inner = top.k === 'class' ? top.body.find((s) => within(s, row)) : undefined;
    units.add((inner ?? top).line);
  }
  return units;
}

/**
 * Everything a forward pass could change that a later forward pass would read: identities and
 * sizes along the model's object graph, its classes' dicts and the module's globals.
 */
export function stateFingerprint(model: PyInstance, ctx: ModuleContext): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const classes = new Set<PyClass>();
  const visit = (v: Value | undefined): void => {
    if (v === null || v === undefined || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof PyInstance) {
      classes.add(v.cls);
      out.push(v.cls, v.attrs.size);
      for (const [k, x] of v.attrs) out.push(k, x);
      for (const x of v.attrs.values()) visit(x);
      const state = v.module;
      if (state) for (const d of [state.modules, state.parameters, state.buffers]) visit(d);
    } else if (v instanceof PyList || v instanceof PyTuple) {
      out.push(v.items.length, ...v.items);
      for (const x of v.items) visit(x);
    } else if (v instanceof PyDict) {
      out.push(v.entries.size);
      for (const [k, x] of v.entries.values()) out.push(k, x);
      for (const [k, x] of v.entries.values()) {
        visit(k);
        visit(x);
      }
    } else if (v instanceof Tensor) out.push(v.isParameter, v.requiresGrad);
  };
  visit(model);
  for (const cls of classes) for (const [k, x] of cls.dict) out.push(k, x);
  for (const [k, x] of ctx.scope.vars) out.push(k, x);
  return out;
}

export function sameFingerprint(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
