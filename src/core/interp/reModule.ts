// Python's `re` on JavaScript's RegExp: patterns are translated where the two syntaxes differ
// (named groups, \A and \Z, inline flags, verbose mode); a pattern that cannot be translated,
// or a string that is not known, gives an Unknown value, never a guessed match.
import type { Interpreter } from './interpreter';
import { builtin, intArg, moduleOf, nativeClass } from './native';
import { PyClass, PyDict, PyInstance, PyList, PyModule, PyTuple, Unknown, type CallArgs, type Value } from './values';

const FLAGS = { I: 2, IGNORECASE: 2, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, X: 64, VERBOSE: 64, A: 256, ASCII: 256, U: 32, UNICODE: 32 };

interface Compiled {
  source: string;
  flags: string;
  groupNames: string[];
  pattern: string;
  flagBits: number;
}

/** The JavaScript source and flags of a Python pattern; a string saying why when it has no equivalent. */
export function translatePattern(pattern: string, flagBits: number): Compiled | string {
  let bits = flagBits;
  let p = pattern;
  // leading inline flags: (?aiLmsux)
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    for (const c of inline[1]) bits |= { a: 256, i: 2, L: 0, m: 8, s: 16, u: 32, x: 64 }[c] ?? 0;
    p = p.slice(inline[0].length);
  }
  if (bits & 64) p = stripVerbose(p);
  let out = '';
  const groupNames: string[] = [];
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (i + 1 >= p.length) return 'a pattern ends with a backslash';
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && n === 'Z') out += '$(?![\\s\\S])';
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += '\\' + p[++i];
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      const rest = p.slice(i);
      const named = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest);
      if (named) {
        groupNames.push(named[1]);
        out += `(?<${named[1]}>`;
        i += named[0].length - 1;
        continue;
      }
      const backref = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += backref[0].length - 1;
        continue;
      }
      if (/^\(\?[:=!]|^\(\?<[=!]/.test(rest)) {
        out += c;
        continue;
      }
      return `the regular expression group ${rest.slice(0, 4)} has no JavaScript equivalent`;
    }
    if (c === '(') groupNames.push('');
    out += c;
  }
  if (/[*+?}]\+/.test(out.replace(/\\./g, ''))) return 'possessive quantifiers have no JavaScript equivalent';
  let flags = '';
  if (bits & 2) flags += 'i';
  if (bits & 8) flags += 'm';
  if (bits & 16) flags += 's';
  try {
    new RegExp(out, flags);
  } catch (e) {
    return `the regular expression ${JSON.stringify(pattern)} is not understood: ${(e as Error).message}`;
  }
  return { source: out, flags, groupNames, pattern, flagBits: bits };
}

