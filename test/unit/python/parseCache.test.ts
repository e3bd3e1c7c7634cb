// The persistent parse cache: a hit gives the AST a fresh parse gives (and the analysis the same
// report) without parsing; a file on disk is known by `stat` without being read; an edited file,
// a corrupt or foreign entry is parsed again and never trusted; entries are written whole and the
// folder stays within its bound.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine, diskHost } from '../../../src/core/analysis/engine';
import type { ClassDef, FunctionDef, Module } from '../../../src/core/python/ast';
import { ParseCache, defaultParseCache } from '../../../src/core/python/parseCache';
import { loadPythonParser, ParserNotLoaded, PythonParser } from '../../../src/core/python/parser';
import type { FileReport } from '../../../src/core/report/types';
import { NN_PRELUDE } from '../../../src/core/torch/prelude';

const RESNET = resolve(__dirname, '../../fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py');
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

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wattlens-parse-cache-'));
  dirs.push(d);
  return d;
}

/** A parse function that counts its calls. */
function countingParse() {
  const counter = { calls: 0, parse: (text: string) => (counter.calls++, parser.parseModule(text)) };
  return counter;
}

const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.ast'));

describe('ParseCache', () => {
  const text = readFileSync(RESNET, 'utf8');

  it('a hit returns the AST of a fresh parse without parsing', () => {
    const dir = tempDir();
    const p = countingParse();
    const first = new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, p.parse);
    // a new cache object, as in the next process
    const second = new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, p.parse);
    expect(p.calls).toBe(1);
    expect(plain(second)).toBe(plain(parser.parseModule(text)));
    expect(plain(second)).toBe(plain(first));
    expect(second.directives).toBeInstanceOf(Map);
  });

  it('keeps what JSON would lose: non-finite numbers and directives', () => {
    const dir = tempDir();
    const src = '# wattlens: input=1x3\nBIG = 1e999\nx = float("nan")\n';
    new ParseCache({ dir, version: 'v1' }).parse('/w/a.py', src, (t) => parser.parseModule(t));
    const hit = new ParseCache({ dir, version: 'v1' }).parse('/w/a.py', src, () => {
      throw new Error('parsed again');
    });
    expect(hit.body[0]).toMatchObject({ k: 'assign', value: { k: 'num', v: Infinity } });
    expect([...hit.directives]).toEqual([...parser.parseModule(src).directives]);
  });

  it('a changed file is parsed again and its entry replaced', () => {
    const dir = tempDir();
    const p = countingParse();
    new ParseCache({ dir, version: 'v1' }).parse('/w/m.py', 'x = 1\n', p.parse);
    const changed = new ParseCache({ dir, version: 'v1' }).parse('/w/m.py', 'x = 2\n', p.parse);
    expect(p.calls).toBe(2);
    expect(changed.body[0]).toMatchObject({ value: { v: 2 } });
    expect(entries(dir)).toHaveLength(1);
    new ParseCache({ dir, version: 'v1' }).parse('/w/m.py', 'x = 2\n', p.parse);
    expect(p.calls).toBe(2);
  });

  it('ignores corrupt entries (flipped byte, truncated, garbage, empty) and rewrites them', () => {
    const dir = tempDir();
    const fresh = plain(parser.parseModule(text));
    new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, (t) => parser.parseModule(t));
    const [name] = entries(dir);
    const good = readFileSync(join(dir, name));
    const flipped = Buffer.from(good);
    flipped[flipped.length - 100] ^= 0xff;
    for (const bad of [flipped, good.subarray(0, good.length >> 1), Buffer.from('not an entry'), Buffer.alloc(0)]) {
      writeFileSync(join(dir, name), bad);
      const p = countingParse();
      const ast = new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, p.parse);
      expect(p.calls).toBe(1);
      expect(plain(ast)).toBe(fresh);
      expect(readFileSync(join(dir, name)).equals(good)).toBe(true);
    }
  });

  it('ignores entries of another engine version, and the entry of another file put in its place', () => {
    const dir = tempDir();
    const p = countingParse();
    new ParseCache({ dir, version: 'v1' }).parse('/w/m.py', 'x = 1\n', p.parse);
    new ParseCache({ dir, version: 'v2' }).parse('/w/m.py', 'x = 1\n', p.parse);
    expect(p.calls).toBe(2);
    // b.py's entry copied over a.py's: a valid entry, but not made from a.py's text
    const dirA = tempDir();
    const dirB = tempDir();
    new ParseCache({ dir: dirA, version: 'v1' }).parse('/w/a.py', 'a = 1\n', p.parse);
    new ParseCache({ dir: dirB, version: 'v1' }).parse('/w/b.py', 'b = 2\n', p.parse);
    const [entryA] = entries(dirA);
    const [entryB] = entries(dirB);
    writeFileSync(join(dirA, entryA), readFileSync(join(dirB, entryB)));
    const ast = new ParseCache({ dir: dirA, version: 'v1' }).parse('/w/a.py', 'a = 1\n', p.parse);
    expect(p.calls).toBe(5);
    expect(ast.body[0]).toMatchObject({ targets: [{ id: 'a' }] });
  });

  it('keeps the names of star imports, and that they cannot be known, beside the ASTs', () => {
    const dir = tempDir();
    let scans = 0;
    const scan = (t: string) => (scans++, t.includes('exec(') ? undefined : ['a', 'b']);
    expect(new ParseCache({ dir, version: 'v1' }).starNames('/w/m.py', 'a = b = 1\n', scan)).toEqual(['a', 'b']);
    expect(new ParseCache({ dir, version: 'v1' }).starNames('/w/m.py', 'a = b = 1\n', scan)).toEqual(['a', 'b']);
    expect(new ParseCache({ dir, version: 'v1' }).starNames('/w/d.py', 'exec("x = 1")\n', scan)).toBeUndefined();
    expect(new ParseCache({ dir, version: 'v1' }).starNames('/w/d.py', 'exec("x = 1")\n', scan)).toBeUndefined();
    expect(scans).toBe(2);
    // the same path's AST is a separate entry
    const ast = new ParseCache({ dir, version: 'v1' }).parse('/w/m.py', 'a = b = 1\n', (t) => parser.parseModule(t));
    expect(ast.body[0]).toMatchObject({ k: 'assign' });
    expect(new ParseCache({ dir, version: 'v1' }).starNames('/w/m.py', 'a = b = 1\n', scan)).toEqual(['a', 'b']);
    expect(scans).toBe(2);
  });

  it('writes entries whole (no temporaries left) and keeps the folder within its bound', () => {
    const dir = tempDir();
    const cache = new ParseCache({ dir, version: 'v1', maxBytes: 20_000 });
    const body = 'def f(a, b):\n    return a + b\n'.repeat(40);
    for (let i = 0; i < 40; i++) cache.parse(`/w/m${i}.py`, `${body}x = ${i}\n`, (t) => parser.parseModule(t));
    const names = readdirSync(dir);
    expect(names.filter((n) => !n.endsWith('.ast'))).toEqual([]);
    const total = names.reduce((s, n) => s + statSync(join(dir, n)).size, 0);
    const one = statSync(join(dir, names[0])).size;
    // pruned on the way: at most the bound plus what was written since the last prune
    expect(total).toBeLessThanOrEqual(20_000 + 20_000 / 8 + one);
    expect(names.length).toBeLessThan(40);
  });

  it('a folder it cannot write to only costs parsing', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const p = countingParse();
    const cache = new ParseCache({ dir: join(file, 'sub'), version: 'v1' });
    expect(cache.parse('/w/m.py', 'x = 1\n', p.parse).body).toHaveLength(1);
    expect(cache.parse('/w/m.py', 'x = 1\n', p.parse).body).toHaveLength(1);
    expect(p.calls).toBe(2);
  });

  it('knows a file on disk by stat alone; an edit (same size), a touch or an entry from a buffer are not known so', () => {
    const dir = tempDir();
    const file = join(tempDir(), 'm.py');
    writeFileSync(file, 'x = 1\n');
    const cache = () => new ParseCache({ dir, version: 'v1', settleMs: 0 });
    // settled means changed before this millisecond began
    const settle = () => {
      for (const end = Date.now() + 2; Date.now() < end;);
    };
    const p = countingParse();
    // as the import loader does: onDisk, else read the text and parse it
    const load = (c: ParseCache) => c.onDisk(file) ?? c.parse(file, readFileSync(file, 'utf8'), p.parse);
    expect(cache().onDisk(file)).toBeUndefined();
    settle();
    load(cache());
    expect(p.calls).toBe(1);
    expect(cache().onDisk(file)?.body[0]).toMatchObject({ value: { v: 1 } });
    // the same size and, at the file system's resolution, possibly the same mtime: ctime still moves
    const before = statSync(file, { bigint: true });
    writeFileSync(file, 'x = 2\n');
    utimesSync(file, before.atime, before.mtime);
    settle();
    expect(cache().onDisk(file)).toBeUndefined();
    expect(load(cache()).body[0]).toMatchObject({ value: { v: 2 } });
    expect(p.calls).toBe(2);
    expect(cache().onDisk(file)?.body[0]).toMatchObject({ value: { v: 2 } });
    // touched: not known by stat, known by its text (not parsed), then by stat again
    utimesSync(file, new Date(), new Date(Date.now() - 60_000));
    settle();
    expect(cache().onDisk(file)).toBeUndefined();
    load(cache());
    expect(p.calls).toBe(2);
    expect(cache().onDisk(file)).toBeDefined();
    // an entry made from a buffer's text (no stat before it) is not taken for the file
    const other = join(tempDir(), 'o.py');
    writeFileSync(other, 'y = 1\n');
    cache().parse(other, 'y = 1\n', p.parse);
    expect(cache().onDisk(other)).toBeUndefined();
  });

  it("keeps function bodies apart: each is deserialized when first read, and equals the fresh parse's", () => {
    const dir = tempDir();
    new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, (t) => parser.parseModule(t));
    const hit = new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, () => {
      throw new Error('parsed again');
    });
    const fresh = parser.parseModule(text);
    const def = hit.body.find((s): s is FunctionDef => s.k === 'def' && s.name === 'resnet50')!;
    const method = (hit.body.find((s) => s.k === 'class' && s.name === 'ResNet') as ClassDef).body.find((s) => s.k === 'def')!;
    for (const d of [def, method]) expect(Object.getOwnPropertyDescriptor(d, 'body')?.get).toBeTypeOf('function');
    expect(JSON.stringify(def.body)).toBe(
      JSON.stringify((fresh.body.find((s) => s.k === 'def' && s.name === 'resnet50') as FunctionDef).body),
    );
    // read once: a plain array from then on
    expect(Object.getOwnPropertyDescriptor(def, 'body')?.value).toBe(def.body);
    expect(plain(hit)).toBe(plain(fresh));
  });

  it('a file changed within the settle time is known by its text only', () => {
    const dir = tempDir();
    const file = join(tempDir(), 'm.py');
    writeFileSync(file, 'x = 1\n');
    const cache = () => new ParseCache({ dir, version: 'v1' });
    const c = cache();
    expect(c.onDisk(file)).toBeUndefined();
    c.parse(file, 'x = 1\n', (t) => parser.parseModule(t));
    expect(cache().onDisk(file)).toBeUndefined();
  });

  it('has no default outside a built engine, and WATTLENS_CACHE_DIR=off turns it off', () => {
    expect(defaultParseCache({ WATTLENS_CACHE_DIR: tempDir() })).toBeUndefined();
    expect(defaultParseCache({ WATTLENS_CACHE_DIR: 'off' })).toBeUndefined();
  });
});

