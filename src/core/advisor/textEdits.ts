// Text-level edits the rules need beyond whole statements: adding keyword arguments to a call
// (which may span lines), adding an import, wrapping statements in a `with` block.
import type { Module } from '../python/ast';
import type { LineEdit } from './types';

/** Where a call's argument list closes: scans brackets, skipping strings and comments. */
function closingParen(lines: string[], row: number, openCol: number): { row: number; col: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let r = row; r < Math.min(lines.length, row + 200); r++) {
    const line = lines[r];
    for (let c = r === row ? openCol : 0; c < line.length; c++) {
      const ch = line[c];
      if (quote) {
        if (ch === '\\') c++;
        else if (line.startsWith(quote, c)) {
          c += quote.length - 1;
          quote = undefined;
        }
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        quote = line.startsWith(ch.repeat(3), c) ? ch.repeat(3) : ch;
        c += quote.length - 1;
      } else if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) return { row: r, col: c };
      }
    }
  }
  return undefined;
}

/**
 * Adds `kwargs` (text such as "need_weights=False") to the first call matching `callee` on
 * `row` (0-based). Returns undefined when the call cannot be found.
 */
export function addKeywordArguments(lines: string[], row: number, callee: RegExp, kwargs: string): LineEdit | undefined {
  const line = lines[row];
  if (line === undefined) return undefined;
  const m = new RegExp(`${callee.source}\\s*\\(`).exec(line);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  const close = closingParen(lines, row, open);
  if (!close) return undefined;
  const closeLine = lines[close.row];
  // a `)` alone on its line (black style): the argument goes after the last argument line
  if (close.row > row && closeLine.slice(0, close.col).trim() === '') {
    const prev = lines[close.row - 1];
    const body = prev.replace(/\s*(#.*)?$/, '');
    const comment = prev.slice(body.length);
    return {
      startLine: close.row - 1,
      endLine: close.row - 1,
      lines: [`${body}${body.endsWith(',') ? ' ' : ', '}${kwargs}${body.endsWith(',') ? ',' : ''}${comment}`],
    };
  }
  // what comes before the ')' decides the separator: "(" → none, "x," → " ", "x" → ", "
  const before = (close.row === row ? closeLine.slice(open + 1, close.col) : closeLine.slice(0, close.col)).trimEnd();
  const emptyArgs = close.row === row && before === '';
  const sep = emptyArgs ? '' : before.endsWith(',') ? ' ' : ', ';
  const head = closeLine.slice(0, close.col).trimEnd();
  const edited = `${head}${sep}${kwargs}${closeLine.slice(close.col)}`;
  return { startLine: close.row, endLine: close.row, lines: [edited] };
}

/** An import line added after the module's last top-level import (or at the top). */
export function addImport(ast: Module, lines: string[], statement: string): LineEdit | undefined {
  if (lines.some((l) => l.trim() === statement)) return undefined;
  let after = -1;
  for (const s of ast.body) if (s.k === 'import' || s.k === 'importfrom') after = s.endLine ?? s.line;
  // after a module docstring when there is no import
  if (after < 0 && ast.body[0]?.k === 'expr' && ast.body[0].e.k === 'str') after = ast.body[0].endLine ?? ast.body[0].line;
  return { startLine: after + 1, endLine: after, lines: [statement] };
}

/** Wraps rows [start, end] in `with <header>:`, indenting them one level. */
export function wrapInWith(lines: string[], start: number, end: number, header: string): LineEdit {
  const indent = /^\s*/.exec(lines[start])![0];
  const unit = detectIndentUnit(lines);
  const body = lines.slice(start, end + 1).map((l) => (l.trim() ? `${unit}${l}` : l));
  return { startLine: start, endLine: end, lines: [`${indent}with ${header}:`, ...body] };
}

function detectIndentUnit(lines: string[]): string {
  for (const l of lines) {
    const m = /^(\s+)\S/.exec(l);
    if (m) return m[1].startsWith('\t') ? '\t' : ' '.repeat(Math.min(8, m[1].length === 2 ? 2 : 4));
  }
  return '    ';
}
