// Parsing TypeScript and JavaScript with typescript-estree. Syntax errors come back as a
// problem with its line, never as an exception.
//
// Speed: converting TypeScript's tree to ESTree costs far more than TypeScript's own parse,
// so a file is cut into its top-level statements (TypeScript's parse finds them and checks
// the syntax) and each statement is converted alone, padded so its lines and columns are
// those of the file, and cached by its text and position: after an edit inside one function
// only that function is converted again.
import { AST_NODE_TYPES, parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import { Unknown, unknownAt } from './values';

/** The statements that parse, and the syntax errors of those that do not (a file with an error still yields the rest). */
export type ParseResult = { program: TSESTree.Program; syntaxErrors: Unknown[] } | { error: Unknown };

const whole = new Map<string, { text: string; result: ParseResult; source?: ts.SourceFile }>();
/** A converted statement: where it was (0-based line) and its ESTree nodes. */
interface Converted {
  line: number;
  nodes: TSESTree.ProgramStatement[];
}
/** Per file: statements by column and text; a statement that only moved is shifted, not converted again. */
const statements = new Map<string, Map<string, Converted[]>>();
const FILES_CACHED = 200;

export function parseSource(file: string, text: string): ParseResult {
  const hit = whole.get(file);
  if (hit && hit.text === text) return hit.result;
  let result: ParseResult;
  let source: ts.SourceFile | undefined;
  try {
    source =
      (hit?.source && incrementalParse(hit.source, hit.text, text)) ||
      ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
    result = parseByStatement(file, text, source);
  } catch (e) {
    result = isStackOverflow(e) ? parseWithoutDeepStatements(file, text) : { error: syntaxError(file, e) };
    source = undefined;
  }
  if (whole.size >= FILES_CACHED && !whole.has(file)) {
    const oldest = whole.keys().next().value as string;
    whole.delete(oldest);
    statements.delete(oldest);
  }
  whole.set(file, { text, result, source });
  return result;
}

/** TypeScript's incremental parse over the changed span (the text between the common prefix and suffix); undefined when it fails (very deep trees overflow its walk). */
function incrementalParse(old: ts.SourceFile, oldText: string, text: string): ts.SourceFile | undefined {
  const max = Math.min(oldText.length, text.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const change = { span: { start: prefix, length: oldText.length - prefix - suffix }, newLength: text.length - prefix - suffix };
  try {
    return ts.updateSourceFile(old, text, change, false);
  } catch {
    return undefined;
  }
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function parseByStatement(file: string, text: string, source: ts.SourceFile): ParseResult {
  const diagnostics = (source as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics;
  const syntaxErrors = diagnostics.slice(0, 5).map((d) => {
    const line = source.getLineAndCharacterOfPosition(d.start).line + 1;
    return unknownAt(`syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`, { file, line });
  });
  const body: TSESTree.ProgramStatement[] = [];
  if (source.statements.length > PER_STATEMENT_MAX && diagnostics.length === 0) {
    // generated or minified code: one parse of the whole text (a parser call per statement costs
    // ~70 µs, which 150,000 statements of a minified line turn into 10 s)
    statements.delete(file);
    try {
      body.push(
        ...parse(text, { filePath: file, loc: true, range: true, comment: false, tokens: false, jsx: /\.(tsx|jsx)$/.test(file) }).body,
      );
    } catch (e) {
      return { error: syntaxError(file, e) };
    }
    return { program: programOf(text, source, body), syntaxErrors };
  }
  const previous = statements.get(file);
  const current = new Map<string, Converted[]>();
  for (const st of source.statements) {
    // a statement with a syntax error is left out; the others are still analyzed
    if (diagnostics.some((d) => d.start >= st.pos && d.start < st.end)) continue;
    const start = st.getStart(source);
    const { line, character } = source.getLineAndCharacterOfPosition(start);
    const chunk = text.slice(start, st.end);
    const key = `${character}:${chunk}`;
    let converted = take(previous?.get(key), line);
    if (!converted) {
      try {
        // parsed alone, then put in its place in the file (padding it with the lines and columns in
        // front made a long file, or a long minified line, quadratic to parse)
        const nodes = parse(chunk, {
          filePath: file,
          loc: true,
          range: true,
          comment: false,
          tokens: false,
          jsx: /\.(tsx|jsx)$/.test(file),
        }).body;
        placeNodes(nodes, line, character);
        converted = { line, nodes };
      } catch (e) {
        syntaxErrors.push(syntaxError(file, e));
        continue;
      }
    }
    const list = current.get(key);
    if (list) list.push(converted);
    else current.set(key, [converted]);
    body.push(...converted.nodes);
  }
  statements.set(file, current);
  return { program: programOf(text, source, body), syntaxErrors };
}

/** Top-level statements parsed one by one (and cached for the next edit); past this, the whole text at once. */
const PER_STATEMENT_MAX = 2_000;

function programOf(text: string, source: ts.SourceFile, body: TSESTree.ProgramStatement[]): TSESTree.Program {
  const end = source.getLineAndCharacterOfPosition(text.length);
  return {
    type: AST_NODE_TYPES.Program,
    body,
    sourceType: 'module',
    comments: [],
    tokens: [],
    range: [0, text.length],
    loc: { start: { line: 1, column: 0 }, end: { line: end.line + 1, column: end.character } },
  } as unknown as TSESTree.Program;
}

/** A cached conversion of the same statement, moved to `line` (each is used once per parse). */
function take(list: Converted[] | undefined, line: number): Converted | undefined {
  if (!list?.length) return undefined;
  const i = Math.max(
    0,
    list.findIndex((c) => c.line === line),
  );
  const [c] = list.splice(i, 1);
  if (c.line !== line) shiftLines(c.nodes, line - c.line);
  c.line = line;
  return c;
}

/** Moves every node's loc (and padded range) by delta lines, in place: the previous version of the file is gone. */
function shiftLines(nodes: unknown, delta: number): void {
  const seen = new Set<object>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as { loc?: TSESTree.SourceLocation } & Record<string, unknown>;
    if (typeof node.type !== 'string') return;
    if (node.loc && !seen.has(node.loc)) {
      seen.add(node.loc);
      node.loc.start.line += delta;
      node.loc.end.line += delta;
    }
    // ranges count the padding: one newline per line in front
    const range = node.range as [number, number] | undefined;
    if (range && !seen.has(range)) {
      seen.add(range);
      range[0] += delta;
      range[1] += delta;
    }
    for (const k in node) if (k !== 'loc' && k !== 'range' && k !== 'parent') visit(node[k]);
  };
  visit(nodes);
}

/**
 * Moves the nodes of a statement parsed alone to where it starts in the file, in place: `line`
 * lines down, and `character` columns right on the statement's first line. Ranges count one
 * character per line and column in front, as if the statement had been padded to its place.
 */
function placeNodes(nodes: unknown, line: number, character: number): void {
  const seen = new Set<object>();
  const place = (p: TSESTree.Position) => {
    if (p.line === 1) p.column += character;
    p.line += line;
  };
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    const node = n as { loc?: TSESTree.SourceLocation } & Record<string, unknown>;
    if (typeof node.type !== 'string') return;
    if (node.loc && !seen.has(node.loc)) {
      seen.add(node.loc);
      place(node.loc.start);
      place(node.loc.end);
    }
    const range = node.range as [number, number] | undefined;
    if (range && !seen.has(range)) {
      seen.add(range);
      range[0] += line + character;
      range[1] += line + character;
    }
    for (const k in node) if (k !== 'loc' && k !== 'range' && k !== 'parent') visit(node[k]);
  };
  visit(nodes);
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * TypeScript's parser recurses, so one statement nested thousands deep overflows the stack for
 * the whole file. Each top-level chunk (from a line that starts at column 0 to the next) is
 * parsed alone; those that overflow are blanked out (newlines kept, so lines stay) and the rest
 * of the file is parsed as usual, with a problem for each chunk left out.
 */
function parseWithoutDeepStatements(file: string, text: string): ParseResult {
  const lines = text.split('\n');
  const starts = lines.flatMap((l, i) => (i === 0 || /^[^\s)\]}]/.test(l) ? [i] : []));
  const deep: number[] = [];
  const kept = starts.map((start, k) => {
    const chunk = lines.slice(start, starts[k + 1] ?? lines.length).join('\n');
    try {
      ts.createSourceFile(file, chunk, ts.ScriptTarget.Latest, false, scriptKind(file));
      return chunk;
    } catch (e) {
      if (!isStackOverflow(e)) return chunk;
      deep.push(start + 1);
      return chunk.replace(/[^\n]/g, ' ');
    }
  });
  try {
    const masked = kept.join('\n');
    const result = parseByStatement(file, masked, ts.createSourceFile(file, masked, ts.ScriptTarget.Latest, false, scriptKind(file)));
    if ('error' in result) return result;
    for (const line of deep)
      result.syntaxErrors.push(unknownAt(`code nested too deeply to parse at line ${line}: not analyzed`, { file, line }));
    return result;
  } catch (e) {
    return { error: syntaxError(file, e) };
  }
}

function syntaxError(file: string, e: unknown): Unknown {
  const line = typeof (e as { lineNumber?: unknown }).lineNumber === 'number' ? (e as { lineNumber: number }).lineNumber : undefined;
  // TypeScript's parser recurses: code nested thousands deep overflows the stack, not a syntax error
  if (isStackOverflow(e)) return unknownAt('code nested too deeply to parse: not analyzed', line ? { file, line } : undefined);
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return unknownAt(`syntax error: ${message}`, line ? { file, line } : undefined);
}
