// groupDigits writes integers as toLocaleString('en-US') does, without ICU's number formats (their
// first use is ~30 ms of a fresh analysis worker's first answer).
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../../src/core/report/format';

describe('groupDigits', () => {
  it('groups an integer by thousands as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 999999, 1000000, 11689512, 25557032, -1234567, Number.MAX_SAFE_INTEGER])
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves anything else to toLocaleString', () => {
    for (const n of [1234.5678, NaN, Infinity, 1e21]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});
