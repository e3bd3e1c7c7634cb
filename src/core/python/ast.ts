// A compact Python AST: plain JS objects converted once from the tree-sitter tree, so the
// interpreter never crosses into wasm while it runs. `line` is the 0-based row.

export interface Located {
  line: number;
  /** Last row (statements; definitions always have it). */
  endLine?: number;
}

/** `{x!r:>{w}.2f}`: conversion 'r', spec parts ['>', w, '.2f']. */
export interface FStrFormat {
  conv?: string;
  spec?: (string | Expr)[];
}

export type Expr =
  | (Located & { k: 'name'; id: string })
  | (Located & { k: 'num'; v: number; float: boolean })
  | (Located & { k: 'str'; v: string })
  | (Located & {
      k: 'fstr';
      parts: (string | Expr)[];
      /** Per part, when written: its !conversion and :format spec. */ formats?: (FStrFormat | null)[];
    })
  | (Located & { k: 'const'; v: true | false | null | 'ellipsis' })
  | (Located & { k: 'attr'; obj: Expr; name: string })
  | (Located & { k: 'sub'; obj: Expr; index: Expr })
  | (Located & { k: 'slice'; lo?: Expr; hi?: Expr; step?: Expr })
  | (Located & { k: 'call'; fn: Expr; args: Arg[] })
  | (Located & { k: 'bin'; op: string; l: Expr; r: Expr })
  | (Located & { k: 'unary'; op: string; e: Expr })
  | (Located & { k: 'bool'; op: 'and' | 'or'; l: Expr; r: Expr })
  | (Located & { k: 'not'; e: Expr })
  | (Located & { k: 'cmp'; first: Expr; ops: string[]; rest: Expr[] })
  | (Located & { k: 'ifexp'; test: Expr; body: Expr; orelse: Expr })
  | (Located & { k: 'lambda'; params: Param[]; body: Expr })
  | (Located & { k: 'list' | 'tuple' | 'set'; items: Expr[] })
  | (Located & { k: 'dict'; items: DictItem[] })
  | (Located & { k: 'comp'; kind: 'list' | 'set' | 'gen' | 'dict'; elt: Expr; value?: Expr; clauses: CompClause[] })
  | (Located & { k: 'star'; e: Expr })
  | (Located & { k: 'walrus'; target: string; value: Expr })
  | (Located & { k: 'yield'; value?: Expr; from: boolean })
  | (Located & { k: 'await'; e: Expr })
  | (Located & { k: 'error'; text: string });

export type DictItem = { key: Expr; value: Expr } | { spread: Expr };
export type CompClause = { for: Expr; iter: Expr } | { if: Expr };

export interface Arg {
  kind: 'pos' | 'star' | 'kw' | 'kwstar';
  name?: string;
  value: Expr;
}

export interface Param {
  name: string;
  kind: 'pos' | 'posonly' | 'kwonly' | 'varargs' | 'varkw';
  default?: Expr;
}

export interface FunctionDef extends Located {
  k: 'def';
  name: string;
  params: Param[];
  body: Stmt[];
  decorators: Expr[];
  isAsync: boolean;
  /** True when the body yields: calling it collects the yielded values eagerly. */
  isGenerator: boolean;
  endLine: number;
}

export interface ClassDef extends Located {
  k: 'class';
  name: string;
  bases: Arg[];
  body: Stmt[];
  decorators: Expr[];
  endLine: number;
}

export type Stmt =
  | (Located & { k: 'expr'; e: Expr })
  | (Located & { k: 'assign'; targets: Expr[]; value: Expr })
  | (Located & { k: 'augassign'; target: Expr; op: string; value: Expr })
  | (Located & { k: 'annassign'; target: Expr; annotation: Expr; value?: Expr })
  | (Located & { k: 'return'; value?: Expr })
  | (Located & { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Located & { k: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Located & { k: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[] })
  | (Located & { k: 'break' | 'continue' | 'pass' })
  | FunctionDef
  | ClassDef
  | (Located & { k: 'import'; names: { module: string; alias?: string }[] })
  | (Located & { k: 'importfrom'; module: string; level: number; names: { name: string; alias?: string }[] | '*' })
  | (Located & { k: 'raise'; exc?: Expr; cause?: Expr })
  | (Located & { k: 'try'; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; finally: Stmt[] })
  | (Located & { k: 'with'; items: { ctx: Expr; target?: Expr }[]; body: Stmt[] })
  | (Located & { k: 'assert'; test: Expr; msg?: Expr })
  | (Located & { k: 'del'; targets: Expr[] })
  | (Located & { k: 'global' | 'nonlocal'; names: string[] })
  | (Located & { k: 'error'; text: string });

export interface Handler {
  type?: Expr;
  name?: string;
  body: Stmt[];
}

export interface Module {
  body: Stmt[];
  /** 0-based rows of ERROR / MISSING nodes: places the parser had to recover. */
  syntaxErrors: { line: number; text: string }[];
  /** Comments of the form `# wattlens: key=value` by 0-based row. */
  directives: Map<number, string>;
  /** Code left out of the AST (nested too deeply), by 0-based row, with the reason. */
  notAnalyzed?: { line: number; reason: string }[];
}
