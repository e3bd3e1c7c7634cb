// Hostile model files against the Python analyzer: memory blow-ups, huge integers, deep
// nesting, long chains, recursion, endless loops and strange files. Each is analyzed by the
// CLI under the yardstick (exit 0/2, ≤ 5 s, < 1 GB, no stack trace) and must still report what
// it can: the 55 parameters of the model beside the attack, or a problem line with the reason.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import {
  analyzeFiles,
  analyzeIn,
  expectModelParams,
  expectProblem,
  makeWorkspace,
  modelWith,
  removeWorkspaces,
} from './support/analyzerWorkspace';
import { expectContained, expectOneLineError } from './support/contained';

afterAll(removeWorkspaces);

/** The model plus hostile top-level code: contained, and the model's parameters still reported. */
function survivesTop(top: string, head = ''): void {
  const r = analyzeFiles({ 'model.py': modelWith({ top, head }) });
  expectContained(r);
  expectModelParams(r);
}

/** The model with hostile code at the end of `__init__`: contained, parameters still reported. */
function survivesInit(init: string, head = ''): void {
  const r = analyzeFiles({ 'model.py': modelWith({ init, head }) });
  expectContained(r);
  expectModelParams(r);
}

const nested = (open: string, close: string, depth: number, core = '0'): string => open.repeat(depth) + core + close.repeat(depth);

describe('sequence, string and container blow-ups', () => {
  it('tuple repeated to 2**24 then doubled eight times (the 80-byte file)', () =>
    survivesTop(['s = (0,) * 2**24', ...Array.from({ length: 8 }, () => 's = s + s')].join('\n')));
  it('a list of 10**12 zeros stored on self in __init__', () => survivesInit('self.x = [0] * 10**12'));
  it('a list of 10**9 zeros at the top level', () => survivesTop('x = [0] * 10**9'));
  it('int on the left of the repetition: 10**12 * [0]', () => survivesTop('x = 10**12 * [0, 1]'));
  it('a str of 10**10 characters', () => survivesTop("s = 'x' * 10**10"));
  it('bytes of 10**10', () => survivesTop("b = b'x' * 10**10"));
  it('bytes(10**10) and bytearray(10**10)', () => survivesTop('a = bytes(10**10)\nb = bytearray(10**10)'));
  it('a list doubled by + in a loop', () => survivesTop('x = [0] * 1000\nfor _ in range(40):\n    x = x + x'));
  it('a list doubled by += in a loop', () => survivesTop('x = [0] * 1000\nfor _ in range(40):\n    x += x'));
  it('a list doubled by *= in a loop', () => survivesTop('x = [0] * 1000\nfor _ in range(40):\n    x *= 2'));
  it('a list doubled by extend in a loop', () => survivesTop('x = [0] * 1000\nfor _ in range(40):\n    x.extend(x)'));
  it('a string doubled by += in a loop', () => survivesTop("s = 'ab' * 1000\nfor _ in range(40):\n    s += s"));
  it('a tuple doubled by += in a loop', () => survivesTop('t = (0,) * 1000\nfor _ in range(40):\n    t += t'));
  it('repetition of a repetition: [0] * 10**6 * 10**6', () => survivesTop('x = [0] * 10**6 * 10**6'));
  it('a list comprehension over range(10**9)', () => survivesTop('x = [i for i in range(10**9)]'));
  it('a nested comprehension of 10**5 lists of 10**5', () => survivesTop('x = [[0] * 10**5 for _ in range(10**5)]'));
  it('a dict comprehension over range(10**8)', () => survivesTop('d = {i: i for i in range(10**8)}'));
  it('a set comprehension over range(10**8)', () => survivesTop('s = {i for i in range(10**8)}'));
  it('a generator expression drained by list()', () => survivesTop('x = list(i for i in range(10**9))'));
  it('list(range(10**12))', () => survivesTop('x = list(range(10**12))'));
  it('tuple(range(10**10)) and set(range(10**10))', () => survivesTop('x = tuple(range(10**10))\ny = set(range(10**10))'));
  it('sorted(range(10**10)) and reversed(range(10**10))', () =>
    survivesTop('x = sorted(range(10**10))\ny = list(reversed(range(10**10)))'));
  it('list(zip(range(10**10), range(10**10)))', () => survivesTop('x = list(zip(range(10**10), range(10**10)))'));
  it('list(enumerate(range(10**10)))', () => survivesTop('x = list(enumerate(range(10**10)))'));
  it('unpacking a huge range into a list: [*range(10**10)]', () => survivesTop('x = [*range(10**10)]'));
  it('str.join of 10**4 strings of 10**6 characters', () => survivesTop("x = ''.join(['x' * 10**6] * 10**4)"));
  it("str.join with a long separator: ('x' * 10**6).join(...)", () => survivesTop("x = ('x' * 10**6).join(['a'] * 10**6)"));
  it('dict.fromkeys(range(10**9))', () => survivesTop('d = dict.fromkeys(range(10**9))'));
  it('str.replace that multiplies: a million x each replaced by a million y', () =>
    survivesTop("s = ('x' * 10**6).replace('x', 'y' * 10**6)"));
  it('numpy arrays of 10**12 elements', () =>
    survivesTop('a = np.zeros(10**12)\nb = np.ones((10**6, 10**6))\nc = np.arange(10**12)', 'import numpy as np'));
  it('a 10**12-element tensor (shapes only, never data)', () =>
    survivesTop('t = torch.zeros(10**12)\nu = torch.arange(10**12)', 'import torch'));
  it('params that do not depend on a blow-up survive it in __init__', () => {
    const r = analyzeFiles({ 'model.py': modelWith({ init: 'self.table = [0] * 10**12\nself.fc2 = nn.Linear(5, 5)' }) });
    expectContained(r);
    expectModelParams(r, 85);
  });
  it('a layer size taken from a blown-up list is unknown with the reason, not a crash', () => {
    const r = analyzeFiles({ 'model.py': modelWith({ init: 'self.fc2 = nn.Linear(len([0] * 10**12) // 10**11, 5)' }) });
    expectContained(r);
    expect(r.stdout).toMatch(/not materiali[sz]ed/);
  });
});

