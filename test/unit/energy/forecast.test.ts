import { describe, expect, it } from 'vitest';
import { forecastRun } from '../../../src/core/energy/forecast';
import { summarize, type RunSummary } from '../../../src/core/pilot/summary';

function summaryWith(over: Partial<RunSummary>): RunSummary {
  return { ...summarize([]), ...over };
}

const measured = summaryWith({
  steps: 200,
  warmupSteps: 3,
  measuredSteps: 197,
  stepTimeS: 0.01,
  stepTimeMedianS: 0.01,
  setupS: 1.5,
  energy: { source: 'estimated', joulesPerStep: 3.6, wattsMean: 360, components: [], sources: [] },
  dataLoader: { length: 500, batchSize: 64, iterations: 1 },
  end: { status: 'budget-reached', stopReason: 'budget-steps', error: null },
});

describe('full-run forecast', () => {
  it('extrapolates time, energy with PUE, emissions and cost', () => {
    const f = forecastRun({
      summary: measured,
      totalSteps: 1_000_000,
      pue: 1.5,
      carbon: { country: 'FR' },
      pricePerKWh: 0.2,
      currency: 'EUR',
    });
    expect(f.totalStepsSource).toBe('user');
    expect(f.timeS).toBeCloseTo(10_000, 6);
    expect(f.deviceEnergyKWh).toBeCloseTo(1, 9); // 3.6 J × 1e6 = 3.6 MJ = 1 kWh
    expect(f.energyKWh).toBeCloseTo(1.5, 9);
    expect(f.carbonIntensity.region).toBe('France');
    expect(f.co2eGrams).toBeCloseTo(1.5 * 56.04, 6);
    expect(f.cost).toBeCloseTo(0.3, 9);
    expect(f.currency).toBe('EUR');
    expect(f.assumptions.join(' ')).toMatch(/PUE 1.5/);
  });

  it('reads steps per epoch from the DataLoader length', () => {
    const f = forecastRun({ summary: measured, epochs: 8 });
    expect(f.totalSteps).toBe(4000);
    expect(f.totalStepsSource).toBe('epochs × DataLoader length');
  });

  it('keeps unknowns unknown, with reasons', () => {
    const f = forecastRun({ summary: measured });
    expect(f.totalSteps).toBeNull();
    expect(f.timeS).toBeNull();
    expect(f.cost).toBeNull();
    expect(f.unknowns.join(' ')).toMatch(/500 steps per epoch/);
    expect(f.unknowns.join(' ')).toMatch(/no electricity price/);
    expect(f.convergence.status).toBe('too-short');
    expect(f.carbonIntensity.region).toBe('World average');
  });

  it('computes J per MAC from the static MAC count', () => {
    const f = forecastRun({ summary: measured, totalSteps: 10, macsPerStep: 1.8e9 });
    expect(f.joulesPerMac).toBeCloseTo(2e-9, 15);
  });

  it('rejects a PUE below 1', () => {
    expect(() => forecastRun({ summary: measured, totalSteps: 10, pue: 0.5 })).toThrow(/PUE/);
  });
});
