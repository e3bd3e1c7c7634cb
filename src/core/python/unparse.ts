// Python source text from AST expressions, for rewrites that build new code out of the
// operands of the old (`F.scaled_dot_product_attention(q, k, v, ...)`). Parenthesises by
// precedence so the result parses to the same tree.
import type { Arg, Expr } from './ast';

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  not: 3,
  cmp: 4,
  '|': 5,
  '^': 6,
  '&': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '//': 10,
  '%': 10,
  '@': 10,
  unary: 11,
  '**': 12,
  atom: 13,
};

function precedence(e: Expr): number {
  switch (e.k) {
    case 'bool':
      return PRECEDENCE[e.op];
    case 'not':
      return PRECEDENCE.not;
    case 'cmp':
      return PRECEDENCE.cmp;
    case 'bin':
      return PRECEDENCE[e.op] ?? PRECEDENCE['+'];
    case 'unary':
      return PRECEDENCE.unary;
    case 'ifexp':
    case 'lambda':
      return 0;
    default:
      return PRECEDENCE.atom;
  }
}

function wrap(e: Expr, min: number): string {
  const s = unparse(e);
  return precedence(e) < min ? `(${s})` : s;
}

function args(list: Arg[]): string {
  return list
    .map((a) => {
      switch (a.kind) {
        case 'pos':
          return unparse(a.value);
        case 'star':
          return `*${unparse(a.value)}`;
        case 'kw':
          return `${a.name}=${unparse(a.value)}`;
        case 'kwstar':
          return `**${unparse(a.value)}`;
      }
    })
    .join(', ');
}

export function unparse(e: Expr): string {
  switch (e.k) {
    case 'name':
      return e.id;
    case 'num':
      return e.float && Number.isInteger(e.v) ? `${e.v}.0` : String(e.v);
    case 'str':
      return JSON.stringify(e.v);
    case 'fstr':
      return `f${JSON.stringify(e.parts.map((p) => (typeof p === 'string' ? p : `{${unparse(p)}}`)).join(''))}`;
    case 'const':
      return e.v === null ? 'None' : e.v === true ? 'True' : e.v === false ? 'False' : '...';
    case 'attr':
      return `${wrap(e.obj, PRECEDENCE.atom)}.${e.name}`;
    case 'sub':
      return `${wrap(e.obj, PRECEDENCE.atom)}[${e.index.k === 'tuple' ? e.index.items.map(unparse).join(', ') : unparse(e.index)}]`;
    case 'slice':
      return `${e.lo ? unparse(e.lo) : ''}:${e.hi ? unparse(e.hi) : ''}${e.step ? `:${unparse(e.step)}` : ''}`;
    case 'call':
      return `${wrap(e.fn, PRECEDENCE.atom)}(${args(e.args)})`;
    case 'bin': {
      const p = precedence(e);
      // ** is right-associative; the others left
      const right = e.op === '**' ? p : p + 1;
      const left = e.op === '**' ? p + 1 : p;
      return `${wrap(e.l, left)} ${e.op} ${wrap(e.r, right)}`;
    }
    case 'unary':
      return `${e.op}${wrap(e.e, PRECEDENCE.unary)}`;
    case 'bool':
      return `${wrap(e.l, PRECEDENCE[e.op])} ${e.op} ${wrap(e.r, PRECEDENCE[e.op] + 1)}`;
    case 'not':
      return `not ${wrap(e.e, PRECEDENCE.not)}`;
    case 'cmp':
      return [wrap(e.first, PRECEDENCE.cmp + 1), ...e.ops.map((op, i) => `${op} ${wrap(e.rest[i], PRECEDENCE.cmp + 1)}`)].join(' ');
    case 'ifexp':
      return `${wrap(e.body, 1)} if ${wrap(e.test, 1)} else ${wrap(e.orelse, 0)}`;
    case 'lambda':
      return `lambda ${e.params.map((p) => p.name).join(', ')}: ${unparse(e.body)}`;
    case 'list':
      return `[${e.items.map(unparse).join(', ')}]`;
    case 'tuple':
      return e.items.length === 1 ? `(${unparse(e.items[0])},)` : `(${e.items.map(unparse).join(', ')})`;
    case 'set':
      return `{${e.items.map(unparse).join(', ')}}`;
    case 'dict':
      return `{${e.items.map((i) => ('spread' in i ? `**${unparse(i.spread)}` : `${unparse(i.key)}: ${unparse(i.value)}`)).join(', ')}}`;
    case 'star':
      return `*${wrap(e.e, PRECEDENCE.atom)}`;
    case 'walrus':
      return `(${e.target} := ${unparse(e.value)})`;
    case 'comp': {
      const clauses = e.clauses.map((c) => ('if' in c ? `if ${unparse(c.if)}` : `for ${unparse(c.for)} in ${unparse(c.iter)}`)).join(' ');
      const body = e.kind === 'dict' ? `${unparse(e.elt)}: ${unparse(e.value!)}` : unparse(e.elt);
      const [open, close] = e.kind === 'list' ? ['[', ']'] : e.kind === 'gen' ? ['(', ')'] : ['{', '}'];
      return `${open}${body} ${clauses}${close}`;
    }
    case 'yield':
      return e.value ? `yield ${unparse(e.value)}` : 'yield';
    case 'await':
      return `await ${unparse(e.e)}`;
    case 'error':
      return e.text;
  }
}