describe('huge integers and formatting', () => {
  it('2**2**30', () => survivesTop('x = 2**2**30'));
  it('10**10**8', () => survivesTop('x = 10**10**8'));
  it('1 << 10**10', () => survivesTop('x = 1 << 10**10'));
  it('a power tower squared in a loop', () => survivesTop('x = 3\nfor _ in range(64):\n    x = x * x'));
  it('str() of a 10**6-digit integer', () => survivesTop('x = str(10**(10**6))'));
  it('pow(10, 10**9) and math.factorial(10**8)', () => survivesTop('x = pow(10, 10**9)\ny = math.factorial(10**8)', 'import math'));
  it("'%0999999999d' % 1", () => survivesTop("s = '%0999999999d' % 1"));
  it('an f-string of width 999999999', () => survivesTop("s = f'{1:999999999}'"));
  it("'{:>999999999}'.format(1)", () => survivesTop("s = '{:>999999999}'.format(1)"));
  it("'x'.ljust(10**10), rjust and zfill", () => survivesTop("a = 'x'.ljust(10**10)\nb = 'x'.rjust(10**10)\nc = '1'.zfill(10**10)"));
  it("'x'.center(10**10)", () => survivesTop("s = 'x'.center(10**10)"));
});

describe('deep nesting and long chains', () => {
  it('10,000 nested parentheses', () => {
    const r = analyzeFiles({ 'model.py': modelWith({ top: `x = ${nested('(', ')', 10_000)}` }) });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /line 10: nesting: expression nested deeper than 200 levels at line 10: not analyzed/);
  });
  it('10,000 nested lists', () => survivesTop(`x = ${nested('[', ']', 10_000)}`));
  it('10,000 nested tuples', () => survivesTop(`x = ${nested('(', ',)', 10_000)}`));
  it('10,000 nested dicts', () => survivesTop(`x = ${nested("{'a': ", '}', 10_000)}`));
  it('10,000 nested subscripts', () => survivesTop(`a = [0]\nx = ${'a['.repeat(10_000)}0${']'.repeat(10_000)}`));
  it('10,000 nested calls', () => survivesTop(`x = ${nested('abs(', ')', 10_000)}`));
  it('10,000 nested lambdas', () => survivesTop(`f = ${'lambda: '.repeat(10_000)}0`));
  it('a 10,000-branch conditional expression chain', () => survivesTop(`c = 1\nx = ${'0 if c else '.repeat(10_000)}1`));
  it('10,000 unary minus signs', () => survivesTop(`x = ${'-'.repeat(10_000)}1`));
  it('10,000 nots', () => survivesTop(`x = ${'not '.repeat(10_000)}1`));
  it('10,000 nested awaits in an async def', () => survivesTop(`async def f():\n    return ${'await '.repeat(10_000)}g()`));
  it('10,000 nested comprehensions', () => survivesTop(`x = ${'[('.repeat(2_000)}0${' for _ in [0])]'.repeat(2_000)}`));
  it('a left-deep chain of 50,000 +', () => survivesTop(`x = 0${' + 1'.repeat(50_000)}`));
  it('a chain of 50,000 string concatenations', () => survivesTop(`x = ''${" + 'a'".repeat(50_000)}`));
  it('a chain of 50,000 and/or', () => survivesTop(`x = 1${' and 1 or 0'.repeat(25_000)}`));
  it('a chain of 50,000 comparisons', () => survivesTop(`x = 0${' < 1'.repeat(50_000)}`));
  it('an attribute chain 50,000 long', () => survivesTop(`class A:\n    pass\na = A()\na.a = a\nx = a${'.a'.repeat(50_000)}`));
  it('a chain of 50,000 calls f()()()…', () => survivesTop(`def f():\n    return f\nx = f${'()'.repeat(50_000)}`));
  it('a chain of 50,000 subscripts x[0][0]…', () => survivesTop(`a = [0]\na[0] = a\nx = a${'[0]'.repeat(50_000)}`));
  it('1,000 nested if statements', () =>
    survivesTop(Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}if 1:`).join('\n') + `\n${' '.repeat(1_000)}x = 1`));
  it('1,000 nested function definitions', () =>
    survivesTop(Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}def f${i}():`).join('\n') + `\n${' '.repeat(1_000)}return 1`));
  it('1,000 nested class definitions', () =>
    survivesTop(Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}class C${i}:`).join('\n') + `\n${' '.repeat(1_000)}x = 1`));
  it('10,000 decorators on one function', () => survivesTop(`def d(f):\n    return f\n${'@d\n'.repeat(10_000)}def g():\n    pass`));
  it('a decorator nested 10,000 deep', () =>
    survivesTop(`def d(f):\n    return f\n@${nested('d(', ')', 10_000, 'd')}\ndef g():\n    pass`));
  it('deep nesting inside __init__ leaves a problem line and the model', () => {
    const r = analyzeFiles({ 'model.py': modelWith({ init: `k = ${nested('(', ')', 10_000)}` }) });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /nested deeper than/);
  });
});

describe('recursion and endless evaluation', () => {
  it('def f(): return f()', () => survivesTop('def f():\n    return f()\nx = f()'));
  it('mutual recursion', () => survivesTop('def f(n):\n    return g(n + 1)\ndef g(n):\n    return f(n + 1)\nx = f(0)'));
  it('a recursive __getattr__', () => survivesTop('class A:\n    def __getattr__(self, name):\n        return self.other\nx = A().y'));
  it('a recursive __repr__ through repr, str and an f-string', () =>
    survivesTop(
      "class A:\n    def __repr__(self):\n        return repr(self)\n    def __str__(self):\n        return f'{self}'\nx = repr(A())\ny = str(A())",
    ));
  it('a recursive property', () => survivesTop('class A:\n    @property\n    def p(self):\n        return self.p\nx = A().p'));
  it('a recursive __eq__ and __hash__', () =>
    survivesTop(
      'class A:\n    def __eq__(self, o):\n        return self == o\n    def __hash__(self):\n        return hash(self)\nx = A() == A()\nd = {A(): 1}',
    ));
  it('a module whose __init__ builds itself recursively', () => {
    const r = analyzeFiles({
      'model.py':
        'import torch.nn as nn\nclass R(nn.Module):\n    def __init__(self, d=0):\n        super().__init__()\n        self.fc = nn.Linear(10, 5)\n        self.child = R(d + 1)\n    def forward(self, x):\n        return self.fc(x)\n' +
        modelWith({}).replace('import torch.nn as nn', ''),
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('recursion inside forward', () => {
    const src = modelWith({ head: 'def deep(x):\n    return deep(x)' }).replace('return self.fc(x)', 'return deep(self.fc(x))');
    const r = analyzeFiles({ 'model.py': src });
    expectContained(r);
    expectModelParams(r);
  });
  it('while True: pass', () => survivesTop('while True:\n    pass'));
  it('while True appending to a list', () => survivesTop('x = []\nwhile True:\n    x.append(x)'));
  it('an infinite generator drained by list()', () => survivesTop('def g():\n    while True:\n        yield 1\nx = list(g())'));
  it('itertools.count() in a for loop', () => survivesTop('import itertools\nfor i in itertools.count():\n    pass'));
  it('an endless loop inside __init__ is reported as a problem', () => {
    const r = analyzeFiles({ 'model.py': modelWith({ init: 'while True:\n    pass' }) });
    expectContained(r);
    expectProblem(r, /step budget/);
  });
});

describe('strange files', () => {
  it('a 4.9 MB Python file is refused in one line (it took 14 s and 1.35 GB)', () => {
    const line = 'x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]\n';
    const r = analyzeFiles({ 'model.py': modelWith({}) + line.repeat(Math.floor(4.9e6 / line.length)) });
    expectOneLineError(r, /larger than 1 MiB/);
  });
  it('a 6 MB Python file is refused in one line', () => {
    const r = analyzeFiles({ 'model.py': modelWith({}) + '#'.repeat(6e6) });
    expectOneLineError(r, /larger than/);
  });
  it('a minified file: one 0.9 MB line of statements', () => survivesTop(`x = 1${'; x = x + 1'.repeat(80_000)}`));
  it('a syntax error in a file of 30,000 top-level imports (each recovered alone)', () => {
    const r = analyzeFiles({ 'model.py': `${modelWith({})}${'import os\n'.repeat(30_000)}def broken(:\n` });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /syntax error/);
  });
  it('5,000 builder functions: the entries analyzed are bounded', () => {
    const defs = Array.from({ length: 5_000 }, (_, i) => `def f${i}():\n    return ${i}\n`).join('');
    const r = analyzeFiles({ 'model.py': `${modelWith({})}${defs}` });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /the first 300 were analyzed/);
  });
  it('a binary file named model.py', () => {
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const r = analyzeFiles({ 'model.py': bytes });
    expectContained(r);
  });
  it('NUL bytes in the file', () => {
    const r = analyzeFiles({ 'model.py': `${modelWith({})}\u0000\u0000` });
    expectOneLineError(r, /not a text file/);
  });
  it('invalid UTF-8 in a comment and a string', () => {
    const r = analyzeFiles({
      'model.py': Buffer.concat([
        Buffer.from(modelWith({})),
        Buffer.from([0x23, 0xff, 0xfe, 0x0a, 0x73, 0x3d, 0x27, 0xc3, 0x28, 0x27, 0x0a]),
      ]),
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('a FIFO as the file to analyze', () => {
    const dir = makeWorkspace({});
    execFileSync('mkfifo', [`${dir}/model.py`]);
    expectOneLineError(analyzeIn(dir), /not a file/);
  });
  it('/dev/zero as the file to analyze', () => expectOneLineError(analyzeIn(makeWorkspace({}), '/dev/zero'), /not a file/));
});