/** re.VERBOSE: whitespace and # comments outside classes and escapes are dropped. */
function stripVerbose(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

export function reModule(it: Interpreter): PyModule {
  const Match = nativeClass('Match', [it.classes.object], {
    methods: {
      group: (a) => {
        const m = matchOf(a);
        const picks = a.positional.length > 1 ? a.positional.slice(1) : [0];
        const got = picks.map((g) => groupValue(it, m, g));
        return got.length === 1 ? got[0] : new PyTuple(got);
      },
      __getitem__: (a) => groupValue(it, matchOf(a), a.positional[1] ?? 0),
      groups: (a) => {
        const m = matchOf(a);
        const dflt = a.positional[1] ?? a.keywords.get('default') ?? null;
        return new PyTuple(groupsOf(m.exec).map((g) => g ?? dflt));
      },
      groupdict: (a) => {
        const m = matchOf(a);
        const dflt = a.positional[1] ?? a.keywords.get('default') ?? null;
        return PyDict.of(Object.entries((m.exec.groups ?? {}) as Record<string, string | undefined>).map(([k, v]) => [k, v ?? dflt]));
      },
      start: (a) => span(it, matchOf(a), a.positional[1] ?? 0)[0],
      end: (a) => span(it, matchOf(a), a.positional[1] ?? 0)[1],
      span: (a) => new PyTuple(span(it, matchOf(a), a.positional[1] ?? 0)),
    },
  });
  const makeMatch = (exec: RegExpExecArray, string: string, compiled: Compiled): PyInstance => {
    const inst = new PyInstance(Match);
    inst.payload = { exec, compiled } satisfies MatchPayload;
    inst.attrs.set('string', string);
    inst.attrs.set('pos', 0);
    inst.attrs.set('lastindex', exec.length > 1 ? lastIndex(exec) : null);
    return inst;
  };

  const Pattern: PyClass = nativeClass('Pattern', [it.classes.object], { methods: {} });
  const compile = (pattern: Value, flags: Value | undefined): Compiled | Unknown => {
    if (pattern instanceof PyInstance && pattern.cls === Pattern) return pattern.payload as Compiled;
    if (typeof pattern !== 'string')
      return pattern instanceof Unknown ? pattern : it.unknown('a regular expression that is not a known str');
    const bits = flags === undefined || flags === null ? 0 : intArg(flags);
    if (bits === null) return it.unknown('regular expression flags that are not known');
    const c = translatePattern(pattern, bits);
    return typeof c === 'string' ? it.unknown(c) : c;
  };
  const patternObject = (c: Compiled): PyInstance => {
    const inst = new PyInstance(Pattern);
    inst.payload = c;
    inst.attrs.set('pattern', c.pattern);
    inst.attrs.set('flags', c.flagBits);
    inst.attrs.set('groups', c.groupNames.length);
    return inst;
  };

  // the operations, on a compiled pattern and a known string
  const ops: Record<string, (c: Compiled, s: string, a: Value[], kw: Map<string, Value>) => Value> = {
    match: (c, s) => {
      const r = new RegExp(c.source, c.flags + 'y').exec(s);
      return r ? makeMatch(r, s, c) : null;
    },
    fullmatch: (c, s) => {
      const r = new RegExp(`(?:${c.source})$(?![\\s\\S])`, c.flags + 'y').exec(s);
      return r ? makeMatch(r, s, c) : null;
    },
    search: (c, s) => {
      const r = new RegExp(c.source, c.flags).exec(s);
      return r ? makeMatch(r, s, c) : null;
    },
    findall: (c, s) =>
      new PyList(
        allMatches(c, s).map((r) =>
          r.length === 1 ? r[0] : r.length === 2 ? (groupsOf(r)[0] ?? '') : new PyTuple(groupsOf(r).map((g) => g ?? '')),
        ),
      ),
    finditer: (c, s) => new PyList(allMatches(c, s).map((r) => makeMatch(r, s, c))),
    split: (c, s, rest, kw) => {
      const max = intArg(rest[0] ?? kw.get('maxsplit') ?? 0) ?? 0;
      const out: Value[] = [];
      let last = 0;
      for (const r of allMatches(c, s)) {
        if (max > 0 && out.length >= max * r.length) break;
        out.push(s.slice(last, r.index), ...groupsOf(r).map((g) => g ?? null));
        last = r.index + r[0].length;
      }
      out.push(s.slice(last));
      return new PyList(out);
    },
    sub: (c, s, rest, kw) => substitute(it, c, s, rest, kw, makeMatch, false),
    subn: (c, s, rest, kw) => substitute(it, c, s, rest, kw, makeMatch, true),
  };
  // module functions take (pattern, string, ...); sub and subn take (pattern, repl, string, ...)
  const moduleFn = (name: string) =>
    builtin(`re.${name}`, (a) => {
      const isSub = name === 'sub' || name === 'subn';
      const [pattern, ...rest] = a.positional;
      const stringAt = isSub ? 1 : 0;
      const flagsAt = { split: 2, sub: 3, subn: 3 }[name] ?? 1;
      const c = compile(pattern ?? null, rest[flagsAt] ?? a.keywords.get('flags'));
      if (c instanceof Unknown) return c;
      const s = rest[stringAt] ?? a.keywords.get('string');
      if (typeof s !== 'string') return s instanceof Unknown ? s : it.unknown(`re.${name} of a value that is not a known str`);
      const extra = isSub ? [rest[0], ...rest.slice(2, 3)] : rest.slice(1, name === 'split' ? 2 : 1);
      return ops[name](c, s, extra, a.keywords);
    });
  for (const name of Object.keys(ops))
    Pattern.native!.methods![name] = (a: CallArgs) => {
      const c = (a.positional[0] as PyInstance).payload as Compiled;
      const isSub = name === 'sub' || name === 'subn';
      const s = a.positional[isSub ? 2 : 1] ?? a.keywords.get('string');
      if (typeof s !== 'string') return s instanceof Unknown ? s : it.unknown(`Pattern.${name} of a value that is not a known str`);
      const extra = isSub ? [a.positional[1] ?? null, ...a.positional.slice(3)] : a.positional.slice(2);
      return ops[name](c, s, extra, a.keywords);
    };

  const entries: Record<string, Value> = {
    compile: builtin('re.compile', (a) => {
      const c = compile(a.positional[0] ?? null, a.positional[1] ?? a.keywords.get('flags'));
      return c instanceof Unknown ? c : patternObject(c);
    }),
    escape: builtin('re.escape', (a) =>
      typeof a.positional[0] === 'string' ? a.positional[0].replace(/[^A-Za-z0-9_]/g, '\\$&') : it.unknown('re.escape'),
    ),
    Pattern,
    Match,
    error: nativeClass('error', [it.classes.exceptions.Exception]),
    ...FLAGS,
  };
  for (const name of Object.keys(ops)) entries[name] = moduleFn(name);
  return moduleOf('re', entries);
}

interface MatchPayload {
  exec: RegExpExecArray;
  compiled: Compiled;
}

/** The groups of a match; a group that did not take part is undefined. */
function groupsOf(r: RegExpExecArray): (string | undefined)[] {
  return r.slice(1) as (string | undefined)[];
}

function matchOf(a: CallArgs): MatchPayload {
  return (a.positional[0] as PyInstance).payload as MatchPayload;
}

function groupIndex(m: MatchPayload, g: Value): number | undefined {
  if (typeof g === 'number') return g >= 0 && g < m.exec.length ? g : undefined;
  if (typeof g === 'string') {
    const i = m.compiled.groupNames.indexOf(g);
    return i < 0 ? undefined : i + 1;
  }
  return undefined;
}

function groupValue(it: Interpreter, m: MatchPayload, g: Value): Value {
  const i = groupIndex(m, g);
  if (i === undefined) return it.raise('IndexError', 'no such group');
  return m.exec[i] ?? null;
}

/** Start and end of a group, from the text before it (no `d` flag needed for the whole match). */
function span(it: Interpreter, m: MatchPayload, g: Value): [number, number] {
  const i = groupIndex(m, g);
  if (i === undefined) return it.raise('IndexError', 'no such group');
  if (i === 0) return [m.exec.index, m.exec.index + m.exec[0].length];
  const withIndices = new RegExp(m.compiled.source, m.compiled.flags + 'dy');
  withIndices.lastIndex = m.exec.index;
  const r = withIndices.exec(m.exec.input);
  const at = r?.indices?.[i];
  return at ? [at[0], at[1]] : [-1, -1];
}

function lastIndex(exec: RegExpExecArray): number | null {
  for (let i = exec.length - 1; i > 0; i--) if (groupsOf(exec)[i - 1] !== undefined) return i;
  return null;
}

function allMatches(c: Compiled, s: string): RegExpExecArray[] {
  const re = new RegExp(c.source, c.flags + 'g');
  const out: RegExpExecArray[] = [];
  for (let r = re.exec(s); r; r = re.exec(s)) {
    out.push(r);
    if (r[0] === '') re.lastIndex++;
  }
  return out;
}

function substitute(
  it: Interpreter,
  c: Compiled,
  s: string,
  rest: Value[],
  kw: Map<string, Value>,
  makeMatch: (exec: RegExpExecArray, string: string, compiled: Compiled) => PyInstance,
  withCount: boolean,
): Value {
  const repl = rest[0] ?? kw.get('repl') ?? null;
  const count = intArg(rest[1] ?? kw.get('count') ?? 0) ?? 0;
  let out = '';
  let last = 0;
  let n = 0;
  for (const r of allMatches(c, s)) {
    if (count > 0 && n >= count) break;
    let by: string;
    if (typeof repl === 'string') by = expandTemplate(repl, r, c);
    else {
      const v = it.call(repl, { positional: [makeMatch(r, s, c)], keywords: new Map() });
      if (typeof v !== 'string') return v instanceof Unknown ? v : it.unknown('re.sub with a replacement that is not a str');
      by = v;
    }
    out += s.slice(last, r.index) + by;
    last = r.index + r[0].length;
    n++;
  }
  out += s.slice(last);
  return withCount ? new PyTuple([out, n]) : out;
}

/** A replacement template: \1, \g<1>, \g<name> and the usual escapes. */
function expandTemplate(repl: string, r: RegExpExecArray, c: Compiled): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
  return repl.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/g, (all, g: string | undefined, d: string | undefined, e: string | undefined) => {
    if (g !== undefined) {
      const i = /^\d+$/.test(g) ? Number(g) : c.groupNames.indexOf(g) + 1;
      return r[i] ?? '';
    }
    if (d !== undefined) return r[Number(d)] ?? '';
    return e !== undefined && e in escapes ? escapes[e] : all;
  });
}
