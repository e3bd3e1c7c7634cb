// Parsing TypeScript and JavaScript with typescript-estree. Syntax errors come back as a
// problem with its line, never as an exception; parsed files are cached by path and text.
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';
import { Unknown } from './values';

export type ParseResult = { program: TSESTree.Program } | { error: Unknown };

const cache = new Map<string, { text: string; result: ParseResult }>();
const CACHE_LIMIT = 200;

export function parseSource(file: string, text: string): ParseResult {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.result;
  const result = parseUncached(file, text);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(file, { text, result });
  return result;
}

function parseUncached(file: string, text: string): ParseResult {
  try {
    // filePath lets TypeScript pick the dialect from the extension (JSX in .tsx/.jsx/.js, not in .ts)
    const program = parse(text, { filePath: file, loc: true, range: false, comment: false, tokens: false, jsx: /\.(tsx|jsx)$/.test(file) });
    return { program };
  } catch (e) {
    const line = typeof (e as { lineNumber?: unknown }).lineNumber === 'number' ? (e as { lineNumber: number }).lineNumber : undefined;
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { error: new Unknown(`syntax error: ${message}`, line ? { file, line } : undefined) };
  }
}
