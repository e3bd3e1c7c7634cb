// One side of an einops pattern ('b (h w) c', '... d', 'b 1 c'), parsed by the rules of
// einops' own ParsedExpression so that patterns einops rejects are rejected here with its message.

/** An einops failure: becomes an EinopsError (a RuntimeError) in the analysed program. */
export class EinopsFailure extends Error {}

export const ELLIPSIS = '…';

/** An axis: a name, the ellipsis, or an anonymous axis of a fixed length (`3`); each anonymous axis is distinct. */
export type Axis = string | { anonymous: number; id: number };

/** One dim of the tensor: a group of axes multiplied together ([] is a unit axis), or the ellipsis itself. */
export type Group = Axis[] | typeof ELLIPSIS;

export interface Expression {
  identifiers: Set<Axis>;
  composition: Group[];
  hasEllipsis: boolean;
  ellipsisParenthesized: boolean;
  hasAnonymous: boolean;
}

let anonymousIds = 0;

export function axisName(a: Axis): string {
  return typeof a === 'string' ? (a === ELLIPSIS ? '...' : a) : `${a.anonymous}-axis`;
}

function isIdentifier(x: string): boolean {
  return /^[A-Za-z_\p{L}][\w\p{L}]*$/u.test(x);
}

export function parseExpression(text: string, opts: { allowUnderscore?: boolean; allowDuplicates?: boolean } = {}): Expression {
  const e: Expression = { identifiers: new Set(), composition: [], hasEllipsis: false, ellipsisParenthesized: false, hasAnonymous: false };
  let expression = text;
  if (expression.includes('.')) {
    if (!expression.includes('...')) throw new EinopsFailure('Expression may contain dots only inside ellipsis (...)');
    if (expression.split('...').length !== 2 || expression.split('.').length !== 4)
      throw new EinopsFailure('Expression may contain dots only inside ellipsis (...); only one ellipsis for tensor ');
    expression = expression.replace('...', ELLIPSIS);
    e.hasEllipsis = true;
  }
  let bracket: Axis[] | null = null;
  const add = (x: string) => {
    if (e.identifiers.has(x) && !(opts.allowUnderscore && x === '_') && !opts.allowDuplicates)
      throw new EinopsFailure(`Indexing expression contains duplicate dimension "${x}"`);
    if (x === ELLIPSIS) {
      e.identifiers.add(ELLIPSIS);
      if (bracket === null) e.composition.push(ELLIPSIS);
      else {
        bracket.push(ELLIPSIS);
        e.ellipsisParenthesized = true;
      }
      return;
    }
    const isNumber = /^\d+$/.test(x);
    if (isNumber && Number(x) === 1) {
      if (bracket === null) e.composition.push([]);
      return;
    }
    if (!isNumber) {
      if (!isIdentifier(x)) throw new EinopsFailure(`Invalid axis identifier: ${x}\nnot a valid python identifier`);
      if ((x.startsWith('_') || x.endsWith('_')) && !(x === '_' && opts.allowUnderscore))
        throw new EinopsFailure(`Invalid axis identifier: ${x}\naxis name should should not start or end with underscore`);
    } else if (Number(x) < 1) throw new EinopsFailure(`Anonymous axis should have positive length, not ${Number(x)}`);
    const axis: Axis = isNumber ? { anonymous: Number(x), id: anonymousIds++ } : x;
    e.identifiers.add(axis);
    if (isNumber) e.hasAnonymous = true;
    if (bracket === null) e.composition.push([axis]);
    else bracket.push(axis);
  };
  let current: string | null = null;
  for (const ch of expression) {
    if (ch === '(' || ch === ')' || ch === ' ') {
      if (current !== null) add(current);
      current = null;
      if (ch === '(') {
        if (bracket !== null) throw new EinopsFailure('Axis composition is one-level (brackets inside brackets not allowed)');
        bracket = [];
      } else if (ch === ')') {
        if (bracket === null) throw new EinopsFailure('Brackets are not balanced');
        e.composition.push(bracket);
        bracket = null;
      }
    } else if (/[\p{L}\p{N}_]/u.test(ch) || ch === ELLIPSIS) current = (current ?? '') + ch;
    else throw new EinopsFailure(`Unknown character '${ch}'`);
  }
  if (bracket !== null) throw new EinopsFailure(`Imbalanced parentheses in expression: "${expression}"`);
  if (current !== null) add(current);
  return e;
}

/** `left -> right` split as einops does. */
export function splitPattern(pattern: string): [string, string] {
  const parts = pattern.split('->');
  if (parts.length !== 2) throw new EinopsFailure(`Pattern should contain exactly one '->': ${pattern}`);
  return [parts[0], parts[1]];
}

/** Python's repr of a set of axis names, for messages ({'h', 'w'}). */
export function setText(axes: Iterable<Axis>): string {
  const names = [...axes].map((a) => `'${axisName(a)}'`);
  return names.length ? `{${names.join(', ')}}` : 'set()';
}
