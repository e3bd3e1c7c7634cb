// Deferred function bodies: an imported module's function bodies are converted when first read,
// from their definition's text parsed alone. Whatever is read must equal the eager conversion
// (rows, nesting limit, directives, generators), and the parse cache stores an unread body as
// text and a read one as an AST.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClassDef, FunctionDef, Module, Stmt } from '../../../src/core/python/ast';
import { MAX_NESTING } from '../../../src/core/python/convert';
import { deferredBody, releaseTrees } from '../../../src/core/python/deferredBodies';
import { ParseCache } from '../../../src/core/python/parseCache';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';

const FIXTURES = resolve(__dirname, '../../fixtures');
const FILES = [
  'models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py',
  'models/third_party/nanogpt_model.py',
  'realworld/workspace/.venv/lib/python3.11/site-packages/timm/models/vision_transformer.py',
];
const plain = (m: Module) =>
  JSON.stringify({ body: m.body, errors: m.syntaxErrors, directives: [...m.directives], notAnalyzed: m.notAnalyzed });
let parser: PythonParser;
const dirs: string[] = [];

beforeAll(async () => {
  parser = await loadPythonParser();
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every function definition not nested in another function, at any depth of blocks. */
function outerDefs(body: Stmt[], out: FunctionDef[] = []): FunctionDef[] {
  for (const s of body) {
    if (s.k === 'def') out.push(s);
    else if (s.k === 'class' || s.k === 'with' || s.k === 'for' || s.k === 'while') outerDefs(s.body, out);
    else if (s.k === 'if') outerDefs([...s.body, ...s.orelse], out);
    else if (s.k === 'try') outerDefs([...s.body, ...s.handlers.flatMap((h) => h.body), ...s.orelse, ...s.finally], out);
  }
  return out;
}

const EDGE_CASES = [
  // CRLF line ends, tabs, characters outside the BMP before and inside bodies
  'x = "\u{1F600}"\r\ndef f(a):\r\n\treturn a + 1  # \u{1F600}\r\n\r\nclass C:\r\n\tdef m(self):\r\n\t\treturn "\u{1F600}" * 2\r\n',
  // methods under if/try/with, decorators, async, one-line bodies, nested functions and classes
  [
    'import torch',
    'if True:',
    '    class A(torch.nn.Module):',
    '        @staticmethod',
    '        def s(x): return x * 2',
    '        async def a(self):',
    '            await self.b()',
    '        def forward(self, x):',
    '            def inner(y):',
    '                class K:',
    '                    def k(self):',
    '                        return 3',
    '                return y + K().k()',
    '            return inner(x)',
    'try:',
    '    def t(): pass',
    'except ImportError:',
    '    def t(): return None',
    'with open("f") as fh:',
    '    def w(a=lambda q: q + 1, *args, **kw):',
    '        """Doc',
    'with a line at the left margin',
    '        """',
    '        s = ("a"',
    '  "b")',
    '        return a + \\',
    '            1',
  ].join('\n'),
  // generators and directives are converted at once (the definition reads them)
  'def g():\n    yield 1\n\ndef d(x):\n    y = x\n    # wattlens: input=1x3\n    return y\n',
  // nested past the limit inside a body: the note comes when the body is read
  `def deep():\n    return ${'('.repeat(MAX_NESTING + 5)}1${')'.repeat(MAX_NESTING + 5)}\n`,
];

describe('deferred function bodies', () => {
  it('equal the eager conversion once read, from the kept tree and from their text', () => {
    const texts = [...FILES.map((f) => readFileSync(join(FIXTURES, f), 'utf8')), ...EDGE_CASES];
    for (const text of texts) {
      const eager = plain(parser.parseModule(text));
      expect(plain(parser.parseModule(text, { deferBodies: true }))).toBe(eager);
      const afterRelease = parser.parseModule(text, { deferBodies: true });
      releaseTrees();
      expect(plain(afterRelease)).toBe(eager);
    }
  });

  it('are not converted until read, except generators and bodies with directives', () => {
    const lazy = parser.parseModule(EDGE_CASES[1] + '\n' + EDGE_CASES[2], { deferBodies: true });
    const defs = outerDefs(lazy.body);
    const unread = defs.filter((d) => deferredBody(d)).map((d) => d.name);
    expect(unread).toEqual(['s', 'a', 'forward', 't', 't', 'w']);
    const g = defs.find((d) => d.name === 'g')!;
    expect(g.isGenerator).toBe(true);
    expect(deferredBody(g)).toBeUndefined();
    expect([...lazy.directives.values()]).toEqual(['input=1x3']);
    const forward = defs.find((d) => d.name === 'forward')!;
    expect(forward.body[0]).toMatchObject({ k: 'def', name: 'inner', line: 8 });
    expect(deferredBody(forward)).toBeUndefined();
  });

  it('report nesting past the limit in the module once the body is read', () => {
    const lazy = parser.parseModule(EDGE_CASES[3], { deferBodies: true });
    expect(lazy.notAnalyzed).toEqual([]);
    expect((lazy.body[0] as FunctionDef).body[0]).toMatchObject({ k: 'return', value: { k: 'error' } });
    expect(lazy.notAnalyzed).toHaveLength(1);
  });

  it('are stored by the parse cache as text until read, and as ASTs once read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlens-deferred-'));
    dirs.push(dir);
    const text = readFileSync(join(FIXTURES, FILES[0]), 'utf8');
    const parse = (t: string) => parser.parseModule(t, { deferBodies: true });
    const cache = new ParseCache({ dir, version: 'v1' });
    const first = cache.parse('/w/resnet.py', text, parse);
    const resnet = first.body.find((s): s is ClassDef => s.k === 'class' && s.name === 'ResNet')!;
    const forward = resnet.body.find((s): s is FunctionDef => s.k === 'def' && s.name === '_forward_impl')!;
    expect(forward.body.length).toBeGreaterThan(3);
    // written after the analysis: the body it read is converted by then
    expect(readdirSync(dir)).toEqual([]);
    cache.flush();
    const second = new ParseCache({ dir, version: 'v1' }).parse('/w/resnet.py', text, () => {
      throw new Error('parsed again');
    });
    const defs = outerDefs(second.body);
    expect(defs.filter((d) => !deferredBody(d)).map((d) => d.name)).toEqual(['_forward_impl']);
    expect(plain(second)).toBe(plain(parser.parseModule(text)));
  });
});
