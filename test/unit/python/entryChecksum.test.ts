// The checksum behind cache entries: it catches a flipped byte and a truncation, sums parts as
// their concatenation, and the two algorithms never accept each other's entries.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKSUM_BYTES, entryChecksum } from '../../../src/core/python/entryChecksum';
import { ParseCache } from '../../../src/core/python/parseCache';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';

const RESNET = resolve(__dirname, '../../fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py');
const dirs: string[] = [];
let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('entryChecksum', () => {
  const data = readFileSync(RESNET);

  it('uses CRC-32 where zlib has it: four bytes, the rest zero', () => {
    const sum = entryChecksum([data]);
    expect(sum.length).toBe(CHECKSUM_BYTES);
    expect(sum.subarray(4).equals(Buffer.alloc(CHECKSUM_BYTES - 4))).toBe(true);
    expect(sum.equals(createHash('sha256').update(data).digest())).toBe(false);
  });

  it('falls back to SHA-256, which never matches a CRC-32 checksum', () => {
    const sha = entryChecksum([data], false);
    expect(sha.equals(createHash('sha256').update(data).digest())).toBe(true);
    expect(sha.equals(entryChecksum([data], true))).toBe(false);
  });

  for (const useCrc32 of [true, false])
    it(`${useCrc32 ? 'CRC-32' : 'SHA-256'}: parts sum as their concatenation; a flipped byte or a truncation changes it`, () => {
      const whole = entryChecksum([data], useCrc32);
      expect(entryChecksum([data.subarray(0, 1000), data.subarray(1000)], useCrc32).equals(whole)).toBe(true);
      const flipped = Buffer.from(data);
      flipped[12345] ^= 0x10;
      expect(entryChecksum([flipped], useCrc32).equals(whole)).toBe(false);
      expect(entryChecksum([data.subarray(0, data.length - 1)], useCrc32).equals(whole)).toBe(false);
    });

  it('a parse cache entry with a corrupt byte in its AST is parsed again and rewritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wattlens-entry-checksum-'));
    dirs.push(dir);
    const text = readFileSync(RESNET, 'utf8');
    let calls = 0;
    const parse = (t: string) => (calls++, parser.parseModule(t));
    new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, parse);
    const [name] = readdirSync(dir).filter((f) => f.endsWith('.ast'));
    const entry = readFileSync(join(dir, name));
    // a byte well inside the serialized AST: the checksum is all that can tell
    entry[entry.length - 100] ^= 0x01;
    writeFileSync(join(dir, name), entry);
    new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, parse);
    expect(calls).toBe(2);
    expect(readFileSync(join(dir, name)).equals(entry)).toBe(false);
    new ParseCache({ dir, version: 'v1' }).parse(RESNET, text, parse);
    expect(calls).toBe(2);
  });
});

describe('ParseCache.readText', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'wattlens-read-text-'));
    dirs.push(dir);
    const file = join(dir, 'model.py');
    writeFileSync(file, 'import torch\nX = 1\n');
    // older than the settle time: known by its stat
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    let calls = 0;
    const parse = (t: string) => (calls++, parser.parseModule(t));
    return { dir, file, parse, calls: () => calls };
  }

  it('reads the file, and the entry written after it is found again from stat', () => {
    const { dir, file, parse, calls } = setup();
    const first = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    const text = first.readText(file);
    expect(text).toBe('import torch\nX = 1\n');
    first.parse(file, text, parse);
    const second = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    const again = second.readText(file);
    expect(second.holds(file, again)).toBe(true);
    second.parse(file, again, parse);
    expect(calls()).toBe(1);
  });

  it('vouches only for the text it read: another text is parsed', () => {
    const { dir, file, parse, calls } = setup();
    const first = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    first.parse(file, first.readText(file), parse);
    const second = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    second.readText(file);
    expect(second.holds(file, 'import torch\nX = 2\n')).toBe(false);
    const other = second.parse(file, 'import torch\nX = 2\n', parse);
    expect(calls()).toBe(2);
    expect(JSON.stringify(other.body)).toBe(JSON.stringify(parser.parseModule('import torch\nX = 2\n').body));
  });

  it('a rewrite of the file (same size, new times) is parsed again', () => {
    const { dir, file, parse, calls } = setup();
    const first = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    first.parse(file, first.readText(file), parse);
    writeFileSync(file, 'import torch\nX = 3\n');
    const older = new Date(Date.now() - 30_000);
    utimesSync(file, older, older);
    const second = new ParseCache({ dir: join(dir, 'c'), version: 'v1' });
    const text = second.readText(file);
    expect(text).toBe('import torch\nX = 3\n');
    expect(second.holds(file, text)).toBe(false);
    second.parse(file, text, parse);
    expect(calls()).toBe(2);
  });
});
