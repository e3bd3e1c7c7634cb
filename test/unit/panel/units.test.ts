import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatCo2e,
  formatDuration,
  formatJoules,
  formatKWh,
  formatLoss,
  formatMoney,
  formatSteps,
  formatTimestamp,
  formatWatts,
} from '../../../src/core/panel/units';

describe('panel units', () => {
  it('writes every figure with its unit and unknown as "?" with the unit', () => {
    expect(formatDuration(0.0123)).toBe('12.3 ms');
    expect(formatDuration(42)).toBe('42.0 s');
    expect(formatDuration(93)).toBe('1 min 33 s');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(200_000)).toBe('2 d 7 h');
    expect(formatDuration(null)).toBe('? s');
    expect(formatJoules(0.0123)).toBe('12.3 mJ');
    expect(formatJoules(4500)).toBe('4.50 kJ');
    expect(formatJoules(2e-6)).toBe('2.00 µJ');
    expect(formatJoules(Number.NaN)).toBe('? J');
    expect(formatKWh(0.0042)).toBe('4.20 Wh');
    expect(formatKWh(12.5)).toBe('12.5 kWh');
    expect(formatKWh(2500)).toBe('2.50 MWh');
    expect(formatKWh(undefined)).toBe('? kWh');
    expect(formatCo2e(1530)).toBe('1.53 kgCO2e');
    expect(formatCo2e(12)).toBe('12.0 gCO2e');
    expect(formatCo2e(null)).toBe('? gCO2e');
    expect(formatWatts(250)).toBe('250 W');
    expect(formatWatts(1500)).toBe('1.50 kW');
    expect(formatMoney(1.234, 'EUR')).toBe('1.23 EUR');
    expect(formatMoney(null, 'EUR')).toBe('? EUR');
    expect(formatSteps(12345.4)).toBe('12,345 steps');
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(2)).toBe('2');
    expect(formatLoss(1e-5)).toBe('1.00e-5');
  });

  it('gives the change of B against A, unknown when either is unknown', () => {
    expect(formatChange(100, 77)).toBe('−23%');
    expect(formatChange(100, 105)).toBe('+5.0%');
    expect(formatChange(100, 100)).toBe('±0%');
    expect(formatChange(0, 5)).toBeNull();
    expect(formatChange(null, 5)).toBeNull();
  });

  it('writes timestamps in UTC and leaves a bad one as it is', () => {
    expect(formatTimestamp('2025-11-25T18:03:07.123Z')).toBe('2025-11-25 18:03 UTC');
    expect(formatTimestamp('yesterday')).toBe('yesterday');
  });
});
