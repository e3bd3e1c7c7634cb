// Small robust statistics shared by the pilot summary and the forecast.

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Quantile by linear interpolation between order statistics (q in [0, 1]). */
export function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number | null {
  return quantile(xs, 0.5);
}

/** Mean after dropping the `trim` fraction at each end (0.1 → 10% trimmed mean). */
export function trimmedMean(xs: readonly number[], trim: number): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const k = Math.floor(sorted.length * trim);
  return mean(sorted.slice(k, sorted.length - k));
}

/** Deterministic pseudo-random numbers (mulberry32) so fits and their intervals are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Median of block means: the series is cut into `blocks` consecutive blocks of equal length (the
 * remainder at the start is left out) and the median of their means is returned. Work that recurs
 * within a block (data loading, a window edge every few dozen steps) stays in every block mean;
 * a burst that slows fewer than half of the blocks (another process taking the CPU, a GC pause)
 * does not move the result. With an even block count the two middle means are averaged.
 */
export function medianOfBlockMeans(xs: readonly number[], blocks: number): number | null {
  if (xs.length === 0) return null;
  const k = Math.max(1, Math.min(Math.floor(blocks), xs.length));
  const size = Math.floor(xs.length / k);
  const skip = xs.length - size * k;
  const means: number[] = [];
  for (let b = 0; b < k; b++) means.push(mean(xs.slice(skip + b * size, skip + (b + 1) * size))!);
  return median(means);
}
