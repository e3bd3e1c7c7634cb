import { describe, expect, it } from 'vitest';
import { countryIntensity, listCountries, resolveIntensity, worldIntensity } from '../../../src/core/energy/carbonIntensity';
import table from '../../../src/core/energy/data/carbon-intensity.json';
import { cpuPowerFor, gpuRatedPowerFor } from '../../../src/core/energy/hardwarePower';

describe('carbon-intensity table', () => {
  it('covers at least 40 countries and a world average, each with a year and a cited source', () => {
    expect(listCountries().length).toBeGreaterThanOrEqual(40);
    for (const c of table.countries) {
      expect(c.year).toBeGreaterThanOrEqual(2021);
      expect(c.gramsPerKWh).toBeGreaterThan(0);
      expect(Object.keys(table.sources)).toContain(c.source);
    }
    expect(worldIntensity().gramsPerKWh).toBeGreaterThan(400);
    expect(table.license).toBe('CC BY 4.0');
  });

  it('looks countries up by alpha-2, alpha-3 and name; an unknown one falls back to the world, with a note', () => {
    expect(countryIntensity('de')?.gramsPerKWh).toBeCloseTo(380.95);
    expect(countryIntensity('GBR')?.region).toBe('United Kingdom');
    expect(countryIntensity('France')?.gramsPerKWh).toBeCloseTo(56.04);
    const r = resolveIntensity({ country: 'Atlantis' });
    expect(r.intensity.region).toBe('World average');
    expect(r.note).toMatch(/Atlantis/);
    expect(resolveIntensity({ gramsPerKWh: 100, country: 'DE' }).intensity.gramsPerKWh).toBe(100);
  });
});

describe('hardware power tables', () => {
  it('matches NVML device names to rated board power', () => {
    expect(gpuRatedPowerFor('NVIDIA H100 80GB HBM3')?.watts).toBe(700);
    expect(gpuRatedPowerFor('NVIDIA H100 PCIe')?.watts).toBe(350);
    expect(gpuRatedPowerFor('NVIDIA A100-SXM4-40GB')?.watts).toBe(400);
    expect(gpuRatedPowerFor('NVIDIA A100-PCIE-40GB')?.watts).toBe(250);
    expect(gpuRatedPowerFor('Tesla T4')?.watts).toBe(70);
    expect(gpuRatedPowerFor('NVIDIA L40S')?.watts).toBe(350); // its own row, not L4's 72 W
    expect(gpuRatedPowerFor('NVIDIA L40')).toBeNull(); // not L4, not L40S: unknown
    expect(gpuRatedPowerFor('NVIDIA GeForce RTX 3090 Ti')).toBeNull();
  });

  it('labels the CPU coefficients it uses, and says when the model is not in the table', () => {
    const epyc2 = cpuPowerFor('AMD EPYC 7742 64-Core Processor');
    expect(epyc2).toMatchObject({ matched: true, minWatts: expect.closeTo(0.474, 3) });
    const unknown = cpuPowerFor('AMD EPYC');
    expect(unknown.matched).toBe(false);
    expect(unknown.label).toMatch(/not in the table/);
    expect(unknown.maxWatts).toBeGreaterThan(unknown.minWatts);
  });
});