describe('the engine with a parse cache', () => {
  const strip = (r: FileReport) => JSON.stringify(r, (k, v: unknown) => (k === 'analysisMs' ? undefined : v));

  it('gives the same report from a cold and a warm cache as without one, parsing nothing when warm', async () => {
    const dir = tempDir();
    const options = { model: 'resnet50', input: '1x3x224x224' };
    const text = readFileSync(RESNET, 'utf8');
    const without = (await AnalysisEngine.create({ parseCache: null })).analyze(RESNET, text, options);
    const cold = (await AnalysisEngine.create({ parseCache: new ParseCache({ dir, version: 't' }), cacheAnalyzedFile: true })).analyze(
      RESNET,
      text,
      options,
    );
    const warmEngine = await AnalysisEngine.create({ parseCache: new ParseCache({ dir, version: 't' }), cacheAnalyzedFile: true });
    let parsed = 0;
    const parseModule = warmEngine.pythonParser.parseModule.bind(warmEngine.pythonParser);
    // run from source, the torch prelude is parsed here (bundles read dist/prelude-ast.json)
    warmEngine.pythonParser.parseModule = (t: string) => (t === NN_PRELUDE || parsed++, parseModule(t));
    const warm = warmEngine.analyze(RESNET, text, options);
    expect(without.models[0].params).toBe(25_557_032);
    expect(strip(cold)).toBe(strip(without));
    expect(strip(warm)).toBe(strip(without));
    expect(parsed).toBe(0);
    expect(entries(dir).length).toBeGreaterThan(3);
  });

  it('runs on a parser that is not loaded while every file comes from the cache; a miss throws and is marked', async () => {
    const dir = tempDir();
    const options = { model: 'resnet50', input: '1x3x224x224' };
    const text = readFileSync(RESNET, 'utf8');
    const cache = () => new ParseCache({ dir, version: 't' });
    const unloaded = PythonParser.unloaded();
    expect(cache().holds(RESNET, text)).toBe(false);
    // a cold cache: the first file to parse throws, and says the parser was wanted
    const coldEngine = await AnalysisEngine.create({ parseCache: cache(), cacheAnalyzedFile: true, parser: unloaded });
    expect(() => coldEngine.analyze(RESNET, text, options)).toThrow(ParserNotLoaded);
    expect(unloaded.wanted).toBe(true);
    const reference = (await AnalysisEngine.create({ parseCache: cache(), cacheAnalyzedFile: true })).analyze(RESNET, text, options);
    expect(cache().holds(RESNET, text)).toBe(true);
    expect(cache().holds(RESNET, `${text}\n`)).toBe(false);
    // warm: the same report, and the stand-in was never asked to parse
    const standIn = PythonParser.unloaded();
    const warm = (await AnalysisEngine.create({ parseCache: cache(), cacheAnalyzedFile: true, parser: standIn })).analyze(
      RESNET,
      text,
      options,
    );
    expect(standIn.wanted).toBe(false);
    expect(strip(warm)).toBe(strip(reference));
    expect(warm.models[0].params).toBe(25_557_032);
  });

  it('deserializes only the bodies of the functions the analysis runs', async () => {
    const dir = tempDir();
    const options = { model: 'resnet50', input: '1x3x224x224' };
    const text = readFileSync(RESNET, 'utf8');
    await AnalysisEngine.create({ parseCache: new ParseCache({ dir, version: 't' }), cacheAnalyzedFile: true }).then((e) =>
      e.analyze(RESNET, text, options),
    );
    const hits: Module[] = [];
    class Recording extends ParseCache {
      override parse(path: string, t: string, parseText: (t: string) => Module): Module {
        const m = super.parse(path, t, parseText);
        hits.push(m);
        return m;
      }
    }
    const warm = (await AnalysisEngine.create({ parseCache: new Recording({ dir, version: 't' }), cacheAnalyzedFile: true })).analyze(
      RESNET,
      text,
      options,
    );
    expect(warm.models[0].params).toBe(25_557_032);
    const defs = hits.flatMap((m) =>
      m.body.flatMap((s) => (s.k === 'def' ? [s] : s.k === 'class' ? s.body.filter((b) => b.k === 'def') : [])),
    );
    const stillLazy = defs.filter((d) => Object.getOwnPropertyDescriptor(d, 'body')?.get);
    const run = defs.filter((d) => !Object.getOwnPropertyDescriptor(d, 'body')?.get).map((d) => d.name);
    expect(run).toEqual(expect.arrayContaining(['resnet50', '_make_layer', 'forward']));
    expect(stillLazy.length).toBeGreaterThan(run.length);
  });

  it('reads no imported file when the cache knows them all; an edited one is read and counts', async () => {
    const dir = tempDir();
    const work = tempDir();
    mkdirSync(join(work, 'pkg'));
    writeFileSync(join(work, 'pkg', '__init__.py'), '');
    const layers = (width: number) => `import torch.nn as nn\n\ndef block():\n    return nn.Linear(8, ${width})\n`;
    writeFileSync(join(work, 'pkg', 'layers.py'), layers(16));
    const model = join(work, 'pkg', 'model.py');
    const text =
      'import torch.nn as nn\nfrom .layers import block\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = block()\n';
    writeFileSync(model, text);
    for (const end = Date.now() + 2; Date.now() < end;); // changed before this millisecond: settled
    const reads: string[] = [];
    const host = { ...diskHost, readFile: (p: string) => (reads.push(p), diskHost.readFile(p)) };
    const run = async () => {
      reads.length = 0;
      const engine = await AnalysisEngine.create({ host, parseCache: new ParseCache({ dir, version: 't', settleMs: 0 }) });
      return engine.analyze(model, text, { model: 'Net' }).models[0].params;
    };
    expect(await run()).toBe(8 * 16 + 16);
    expect(reads).toContain(join(work, 'pkg', 'layers.py'));
    expect(await run()).toBe(8 * 16 + 16);
    expect(reads).toEqual([]);
    writeFileSync(join(work, 'pkg', 'layers.py'), layers(32));
    for (const end = Date.now() + 2; Date.now() < end;); // changed before this millisecond: settled
    expect(await run()).toBe(8 * 32 + 32);
    expect(reads).toEqual([join(work, 'pkg', 'layers.py')]);
  });
});
