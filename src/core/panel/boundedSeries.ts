// A chart series that never grows past a fixed size: when full, every other point of its older
// half is dropped, so a run of any length keeps its whole shape at a coarser grain in the past
// and full detail in its recent part. A live run updating 10×/s for hours stays at `capacity`.
export class BoundedSeries<T> {
  private points: T[] = [];

  constructor(readonly capacity = 2000) {
    if (!(Number.isInteger(capacity) && capacity >= 4)) throw new RangeError(`capacity must be an integer ≥ 4, got ${capacity}`);
  }

  push(...points: T[]): void {
    for (const p of points) {
      if (this.points.length >= this.capacity) this.thin();
      this.points.push(p);
    }
  }

  /** Replaces the content (a snapshot), thinned to the capacity. */
  reset(points: readonly T[]): void {
    this.points = [];
    this.push(...points);
  }

  get length(): number {
    return this.points.length;
  }

  toArray(): T[] {
    return this.points.slice();
  }

  /** Keeps the newest half as it is and every other point of the older half. */
  private thin(): void {
    const half = Math.floor(this.points.length / 2);
    const older = this.points.slice(0, half).filter((_, i) => i % 2 === 0);
    this.points = older.concat(this.points.slice(half));
  }
}
