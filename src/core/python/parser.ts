// Loads web-tree-sitter with the Python grammar shipped beside the bundle (nothing is
// downloaded), and keeps one tree per document, reparsed incrementally on edits.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser, type Edit, type Tree } from 'web-tree-sitter';
import type { Module } from './ast';
import { convertNode, convertTree, type DeferredBody } from './convert';
import { deferBody, keepTree, setDeferredBodyParser } from './deferredBodies';

export interface ParserAssets {
  /** web-tree-sitter's runtime, tree-sitter.wasm. */
  runtimeWasm: string;
  /** The Python grammar, tree-sitter-python.wasm from @vscode/tree-sitter-wasm. */
  pythonWasm: string;
}

/** dist/ beside the bundle when bundled; the npm packages when running from source (tests). */
export function defaultParserAssets(): ParserAssets {
  const here = typeof __dirname === 'string' ? __dirname : '';
  if (here && existsSync(join(here, 'tree-sitter-python.wasm')))
    return { runtimeWasm: join(here, 'tree-sitter.wasm'), pythonWasm: join(here, 'tree-sitter-python.wasm') };
  const req = createRequire(join(process.cwd(), 'package.json'));
  return {
    runtimeWasm: req.resolve('web-tree-sitter/tree-sitter.wasm'),
    pythonWasm: join(req.resolve('@vscode/tree-sitter-wasm'), '..', 'tree-sitter-python.wasm'),
  };
}

let loading: Promise<PythonParser> | undefined;

/** The shared parser, loaded once (lazily: the first Python document pays for it). */
export function loadPythonParser(assets: ParserAssets = defaultParserAssets()): Promise<PythonParser> {
  loading ??= (async () => {
    await Parser.init({ locateFile: () => assets.runtimeWasm });
    // bytes, not a path: with a path web-tree-sitter reads it through a dynamic import(), which
    // code run from V8's code cache cannot make (src/node/codeCache.ts)
    const language = await Language.load(readFileSync(assets.pythonWasm));
    const parser = new Parser();
    parser.setLanguage(language);
    return new PythonParser(parser);
  })();
  return loading;
}

/** A parse was asked of `PythonParser.unloaded()`. */
export class ParserNotLoaded extends Error {
  constructor() {
    super('the Python parser is not loaded');
  }
}

export class PythonParser {
  /** A parse was asked of this parser while it had no tree-sitter parser (`unloaded`). */
  wanted = false;

  constructor(private readonly parser: Parser | undefined) {
    // the latest parser reads deferred bodies (an unloaded one throws, and the CLI starts again)
    setDeferredBodyParser((text) => this.parse(text));
  }

  /**
   * Stands in for the parser where every file is expected from the parse cache (the CLI): loading
   * tree-sitter's wasm costs a start ~15 ms and a young-generation collection for its memory.
   * Any parse throws ParserNotLoaded and sets `wanted`; the caller then starts again with the parser.
   */
  static unloaded(): PythonParser {
    return new PythonParser(undefined);
  }

