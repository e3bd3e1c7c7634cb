// Carbon-aware start (opt-in; nothing here runs unless the user turned it on): the lowest-carbon
// start in the next 48 h for a run of known length, from a live intensity forecast.
//   UK Carbon Intensity API (no key): GET {base}/intensity/{from}/fw48h, or
//     {base}/regional/intensity/{from}/fw48h/postcode/{outward postcode}; half-hour slots.
//   Electricity Maps (token): GET {base}/carbon-intensity/forecast?zone=Z with header auth-token;
//     hourly points { carbonIntensity, datetime }.
// Requests go through providerFetch.ts: https only, the token never to another origin, answers
// capped in size and time.
import { fetchProviderJson, type FetchLike } from './providerFetch';

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
  /** The same, for the run started now. */
  nowMeanGramsPerKWh: number;
  co2eGrams: number;
  /** The same run started now. */
  nowCo2eGrams: number;
  savingGrams: number;
  /** The run's energy the grams are for, kWh. */
  energyKWh: number;
  provider: string;
}

export class CarbonForecastError extends Error {}

export const UK_CARBON_INTENSITY_API = 'https://api.carbonintensity.org.uk';
export const ELECTRICITY_MAPS_API = 'https://api.electricitymap.org/v3';

export interface UkOptions {
  baseUrl?: string;
  /** Outward part of a GB postcode (e.g. "RG10") for a regional forecast; national otherwise. */
  postcode?: string;
  now?: Date;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  fetchImpl?: FetchLike;
}

export async function fetchUkForecast(options: UkOptions = {}): Promise<IntensitySlot[]> {
  const base = (options.baseUrl ?? UK_CARBON_INTENSITY_API).replace(/\/$/, '');
  // from the start of the half hour holding now, so the slot that holds now is in the answer
  const from = isoMinute(floorToHalfHour(options.now ?? new Date()));
  const url = options.postcode
    ? `${base}/regional/intensity/${from}/fw48h/postcode/${encodeURIComponent(options.postcode)}`
    : `${base}/intensity/${from}/fw48h`;
  const body = await getJson(url, {}, options, 'UK Carbon Intensity API');
  const rows = options.postcode ? regionalRows(body) : (body as { data?: unknown }).data;
  if (!Array.isArray(rows)) throw new CarbonForecastError('UK Carbon Intensity API: unexpected response (no data array)');
  const slots: IntensitySlot[] = [];
  for (const row of rows as { from?: string; to?: string; intensity?: { forecast?: number } }[]) {
    const g = row.intensity?.forecast;
    if (!row.from || !row.to || !validIntensity(g)) continue;
    const from = new Date(row.from);
    const to = new Date(row.to);
    if (validDate(from) && validDate(to) && to > from) slots.push({ from, to, gramsPerKWh: g });
  }
  return slots;
}

/** The regional forecast is `{ data: { regionid, …, data: [slots] } }`; the API's current-period
 *  regional answers wrap the region in a one-element array, accepted too. */
function regionalRows(body: unknown): unknown {
  const data = (body as { data?: unknown }).data;
  const region: unknown = Array.isArray(data) ? data[0] : data;
  return (region as { data?: unknown } | undefined)?.data;
}

export interface ElectricityMapsOptions {
  zone: string;
  token: string;
  baseUrl?: string;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  fetchImpl?: FetchLike;
}

export async function fetchElectricityMapsForecast(options: ElectricityMapsOptions): Promise<IntensitySlot[]> {
  const base = (options.baseUrl ?? ELECTRICITY_MAPS_API).replace(/\/$/, '');
  const url = `${base}/carbon-intensity/forecast?zone=${encodeURIComponent(options.zone)}&horizonHours=48`;
  const body = await getJson(url, { 'auth-token': options.token }, options, 'Electricity Maps');
  const points = (body as { forecast?: unknown }).forecast;
  if (!Array.isArray(points)) throw new CarbonForecastError('Electricity Maps: unexpected response (no forecast array)');
  const parsed = (points as { carbonIntensity?: number; datetime?: string }[])
    .filter((p) => validIntensity(p.carbonIntensity) && typeof p.datetime === 'string')
    .map((p) => ({ at: new Date(p.datetime!), g: p.carbonIntensity! }))
    .filter((p) => validDate(p.at))
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
    nowMeanGramsPerKWh: nowMean,
    co2eGrams: best.mean * energyKWh,
    nowCo2eGrams: nowMean * energyKWh,
    savingGrams: (nowMean - best.mean) * energyKWh,
    energyKWh,
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

/** Why bestStartWindow found nothing, in words for the user (null when it would find a window). */
export function noWindowReason(slots: readonly IntensitySlot[], durationS: number, now: Date): string | null {
  if (slots.length === 0) return 'the forecast has no slots';
  if (!(durationS > 0)) return "the run's duration is unknown";
  const first = Math.min(...slots.map((s) => s.from.getTime()));
  const last = Math.max(...slots.map((s) => s.to.getTime()));
  if (first > now.getTime()) return `the forecast starts at ${isoMinute(new Date(first))}, after now, so starting now cannot be compared`;
  const hours = (last - now.getTime()) / 3600_000;
  if (now.getTime() + durationS * 1000 > last)
    return `the run (${(durationS / 3600).toFixed(1)} h) is longer than the forecast ahead (${Math.max(0, hours).toFixed(1)} h)`;
  return bestStartWindow(slots, durationS, 1, now, '') ? null : 'the forecast has gaps over every start';
}

/** The provider's JSON (https, size- and time-limited: providerFetch.ts); the token only in `secretHeaders`. */
async function getJson(
  url: string,
  secretHeaders: Record<string, string>,
  options: { fetchImpl?: FetchLike; timeoutMs?: number },
  provider: string,
): Promise<unknown> {
  try {
    return await fetchProviderJson(url, {
      headers: { accept: 'application/json' },
      secretHeaders,
      timeoutMs: options.timeoutMs ?? 15_000,
      ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    });
  } catch (err) {
    throw new CarbonForecastError(`${provider}: ${(err as Error).message}`);
  }
}

function validIntensity(g: unknown): g is number {
  return typeof g === 'number' && Number.isFinite(g) && g >= 0;
}

function validDate(d: Date): boolean {
  return !Number.isNaN(d.getTime());
}

function floorToHalfHour(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1800_000) * 1800_000);
}

function isoMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16)}Z`;
}
