// After a pilot, the carbon-aware start of its full run when the user turned it on: reads the
// Electricity Maps token only for that provider, asks the provider with a time limit and turns
// every outcome into the view the panel and the notification show. Never throws, and makes no
// request when carbon-aware start is off. (No vscode import: the tests run it against a loopback
// server.)
import { CARBON_PROVIDER_NAMES, suggestCarbonAwareStart } from '../../core/energy/carbonAwareStart';
import { carbonStartView, fetchingCarbonStartView } from '../../core/panel/carbonStart';
import type { CarbonStartView } from '../../core/panel/protocol';
import type { CarbonAwareSettings } from './carbonAwareSettings';

/** How long the provider gets to answer. */
export const CARBON_FORECAST_TIMEOUT_MS = 10_000;

export interface CarbonStartLookup {
  settings: CarbonAwareSettings;
  /** The full run's forecast wall time (s) and energy (kWh); null when unknown. */
  durationS: number | null;
  energyKWh: number | null;
  /** Reads the Electricity Maps token (SecretStorage); called only for that provider. */
  readToken(): PromiseLike<string | undefined>;
  timeoutMs?: number;
  now?: Date;
}

/** What to show while the forecast is fetched; null when carbon-aware start is off. */
export function pendingCarbonStart(settings: CarbonAwareSettings): CarbonStartView | null {
  if (!settings.enabled) return null;
  if ('problem' in settings) return fetchingCarbonStartView(CARBON_PROVIDER_NAMES[settings.provider], null);
  return fetchingCarbonStartView(CARBON_PROVIDER_NAMES[settings.choice.provider], settings.choice.area);
}

/** The carbon-aware start of the run, or null when it is off (then nothing is fetched). */
export async function lookUpCarbonStart(lookup: CarbonStartLookup): Promise<CarbonStartView | null> {
  const { settings } = lookup;
  if (!settings.enabled) return null;
  if ('problem' in settings) {
    return {
      state: 'unavailable',
      provider: CARBON_PROVIDER_NAMES[settings.provider],
      area: null,
      fetchedAt: null,
      window: null,
      reason: settings.problem,
    };
  }
  const { choice } = settings;
  let token: string | undefined;
  if (choice.provider === 'electricitymaps') {
    try {
      token = (await lookup.readToken())?.trim() || undefined;
    } catch (e) {
      return {
        ...fetchingCarbonStartView(CARBON_PROVIDER_NAMES[choice.provider], choice.area),
        state: 'unavailable',
        reason: `could not read the Electricity Maps token from the secret storage (${(e as Error).message})`,
      };
    }
    if (!token) {
      return {
        ...fetchingCarbonStartView(CARBON_PROVIDER_NAMES[choice.provider], choice.area),
        state: 'unavailable',
        reason: 'no Electricity Maps token is set: run "WattLens: Set Electricity Maps Token"',
      };
    }
  }
  const result = await suggestCarbonAwareStart({
    choice,
    token,
    durationS: lookup.durationS,
    energyKWh: lookup.energyKWh,
    baseUrl: settings.baseUrl,
    timeoutMs: lookup.timeoutMs ?? CARBON_FORECAST_TIMEOUT_MS,
    ...(lookup.now ? { now: lookup.now } : {}),
  });
  return carbonStartView(result);
}
