// The pilot's settings (`wattlens.pythonPath`, `pue`, `country`, `gridIntensity`, `pricePerKWh`,
// `currency`), checked field by field: a wrong value falls back to its default.
import type { IntensityChoice } from '../../core/energy/carbonIntensity';

export interface PilotSettings {
  pythonPath: string | null;
  pue: number | undefined;
  carbon: IntensityChoice;
  pricePerKWh: number | undefined;
  currency: string;
}

export function readPilotSettings(get: (key: string) => unknown): PilotSettings {
  const num = (key: string, min: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : undefined;
  };
  const str = (key: string) => {
    const v = get(key);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const gramsPerKWh = num('gridIntensity', 0);
  const country = str('country');
  return {
    pythonPath: str('pythonPath') ?? null,
    pue: num('pue', 1),
    carbon: { ...(gramsPerKWh !== undefined ? { gramsPerKWh } : {}), ...(country ? { country } : {}) },
    pricePerKWh: num('pricePerKWh', 0),
    currency: str('currency') ?? 'USD',
  };
}
