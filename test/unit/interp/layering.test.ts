// The Python language core knows nothing of torch: no file of src/core/interp imports
// src/core/torch, src/core/ops or src/core/analysis, not even for types (hooks.ts holds the
// interfaces those layers implement).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const INTERP = join(__dirname, '..', '..', '..', 'src', 'core', 'interp');
const FORBIDDEN =
  /from\s+'(?:\.\.\/)+(?:torch|ops|analysis)\/|from\s+'\.\.\/(?:torch|ops|analysis)'|import\(\s*'(?:\.\.\/)+(?:torch|ops|analysis)\//;

describe('src/core/interp layering', () => {
  const files = readdirSync(INTERP).filter((f) => f.endsWith('.ts'));

  it('reads the interpreter sources', () => expect(files).toContain('interpreter.ts'));

  it.each(files)('%s imports nothing from torch, ops or analysis', (file) => {
    const offending = readFileSync(join(INTERP, file), 'utf8')
      .split('\n')
      .filter((line) => FORBIDDEN.test(line));
    expect(offending).toEqual([]);
  });
});
