// A TF.js document over 256 KB (a bundle, not a model file) is reported and not parsed: the
// editor's worker reaches analyzeTfjsFile without the CLI's own size check.
import { describe, expect, it } from 'vitest';
import { MAX_TFJS_SOURCE_BYTES, analyzeTfjsFile } from '../../../src/core/tfjs/entry';

describe('TF.js source size cap', () => {
  it('a 1.1 MB document is one problem, with no model and no parse', () => {
    const text = `import * as tf from '@tensorflow/tfjs';\nexport const m = tf.sequential();\n//${'x'.repeat(1_100_000)}\n`;
    const r = analyzeTfjsFile('/w/bundle.ts', text);
    expect(r.models).toEqual([]);
    expect(r.problems).toEqual([
      { what: 'file', reason: 'bundle.ts is 1.05 MB, over the 0.25 MB limit for TensorFlow.js files: not analyzed', file: '/w/bundle.ts' },
    ]);
  });

  it('the limit is 256 KB', () => expect(MAX_TFJS_SOURCE_BYTES).toBe(256 * 1024));
});
