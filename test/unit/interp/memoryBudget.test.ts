// The memory budget: one value's bound and the analysis' total, checked before a sequence is
// built, and what a refused value becomes (an Unknown of a known type, with the reason).
import { describe, expect, it } from 'vitest';
import { ANALYSIS_ELEMENTS, MAX_VALUE_ELEMENTS, MemoryBudget, magnitude, notMaterialised } from '../../../src/core/interp/memoryBudget';
import { scalarBinary } from '../../../src/core/interp/operators';
import { PyList, PyTuple, Unknown } from '../../../src/core/interp/values';

describe('MemoryBudget', () => {
  it('charges what it allows and refuses one value over the bound without charging it', () => {
    const b = new MemoryBudget();
    expect(b.refuse('list', 1000)).toBeUndefined();
    expect(b.used).toBe(1000);
    expect(b.refuse('list', 10 ** 12)).toBe('a list of 10^12 elements: not materialised');
    expect(b.used).toBe(1000);
  });

  it('refuses what would take the analysis past its total, naming what it already holds, until reset', () => {
    const b = new MemoryBudget(5_000);
    expect(b.refuse('list', 4_000)).toBeUndefined();
    expect(b.refuse('str', 2_000)).toBe('a str of 2,000 characters: not materialised (the analysis already materialised 4,000 elements)');
    b.reset();
    expect(b.refuse('str', 2_000)).toBeUndefined();
  });

  it('the bounds are those documented', () => {
    expect(MAX_VALUE_ELEMENTS).toBe(2_000_000);
    expect(ANALYSIS_ELEMENTS).toBe(16_000_000);
  });

  it('magnitudes read as powers of ten, and NaN or ∞ sizes are refused', () => {
    expect(magnitude(10 ** 12)).toBe('10^12');
    expect(magnitude(2 ** 32)).toBe('4.3×10^9');
    expect(magnitude(1234)).toBe('1,234');
    expect(new MemoryBudget().refuse('list', Infinity)).toBe(notMaterialised('list', Infinity));
    expect(new MemoryBudget().refuse('list', NaN)).toMatch(/not materialised/);
  });
});

describe('sequence operators are sized before they are built', () => {
  it('[0] * 10**12 is an Unknown list with the reason', () => {
    const r = scalarBinary('*', new PyList([0]), 10 ** 12);
    expect(r).toBeInstanceOf(Unknown);
    expect((r as Unknown).reason).toBe('a list of 10^12 elements: not materialised');
    expect((r as Unknown).pyType).toBe('list');
  });

  it("'x' * 10**10 and 10**10 * 'x' are Unknown strs", () => {
    expect((scalarBinary('*', 'x', 10 ** 10) as Unknown).reason).toBe('a str of 10^10 characters: not materialised');
    expect((scalarBinary('*', 10 ** 10, 'ab') as Unknown).reason).toBe('a str of 2.0×10^10 characters: not materialised');
  });

  it('concatenation past the bound is refused, below it is exact', () => {
    const half = new PyTuple(new Array(MAX_VALUE_ELEMENTS / 2 + 1).fill(0));
    expect(scalarBinary('+', half, half)).toBeInstanceOf(Unknown);
    const small = scalarBinary('+', new PyList([1, 2]), new PyList([3]));
    expect(small).toBeInstanceOf(PyList);
    expect((small as PyList).items).toEqual([1, 2, 3]);
  });

  it('a repetition by ∞ (2**2**30 overflows to Infinity) is refused, by a negative count is empty', () => {
    expect(scalarBinary('*', new PyList([0]), Infinity)).toBeInstanceOf(Unknown);
    expect((scalarBinary('*', new PyList([0]), -3) as PyList).items).toEqual([]);
  });
});
