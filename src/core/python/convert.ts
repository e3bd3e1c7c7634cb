// tree-sitter Python tree → the compact AST of ast.ts. Error-tolerant: ERROR nodes become
// `error` statements (recorded as syntax errors), the parts that parse convert normally.
import type { Node as TsTreeNode, Tree } from 'web-tree-sitter';
import { copyFromCursor, copyTree, wrapInModule, type LineStarts, type SyntaxNode as TsNode } from './syntaxNode';
import type { Arg, ClassDef, CompClause, DictItem, Expr, FStrFormat, FunctionDef, Handler, Module, Param, Stmt } from './ast';

const DIRECTIVE = /^#\s*wattlens:\s*(.*)$/;
/**
 * Statements and expressions nested deeper than this are not converted (CPython's parser stops
 * at 200 nested parentheses too): everything after conversion (evaluation, unparse, walks)
 * recurses over a tree of bounded depth, far from the JavaScript stack's limit.
 */
export const MAX_NESTING = 200;

/** A function body left unconverted (deferredBodies.ts): its definition's text from the start of its line. */
export interface DeferredBody {
  /** From the start of the `def` line to the end of the body. */
  text: string;
  /** The file's row of the text's first line. */
  row: number;
  /** Nesting depth of the body's statements (MAX_NESTING counts from the file's top). */
  depth: number;
  /** While the file's tree is kept (deferredBodies.ts): the body's node in it, and the file's text. */
  live?: { node: TsTreeNode; source: string; lines: LineStarts };
}

/** Receives each function whose body `convertTree` left unconverted (its `body` is empty meanwhile). */
export type DeferBody = (def: FunctionDef, body: DeferredBody, module: Module) => void;

/** One top-level node of a tree (a statement or a comment), converted on its own. */
export function convertNode(node: TsTreeNode, source: string): Module {
  const c = new Converter();
  const cursor = node.walk();
  try {
    const copy = copyFromCursor(cursor, source);
    const body = c.block(wrapInModule(copy));
    c.noteHiddenErrors(copy);
    return { body, syntaxErrors: c.syntaxErrors, directives: c.directives, notAnalyzed: c.notAnalyzed };
  } finally {
    cursor.delete();
  }
}

/**
 * A whole tree. With `defer` (a tree without errors only), the bodies of functions not nested in
 * another function are not converted (most are never called): each goes to `defer` instead.
 */
export function convertTree(tree: Tree, source: string, defer?: DeferBody): Module {
  const c = new Converter();
  let body: Stmt[];
  if (tree.rootNode.hasError) {
    const root = copyTree(tree, source, { deferBodies: !!defer });
    body = c.block(root);
    c.noteHiddenErrors(root);
  } else body = convertTopLevel(c, tree, source, !!defer);
  const m: Module = { body, syntaxErrors: c.syntaxErrors, directives: c.directives, notAnalyzed: c.notAnalyzed };
  for (const [def, later] of c.deferred) defer!(def, later, m);
  return m;
}

/**
 * The module's statements, each copied and converted before the next is copied: a copy of the
 * whole tree first (~9 nodes a statement, all alive at once) made a 0.9 MB file of 80,000
 * statements spend most of its conversion in the garbage collector.
 */
function convertTopLevel(c: Converter, tree: Tree, source: string, deferBodies: boolean): Stmt[] {
  const body: Stmt[] = [];
  const cursor = tree.walk();
  try {
    if (!cursor.gotoFirstChild()) return body;
    do {
      const node = copyFromCursor(cursor, source, { deferBodies });
      if (node.isNamed) for (const s of c.block(wrapInModule(node))) body.push(s);
    } while (cursor.gotoNextSibling());
  } finally {
    cursor.delete();
  }
  return body;
}

