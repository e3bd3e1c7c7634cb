// Both front ends follow one rule for a condition whose truth is unknown: it is taken as false
// (the guarded branch does not run, the else branch does) and the report's assumptions say so
// in the same words.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fixtures/truth/truthSchema';
import { analyzeTfjsFile } from '../../../src/core/tfjs/entry';
import { sharedEngine } from './truthCorpus';
import { tempDirForTest } from '../../support/tempDirs';

/** The shared wording; the file is named with its folder. */
const taken = (file: string, line: number) =>
  new RegExp(`^condition at line ${line} of [^/]+/${file.replace('.', '\\.')} unknown \\(.+\\): taken as false$`);

describe('an unknown condition', () => {
  it('in Python is taken as false and recorded among the assumptions', async () => {
    const text = [
      'import torch.nn as nn',
      'from mylab import flags',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        if flags.big:',
      '            self.extra = nn.Linear(8, 512)',
      '        else:',
      '            self.head = nn.Linear(8, 2)',
      '    def forward(self, x):',
      '        return x',
      '',
    ].join('\n');
    const engine = await sharedEngine();
    const m = engine.analyze(join(REPO_ROOT, 'test', 'fixtures', 'models', 'scratch', 'cond.py'), text, {}).models[0];
    expect(m.assumptions.filter((a) => taken('cond.py', 6).test(a))).toHaveLength(1);
    expect(m.params).toBe(8 * 2 + 2); // the else branch ran, the guarded one did not
  });

  it('in TF.js is taken as false and recorded the same way', () => {
    const dir = tempDirForTest('wattlens-cond-');
    const file = join(dir, 'cond.ts');
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { flags } from 'my-settings';",
      'export function build() {',
      '  const m = tf.sequential();',
      '  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));',
      '  if (flags.big) m.add(tf.layers.dense({ units: 512 }));',
      '  else m.add(tf.layers.dense({ units: 2 }));',
      '  return m;',
      '}',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const m = analyzeTfjsFile(file, text, {}).models[0];
    expect(m.assumptions.filter((a) => taken('cond.ts', 6).test(a))).toHaveLength(1);
    // the else branch ran (a 2-unit dense layer), the guarded one did not (no 512-unit layer)
    expect(m.layers.map((l) => l.params)).toEqual([3 * 4 + 4, 4 * 2 + 2]);
    // a skipped branch that could have built layers still leaves the totals unknown
    expect(m.params).toBeNull();
  });
});
