// Interpreter samples in Pyright's manner: one Python file per language feature under
// samples/, each ending in a RESULT dict. Real CPython runs every sample to give the expected
// values; the abstract interpreter (without torch) must compute the same, except for the keys
// a sample marks `# expect-unknown:`, where it must answer Unknown rather than a wrong value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';
import { PYTHON } from '../../support/torchTruth';
import { cpythonResults, expectedUnknownKeys, holdsUnknown, interpretSample, type Encoded } from './sampleRunner';

const SAMPLES = join(__dirname, 'samples');
const files = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.py'))
  .sort();

let parser: PythonParser;
let expected: Record<string, Record<string, Encoded>>;

beforeAll(async () => {
  parser = await loadPythonParser();
  expected = cpythonResults(
    PYTHON,
    files.map((f) => join(SAMPLES, f)),
  );
}, 60_000);

describe('interpreter samples against CPython', () => {
  it('has samples', () => expect(files.length).toBeGreaterThan(10));

  it.each(files)('%s', (file) => {
    const path = join(SAMPLES, file);
    const want = expected[path];
    const unknownKeys = expectedUnknownKeys(readFileSync(path, 'utf8'));
    const got = interpretSample(parser, path);
    expect(got.result, `RESULT was not bound (first exception: ${got.raised})`).toBeDefined();
    for (const key of unknownKeys.keys()) expect(Object.keys(want), `expect-unknown key ${key} is not in RESULT`).toContain(key);
    const mismatches: string[] = [];
    for (const [key, value] of Object.entries(want)) {
      const mine = got.result![key];
      if (unknownKeys.has(key)) {
        if (!holdsUnknown(mine)) mismatches.push(`${key}: expected Unknown (${unknownKeys.get(key)}), got ${JSON.stringify(mine)}`);
      } else if (!isDeepStrictEqual(mine, value))
        mismatches.push(`${key}: CPython ${JSON.stringify(value)}, interpreter ${JSON.stringify(mine)}`);
    }
    expect(mismatches.join('\n'), `first exception: ${got.raised ?? 'none'}`).toBe('');
  });
});