/** A deferred body from its node in the file's tree, as `convertTree` would have converted it. */
export function convertDeferredNode(
  later: DeferredBody & Required<Pick<DeferredBody, 'live'>>,
): Pick<Module, 'body' | 'syntaxErrors' | 'notAnalyzed'> {
  const c = new Converter();
  c.depth = later.depth;
  const cursor = later.live.node.walk();
  try {
    // the file's line starts: bodies of several files are read in turn
    const body = c.block(copyFromCursor(cursor, later.live.source, { lines: later.live.lines }));
    return { body, syntaxErrors: c.syntaxErrors, notAnalyzed: c.notAnalyzed };
  } finally {
    cursor.delete();
  }
}

/**
 * The body of the function a deferred text defines, as `convertTree` would have converted it in
 * its file. `tree` is the parse of `wrapped`: the text itself, or, when its `def` is indented,
 * the text under an `if 1:` line (a method parses alone that way).
 */
export function convertDeferredBody(
  tree: Tree,
  wrapped: string,
  later: DeferredBody,
): Pick<Module, 'body' | 'syntaxErrors' | 'notAnalyzed'> {
  const indented = wrapped.length !== later.text.length;
  const c = new Converter();
  c.depth = later.depth;
  const root = copyTree(tree, wrapped, { rowOffset: later.row - (indented ? 1 : 0) });
  let def: TsNode | undefined = root.namedChildren[0];
  if (indented) def = def?.type === 'if_statement' ? def.childForFieldName('consequence')?.namedChildren[0] : undefined;
  if (def?.type !== 'function_definition' || tree.rootNode.hasError)
    return {
      body: [{ k: 'error', line: later.row, endLine: later.row, text: 'function body that no longer parses alone' }],
      syntaxErrors: [{ line: later.row, text: later.text.slice(0, 80) }],
      notAnalyzed: [],
    };
  return { body: c.block(def.childForFieldName('body')), syntaxErrors: c.syntaxErrors, notAnalyzed: c.notAnalyzed };
}

class Converter {
  syntaxErrors: { line: number; text: string }[] = [];
  directives = new Map<number, string>();
  notAnalyzed: { line: number; reason: string }[] = [];
  /** Statements and expressions being converted, outermost to innermost. */
  depth = 0;
  /** Functions whose bodies the copy left out, with what converts them later. */
  readonly deferred = new Map<FunctionDef, DeferredBody>();

