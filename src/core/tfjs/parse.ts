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
import { Unknown } from './values';

/** The statements that parse, and the syntax errors of those that do not (a file with an error still yields the rest). */
export type ParseResult = { program: TSESTree.Program; syntaxErrors: Unknown[] } | { error: Unknown };

const whole = new Map<string, { text: string; result: ParseResult; source?: ts.SourceFile }>();
const statements = new Map<string, Map<string, TSESTree.ProgramStatement[]>>();
const FILES_CACHED = 200;

export function parseSource(file: string, text: string): ParseResult {
  const hit = whole.get(file);
  if (hit && hit.text === text) return hit.result;
  let result: ParseResult;
  let source: ts.SourceFile | undefined;
  try {
    source = (hit?.source && incrementalParse(hit.source, hit.text, text)) || ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
    result = parseByStatement(file, text, source);
  } catch (e) {
    result = { error: syntaxError(file, e) };
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
    return new Unknown(`syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`, { file, line });
  });
  const previous = statements.get(file);
  const current = new Map<string, TSESTree.ProgramStatement[]>();
  const body: TSESTree.ProgramStatement[] = [];
  for (const st of source.statements) {
    // a statement with a syntax error is left out; the others are still analyzed
    if (diagnostics.some((d) => d.start >= st.pos && d.start < st.end)) continue;
    const start = st.getStart(source);
    const { line, character } = source.getLineAndCharacterOfPosition(start);
    const chunk = text.slice(start, st.end);
    const key = `${line}:${character}:${chunk}`;
    let converted = current.get(key) ?? previous?.get(key);
    if (!converted) {
      // blank lines and spaces in front give the statement its place in the file
      const padded = '\n'.repeat(line) + ' '.repeat(character) + chunk;
      try {
        converted = parse(padded, { filePath: file, loc: true, range: true, comment: false, tokens: false, jsx: /\.(tsx|jsx)$/.test(file) }).body;
      } catch (e) {
        syntaxErrors.push(syntaxError(file, e));
        continue;
      }
    }
    current.set(key, converted);
    body.push(...converted);
  }
  statements.set(file, current);
  const end = source.getLineAndCharacterOfPosition(text.length);
  const program = {
    type: AST_NODE_TYPES.Program,
    body,
    sourceType: 'module',
    comments: [],
    tokens: [],
    range: [0, text.length],
    loc: { start: { line: 1, column: 0 }, end: { line: end.line + 1, column: end.character } },
  } as unknown as TSESTree.Program;
  return { program, syntaxErrors };
}

function syntaxError(file: string, e: unknown): Unknown {
  const line = typeof (e as { lineNumber?: unknown }).lineNumber === 'number' ? (e as { lineNumber: number }).lineNumber : undefined;
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new Unknown(`syntax error: ${message}`, line ? { file, line } : undefined);
}
