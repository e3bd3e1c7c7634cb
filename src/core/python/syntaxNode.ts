// A plain-JS copy of the tree-sitter tree, read in one cursor walk. Reading nodes through
// web-tree-sitter's Node API crosses into wasm and allocates on every property access;
// the converter reads this copy instead (about 4× faster on a 1,500-line file). The walk itself
// asks wasm only what it cannot know otherwise (each question marshals the cursor): the node's
// type and field ids and its span. Whether a type is named comes from a table per language,
// rows from the text's line starts, and only a zero-width node can be a missing one.
import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';

export class SyntaxNode {
  readonly children: SyntaxNode[] = [];
  private named?: SyntaxNode[];
  /** A function body the walk did not enter (`CopyOptions.deferBodies`, no children copied): its node in the tree. */
  deferred: Node | undefined;

  constructor(
    readonly type: string,
    /** Field name of this node in its parent ('left', 'body', ...). */
    readonly field: string | null,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startRow: number,
    readonly lines: LineStarts,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly source: string,
  ) {}

  get endRow(): number {
    return this.lines.rowAt(this.endIndex);
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): SyntaxNode[] {
    this.named ??= this.children.filter((c) => c.isNamed);
    return this.named;
  }

  childForFieldName(name: string): SyntaxNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === name);
  }
}

export interface CopyOptions {
  /**
   * Leaves the bodies of functions not nested in another function uncopied (`deferred`), unless
   * they contain `yield` (the definition says whether it is a generator) or a `wattlens:`
   * directive (the module's directives are read from the copy).
   */
  deferBodies?: boolean;
  /** Added to every row: the text is a piece of a file that starts at this row. */
  rowOffset?: number;
  /** The text's line starts when the caller kept them (a deferred body of a file copied earlier). */
  lines?: LineStarts;
}

/** Copies a tree into SyntaxNodes. */
export function copyTree(tree: Tree, source: string, options: CopyOptions = {}): SyntaxNode {
  const cursor = tree.walk();
  try {
    return visit(cursor, source, options);
  } finally {
    cursor.delete();
  }
}

/** Copies the subtree under a cursor (e.g. one top-level statement). */
export function copyFromCursor(cursor: TreeCursor, source: string, options: CopyOptions = {}): SyntaxNode {
  return visit(cursor, source, options);
}

/** A synthetic module node holding one statement, so it converts like a whole file. */
export function wrapInModule(node: SyntaxNode): SyntaxNode {
  const m = new SyntaxNode('module', null, true, false, node.startRow, node.lines, node.startIndex, node.endIndex, node.source);
  m.children.push(node);
  return m;
}

/** The rows of a text: index → row (rows advance at '\n' only, as tree-sitter's do). */
export class LineStarts {
  private readonly starts: number[] = [0];
  /** The last row found: a pre-order walk asks for rows in increasing order. */
  private last = 0;

  constructor(
    text: string,
    private readonly offset: number,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  rowAt(index: number): number {
    const s = this.starts;
    let row = this.last;
    if (s[row] <= index && (row + 1 === s.length || index < s[row + 1])) return row + this.offset;
    if (row + 1 < s.length && s[row + 1] <= index && (row + 2 === s.length || index < s[row + 2]))
      return (this.last = row + 1) + this.offset;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    this.last = row = lo;
    return row + this.offset;
  }
}

/** The line starts of the last text walked: a document's statements are copied one by one from the same text. */
let lastLines: { text: string; offset: number; lines: LineStarts } | undefined;

function lineStarts(text: string, offset = 0): LineStarts {
  if (lastLines?.text !== text || lastLines.offset !== offset) lastLines = { text, offset, lines: new LineStarts(text, offset) };
  return lastLines.lines;
}

/** Per language: each type id's name and whether it is named (asked of wasm once per type). */
const typeTables = new WeakMap<Language, { names: string[]; named: (boolean | undefined)[] }>();

/** Copies the node under the cursor and its subtree; an explicit stack, since hostile files nest 50,000 deep. */
function visit(c: TreeCursor, source: string, options: CopyOptions): SyntaxNode {
  const language = (c as unknown as { tree: Tree }).tree.language;
  let table = typeTables.get(language);
  if (!table) typeTables.set(language, (table = { names: language.types, named: [] }));
  const { names, named } = table;
  const fields = language.fields;
  const lines = options.lines ?? lineStarts(source, options.rowOffset ?? 0);
  const copy = (field: string | null) => {
    const typeId = c.nodeTypeId;
    const start = c.startIndex;
    const end = c.endIndex;
    const isNamed = (named[typeId] ??= language.nodeTypeIsNamed(typeId));
    // a missing node is zero-width; asking every node would cost a call each
    const isMissing = start === end && c.nodeIsMissing;
    return new SyntaxNode(names[typeId] || 'ERROR', field, isNamed, isMissing, lines.rowAt(start), lines, start, end, source);
  };
  const root = copy(null);
  const path: SyntaxNode[] = [root];
  /** How many of the nodes on `path` are function definitions. */
  let functions = root.type === 'function_definition' ? 1 : 0;
  let node = root;
  for (;;) {
    if (options.deferBodies && functions === 1 && deferrable(node, path, source)) node.deferred = c.currentNode;
    else if (c.gotoFirstChild()) {
      const child = copy(fields[c.currentFieldId]);
      node.children.push(child);
      path.push(child);
      if (child.type === 'function_definition') functions++;
      node = child;
      continue;
    }
    // no children: the next sibling, or up until there is one (never above the start node)
    for (;;) {
      if (path.length === 1) return root;
      if (path.pop()!.type === 'function_definition') functions--;
      const parent = path[path.length - 1];
      if (c.gotoNextSibling()) {
        const sibling = copy(fields[c.currentFieldId]);
        parent.children.push(sibling);
        path.push(sibling);
        if (sibling.type === 'function_definition') functions++;
        node = sibling;
        break;
      }
      c.gotoParent();
    }
  }
}

/** The body of the only function on `path`, when converting it later gives what converting it now would. */
function deferrable(node: SyntaxNode, path: SyntaxNode[], source: string): boolean {
  if (node.field !== 'body' || node.type !== 'block' || path.length < 2) return false;
  const def = path[path.length - 2];
  if (def.type !== 'function_definition') return false;
  // reparsed later from the start of its line (deferredBodies.ts): only blanks may precede it there
  const lineStart = source.lastIndexOf('\n', def.startIndex - 1) + 1;
  if (source.slice(lineStart, def.startIndex).trim()) return false;
  const body = source.slice(node.startIndex, node.endIndex);
  return !body.includes('yield') && !body.includes('wattlens');
}