  block(node: TsNode | null): Stmt[] {
    if (!node) return [];
    const out: Stmt[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'comment') {
        const m = DIRECTIVE.exec(child.text);
        if (m) this.directives.set(child.startRow, m[1].trim());
        continue;
      }
      const s = this.stmt(child);
      if (s) out.push(s);
      // statements the parser nested inside an error node still run
      if (child.type === 'ERROR') out.push(...this.block(child).filter((x) => x.k !== 'error' && x.k !== 'expr'));
    }
    return out;
  }

  /** Missing tokens (an unclosed call) sit inside expressions the converter reads past: find them. */
  noteHiddenErrors(root: TsNode): void {
    const stack = [root];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if ((node.isMissing || node.type === 'ERROR') && !this.syntaxErrors.some((e) => e.line === node!.startRow)) {
        this.syntaxErrors.push({ line: node.startRow, text: node.isMissing ? `missing ${node.type}` : node.text.slice(0, 80) });
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    }
  }

  /** Code nested past MAX_NESTING: one `error` node in its place, and one note per line. */
  private tooDeep(n: TsNode): { k: 'error'; line: number; text: string } {
    const reason = `expression nested deeper than ${MAX_NESTING} levels at line ${n.startRow + 1}: not analyzed`;
    if (!this.notAnalyzed.some((x) => x.line === n.startRow)) this.notAnalyzed.push({ line: n.startRow, reason });
    return { k: 'error', line: n.startRow, text: `expression nested deeper than ${MAX_NESTING} levels: not analyzed` };
  }

  private noteError(node: TsNode): void {
    this.syntaxErrors.push({ line: node.startRow, text: node.text.slice(0, 80) });
  }

  /** A statement with its last row, so rewrites can replace whole statements. */
  stmt(n: TsNode): Stmt | null {
    if (this.depth >= MAX_NESTING) return { ...this.tooDeep(n), endLine: n.endRow };
    this.depth++;
    try {
      const s = this.stmtInner(n);
      if (s && s.endLine === undefined) s.endLine = n.endRow;
      return s;
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: TsNode): Stmt | null {
    const line = n.startRow;
    if (n.isMissing) {
      this.noteError(n);
      return null;
    }
    switch (n.type) {
      case 'expression_statement': {
        const inner = n.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
        if (inner.length === 1) {
          const e = inner[0];
          if (e.type === 'assignment') return this.assignment(e);
          if (e.type === 'augmented_assignment')
            return {
              k: 'augassign',
              line,
              target: this.expr(e.childForFieldName('left')),
              op: e.childForFieldName('operator')?.text ?? '+=',
              value: this.expr(e.childForFieldName('right')),
            };
          return { k: 'expr', line, e: this.expr(e) };
        }
        return { k: 'expr', line, e: { k: 'tuple', line, items: inner.map((x) => this.expr(x)) } };
      }
      case 'return_statement': {
        const v = n.namedChildren.find((x) => x && x.type !== 'comment');
        return { k: 'return', line, value: v ? this.expr(v) : undefined };
      }
      case 'pass_statement':
        return { k: 'pass', line };
      case 'break_statement':
        return { k: 'break', line };
      case 'continue_statement':
        return { k: 'continue', line };
      case 'if_statement':
        return this.ifStatement(n);
      case 'for_statement':
        return {
          k: 'for',
          line,
          target: this.expr(n.childForFieldName('left')),
          iter: this.expr(n.childForFieldName('right')),
          body: this.block(n.childForFieldName('body')),
          orelse: this.block(n.childForFieldName('alternative')?.childForFieldName('body') ?? null),
        };
      case 'while_statement':
        return {
          k: 'while',
          line,
          test: this.expr(n.childForFieldName('condition')),
          body: this.block(n.childForFieldName('body')),
          orelse: this.block(n.childForFieldName('alternative')?.childForFieldName('body') ?? null),
        };
      case 'function_definition':
        return this.functionDef(n, []);
      case 'class_definition':
        return this.classDef(n, []);
      case 'decorated_definition': {
        const decorators = n.namedChildren
          .filter((x): x is TsNode => !!x && x.type === 'decorator')
          .map((d) => this.expr(d.namedChildren.find((x) => x && x.type !== 'comment') ?? null));
        const def = n.childForFieldName('definition');
        if (!def) return null;
        if (def.type === 'class_definition') return this.classDef(def, decorators);
        if (def.type === 'function_definition') return this.functionDef(def, decorators);
        return null;
      }
      case 'import_statement':
        return {
          k: 'import',
          line,
          names: n.childrenForFieldName('name').flatMap((x) => {
            if (!x) return [];
            if (x.type === 'aliased_import')
              return [{ module: x.childForFieldName('name')?.text ?? '', alias: x.childForFieldName('alias')?.text }];
            return [{ module: x.text }];
          }),
        };
      case 'import_from_statement':
        return this.importFrom(n);
      case 'future_import_statement':
        return { k: 'pass', line };
      case 'raise_statement': {
        const parts = n.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
        const cause = n.childForFieldName('cause');
        const exc = parts.find((x) => x !== cause);
        return { k: 'raise', line, exc: exc ? this.expr(exc) : undefined, cause: cause ? this.expr(cause) : undefined };
      }
      case 'try_statement':
        return this.tryStatement(n);
      case 'with_statement': {
        const clause = n.namedChildren.find((x) => x?.type === 'with_clause');
        const items = (clause?.namedChildren ?? [])
          .filter((x): x is TsNode => !!x && x.type === 'with_item')
          .map((item) => {
            const v = item.childForFieldName('value');
            if (v?.type === 'as_pattern') {
              const target = v.childForFieldName('alias')?.namedChildren[0] ?? null;
              return { ctx: this.expr(v.namedChildren[0] ?? null), target: target ? this.expr(target) : undefined };
            }
            return { ctx: this.expr(v) };
          });
        return { k: 'with', line, items, body: this.block(n.childForFieldName('body')) };
      }
      case 'assert_statement': {
        const parts = n.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment');
        return { k: 'assert', line, test: this.expr(parts[0] ?? null), msg: parts[1] ? this.expr(parts[1]) : undefined };
      }
      case 'delete_statement': {
        const target = n.namedChildren[0];
        const targets = target?.type === 'expression_list' ? target.namedChildren : [target];
        return { k: 'del', line, targets: targets.filter((x): x is TsNode => !!x).map((x) => this.expr(x)) };
      }
      case 'global_statement':
      case 'nonlocal_statement':
        return {
          k: n.type === 'global_statement' ? 'global' : 'nonlocal',
          line,
          names: n.namedChildren.filter((x): x is TsNode => !!x && x.type === 'identifier').map((x) => x.text),
        };
      case 'ERROR': {
        this.noteError(n);
        // keep whole statements that the parser nested inside the error node
        return { k: 'error', line, text: n.text.slice(0, 80) };
      }
      case 'comment':
        return null;
      default:
        // match, type alias, print/exec (py2), etc.: not modelled
        return { k: 'error', line, text: `unsupported statement ${n.type}` };
    }
  }

  private assignment(e: TsNode): Stmt {
    const line = e.startRow;
    const type = e.childForFieldName('type');
    const right = e.childForFieldName('right');
    const left = this.expr(e.childForFieldName('left'));
    if (type) return { k: 'annassign', line, target: left, annotation: this.expr(type), value: right ? this.expr(right) : undefined };
    // a = b = c parses as assignment(left=a, right=assignment(left=b, right=c))
    const targets = [left];
    let value: TsNode | null = right;
    while (value && value.type === 'assignment' && !value.childForFieldName('type')) {
      targets.push(this.expr(value.childForFieldName('left')));
      value = value.childForFieldName('right');
    }
    return { k: 'assign', line, targets, value: this.expr(value) };
  }

  private ifStatement(n: TsNode): Stmt {
    const line = n.startRow;
    const alternatives = n.childrenForFieldName('alternative').filter((x): x is TsNode => !!x);
    // build the elif chain from the end
    let orelse: Stmt[] = [];
    for (let i = alternatives.length - 1; i >= 0; i--) {
      const alt = alternatives[i];
      if (alt.type === 'else_clause') orelse = this.block(alt.childForFieldName('body'));
      else if (alt.type === 'elif_clause')
        orelse = [
          {
            k: 'if',
            line: alt.startRow,
            test: this.expr(alt.childForFieldName('condition')),
            body: this.block(alt.childForFieldName('consequence')),
            orelse,
          },
        ];
    }
    return {
      k: 'if',
      line,
      test: this.expr(n.childForFieldName('condition')),
      body: this.block(n.childForFieldName('consequence')),
      orelse,
    };
  }

  private tryStatement(n: TsNode): Stmt {
    const handlers: Handler[] = [];
    let orelse: Stmt[] = [];
    let fin: Stmt[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        const value = c.childForFieldName('value') ?? c.namedChildren.find((x) => x && x.type !== 'block' && x.type !== 'comment') ?? null;
        const body = this.block(c.namedChildren.find((x) => x?.type === 'block') ?? null);
        if (value?.type === 'as_pattern') {
          const alias = value.childForFieldName('alias')?.namedChildren[0]?.text;
          handlers.push({ type: this.expr(value.namedChildren[0] ?? null), name: alias, body });
        } else handlers.push({ type: value ? this.expr(value) : undefined, body });
      } else if (c.type === 'else_clause') orelse = this.block(c.childForFieldName('body'));
      else if (c.type === 'finally_clause') fin = this.block(c.namedChildren.find((x) => x?.type === 'block') ?? null);
    }
    return { k: 'try', line: n.startRow, body: this.block(n.childForFieldName('body')), handlers, orelse, finally: fin };
  }

  private importFrom(n: TsNode): Stmt {
    const line = n.startRow;
    const modNode = n.childForFieldName('module_name');
    let level = 0;
    let module: string;
    if (modNode?.type === 'relative_import') {
      const prefix = modNode.namedChildren.find((x) => x?.type === 'import_prefix');
      level = prefix ? prefix.text.length : 0;
      module = modNode.namedChildren.find((x) => x?.type === 'dotted_name')?.text ?? '';
    } else module = modNode?.text ?? '';
    if (n.namedChildren.some((x) => x?.type === 'wildcard_import')) return { k: 'importfrom', line, module, level, names: '*' };
    const names = n.childrenForFieldName('name').flatMap((x) => {
      if (!x) return [];
      if (x.type === 'aliased_import')
        return [{ name: x.childForFieldName('name')?.text ?? '', alias: x.childForFieldName('alias')?.text }];
      return [{ name: x.text }];
    });
    return { k: 'importfrom', line, module, level, names };
  }

  private functionDef(n: TsNode, decorators: Expr[]): FunctionDef {
    const bodyNode = n.childForFieldName('body');
    const deferred = bodyNode?.deferred;
    const def: FunctionDef = {
      k: 'def',
      line: n.startRow,
      endLine: n.endRow,
      name: n.childForFieldName('name')?.text ?? '<anonymous>',
      params: this.params(n.childForFieldName('parameters')),
      body: deferred ? [] : this.block(bodyNode),
      decorators,
      isAsync: n.children.some((x) => x?.type === 'async'),
      // a deferred body has no `yield` in its text (syntaxNode.ts)
      isGenerator: bodyNode && !deferred ? containsYield(bodyNode) : false,
    };
    if (deferred) {
      const lineStart = n.source.lastIndexOf('\n', n.startIndex - 1) + 1;
      this.deferred.set(def, {
        text: n.source.slice(lineStart, n.endIndex),
        row: n.lines.rowAt(lineStart),
        depth: this.depth,
        live: { node: deferred, source: n.source, lines: n.lines },
      });
    }
    return def;
  }

  private classDef(n: TsNode, decorators: Expr[]): ClassDef {
    const sup = n.childForFieldName('superclasses');
    return {
      k: 'class',
      line: n.startRow,
      endLine: n.endRow,
      name: n.childForFieldName('name')?.text ?? '<anonymous>',
      bases: sup ? this.args(sup) : [],
      body: this.block(n.childForFieldName('body')),
      decorators,
    };
  }

  params(n: TsNode | null): Param[] {
    if (!n) return [];
    const out: Param[] = [];
    let kwonly = false;
    for (const p of n.namedChildren) {
      if (!p) continue;
      switch (p.type) {
        case 'identifier':
          out.push({ name: p.text, kind: kwonly ? 'kwonly' : 'pos' });
          break;
        case 'typed_parameter': {
          const inner = p.namedChildren[0];
          if (inner?.type === 'list_splat_pattern') {
            out.push({ name: inner.namedChildren[0]?.text ?? '_', kind: 'varargs' });
            kwonly = true;
          } else if (inner?.type === 'dictionary_splat_pattern') out.push({ name: inner.namedChildren[0]?.text ?? '_', kind: 'varkw' });
          else out.push({ name: inner?.text ?? '_', kind: kwonly ? 'kwonly' : 'pos' });
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter':
          out.push({
            name: p.childForFieldName('name')?.text ?? '_',
            kind: kwonly ? 'kwonly' : 'pos',
            default: this.expr(p.childForFieldName('value')),
          });
          break;
        case 'list_splat_pattern':
          out.push({ name: p.namedChildren[0]?.text ?? '_', kind: 'varargs' });
          kwonly = true;
          break;
        case 'dictionary_splat_pattern':
          out.push({ name: p.namedChildren[0]?.text ?? '_', kind: 'varkw' });
          break;
        case 'keyword_separator':
          kwonly = true;
          break;
        case 'positional_separator':
          for (const q of out) if (q.kind === 'pos') q.kind = 'posonly';
          break;
        default:
          break;
      }
    }
    return out;
  }

  args(n: TsNode): Arg[] {
    const out: Arg[] = [];
    for (const a of n.namedChildren) {
      if (!a || a.type === 'comment') continue;
      if (a.type === 'keyword_argument')
        out.push({ kind: 'kw', name: a.childForFieldName('name')?.text ?? '_', value: this.expr(a.childForFieldName('value')) });
      else if (a.type === 'list_splat') out.push({ kind: 'star', value: this.expr(a.namedChildren[0] ?? null) });
      else if (a.type === 'dictionary_splat') out.push({ kind: 'kwstar', value: this.expr(a.namedChildren[0] ?? null) });
      else out.push({ kind: 'pos', value: this.expr(a) });
    }
    return out;
  }

  expr(n: TsNode | null): Expr {
    if (!n) return { k: 'error', line: 0, text: 'missing expression' };
    if (this.depth >= MAX_NESTING) return this.tooDeep(n);
    this.depth++;
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: TsNode): Expr {
    const line = n.startRow;
    switch (n.type) {
      case 'identifier':
        return { k: 'name', line, id: n.text };
      case 'integer':
        return { k: 'num', line, v: parseInteger(n.text), float: false };
      case 'float':
        return { k: 'num', line, v: parseFloat(n.text.replace(/_/g, '').replace(/[jJ]$/, '')), float: true };
      case 'true':
        return { k: 'const', line, v: true };
      case 'false':
        return { k: 'const', line, v: false };
      case 'none':
        return { k: 'const', line, v: null };
      case 'ellipsis':
        return { k: 'const', line, v: 'ellipsis' };
      case 'string':
        return this.string(n);
      case 'concatenated_string': {
        const parts: (string | Expr)[] = [];
        const formats: (FStrFormat | null)[] = [];
        for (const s of n.namedChildren) {
          if (!s || s.type !== 'string') continue;
          const e = this.string(s);
          if (e.k === 'str') parts.push(e.v);
          else if (e.k === 'fstr') {
            formats.length = parts.length;
            if (e.formats) formats.push(...e.formats);
            parts.push(...e.parts);
          }
        }
        if (parts.every((p) => typeof p === 'string')) return { k: 'str', line, v: parts.join('') };
        return formats.some((f) => f)
          ? { k: 'fstr', line, parts, formats: Array.from({ length: parts.length }, (_, i) => formats[i] ?? null) }
          : { k: 'fstr', line, parts };
      }
      case 'attribute':
        return starOutside(this.expr(n.childForFieldName('object')), (obj) => ({
          k: 'attr',
          line,
          obj,
          name: n.childForFieldName('attribute')?.text ?? '',
        }));
      case 'subscript': {
        const subs = n.childrenForFieldName('subscript').filter((x): x is TsNode => !!x);
        const index: Expr = subs.length === 1 ? this.expr(subs[0]) : { k: 'tuple', line, items: subs.map((s) => this.expr(s)) };
        return starOutside(this.expr(n.childForFieldName('value')), (obj) => ({ k: 'sub', line, obj, index }));
      }
      case 'slice': {
        // children: [lo] ':' [hi] [':' [step]]
        const parts: (Expr | undefined)[] = [undefined, undefined, undefined];
        let i = 0;
        for (const c of n.children) {
          if (!c) continue;
          if (c.type === ':') i++;
          else if (c.isNamed && c.type !== 'comment') parts[i] = this.expr(c);
        }
        return { k: 'slice', line, lo: parts[0], hi: parts[1], step: parts[2] };
      }
      case 'call': {
        const argsNode = n.childForFieldName('arguments');
        let args: Arg[] = [];
        if (argsNode?.type === 'generator_expression') args = [{ kind: 'pos', value: this.expr(argsNode) }];
        else if (argsNode) args = this.args(argsNode);
        return starOutside(this.expr(n.childForFieldName('function')), (fn) => ({ k: 'call', line, fn, args }));
      }
      case 'binary_operator':
        return {
          k: 'bin',
          line,
          op: n.childForFieldName('operator')?.text ?? '+',
          l: this.expr(n.childForFieldName('left')),
          r: this.expr(n.childForFieldName('right')),
        };
      case 'unary_operator':
        return { k: 'unary', line, op: n.childForFieldName('operator')?.text ?? '-', e: this.expr(n.childForFieldName('argument')) };
      case 'not_operator':
        return { k: 'not', line, e: this.expr(n.childForFieldName('argument')) };
      case 'boolean_operator':
        return {
          k: 'bool',
          line,
          op: n.childForFieldName('operator')?.text === 'or' ? 'or' : 'and',
          l: this.expr(n.childForFieldName('left')),
          r: this.expr(n.childForFieldName('right')),
        };
      case 'comparison_operator': {
        const operands: Expr[] = [];
        const ops: string[] = [];
        let pendingOp = '';
        for (const c of n.children) {
          if (!c || c.type === 'comment') continue;
          if (c.isNamed) {
            if (operands.length > 0) ops.push(pendingOp.trim());
            operands.push(this.expr(c));
            pendingOp = '';
          } else pendingOp += (pendingOp ? ' ' : '') + c.type;
        }
        return { k: 'cmp', line, first: operands[0] ?? { k: 'error', line, text: 'cmp' }, ops, rest: operands.slice(1) };
      }
      case 'conditional_expression': {
        const [body, test, orelse] = n.namedChildren;
        return { k: 'ifexp', line, body: this.expr(body ?? null), test: this.expr(test ?? null), orelse: this.expr(orelse ?? null) };
      }
      case 'lambda':
        return { k: 'lambda', line, params: this.params(n.childForFieldName('parameters')), body: this.expr(n.childForFieldName('body')) };
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern': {
        const k = n.type === 'list' || n.type === 'list_pattern' ? 'list' : n.type === 'set' ? 'set' : 'tuple';
        return { k, line, items: n.namedChildren.filter((x): x is TsNode => !!x && x.type !== 'comment').map((x) => this.expr(x)) };
      }
      case 'dictionary': {
        const items: DictItem[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'pair') items.push({ key: this.expr(c.childForFieldName('key')), value: this.expr(c.childForFieldName('value')) });
          else if (c.type === 'dictionary_splat') items.push({ spread: this.expr(c.namedChildren[0] ?? null) });
        }
        return { k: 'dict', line, items };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        const kind =
          n.type === 'list_comprehension'
            ? 'list'
            : n.type === 'set_comprehension'
              ? 'set'
              : n.type === 'generator_expression'
                ? 'gen'
                : 'dict';
        const bodyNode = n.childForFieldName('body');
        const clauses: CompClause[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          if (c.type === 'for_in_clause') {
            const rights = c.childrenForFieldName('right').filter((x): x is TsNode => !!x);
            const iter: Expr = rights.length === 1 ? this.expr(rights[0]) : { k: 'tuple', line, items: rights.map((r) => this.expr(r)) };
            clauses.push({ for: this.expr(c.childForFieldName('left')), iter });
          } else if (c.type === 'if_clause') clauses.push({ if: this.expr(c.namedChildren[0] ?? null) });
        }
        if (kind === 'dict' && bodyNode?.type === 'pair')
          return {
            k: 'comp',
            line,
            kind,
            elt: this.expr(bodyNode.childForFieldName('key')),
            value: this.expr(bodyNode.childForFieldName('value')),
            clauses,
          };
        return { k: 'comp', line, kind, elt: this.expr(bodyNode), clauses };
      }
      case 'parenthesized_expression': {
        const inner = n.namedChildren.find((x) => x && x.type !== 'comment');
        return this.expr(inner ?? null);
      }
      case 'list_splat':
      case 'list_splat_pattern':
        return { k: 'star', line, e: this.expr(n.namedChildren[0] ?? null) };
      case 'named_expression':
        return { k: 'walrus', line, target: n.childForFieldName('name')?.text ?? '_', value: this.expr(n.childForFieldName('value')) };
      case 'yield': {
        const v = n.namedChildren.find((x) => x && x.type !== 'comment');
        return { k: 'yield', line, value: v ? this.expr(v) : undefined, from: n.children.some((c) => c?.type === 'from') };
      }
      case 'await':
        return { k: 'await', line, e: this.expr(n.namedChildren[0] ?? null) };
      case 'type':
      case 'keyword_argument':
        return this.expr(n.namedChildren[0] ?? null);
      case 'as_pattern':
        return this.expr(n.namedChildren[0] ?? null);
      case 'ERROR':
        this.noteError(n);
        return { k: 'error', line, text: n.text.slice(0, 80) };
      default:
        return { k: 'error', line, text: `unsupported expression ${n.type}` };
    }
  }

  private string(n: TsNode): Expr {
    const line = n.startRow;
    const start = n.namedChildren.find((x) => x?.type === 'string_start')?.text ?? '"';
    const prefix = start.replace(/['"]/g, '').toLowerCase();
    const raw = prefix.includes('r');
    const isF = prefix.includes('f');
    const parts: (string | Expr)[] = [];
    const formats: (FStrFormat | null)[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'string_content') parts.push(raw ? c.text : unescape(c.text));
      else if (c.type === 'escape_sequence') parts.push(raw ? c.text : unescape(c.text));
      else if (c.type === 'interpolation' && isF) {
        const f = this.interpolationFormat(c);
        if (f) formats[parts.length] = f;
        parts.push(this.expr(c.childForFieldName('expression')));
      }
    }
    if (parts.every((p) => typeof p === 'string')) return { k: 'str', line, v: (parts as string[]).join('') };
    return formats.length
      ? { k: 'fstr', line, parts, formats: Array.from({ length: parts.length }, (_, i) => formats[i] ?? null) }
      : { k: 'fstr', line, parts };
  }

  /** The `!r` and `:spec` of an f-string interpolation; nested `{...}` in the spec become expressions. */
  private interpolationFormat(c: TsNode): FStrFormat | null {
    const conv = c.childForFieldName('type_conversion')?.text.replace('!', '');
    const specNode = c.childForFieldName('format_specifier');
    if (!conv && !specNode) return null;
    const out: FStrFormat = {};
    if (conv) out.conv = conv;
    if (specNode) {
      const text = specNode.text.replace(/^:/, '');
      const spec: (string | Expr)[] = [];
      let at = 0;
      for (const nested of specNode.namedChildren) {
        if (nested?.type !== 'format_expression') continue;
        const i = text.indexOf(nested.text, at);
        if (i < 0) continue;
        if (i > at) spec.push(text.slice(at, i));
        spec.push(this.expr(nested.childForFieldName('expression')));
        at = i + nested.text.length;
      }
      if (at < text.length) spec.push(text.slice(at));
      out.spec = spec;
    }
    return out;
  }
}

function parseInteger(text: string): number {
  const t = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB]/.test(t)) return parseInt(t.slice(2), 2);
  return Number(t);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, ch: string) => ESCAPES[ch] ?? `\\${ch}`);
}

function containsYield(root: TsNode): boolean {
  // an explicit stack: the body may nest 50,000 deep; nested defs and lambdas have their own generators
  const stack = [root];
  for (let n = stack.pop(); n; n = stack.pop())
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'yield') return true;
      if (c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if (c.type === 'decorated_definition') continue;
      stack.push(c);
    }
  return false;
}

/**
 * The grammar parses `*x.shape[:3]` in an expression list as a subscript of `*x.shape`; Python
 * reads it as the star of `x.shape[:3]`, so the star moves outside the postfix operation.
 */
function starOutside(inner: Expr, build: (e: Expr) => Expr): Expr {
  return inner.k === 'star' ? { k: 'star', line: inner.line, e: build(inner.e) } : build(inner);
}
