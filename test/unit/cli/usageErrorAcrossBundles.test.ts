// `wattlens pilot` runs from its own bundle (dist/cli-pilot.js), which carries its own copy of
// src/cli/errors.ts: a usage error thrown there must still exit 2 with its one line, not be
// reported as an internal error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFailure, UsageError } from '../../../src/cli/errors';

afterEach(() => vi.restoreAllMocks());

describe('usage errors across bundles', () => {
  it("a UsageError from another copy of the module exits 2 with the user's message", async () => {
    vi.resetModules();
    const other = (await import('../../../src/cli/errors')) as typeof import('../../../src/cli/errors');
    expect(other.UsageError).not.toBe(UsageError);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    expect(reportFailure(new other.UsageError('pilot: script not found: train.py'))).toBe(2);
    expect(written).toEqual(['wattlens: pilot: script not found: train.py\n']);
  });

  it('any other error is still an internal error', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(reportFailure(new Error('boom'))).toBe(1);
    expect(reportFailure(Object.assign(new Error('lookalike'), { name: 'UsageError' }))).toBe(1);
  });
});
