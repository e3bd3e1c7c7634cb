// The training loops the analysis worker sends with each result. When the script's own text
// shows no optimizer behind a `.step()` (nanoGPT and minGPT build theirs in model.py), the
// workspace modules the analysis imported are read too: a function there that returns an
// optimizer makes its callers' values optimizers.
import { forEachStmt, stmtExprs, walkExpr } from '../advisor/astQuery';
import type { Module, Stmt } from '../python/ast';
import type { PythonParser } from '../python/parser';
import { trainingLoops, type TrainingLoop } from './trainingLoop';

/** Imported modules read at most, and their size: the loop search must stay cheap. */
const MAX_IMPORTED = 24;
const MAX_BYTES = 512 * 1024;

export interface ImportedSources {
  parser: PythonParser;
  /** Absolute paths of the workspace files the analysis imported. */
  files: readonly string[];
  readFile(path: string): string | undefined;
}

export class ScriptLoopFinder {
  private readonly parsed = new Map<string, { text: string; ast: Module }>();
  /** Per top-level statement (a document keeps unchanged ones across edits): whether it calls a `step` or `fit` attribute. */
  private readonly calls = new WeakMap<Stmt, boolean>();

  find(ast: Module, text: string, imports?: ImportedSources): TrainingLoop[] {
    // a training loop is an optimizer's `.step()` or a Trainer's `.fit()`: a file without either has none
    if (!ast.body.some((s) => this.callsStepOrFit(s))) return [];
    const own = trainingLoops(ast);
    if (own.length > 0 || !imports || !/\.step\(/.test(text)) return own;
    const modules: Module[] = [];
    for (const path of imports.files.slice(0, MAX_IMPORTED)) {
      const source = imports.readFile(path);
      if (source === undefined || source.length > MAX_BYTES) continue;
      const hit = this.parsed.get(path);
      if (hit && hit.text === source) modules.push(hit.ast);
      else {
        const parsed = imports.parser.parseModule(source);
        this.parsed.set(path, { text: source, ast: parsed });
        modules.push(parsed);
      }
    }
    return modules.length ? trainingLoops(ast, modules) : own;
  }

  private callsStepOrFit(s: Stmt): boolean {
    let hit = this.calls.get(s);
    if (hit === undefined) {
      let found = false;
      forEachStmt([s], (x) => {
        for (const e of stmtExprs(x))
          walkExpr(e, (y) => (found ||= y.k === 'call' && y.fn.k === 'attr' && (y.fn.name === 'step' || y.fn.name === 'fit')));
      });
      this.calls.set(s, (hit = found));
    }
    return hit;
  }
}
