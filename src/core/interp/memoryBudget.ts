// The memory budget of an evaluation. Python lets a few bytes of source ask for any amount of
// memory (`[0] * 10**12`, a tuple doubled in a loop, `'x'.ljust(10**10)`); the step budget does
// not see it, since one step may allocate without bound. Every place that materialises elements
// in proportion to a Python integer asks here first: a value over the bound, or one that would
// take the analysis past its total, becomes an Unknown with the reason instead of being built.

/** Elements (list/tuple/dict/set items, characters of a str) one value may hold: 16 MB of references. */
export const MAX_VALUE_ELEMENTS = 2_000_000;
/** Elements one analysis (module code, its imports and every model) may materialise in all. */
export const ANALYSIS_ELEMENTS = 16_000_000;

/** 1234 → "1,234"; 10**12 → "10^12"; 2**32 → "4.3×10^9". */
export function magnitude(n: number): string {
  if (!Number.isFinite(n)) return 'infinitely many';
  if (n < 1e6) return Math.round(n).toLocaleString('en-US');
  const exp = Math.floor(Math.log10(n));
  const mantissa = n / 10 ** exp;
  return Math.abs(mantissa - 1) < 1e-9 ? `10^${exp}` : `${mantissa.toFixed(1)}×10^${exp}`;
}

/** The reason a value of `n` elements is not built. */
export function notMaterialised(kind: string, n: number): string {
  return `a ${kind} of ${magnitude(n)} ${kind === 'str' ? 'characters' : 'elements'}: not materialised`;
}

/** Whether one value of `n` elements may be built at all (pure: operators use it before allocating). */
export function fitsOneValue(n: number): boolean {
  return n <= MAX_VALUE_ELEMENTS;
}

export class MemoryBudget {
  /** Elements materialised since the last reset. */
  used = 0;

  constructor(readonly limit = ANALYSIS_ELEMENTS) {}

  reset(): void {
    this.used = 0;
  }

  /**
   * Charges `n` new elements of a `kind` (list, tuple, str, dict, set); returns the reason it is
   * refused (over one value's bound or the analysis' total), or undefined once charged.
   */
  refuse(kind: string, n: number): string | undefined {
    if (!fitsOneValue(n)) return notMaterialised(kind, n);
    if (this.used + n > this.limit)
      return `${notMaterialised(kind, n)} (the analysis already materialised ${magnitude(this.used)} elements)`;
    this.used += n;
    return undefined;
  }
}

/** Elements a value holds, for charging what an operator built; 0 for scalars and objects. */
export function elementCount(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v && typeof v === 'object' && 'items' in v && Array.isArray((v as { items: unknown }).items))
    return (v as { items: unknown[] }).items.length;
  return 0;
}
