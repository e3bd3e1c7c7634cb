// Grid carbon intensity from the bundled per-country table (Ember / Our World in Data, CC BY 4.0).
import table from './data/carbon-intensity.json';

export interface CarbonIntensity {
  gramsPerKWh: number;
  /** Country or region name, or "setting" for a user-given figure. */
  region: string;
  year: number | null;
  /** Citation shown next to the figure. */
  source: string;
}

const SOURCES = table.sources as Record<string, string>;

/** Look a country up by ISO 3166 alpha-2 or alpha-3 code or by name; null when the table lacks it. */
export function countryIntensity(codeOrName: string): CarbonIntensity | null {
  const key = codeOrName.trim().toLowerCase();
  const row = table.countries.find((c) => c.code.toLowerCase() === key || c.alpha3.toLowerCase() === key || c.name.toLowerCase() === key);
  if (!row) return null;
  return { gramsPerKWh: row.gramsPerKWh, region: row.name, year: row.year, source: SOURCES[row.source] ?? row.source };
}

export function worldIntensity(): CarbonIntensity {
  const w = table.world;
  return { gramsPerKWh: w.gramsPerKWh, region: 'World average', year: w.year, source: SOURCES[w.source] ?? w.source };
}

export function listCountries(): { code: string; name: string; gramsPerKWh: number; year: number }[] {
  return table.countries.map((c) => ({ code: c.code, name: c.name, gramsPerKWh: c.gramsPerKWh, year: c.year }));
}

export interface IntensityChoice {
  /** A figure the user set (setting or --grid-intensity), in gCO2e/kWh. */
  gramsPerKWh?: number;
  /** A country code or name (setting or --country). */
  country?: string;
}

/** The user's figure, else their country's, else the world average; with a note when a country is unknown. */
export function resolveIntensity(choice: IntensityChoice): { intensity: CarbonIntensity; note?: string } {
  if (choice.gramsPerKWh !== undefined) {
    return { intensity: { gramsPerKWh: choice.gramsPerKWh, region: 'setting', year: null, source: 'set by the user' } };
  }
  if (choice.country) {
    const found = countryIntensity(choice.country);
    if (found) return { intensity: found };
    return { intensity: worldIntensity(), note: `country "${choice.country}" is not in the carbon table: world average used` };
  }
  return { intensity: worldIntensity(), note: 'no country set: world average grid intensity used' };
}
