// The names `from m import *` would bind, read from m's source text without parsing or running
// it (parsing a hundred library files costs seconds; this scan costs microseconds per KB).
// Either m's literal `__all__` (exact), or every name its module-level code could bind, outside
// function and class bodies (a superset: a name listed that m never binds is looked up in m and
// not found, exactly as if it had not been listed). Undefined when bindings are dynamic
// (`globals()`, `exec`, its own star imports, a computed `__all__`): the import is then not deferred.

const IDENT = /[A-Za-z_]\w*/g;
/** Characters the line splitter acts on, by code; runs of any other are copied whole. */
const SPECIAL = new Uint8Array(128);
for (const c of '#"\'\\()[]{}\n\r') SPECIAL[c.charCodeAt(0)] = 1;
const DYNAMIC = /\bglobals\s*\(|\bexec\s*\(|\bvars\s*\(\s*\)|sys\.modules|\bimport\s+\*|:=|^(match|case)\s[^=]*:\s*$/;

interface LogicalLine {
  indent: number;
  /** The statement with string literals blanked to '' and comments removed. */
  code: string;
  /** The same with strings intact (for a literal __all__). */
  raw: string;
}

/** Splits source into logical lines (brackets, backslashes and triple-quoted strings joined). */
function logicalLines(text: string): LogicalLine[] | undefined {
  const lines: LogicalLine[] = [];
  let depth = 0;
  let code = '';
  let raw = '';
  let indent = -1;
  let i = 0;
  const n = text.length;
  let atLineStart = true;
  while (i < n) {
    const c = text[i];
    if (atLineStart && depth === 0 && indent < 0) {
      // measure indentation of a new logical line
      let j = i;
      let width = 0;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) {
        width += text[j] === '\t' ? 8 - (width % 8) : 1;
        j++;
      }
      if (j >= n || text[j] === '\n' || text[j] === '\r' || text[j] === '#') {
        // blank or comment-only line
        while (j < n && text[j] !== '\n') j++;
        i = j + 1;
        continue;
      }
      indent = width;
      i = j;
      atLineStart = false;
      continue;
    }
    atLineStart = false;
    if (c === '#') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < n) {
        if (triple) {
          // jump to the next quote or backslash (docstrings are most of a library's text)
          const q = text.indexOf(c, j);
          const b = text.indexOf('\\', j);
          j = q < 0 ? (b < 0 ? n : b) : b < 0 ? q : Math.min(q, b);
          if (j >= n) break;
        }
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(quote, j)) break;
        if (!triple && text[j] === '\n') return undefined; // unterminated string: not a file we can read this way
        j++;
      }
      if (j >= n) return undefined;
      raw += text.slice(i, j + quote.length);
      code += "''";
      i = j + quote.length;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      code += ' ';
      raw += ' ';
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (c === '\n' || c === '\r') {
      if (depth === 0) {
        if (code.trim()) lines.push({ indent, code: code.trim(), raw: raw.trim() });
        code = '';
        raw = '';
        indent = -1;
        atLineStart = true;
      } else {
        code += ' ';
        raw += ' ';
      }
      i++;
      continue;
    }
    // the character and the plain ones after it, appended as one slice (per character was
    // the larger part of scanning a package's hundred files)
    let j = i + 1;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch < 128 && SPECIAL[ch]) break;
      j++;
    }
    const run = text.slice(i, j);
    code += run;
    raw += run;
    i = j;
  }
  if (code.trim()) lines.push({ indent: Math.max(indent, 0), code: code.trim(), raw: raw.trim() });
  return lines;
}

/** Splits `a, b = c = expr` at top-level `=` (not `==`, `<=`, `>=`, `!=`). */
function assignmentTargets(code: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '=' && depth === 0 && code[i + 1] !== '=' && !'=<>!+-*/%&|^@:'.includes(code[i - 1] ?? '')) {
      parts.push(code.slice(start, i));
      start = i + 1;
    }
  }
  return parts;
}

function identifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IDENT)) if (text[m.index - 1] !== '.') out.push(m[0]);
  return out;
}

function literalAll(raw: string): string[] | undefined {
  const m = /^__all__\s*(?::[^=]*)?=\s*[[(]([\s\S]*)[\])]\s*$/.exec(raw);
  if (!m) return undefined;
  const body = m[1].trim();
  if (!body) return [];
  const names: string[] = [];
  for (const item of body.split(',')) {
    const t = item.trim();
    if (!t) continue;
    const s = /^(['"])([A-Za-z_]\w*)\1$/.exec(t);
    if (!s) return undefined;
    names.push(s[2]);
  }
  return names;
}

/** What `from m import *` binds, given m's text; undefined when it cannot be known without running m. */
export function starImportNames(text: string): string[] | undefined {
  const lines = logicalLines(text);
  if (!lines) return undefined;
  const bound = new Set<string>();
  let all: string[] | undefined;
  let allTouched = 0;
  let skipAbove: number | undefined;
  for (const line of lines) {
    if (skipAbove !== undefined) {
      if (line.indent > skipAbove) continue;
      skipAbove = undefined;
    }
    const { code } = line;
    if (DYNAMIC.test(code)) return undefined;
    if (/\b__all__\b/.test(code)) {
      allTouched++;
      if (line.indent > 0) return undefined;
      all = literalAll(line.raw);
      if (!all) return undefined;
      continue;
    }
    if (code.startsWith('@')) continue;
    const def = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/.exec(code);
    if (def) {
      bound.add(def[2]);
      skipAbove = line.indent;
      continue;
    }
    const imp = /^import\s+(.*)$/.exec(code);
    if (imp) {
      for (const item of imp[1].split(',')) {
        const m = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(item);
        if (!m) return undefined;
        bound.add((m.at(2) as string | undefined) ?? m[1].split('.')[0]);
      }
      continue;
    }
    const from = /^from\s+[\w.]+\s+import\s+\(?([^)]*)\)?\s*$/.exec(code);
    if (from) {
      for (const item of from[1].split(',')) {
        if (!item.trim()) continue;
        const m = /^\s*(\w+)(?:\s+as\s+(\w+))?\s*$/.exec(item);
        if (!m) return undefined;
        bound.add((m.at(2) as string | undefined) ?? m[1]);
      }
      continue;
    }
    // compound headers bind their targets; their bodies are scanned as module-level code
    const header = /^(for|async\s+for)\s+(.*?)\s+in\b/.exec(code);
    if (header) for (const id of identifiers(header[2])) bound.add(id);
    for (const m of code.matchAll(/\bas\s+([A-Za-z_]\w*)/g)) bound.add(m[1]);
    if (/^(if|elif|else|try|except|finally|with|async\s+with|while|for|async\s+for)\b/.test(code)) {
      // a one-line body after the colon (`if x: y = 1`) is code too
      const colon = code.lastIndexOf(':');
      for (const target of assignmentTargets(code.slice(colon + 1))) for (const id of identifiers(target)) bound.add(id);
      continue;
    }
    for (const target of assignmentTargets(code)) for (const id of identifiers(target)) bound.add(id);
  }
  if (all) return allTouched === 1 ? all : undefined;
  return [...bound].filter((n) => !n.startsWith('_'));
}

const DYNAMIC_ANYWHERE = new RegExp(DYNAMIC.source, 'm');

/**
 * Whether a module's text may bind names in ways the scan cannot list (a cheap test on the raw
 * text: a comment or docstring that mentions `globals()` answers yes too).
 */
export function mayBindDynamically(text: string): boolean {
  return DYNAMIC_ANYWHERE.test(text);
}
