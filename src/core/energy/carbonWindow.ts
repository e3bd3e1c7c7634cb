// Carbon-aware start (opt-in; nothing here runs unless the user turned it on): the lowest-carbon
// start in the next 48 h for a run of known length, from a live intensity forecast.
//   UK Carbon Intensity API (no key): GET {base}/intensity/{from}/fw48h, or
//     {base}/regional/intensity/{from}/fw48h/postcode/{outward postcode}; half-hour slots.
//   Electricity Maps (token): GET {base}/carbon-intensity/forecast?zone=Z with header auth-token;
//     hourly points { carbonIntensity, datetime }.

export interface IntensitySlot {
  from: Date;
  to: Date;
  gramsPerKWh: number;
}

export interface StartWindow {
  start: Date;
  end: Date;
  /** Time-weighted mean forecast intensity over the run, gCO2e/kWh. */
  meanGramsPerKWh: number;
  co2eGrams: number;
  /** The same run started now. */
  nowCo2eGrams: number;
  savingGrams: number;
  provider: string;
}

export class CarbonForecastError extends Error {}

export const UK_CARBON_INTENSITY_API = 'https://api.carbonintensity.org.uk';
export const ELECTRICITY_MAPS_API = 'https://api.electricitymap.org/v3';

type FetchLike = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export interface UkOptions {
  baseUrl?: string;
  /** Outward part of a GB postcode (e.g. "RG10") for a regional forecast; national otherwise. */
  postcode?: string;
  now?: Date;
  fetchImpl?: FetchLike;
}

export async function fetchUkForecast(options: UkOptions = {}): Promise<IntensitySlot[]> {
  const base = (options.baseUrl ?? UK_CARBON_INTENSITY_API).replace(/\/$/, '');
  const from = isoMinute(options.now ?? new Date());
  const url = options.postcode
    ? `${base}/regional/intensity/${from}/fw48h/postcode/${encodeURIComponent(options.postcode)}`
    : `${base}/intensity/${from}/fw48h`;
  const body = await getJson(url, {}, options.fetchImpl, 'UK Carbon Intensity API');
  const rows = options.postcode ? (body as { data?: { data?: unknown } }).data?.data : (body as { data?: unknown }).data;
  if (!Array.isArray(rows)) throw new CarbonForecastError('UK Carbon Intensity API: unexpected response (no data array)');
  const slots: IntensitySlot[] = [];
  for (const row of rows as { from?: string; to?: string; intensity?: { forecast?: number } }[]) {
    const g = row.intensity?.forecast;
    if (!row.from || !row.to || typeof g !== 'number') continue;
    slots.push({ from: new Date(row.from), to: new Date(row.to), gramsPerKWh: g });
  }
  return slots;
}

export interface ElectricityMapsOptions {
  zone: string;
  token: string;
  baseUrl?: string;
  fetchImpl?: FetchLike;
}

export async function fetchElectricityMapsForecast(options: ElectricityMapsOptions): Promise<IntensitySlot[]> {
  const base = (options.baseUrl ?? ELECTRICITY_MAPS_API).replace(/\/$/, '');
  const url = `${base}/carbon-intensity/forecast?zone=${encodeURIComponent(options.zone)}&horizonHours=48`;
  const body = await getJson(url, { 'auth-token': options.token }, options.fetchImpl, 'Electricity Maps');
  const points = (body as { forecast?: unknown }).forecast;
  if (!Array.isArray(points)) throw new CarbonForecastError('Electricity Maps: unexpected response (no forecast array)');
  const parsed = (points as { carbonIntensity?: number; datetime?: string }[])
    .filter((p) => typeof p.carbonIntensity === 'number' && p.datetime)
    .map((p) => ({ at: new Date(p.datetime!), g: p.carbonIntensity! }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  // each point holds until the next one (hourly); the last one for one more interval
  return parsed.map((p, i) => {
    const next = parsed[i + 1]?.at ?? new Date(p.at.getTime() + (i > 0 ? p.at.getTime() - parsed[i - 1]!.at.getTime() : 3600_000));
    return { from: p.at, to: next, gramsPerKWh: p.g };
  });
}

/**
 * The start (now, or a slot boundary) that minimises the run's emissions, among starts whose
 * whole run fits in the forecast. Null when the run is longer than the forecast covers.
 */
export function bestStartWindow(
  slots: readonly IntensitySlot[],
  durationS: number,
  energyKWh: number,
  now: Date,
  provider: string,
): StartWindow | null {
  if (slots.length === 0 || !(durationS > 0)) return null;
  const sorted = [...slots].sort((a, b) => a.from.getTime() - b.from.getTime());
  const horizonEnd = sorted[sorted.length - 1]!.to.getTime();
  const starts = [now.getTime(), ...sorted.map((s) => s.from.getTime()).filter((t) => t > now.getTime())];
  let best: { start: number; mean: number } | null = null;
  let nowMean: number | null = null;
  for (const start of starts) {
    const end = start + durationS * 1000;
    if (end > horizonEnd) break;
    const mean = meanIntensity(sorted, start, end);
    if (mean === null) continue;
    if (start === now.getTime()) nowMean = mean;
    if (!best || mean < best.mean - 1e-9) best = { start, mean };
  }
  if (!best || nowMean === null) return null;
  return {
    start: new Date(best.start),
    end: new Date(best.start + durationS * 1000),
    meanGramsPerKWh: best.mean,
    co2eGrams: best.mean * energyKWh,
    nowCo2eGrams: nowMean * energyKWh,
    savingGrams: (nowMean - best.mean) * energyKWh,
    provider,
  };
}

/** Time-weighted mean over [start, end); null when the slots leave a gap in it. */
function meanIntensity(slots: readonly IntensitySlot[], start: number, end: number): number | null {
  let covered = 0;
  let weighted = 0;
  for (const s of slots) {
    const a = Math.max(start, s.from.getTime());
    const b = Math.min(end, s.to.getTime());
    if (b > a) {
      covered += b - a;
      weighted += (b - a) * s.gramsPerKWh;
    }
  }
  return covered >= (end - start) * 0.999 ? weighted / covered : null;
}

async function getJson(url: string, headers: Record<string, string>, fetchImpl: FetchLike | undefined, provider: string): Promise<unknown> {
  const doFetch: FetchLike = fetchImpl ?? (globalThis.fetch as unknown as FetchLike);
  let res;
  try {
    res = await doFetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new CarbonForecastError(`${provider}: no answer (${(err as Error).message})`);
  }
  if (!res.ok) {
    throw new CarbonForecastError(`${provider}: HTTP ${res.status}${res.status === 401 || res.status === 403 ? ' (check the token)' : ''}`);
  }
  try {
    return await res.json();
  } catch {
    throw new CarbonForecastError(`${provider}: the answer is not JSON`);
  }
}

function isoMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16)}Z`;
}
