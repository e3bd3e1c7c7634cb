// Hostile imports against the Python analyzer: huge, endless and recursive modules, import
// cycles, symlinks out of the workspace, FIFOs and devices posing as modules, dynamic imports.
// A module that must not be read becomes an unresolved import with its reason; the model
// beside it is still reported.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeFiles,
  analyzeIn,
  expectModelParams,
  expectProblem,
  makeWorkspace,
  modelWith,
  removeWorkspaces,
} from './support/analyzerWorkspace';
import { expectContained } from './support/contained';

/** Outside every workspace: a module that would give the model 10 × 5 if it were read. */
let outside: string;
/** A 60 MB module, written once. */
let huge: string;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'wattlens-hostile-outside-'));
  writeFileSync(join(outside, 'secret.py'), 'SIZE = 10\n');
  execFileSync('mkdir', ['-p', join(outside, 'pkg')]);
  writeFileSync(join(outside, 'pkg', '__init__.py'), 'SIZE = 10\n');
  huge = join(outside, 'huge.py');
  const line = `SIZE = 10  # ${'x'.repeat(100)}\n`;
  writeFileSync(huge, line.repeat(Math.ceil(60e6 / line.length)));
});

afterAll(() => {
  removeWorkspaces();
  rmSync(outside, { recursive: true, force: true });
});

/** A model whose first layer's width comes from `expr` (after `head`); 55 params if it is 10. */
const modelUsing = (head: string, expr: string): string => modelWith({ head }).replace('nn.Linear(10, 5)', `nn.Linear(${expr}, 5)`);
/** A model beside an import: `head` runs at the top, the model itself does not depend on it. */
const modelBeside = (head: string): string => modelWith({ head });

describe('size and time of imported modules', () => {
  it('a 60 MB imported module is not read', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside('import big') });
    execFileSync('cp', [huge, join(dir, 'big.py')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /big.*MB.*over the 1 MB limit/);
  });
  it('a 3 MB imported module is not read', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import big'), 'big.py': `SIZE = 10\n${'#'.repeat(3e6)}\n` });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /over the 1 MB limit/);
  });
  it('a 1.9 MB module that is one long expression is bounded', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import big'), 'big.py': `X = 0${' + 1'.repeat(450_000)}\n` });
    expectContained(r);
    expectModelParams(r);
  });
  it('forty 0.9 MB modules: the total read is bounded', () => {
    const files: Record<string, string> = { 'model.py': modelBeside(Array.from({ length: 40 }, (_, i) => `import m${i}`).join('\n')) };
    const body = `A = "${'x'.repeat(900_000)}"\n`; // under the per-module cap: the total is what stops them
    for (let i = 0; i < 40; i++) files[`m${i}.py`] = body;
    const r = analyzeFiles(files);
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /imported source/);
  });
  it('an imported module with an endless top level', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import spin'), 'spin.py': 'while True:\n    pass\n' });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /step budget/);
  });
  it('an imported module that blows up memory', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import boom'), 'boom.py': 's = (0,) * 2**24\n' + 's = s + s\n'.repeat(8) });
    expectContained(r);
    expectModelParams(r);
  });
  it('an imported module nested 10,000 deep', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import deep'), 'deep.py': `X = ${'('.repeat(10_000)}0${')'.repeat(10_000)}\n` });
    expectContained(r);
    expectModelParams(r);
  });
  it('an imported module with infinite recursion at the top level', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import rec'), 'rec.py': 'def f():\n    return f()\nf()\n' });
    expectContained(r);
    expectModelParams(r);
  });
  it('a legitimate import inside the workspace still gives its constant', () => {
    const r = analyzeFiles({ 'model.py': modelUsing('from conf import SIZE', 'SIZE'), 'conf.py': 'SIZE = 10\n' });
    expectContained(r);
    expectModelParams(r);
  });
  it('a legitimate import when the workspace is reached through a symlink', () => {
    const dir = makeWorkspace({ 'real/model.py': modelUsing('from conf import SIZE', 'SIZE'), 'real/conf.py': 'SIZE = 10\n' });
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const r = analyzeIn(join(dir, 'link'));
    expectContained(r);
    expectModelParams(r);
  });
});

