// MACs in the PyTorch side's convention, checked against real torch: every TF.js layer of
// macs_cases.json has a PyTorch twin doing the same arithmetic, whose MACs torch_macs.py
// counted on real torch (truth/macs.json, written by scripts/truth/tfjs_truth.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTfjsFile } from '../../../src/core/tfjs/entry';
import { FIXTURES } from './truthCorpus';
import { tempDirsPerFile } from '../../support/tempDirs';

interface MacCase {
  name: string;
  tfjs?: string;
  program?: string;
  torch: string;
  inputs: number[][];
}

const cases: MacCase[] = JSON.parse(readFileSync(join(FIXTURES, 'macs_cases.json'), 'utf8')).cases;
const truth: Record<string, number> = JSON.parse(readFileSync(join(FIXTURES, 'truth', 'macs.json'), 'utf8')).macs;
const dir = tempDirsPerFile()('wattlens-tfjs-macs-');

describe('MACs equal real torch for the same arithmetic', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const body = c.program ?? `return tf.sequential({ layers: [${c.tfjs}] });`;
    const file = join(dir, `${c.name.replace(/\W+/g, '_')}.ts`);
    const source = `import * as tf from '@tensorflow/tfjs';\nexport function build() {\n${body}\n}\n`;
    writeFileSync(file, source);
    const m = analyzeTfjsFile(file, source, { model: 'build' }).models[0];
    expect(m.unknowns).toEqual([]);
    expect(m.macs).toBe(truth[c.name]);
    expect(m.flops).toBe(2 * truth[c.name]);
  });
});
