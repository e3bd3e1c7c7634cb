// The Python that real model files use, one construct per sample file (samples/), each checked
// against what real torch builds from the same file (parameters exactly, MACs within 1%).
// A sample is a .py file whose header names the model and its input:
//   # <what the sample shows>
//   # entry: Net()            (a Python expression evaluated in the file's namespace)
//   # input: 4x32             (shapes, comma-separated)
//   # input-dtype: long       (optional: token inputs)
// A sample inside a package (folders with __init__.py) is imported by its dotted name.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelReport } from '../../../src/core/report/types';
import { torchTruth, type TorchResult } from '../../support/torchTruth';
import { sharedEngine } from './truthCorpus';

const SAMPLES = join(__dirname, 'samples');

interface Sample {
  name: string;
  file: string;
  /** Directory added to sys.path, and the dotted module of the file under it. */
  root: string;
  module: string;
  entry: string;
  input: string;
  long: boolean;
}

function pythonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? pythonFiles(p) : f.endsWith('.py') ? [p] : [];
    });
}

function readSample(file: string): Sample | undefined {
  const text = readFileSync(file, 'utf8');
  const header = (key: string) => new RegExp(`^# ${key}: (.+)$`, 'm').exec(text)?.[1].trim();
  const entry = header('entry');
  if (!entry) return undefined;
  let root = dirname(file);
  while (existsSync(join(root, '__init__.py'))) root = dirname(root);
  return {
    name: `${relative(SAMPLES, file)}: ${/^# (.+)$/m.exec(text)![1]}`,
    file,
    root,
    module: relative(root, file).replace(/\.py$/, '').split(/[\\/]/).join('.'),
    entry,
    input: header('input')!,
    long: header('input-dtype') === 'long',
  };
}

const CASES = pythonFiles(SAMPLES)
  .map(readSample)
  .filter((s): s is Sample => s !== undefined);

const analyzed = new Map<string, ModelReport | undefined>();
let truth: TorchResult[] = [];

beforeAll(async () => {
  const engine = await sharedEngine();
  for (const c of CASES)
    analyzed.set(c.name, engine.analyze(c.file, readFileSync(c.file, 'utf8'), { model: c.entry, input: c.input }).models[0]);
  truth = torchTruth(
    CASES.map((c) => ({
      root: c.root,
      module: c.module,
      entry: c.entry,
      inputs: c.input.split(',').map((s) => ({ shape: s.split('x').map(Number), long: c.long })),
    })),
  );
}, 120_000);

describe('Python constructs in model files, against real torch', () => {
  it('finds the samples', () => expect(CASES.length).toBeGreaterThanOrEqual(15));

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (name, i) => {
    const t = truth[i];
    expect(t.error, `torch could not build the case: ${t.error}`).toBeUndefined();
    const r = analyzed.get(name);
    expect(r, 'the engine built no model').toBeDefined();
    expect(r!.uniqueParams).toBe(t.params);
    expect(r!.macs, JSON.stringify(r!.unknowns)).not.toBeNull();
    expect(Math.abs(r!.macs! - t.macs)).toBeLessThanOrEqual(0.01 * t.macs);
  });

  it('a @width.setter that builds a Linear counts its parameters (704, as torch says)', () => {
    const i = CASES.findIndex((c) => c.file.endsWith('property_setter.py'));
    expect(truth[i].params).toBe(704);
    expect(analyzed.get(CASES[i].name)!.uniqueParams).toBe(704);
  });
});

describe('a default sequence length respects the tables forward slices', () => {
  // pos[:T] and mask[:T, :T] of 64-row buffers: T > 64 would fail in torch, so the default T is 64
  const dir = join(SAMPLES, 'default_length');
  const file = join(dir, 'tiny.py');

  it('binds T to the table length and matches torch there', async () => {
    const report = (await sharedEngine()).analyze(file, readFileSync(file, 'utf8'), {}).models[0];
    expect(report.input.source).toBe('default');
    expect(report.input.bindings).toEqual({ T: 64 });
    const [t] = torchTruth([{ root: dir, module: 'tiny', entry: 'Tiny()', inputs: [{ shape: [1, 64], long: true }] }]);
    expect(t.error).toBeUndefined();
    expect(report.macs).toBe(t.macs);
    expect(report.uniqueParams).toBe(t.params);
  }, 60_000);
});
