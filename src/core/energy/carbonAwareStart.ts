// Carbon-aware start, end to end for one forecast run: which provider and area, fetch its 48 h
// intensity forecast, and the lowest-carbon start (carbonWindow.ts). Never throws: whatever goes
// wrong (no answer, a rejected token, a run longer than the forecast) is one line in `reason`.
// Shared by the CLI (--carbon-aware) and the extension (wattlens.carbonAware.*). Opt-in: nothing
// here is called unless the user chose a provider.
import {
  bestStartWindow,
  fetchElectricityMapsForecast,
  fetchUkForecast,
  noWindowReason,
  type IntensitySlot,
  type StartWindow,
} from './carbonWindow';

export type CarbonProvider = 'uk' | 'electricitymaps';

export const CARBON_PROVIDER_NAMES: Record<CarbonProvider, string> = {
  uk: 'UK Carbon Intensity API',
  electricitymaps: 'Electricity Maps',
};

export interface CarbonAwareChoice {
  provider: CarbonProvider;
  /** UK: the outward part of a GB postcode (regional forecast), null for Great Britain as a
   *  whole. Electricity Maps: the zone (required). */
  area: string | null;
}

export type CarbonAwareStart =
  | { status: 'window'; provider: string; area: string | null; fetchedAt: Date; window: StartWindow }
  | { status: 'unavailable'; provider: string; area: string | null; fetchedAt: Date | null; reason: string };

type FetchImpl = NonNullable<Parameters<typeof fetchUkForecast>[0]>['fetchImpl'];

export interface CarbonAwareStartRequest {
  choice: CarbonAwareChoice;
  /** Electricity Maps' API token (never logged, sent only in its auth-token header). */
  token?: string | undefined;
  /** The forecast run's wall time (s) and energy (kWh); null when the forecast does not know them. */
  durationS: number | null;
  energyKWh: number | null;
  now?: Date;
  /** The provider's base URL instead of the public one (tests, proxies). */
  baseUrl?: string | undefined;
  timeoutMs?: number;
  fetchImpl?: FetchImpl;
}

const UK_OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
const ZONE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/;

/**
 * A UK postcode's outward part ("RG10" from "rg10 9xx"), or an error message. The API takes the
 * outward part only.
 */
export function ukOutwardCode(text: string): { ok: true; code: string } | { ok: false; error: string } {
  const code = text.trim().toUpperCase().split(/\s+/)[0] ?? '';
  return UK_OUTWARD.test(code)
    ? { ok: true, code }
    : { ok: false, error: `"${text}" is not a UK postcode or its outward part (e.g. RG10)` };
}

/** An Electricity Maps zone ("DE", "US-CAL-CISO"), or an error message. */
export function electricityMapsZone(text: string): { ok: true; zone: string } | { ok: false; error: string } {
  const zone = text.trim();
  return ZONE.test(zone)
    ? { ok: true, zone }
    : { ok: false, error: `"${text}" is not an Electricity Maps zone (e.g. DE, FR, US-CAL-CISO)` };
}

/** Provider and area as settings or the CLI give them; an error message when they do not fit. */
export function carbonAwareChoice(
  provider: CarbonProvider,
  area: string | null | undefined,
): { ok: true; choice: CarbonAwareChoice } | { ok: false; error: string } {
  const given = area?.trim() ? area.trim() : null;
  if (provider === 'uk') {
    if (given === null) return { ok: true, choice: { provider, area: null } };
    const r = ukOutwardCode(given);
    return r.ok ? { ok: true, choice: { provider, area: r.code } } : r;
  }
  if (given === null) return { ok: false, error: 'Electricity Maps needs a zone (e.g. DE, FR, US-CAL-CISO)' };
  const r = electricityMapsZone(given);
  return r.ok ? { ok: true, choice: { provider, area: r.zone } } : r;
}

/** The lowest-carbon start of the run in the provider's 48 h forecast, or why there is none. */
export async function suggestCarbonAwareStart(request: CarbonAwareStartRequest): Promise<CarbonAwareStart> {
  const { choice } = request;
  const provider = CARBON_PROVIDER_NAMES[choice.provider];
  const unavailable = (reason: string, fetchedAt: Date | null = null): CarbonAwareStart => ({
    status: 'unavailable',
    provider,
    area: choice.area,
    fetchedAt,
    reason,
  });
  // nothing is asked of the provider when the answer could not be used
  if (request.durationS === null || !(request.durationS > 0) || request.energyKWh === null || !(request.energyKWh >= 0)) {
    return unavailable("the full run's time and energy are unknown (give its length: total steps or epochs)");
  }
  if (choice.provider === 'electricitymaps') {
    if (!choice.area) return unavailable('Electricity Maps needs a zone (e.g. DE, FR, US-CAL-CISO)');
    if (!request.token) return unavailable('no Electricity Maps token is set');
  }
  const now = request.now ?? new Date();
  let slots: IntensitySlot[];
  try {
    const common = {
      ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ...(request.fetchImpl ? { fetchImpl: request.fetchImpl } : {}),
    };
    slots =
      choice.provider === 'uk'
        ? await fetchUkForecast({ ...common, now, ...(choice.area ? { postcode: choice.area } : {}) })
        : await fetchElectricityMapsForecast({ ...common, zone: choice.area!, token: request.token! });
  } catch (err) {
    return unavailable((err as Error).message);
  }
  const fetchedAt = new Date();
  const window = bestStartWindow(slots, request.durationS, request.energyKWh, now, provider);
  if (!window) return unavailable(noWindowReason(slots, request.durationS, now) ?? 'no start window in the forecast', fetchedAt);
  return { status: 'window', provider, area: choice.area, fetchedAt, window };
}
