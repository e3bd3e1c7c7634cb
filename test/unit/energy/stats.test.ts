import { describe, expect, it } from 'vitest';
import { mean, medianOfBlockMeans } from '../../../src/core/energy/stats';

const steady = (n: number, x: number) => Array.from({ length: n }, () => x);

describe('median of block means', () => {
  it('is the mean of a steady series', () => {
    expect(medianOfBlockMeans(steady(200, 0.01), 9)).toBeCloseTo(0.01, 12);
  });

  it('ignores a burst that slows fewer than half of the blocks, where the mean moves by 60%', () => {
    const xs = steady(180, 0.01);
    for (let i = 40; i < 70; i++) xs[i] = 0.05; // another process took the CPU for 30 steps
    expect(mean(xs)).toBeCloseTo(0.01667, 4);
    expect(medianOfBlockMeans(xs, 9)).toBeCloseTo(0.01, 12);
  });

  it('keeps work that recurs within every block (a slow step every 10th step)', () => {
    const xs = Array.from({ length: 180 }, (_, i) => (i % 10 === 9 ? 0.03 : 0.01));
    expect(medianOfBlockMeans(xs, 9)).toBeCloseTo(mean(xs)!, 12); // 0.012, not the typical single step 0.01
  });

  it('leaves the remainder out at the start (nearest the warm-up) and handles edge cases', () => {
    expect(medianOfBlockMeans([9, 1, 1, 2, 2, 3, 3], 3)).toBe(2); // 9 is left out: blocks [1,1] [2,2] [3,3]
    expect(medianOfBlockMeans([1, 2, 3, 4], 2)).toBe(2.5); // even count: the two middle means
    expect(medianOfBlockMeans([], 3)).toBeNull();
    expect(medianOfBlockMeans([5], 9)).toBe(5);
  });
});
