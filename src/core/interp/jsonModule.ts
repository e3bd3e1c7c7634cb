// json.loads / json.load as Python's json module gives them: ints stay ints and floats floats
// (`1` and `1.0` differ in a config's hidden size), objects are dicts in file order, and NaN /
// Infinity are accepted as Python accepts them. JSON.parse cannot tell `1` from `1.0`, so the
// text is read here; a file is what open() read (fileObjects.ts), any other stream is unknown.
import type { Interpreter } from './interpreter';
import { builtin, moduleOf } from './native';
import { PyDict, PyFloat, PyInstance, PyList, type PyModule, type Value } from './values';

export function jsonModule(it: Interpreter): PyModule {
  const loads = (text: string): Value => {
    const parsed = parseJson(text);
    if ('error' in parsed) return it.raise(parsed.tooDeep ? 'RecursionError' : 'ValueError', parsed.error);
    return parsed.bigInt ? it.unknown(`json: the integer ${parsed.bigInt} is beyond 2**53`) : parsed.value;
  };
  return moduleOf('json', {
    loads: builtin('loads', (a) => {
      const text = a.positional[0] ?? a.keywords.get('s');
      return typeof text === 'string' ? loads(text) : it.unknown('json.loads of a text that is not known');
    }),
    load: builtin('load', (a) => {
      const file = a.positional[0] ?? a.keywords.get('fp');
      return file instanceof PyInstance && typeof file.payload === 'string'
        ? loads(file.payload)
        : it.unknown('json.load of a file that was not read (open() of an absolute path inside the workspace is)');
    }),
  });
}

type Parsed = { value: Value; bigInt?: string } | { error: string; tooDeep?: boolean };

/** Python's decoder recurses per array/object and stops at its recursion limit (1000 frames). */
const MAX_DEPTH = 1000;

/** Python's json.loads over `text`; errors worded as Python's JSONDecodeError (a ValueError). */
export function parseJson(text: string): Parsed {
  let at = 0;
  let bigInt: string | undefined;
  let depth = 0;
  class Fail {
    constructor(
      readonly what: string,
      readonly pos: number,
    ) {}
  }
  const fail = (what: string, pos = at): never => {
    throw new Fail(what, pos);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
  const value = (): Value => {
    space();
    const c = text[at];
    if (c === '"') return string();
    if (c === '{') return object();
    if (c === '[') return array();
    for (const [word, v] of LITERALS)
      if (text.startsWith(word, at)) {
        at += word.length;
        return v();
      }
    NUMBER.lastIndex = at;
    const m = NUMBER.exec(text);
    if (!m) return fail('Expecting value');
    at += m[0].length;
    if (!/[.eE]/.test(m[0])) {
      const n = Number(m[0]);
      if (!Number.isSafeInteger(n)) bigInt ??= m[0];
      return n;
    }
    return new PyFloat(Number(m[0]));
  };
  const string = (): string => {
    const start = at++;
    let out = '';
    for (;;) {
      if (at >= text.length) return fail('Unterminated string starting at', start);
      const c = text[at++];
      if (c === '"') return out;
      if (c < ' ') return fail('Invalid control character at', at - 1);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[at++];
      if (e === 'u') {
        const hex = text.slice(at, at + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return fail('Invalid \\uXXXX escape', at - 1);
        out += String.fromCharCode(parseInt(hex, 16));
        at += 4;
      } else if (e in ESCAPES) out += ESCAPES[e];
      else return fail('Invalid \\escape', at - 2);
    }
  };
  const nested = () => {
    if (++depth > MAX_DEPTH) throw new TooDeep();
  };
  const array = (): PyList => {
    nested();
    at++;
    const items: Value[] = [];
    space();
    if (text[at] === ']') {
      at++;
      depth--;
      return new PyList(items);
    }
    for (;;) {
      items.push(value());
      space();
      if (text[at] === ']') {
        at++;
        depth--;
        return new PyList(items);
      }
      if (text[at] !== ',') return fail("Expecting ',' delimiter");
      at++;
    }
  };
  const object = (): PyDict => {
    nested();
    at++;
    const d = new PyDict();
    space();
    if (text[at] === '}') {
      at++;
      depth--;
      return d;
    }
    for (;;) {
      space();
      if (text[at] !== '"') return fail('Expecting property name enclosed in double quotes');
      const key = string();
      space();
      if (text[at] !== ':') return fail("Expecting ':' delimiter");
      at++;
      d.set(key, value());
      space();
      if (text[at] === '}') {
        at++;
        depth--;
        return d;
      }
      if (text[at] !== ',') return fail("Expecting ',' delimiter");
      at++;
      space();
      if (text[at] !== '"') return fail('Expecting property name enclosed in double quotes', at);
    }
  };
  try {
    const v = value();
    space();
    if (at < text.length) fail('Extra data');
    return bigInt ? { value: v, bigInt } : { value: v };
  } catch (e) {
    if (e instanceof TooDeep) return { error: 'maximum recursion depth exceeded while decoding a JSON document', tooDeep: true };
    if (!(e instanceof Fail)) throw e;
    const before = text.slice(0, e.pos);
    const line = before.split('\n').length;
    const column = e.pos - before.lastIndexOf('\n');
    return { error: `${e.what}: line ${line} column ${column} (char ${e.pos})` };
  }
}

class TooDeep extends Error {}

const LITERALS: [string, () => Value][] = [
  ['true', () => true],
  ['false', () => false],
  ['null', () => null],
  ['NaN', () => new PyFloat(NaN)],
  ['Infinity', () => new PyFloat(Infinity)],
  ['-Infinity', () => new PyFloat(-Infinity)],
];

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