  parse(text: string, previous?: Tree): Tree {
    if (!this.parser) {
      this.wanted = true;
      throw new ParserNotLoaded();
    }
    const tree = this.parser.parse(text, previous ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /**
   * Parses and converts in one go, for one-off analyses (CLI, imported files). `deferBodies`:
   * function bodies are converted on first use (deferredBodies.ts), for modules whose functions
   * mostly never run (imported libraries).
   */
  parseModule(text: string, { deferBodies = false }: { deferBodies?: boolean } = {}): Module {
    const tree = this.parse(text);
    const deferred: DeferredBody[] = [];
    try {
      if (tree.rootNode.hasError) return this.recover(text);
      if (!deferBodies) return convertTree(tree, text);
      return convertTree(tree, text, (def, later, m) => {
        deferred.push(later);
        deferBody(def, later, m);
      });
    } finally {
      // bodies read before the analysis ends are converted from this tree, not parsed again
      if (deferred.length) keepTree(tree, deferred);
      else tree.delete();
    }
  }

  /**
   * A file with a syntax error: tree-sitter's recovery can swallow the definitions after the
   * error. Each top-level definition is parsed on its own (rows kept by padding with newlines),
   * so one broken class does not take the next ones with it.
   */
  recover(text: string): Module {
    const lines = text.split('\n');
    const starts: number[] = [];
    let afterDecorator = false;
    lines.forEach((l, i) => {
      // decorators and the definition below them stay in one chunk
      if (i === 0 || (TOP_LEVEL_START.test(l) && !afterDecorator)) starts.push(i);
      if (l.trim()) afterDecorator = l.startsWith('@');
    });
    const out: Module = { body: [], syntaxErrors: [], directives: new Map(), notAnalyzed: [] };
    starts.forEach((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
      // parsed alone and moved to its rows afterwards (padding each chunk with newlines made a
      // file of many definitions quadratic)
      const chunk = lines.slice(start, end).join('\n') + '\n';
      const tree = this.parse(chunk);
      try {
        const m = convertTree(tree, chunk);
        appendModule(out, start ? shiftRows(m, start) : m);
      } finally {
        tree.delete();
      }
    });
    return out;
  }
}

interface ConvertedStatement {
  row: number;
  module: Module;
}

/** A converted statement moved by `delta` rows (every `line` / `endLine` and directive row). */
function shiftRows(m: Module, delta: number): Module {
  const shift = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(shift);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = (k === 'line' || k === 'endLine') && typeof x === 'number' ? x + delta : shift(x);
      return o;
    }
    return v;
  };
  return {
    body: shift(m.body) as Module['body'],
    syntaxErrors: m.syntaxErrors.map((e) => ({ ...e, line: e.line + delta })),
    directives: new Map([...m.directives].map(([r, d]) => [r + delta, d])),
    notAnalyzed: m.notAnalyzed?.map((x) => ({
      line: x.line + delta,
      reason: x.reason.replace(/at line \d+/, `at line ${x.line + delta + 1}`),
    })),
  };
}

/** Adds a converted piece to a module (loops, not spreads: a minified file has 100,000 statements). */
function appendModule(out: Module, m: Module): void {
  for (const s of m.body) out.body.push(s);
  for (const e of m.syntaxErrors) out.syntaxErrors.push(e);
  for (const [row, d] of m.directives) out.directives.set(row, d);
  for (const x of m.notAnalyzed ?? []) out.notAnalyzed!.push(x);
}

/** Lines that begin a top-level statement and cannot continue a bracketed expression. */
const TOP_LEVEL_START = /^(class\s|def\s|async\s+def\s|@|import\s|from\s+\S+\s+import\s|if\s+__name__)/;

/**
 * One open document: its text, its tree (reparsed incrementally) and its converted AST.
 * Top-level statements are converted once per distinct text: after a one-line edit only the
 * statement that changed is converted again (the others are reused, their rows shifted).
 */
export class PythonDocument {
  /** Absent while the AST came from the parse cache: built by the first edit or `ensureTree`. */
  private tree: Tree | undefined;
  private module: Module | undefined;
  private statements = new Map<string, ConvertedStatement>();

  constructor(
    private readonly parser: PythonParser,
    private text: string,
    /** The AST of exactly `text` (python/parseCache.ts): the first analysis skips tree-sitter's warm-up. */
    cached?: Module,
  ) {
    if (cached) this.module = cached;
    else this.tree = parser.parse(text);
  }

  /**
   * Builds the tree a cached AST stood in for, so the next edit reparses incrementally, and
   * files the cached statements under their text: the first edit then keeps the identity of the
   * statements it did not touch, which the engine's reuse of built models relies on.
   */
  ensureTree(): void {
    if (this.tree) return;
    this.tree = this.parser.parse(this.text);
    if (this.module && !this.tree.rootNode.hasError) this.statements = this.statementsOf(this.tree, this.module);
  }

  get source(): string {
    return this.text;
  }

  /** Replaces the text; only the changed span is reparsed. */
  update(newText: string): void {
    if (newText === this.text) return;
    this.ensureTree();
    const tree = this.tree!;
    tree.edit(computeEdit(this.text, newText));
    this.tree = this.parser.parse(newText, tree);
    tree.delete();
    this.text = newText;
    this.module = undefined;
  }