describe('cycles and dynamic imports', () => {
  it('an import cycle a → b → a', () => {
    const r = analyzeFiles({
      'model.py': modelBeside('import a'),
      'a.py': 'import b\nX = 1\n',
      'b.py': 'import a\nY = a.X if hasattr(a, "X") else 0\n',
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('a module that imports itself', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import selfish'), 'selfish.py': 'import selfish\nfrom selfish import *\n' });
    expectContained(r);
    expectModelParams(r);
  });
  it('the analyzed file imports itself', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import model\nfrom model import *') });
    expectContained(r);
    expectModelParams(r);
  });
  it('a package whose __init__ imports all its submodules, which import the package', () => {
    const r = analyzeFiles({
      'model.py': modelBeside('import pkg'),
      'pkg/__init__.py': 'from pkg import a, b\n',
      'pkg/a.py': 'import pkg\nfrom pkg import b\n',
      'pkg/b.py': 'import pkg.a\n',
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('__import__ of a 60 MB module', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside("big = __import__('big')") });
    execFileSync('cp', [huge, join(dir, 'big.py')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
  });
  it('a relative import of a module symlinked out of the workspace', () => {
    const r = analyzeFiles(
      {
        'pkg/__init__.py': '',
        'pkg/model.py': modelUsing('from .secret import SIZE', 'SIZE'),
        'pkg/secret.py': { symlink: join(outside, 'secret.py') },
      },
      'pkg/model.py',
    );
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('__import__ of a module symlinked out of the workspace', () => {
    const r = analyzeFiles({
      'model.py': modelUsing(`SIZE = __import__('secret').SIZE`, 'SIZE'),
      'secret.py': { symlink: join(outside, 'secret.py') },
    });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
  });
  it('a folder put on sys.path outside the workspace is not read', () => {
    const r = analyzeFiles({
      'model.py': modelUsing(`import sys\nsys.path.insert(0, ${JSON.stringify(outside)})\nfrom secret import SIZE`, 'SIZE'),
    });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
  });
  it('a relative sys.path entry climbing out of the workspace is not read', () => {
    const r = analyzeFiles({ 'model.py': modelUsing(`import sys\nsys.path.append('../..${outside}')\nfrom secret import SIZE`, 'SIZE') });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
  });
  it('a relative sys.path entry inside the workspace is searched', () => {
    const r = analyzeFiles({
      'model.py': modelUsing(`import sys\nsys.path.append('lib')\nfrom conf import SIZE`, 'SIZE'),
      'lib/conf.py': 'SIZE = 10\n',
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('a relative import climbing above the top package', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('from .......... import secret'), 'm2.py': '' });
    expectContained(r);
    expectModelParams(r);
  });
});

describe('files a model opens', () => {
  const here = 'import os\nHERE = os.path.dirname(os.path.abspath(__file__))';
  const readSize = `${here}\nSIZE = int(open(os.path.join(HERE, 'size.txt')).read())`;
  it('a text file inside the workspace is read', () => {
    const r = analyzeFiles({ 'model.py': modelUsing(readSize, 'SIZE'), 'size.txt': '10\n' });
    expectContained(r);
    expectModelParams(r);
  });
  it('a file symlinked out of the workspace is not read', () => {
    writeFileSync(join(outside, 'size.txt'), '10\n');
    const r = analyzeFiles({ 'model.py': modelUsing(readSize, 'SIZE'), 'size.txt': { symlink: join(outside, 'size.txt') } });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expect(r.stdout).toMatch(/outside the workspace/);
  });
  it('an absolute path out of the workspace is not read', () => {
    const r = analyzeFiles({ 'model.py': modelBeside(`TEXT = open('/etc/passwd').read()\nprint(TEXT)`) });
    expectContained(r);
    expectModelParams(r);
    expect(r.stdout).not.toMatch(/root:/);
  });
  it('a file symlinked to /etc/passwd is not read', () => {
    const r = analyzeFiles({
      'model.py': modelBeside(`${here}\nTEXT = open(os.path.join(HERE, 'p.cfg')).read()\nprint(TEXT)`),
      'p.cfg': { symlink: '/etc/passwd' },
    });
    expectContained(r);
    expectModelParams(r);
    expect(r.stdout).not.toMatch(/root:/);
  });
  it('a FIFO opened as a config file is never opened', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside(`${here}\nTEXT = open(os.path.join(HERE, 'pipe.cfg')).read()`) });
    execFileSync('mkfifo', [join(dir, 'pipe.cfg')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
  });
  it('a file opened for writing is not written', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside(`${here}\nopen(os.path.join(HERE, 'out.txt'), 'w').write('x')`) });
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });
});

describe('confinement of imports to the workspace', () => {
  it('a symlinked module file pointing outside the workspace is not read', () => {
    const r = analyzeFiles({
      'model.py': modelUsing('from secret import SIZE', 'SIZE'),
      'secret.py': { symlink: join(outside, 'secret.py') },
    });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('a symlinked package folder pointing outside the workspace is not read', () => {
    const r = analyzeFiles({ 'model.py': modelUsing('from pkg import SIZE', 'SIZE'), pkg: { symlink: join(outside, 'pkg') } });
    expectContained(r);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
    expectProblem(r, /outside the workspace/);
  });
  it('a module symlinked to /etc/passwd is not read', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import passwd'), 'passwd.py': { symlink: '/etc/passwd' } });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /outside the workspace/);
    expect(r.stdout).not.toMatch(/root:/);
  });
  it('a module symlinked to /proc/self/environ is not read', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import environ'), 'environ.py': { symlink: '/proc/self/environ' } });
    expectContained(r);
    expectModelParams(r);
    expect(r.stdout).not.toMatch(/PATH=/);
  });
  it('a module symlinked to /dev/zero is never opened', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import zero'), 'zero.py': { symlink: '/dev/zero' } });
    expectContained(r);
    expectModelParams(r);
  });
  it('a FIFO named like a module is never opened', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside('import pipe') });
    execFileSync('mkfifo', [join(dir, 'pipe.py')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
  });
  it('a package __init__.py that is a FIFO is never opened', () => {
    const dir = makeWorkspace({ 'model.py': modelBeside('import pkg'), 'pkg/other.py': '' });
    execFileSync('mkfifo', [join(dir, 'pkg', '__init__.py')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
  });
  it('a symlink loop named like a module', () => {
    const r = analyzeFiles({
      'model.py': modelBeside('import loop'),
      'loop.py': { symlink: 'loop2.py' },
      'loop2.py': { symlink: 'loop.py' },
    });
    expectContained(r);
    expectModelParams(r);
  });
  it('a folder named like a module file', () => {
    const r = analyzeFiles({ 'model.py': modelBeside('import folder'), 'folder.py/x': '' });
    expectContained(r);
    expectModelParams(r);
  });
  it('a symlink inside the workspace to another workspace file is followed', () => {
    const r = analyzeFiles({
      'model.py': modelUsing('from alias import SIZE', 'SIZE'),
      'conf.py': 'SIZE = 10\n',
      'alias.py': { symlink: 'conf.py' },
    });
    expectContained(r);
    expectModelParams(r);
  });
});

describe('imports from the environment (a workspace .venv)', () => {
  const SITE = '.venv/lib/python3.11/site-packages';
  const CFG = { '.venv/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n' };

  it('a legitimate library constant is read from site-packages', () => {
    const r = analyzeFiles({ ...CFG, [`${SITE}/lib10/__init__.py`]: 'SIZE = 10\n', 'model.py': modelUsing('import lib10', 'lib10.SIZE') });
    expectContained(r);
    expectModelParams(r);
  });
  it('a site-packages module symlinked outside the workspace is not read', () => {
    const r = analyzeFiles({
      ...CFG,
      [`${SITE}/secret.py`]: { symlink: join(outside, 'secret.py') },
      'model.py': modelBeside('import secret'),
    });
    expectContained(r);
    expectModelParams(r);
    expectProblem(r, /outside the workspace/);
  });
  it('a site-packages symlinked outside the workspace is not searched', () => {
    // read, secret.SIZE would give the model 55 parameters
    const r = analyzeFiles({ ...CFG, [SITE]: { symlink: outside }, 'model.py': modelUsing('import secret', 'secret.SIZE') });
    expectContained(r);
    expect(r.stdout).toMatch(/^M /m);
    expect(r.stdout).not.toMatch(/parameters\s+55 /);
  });
  it('a .pth naming / is not followed', () => {
    const r = analyzeFiles({ ...CFG, [`${SITE}/root.pth`]: '/\n/etc\n', 'model.py': modelBeside('import passwd') });
    expectContained(r);
    expectModelParams(r);
  });
  it('a library package star-importing a FIFO submodule never opens it', () => {
    const dir = makeWorkspace({
      ...CFG,
      [`${SITE}/lib/__init__.py`]: 'from .pipe import *\nSIZE = 10\n',
      'model.py': modelUsing('import lib', 'lib.SIZE'),
    });
    execFileSync('mkfifo', [join(dir, SITE, 'lib', 'pipe.py')]);
    const r = analyzeIn(dir);
    expectContained(r);
    expectModelParams(r);
  });
  it('a library package star-importing forty 0.9 MB submodules: bounded', () => {
    const files: Record<string, string> = { ...CFG, 'model.py': modelUsing('import lib', 'lib.SIZE') };
    const body = `X = 1\n${'#'.repeat(0.9e6)}\n`;
    const inits: string[] = [];
    for (let i = 0; i < 40; i++) {
      files[`${SITE}/lib/m${i}.py`] = body;
      inits.push(`from .m${i} import *`);
    }
    files[`${SITE}/lib/__init__.py`] = `${inits.join('\n')}\nSIZE = 10\n`;
    const r = analyzeFiles(files);
    expectContained(r);
    expectModelParams(r);
  });
});
