import { describe, expect, it } from 'vitest';
import { BoundedSeries } from '../../../src/core/panel/boundedSeries';

describe('BoundedSeries', () => {
  it('never holds more than its capacity, however long the run', () => {
    const s = new BoundedSeries<number>(100);
    for (let i = 0; i < 100_000; i++) s.push(i);
    expect(s.length).toBeLessThanOrEqual(100);
    const a = s.toArray();
    // the newest point is always there, the oldest region is kept at a coarser grain
    expect(a[a.length - 1]).toBe(99_999);
    expect(a[0]).toBe(0);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
  });

  it('keeps the recent half at full detail', () => {
    const s = new BoundedSeries<number>(10);
    for (let i = 0; i < 11; i++) s.push(i);
    expect(s.toArray()).toEqual([0, 2, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('resets to a snapshot, thinned to the capacity', () => {
    const s = new BoundedSeries<number>(8);
    s.reset(Array.from({ length: 50 }, (_, i) => i));
    expect(s.length).toBeLessThanOrEqual(8);
    expect(s.toArray().at(-1)).toBe(49);
  });

  it('refuses a capacity it cannot thin', () => {
    expect(() => new BoundedSeries(2)).toThrow(RangeError);
  });
});