  get ast(): Module {
    if (!this.module) {
      const tree = (this.tree ??= this.parser.parse(this.text));
      this.module = tree.rootNode.hasError ? this.parser.recover(this.text) : this.convertByStatement(tree);
    }
    return this.module;
  }

  private convertByStatement(tree: Tree): Module {
    const root = tree.rootNode;
    const kids = root.children.filter((k): k is NonNullable<typeof k> => !!k);
    const out: Module = { body: [], syntaxErrors: [], directives: new Map(), notAnalyzed: [] };
    const next = new Map<string, ConvertedStatement>();
    kids.forEach((kid, i) => {
      const end = i + 1 < kids.length ? kids[i + 1]!.startIndex : this.text.length;
      const key = this.text.slice(kid.startIndex, end);
      const row = kid.startPosition.row;
      let converted = this.statements.get(key) ?? next.get(key);
      if (!converted) converted = { row, module: convertNode(kid, this.text) };
      else if (converted.row !== row) converted = { row, module: shiftRows(converted.module, row - converted.row) };
      next.set(key, converted);
      appendModule(out, converted.module);
    });
    this.statements = next;
    return out;
  }

  /**
   * The cached module's statements keyed as `convertByStatement` keys them. Each top-level node
   * is converted once to learn how many statements it holds and their rows; any mismatch with the
   * cached module (another engine's conversion) leaves the map empty, which is only slower.
   */
  private statementsOf(tree: Tree, cached: Module): Map<string, ConvertedStatement> {
    const kids = tree.rootNode.children.filter((k): k is NonNullable<typeof k> => !!k);
    const map = new Map<string, ConvertedStatement>();
    let at = 0;
    for (let i = 0; i < kids.length; i++) {
      const kid = kids[i]!;
      const end = i + 1 < kids.length ? kids[i + 1]!.startIndex : this.text.length;
      const fresh = convertNode(kid, this.text);
      const body = cached.body.slice(at, at + fresh.body.length);
      const same = body.length === fresh.body.length && body.every((s, j) => s.k === fresh.body[j]!.k && s.line === fresh.body[j]!.line);
      if (!same) return new Map<string, ConvertedStatement>();
      at += body.length;
      map.set(this.text.slice(kid.startIndex, end), { row: kid.startPosition.row, module: { ...fresh, body } });
    }
    return at === cached.body.length ? map : new Map<string, ConvertedStatement>();
  }

  dispose(): void {
    this.tree?.delete();
  }
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept). */
export function computeEdit(before: string, after: string): Edit {
  // whole chunks compared first (a native compare of slices), then characters: a one-line edit
  // of a 60 KB file is a few hundred compares, not 120,000 character reads
  const CHUNK = 512;
  let start = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (start + CHUNK <= maxPrefix && after.startsWith(before.slice(start, start + CHUNK), start)) start += CHUNK;
  while (start < maxPrefix && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore - CHUNK >= start && endAfter - CHUNK >= start && after.endsWith(before.slice(endBefore - CHUNK, endBefore), endAfter)) {
    endBefore -= CHUNK;
    endAfter -= CHUNK;
  }
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // the texts agree up to `start`: its position is found once, the ends from there
  const startPosition = positionAt(before, start, { row: 0, column: 0 }, 0);
  return {
    startIndex: start,
    oldEndIndex: endBefore,
    newEndIndex: endAfter,
    startPosition,
    oldEndPosition: positionAt(before, endBefore, startPosition, start),
    newEndPosition: positionAt(after, endAfter, startPosition, start),
  };
}

/** The row and column of `index`, counting from a known position `from` at `fromIndex` (<= index). */
function positionAt(
  text: string,
  index: number,
  from: { row: number; column: number },
  fromIndex: number,
): { row: number; column: number } {
  let row = from.row;
  let lineStart = fromIndex - from.column;
  for (let i = text.indexOf('\n', fromIndex); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
