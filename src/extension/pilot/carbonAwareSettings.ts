// The carbon-aware start settings (`wattlens.carbonAware.provider`, `wattlens.carbonAware.area`),
// checked: "off" (the default) and anything unknown mean no network request at all; a provider
// with an area that does not fit is a problem to tell the user, not a request.
import { carbonAwareChoice, type CarbonAwareChoice, type CarbonProvider } from '../../core/energy/carbonAwareStart';

/** Environment variable with the providers' base URL instead of the public ones (tests, proxies).
 *  Deliberately not a setting: a workspace must not be able to send the token elsewhere. */
export const CARBON_API_ENV = 'WATTLENS_CARBON_API';

export type CarbonAwareSettings =
  | { enabled: false }
  | { enabled: true; choice: CarbonAwareChoice; baseUrl: string | undefined }
  | { enabled: true; provider: CarbonProvider; problem: string };

export function readCarbonAwareSettings(get: (key: string) => unknown, env: Record<string, string | undefined> = {}): CarbonAwareSettings {
  const provider = get('carbonAware.provider');
  if (provider !== 'uk' && provider !== 'electricitymaps') return { enabled: false };
  const area = get('carbonAware.area');
  const r = carbonAwareChoice(provider, typeof area === 'string' ? area : null);
  if (!r.ok) return { enabled: true, provider, problem: `wattlens.carbonAware.area: ${r.error}` };
  const baseUrl = env[CARBON_API_ENV]?.trim();
  return { enabled: true, choice: r.choice, baseUrl: baseUrl || undefined };
}
