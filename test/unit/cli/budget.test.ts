// Budgets that fail a CI run: suffix parsing and the lines printed per model and budget.
import { describe, expect, it } from 'vitest';
import { budgetFailures, parseQuantity } from '../../../src/cli/budget';
import { UsageError } from '../../../src/cli/errors';
import type { ModelReport } from '../../../src/core/report/types';

describe('parseQuantity', () => {
  it('reads SI prefixes as powers of 1000 and IEC prefixes as powers of 1024', () => {
    expect(parseQuantity('30M', '--max-params')).toBe(30e6);
    expect(parseQuantity('5G', '--max-macs')).toBe(5e9);
    expect(parseQuantity('1.5k', '--max-params')).toBe(1500);
    expect(parseQuantity('16GiB', '--max-training-memory')).toBe(16 * 2 ** 30);
    expect(parseQuantity('512MiB', '--max-training-memory')).toBe(512 * 2 ** 20);
    expect(parseQuantity('24GB', '--max-training-memory')).toBe(24e9);
    expect(parseQuantity('800MMACs', '--max-macs')).toBe(800e6);
    expect(parseQuantity('1234', '--max-params')).toBe(1234);
  });

  it('rejects anything else as a usage error naming the flag', () => {
    for (const bad of ['', 'lots', '3X', '-5M', '16 GiBs', 'M']) {
      expect(() => parseQuantity(bad, '--max-params'), bad).toThrow(UsageError);
    }
    expect(() => parseQuantity('3X', '--max-macs')).toThrow(/--max-macs/);
  });

  it('takes only the unit of its flag, and FLOPs as two per MAC', () => {
    expect(parseQuantity('10GFLOPs', '--max-macs')).toBe(5e9);
    expect(() => parseQuantity('16GiB', '--max-macs')).toThrow(/--max-macs takes MACs or FLOPs/);
    expect(() => parseQuantity('30MMACs', '--max-params')).toThrow(UsageError);
    expect(() => parseQuantity('5GFLOPs', '--max-training-memory')).toThrow(UsageError);
  });
});

const model = (over: Partial<ModelReport>): ModelReport =>
  ({ name: 'Net', uniqueParams: 20e6, macs: 4e9, trainingMemoryBytes: 8 * 2 ** 30, unknowns: [], ...over }) as ModelReport;

describe('budgetFailures', () => {
  it('passes models within every budget and names each one exceeded', () => {
    const budgets = { maxParams: 30e6, maxMacs: 5e9, maxTrainingMemory: 16 * 2 ** 30 };
    expect(budgetFailures([model({})], budgets)).toEqual([]);
    expect(budgetFailures([model({ uniqueParams: 31e6, macs: 6e9 }), model({ name: 'Small' })], budgets)).toEqual([
      'Net: parameters 31.0M (31000000) exceeds --max-params 30.0M (30000000)',
      'Net: forward 6.00 GMACs (6000000000) exceeds --max-macs 5.00 GMACs (5000000000)',
    ]);
  });

  it('fails a budget whose figure is unknown, with what blocked it', () => {
    const blocked = model({
      macs: null,
      unknowns: [{ what: 'torch.fft.rfft', reason: 'not modelled', line: 12, file: '/x/net.py', blocks: 'macs' }],
    });
    expect(budgetFailures([blocked], { maxMacs: 5e9 })).toEqual([
      'Net: forward unknown, so --max-macs cannot be checked (blocked by torch.fft.rfft at net.py:12 (not modelled))',
    ]);
    expect(budgetFailures([blocked], { maxParams: 30e6 })).toEqual([]);
  });
});
