// The `# wattlens:` comment above a class or builder: `input=1x3x224x224` (the input shape),
// `model=GPT(GPT.get_default_config())` (how to build it, as --model), and `set NAME=VALUE`
// (repeatable; NAME may be a path such as model.n_layer, as --set). Values may hold spaces
// inside brackets or quotes: `model=Net(Config(depth=4, width=8))`.
import type { Module as AstModule } from '../python/ast';

/** A --set key: `name` or `a.b.c`, Python identifiers separated by dots. */
export const OVERRIDE_KEY = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

export interface Directive {
  input?: string;
  model?: string;
  set: [string, string][];
  /** Tokens that are none of the above, for a message. */
  unknown: string[];
}

/** Rows above a definition the engine reads its directive from. */
export const DIRECTIVE_ROWS = 4;

/** Splits on whitespace outside brackets and quotes. */
export function directiveTokens(body: string): string[] {
  const out: string[] = [];
  let token = '';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (/\s/.test(ch) && depth === 0) {
      if (token) out.push(token);
      token = '';
      continue;
    }
    token += ch;
  }
  if (token) out.push(token);
  return out;
}

export function parseDirective(body: string): Directive {
  const d: Directive = { set: [], unknown: [] };
  const tokens = directiveTokens(body);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const pair = /^([A-Za-z_][\w.]*)\s*=(.*)$/s.exec(t);
    if (t === 'set' && i + 1 < tokens.length) {
      const kv = /^([A-Za-z_][\w.]*)=(.+)$/s.exec(tokens[++i]);
      if (kv && OVERRIDE_KEY.test(kv[1])) d.set.push([kv[1], kv[2]]);
      else d.unknown.push(`set ${tokens[i]}`);
    } else if (pair?.[1] === 'input' && pair[2]) d.input = pair[2];
    else if (pair?.[1] === 'model' && pair[2]) d.model = pair[2];
    else d.unknown.push(t);
  }
  return d;
}

/**
 * The directive of a definition: the `# wattlens:` lines up to DIRECTIVE_ROWS above it (or its
 * first decorator); the nearest line wins for input and model, and every `set` counts (the
 * nearest last, so it wins).
 */
export function definitionDirective(ast: AstModule, defLine: number, decoratorLines: number[]): Directive | undefined {
  const first = Math.min(defLine, ...decoratorLines);
  let out: Directive | undefined;
  for (let row = first - 1; row >= Math.max(0, first - DIRECTIVE_ROWS); row--) {
    const text = ast.directives.get(row);
    if (text === undefined) continue;
    const d = parseDirective(text);
    if (!out) out = d;
    else {
      out.input ??= d.input;
      out.model ??= d.model;
      out.set = [...d.set, ...out.set];
      out.unknown.push(...d.unknown);
    }
  }
  return out;
}
