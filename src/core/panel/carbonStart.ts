// Carbon-aware start as the panel, the notification and the exports show it: the view sent to
// the webview, its figures (start time, mean intensity of the window against starting now, the
// saving in gCO2e) and a one-line source note (provider, "forecast", when fetched). Shared by the
// host and the webview (no Node imports).
import type { CarbonAwareStart } from '../energy/carbonAwareStart';
import type { CarbonStartView, EstimateFigure } from './protocol';
import { formatCo2e, formatDuration, formatKWh, formatTimestamp } from './units';

/** While the forecast is being fetched. */
export function fetchingCarbonStartView(provider: string, area: string | null): CarbonStartView {
  return { state: 'fetching', provider, area, fetchedAt: null, window: null, reason: null };
}

export function carbonStartView(result: CarbonAwareStart): CarbonStartView {
  const base = { provider: result.provider, area: result.area, fetchedAt: result.fetchedAt ? result.fetchedAt.toISOString() : null };
  if (result.status === 'unavailable') return { ...base, state: 'unavailable', window: null, reason: result.reason };
  const w = result.window;
  return {
    ...base,
    state: 'ready',
    window: {
      start: w.start.toISOString(),
      end: w.end.toISOString(),
      gramsPerKWh: w.meanGramsPerKWh,
      nowGramsPerKWh: w.nowMeanGramsPerKWh,
      co2eGrams: w.co2eGrams,
      nowCo2eGrams: w.nowCo2eGrams,
      savingGrams: w.savingGrams,
      energyKWh: w.energyKWh,
      durationS: (w.end.getTime() - w.start.getTime()) / 1000,
    },
    reason: null,
  };
}

const intensity = (g: number) => `${Math.round(g)} gCO2e/kWh`;

/** "UK Carbon Intensity API (RG10)", "Electricity Maps (DE)", "UK Carbon Intensity API (Great Britain)". */
export function carbonSourceName(view: Pick<CarbonStartView, 'provider' | 'area'>): string {
  return `${view.provider} (${view.area ?? 'Great Britain'})`;
}

/** Where the figures come from, in one line: provider, "forecast", when fetched. */
export function carbonStartNote(view: CarbonStartView): string {
  const source = carbonSourceName(view);
  if (view.state === 'fetching') return `Asking ${source} for its 48 h carbon-intensity forecast…`;
  const fetched = view.fetchedAt ? `, fetched ${formatTimestamp(view.fetchedAt)}` : '';
  return `Carbon-aware start: ${source} forecast${fetched}. Forecast intensities, not measurements (wattlens.carbonAware.provider).`;
}

/** The best start is "now" when waiting saves nothing. */
function startsNow(w: NonNullable<CarbonStartView['window']>): boolean {
  return w.savingGrams <= 0;
}

/** The figures of the carbon-aware start, to show after the pilot's estimate. */
export function carbonStartFigures(view: CarbonStartView): EstimateFigure[] {
  const source = carbonSourceName(view);
  if (view.state === 'fetching') {
    return [
      {
        key: 'carbonStart',
        label: 'Lowest-carbon start (forecast)',
        value: 'fetching…',
        interval: null,
        provenance: 'unknown',
        basis: `asking ${source} for its 48 h forecast`,
      },
    ];
  }
  if (view.state === 'unavailable' || !view.window) {
    return [
      {
        key: 'carbonStart',
        label: 'Lowest-carbon start (forecast)',
        value: '?',
        interval: null,
        provenance: 'unknown',
        basis: view.reason ?? 'no start window',
      },
    ];
  }
  const w = view.window;
  const fetched = view.fetchedAt ? `, fetched ${formatTimestamp(view.fetchedAt)}` : '';
  const forecastBasis = `${source} forecast${fetched}`;
  const now = startsNow(w);
  return [
    {
      key: 'carbonStart',
      label: 'Lowest-carbon start (forecast)',
      value: now ? 'now' : formatTimestamp(w.start),
      interval: now
        ? `${intensity(w.nowGramsPerKWh)} over the run; no later start in the forecast is lower`
        : `${intensity(w.gramsPerKWh)} over the run vs ${intensity(w.nowGramsPerKWh)} starting now`,
      provenance: 'estimated',
      basis: `the start in the next 48 h whose run (${formatDuration(w.durationS)}) has the lowest mean forecast intensity; ${forecastBasis}`,
    },
    {
      key: 'carbonSaving',
      label: 'Saving vs starting now (forecast)',
      value: formatCo2e(Math.max(0, w.savingGrams)),
      interval: `${formatCo2e(w.co2eGrams)} instead of ${formatCo2e(w.nowCo2eGrams)} for ${formatKWh(w.energyKWh)}`,
      provenance: 'estimated',
      basis: `the run's ${formatKWh(w.energyKWh)} × (${intensity(w.nowGramsPerKWh)} now − ${intensity(w.gramsPerKWh)} in the window); ${forecastBasis}`,
    },
  ];
}

/** One line for the pilot's completion notification. */
export function carbonStartMessage(view: CarbonStartView): string {
  if (view.state === 'fetching') return carbonStartNote(view);
  if (view.state === 'unavailable' || !view.window) return `carbon-aware start unavailable: ${view.reason ?? 'no start window'}`;
  const w = view.window;
  const fetched = view.fetchedAt ? `, fetched ${formatTimestamp(view.fetchedAt)}` : '';
  if (startsNow(w))
    return `starting now is already the lowest-carbon start in the next 48 h (${intensity(w.nowGramsPerKWh)} over the run; ${carbonSourceName(view)} forecast${fetched}).`;
  return `lowest-carbon start ${formatTimestamp(w.start)}: ${intensity(w.gramsPerKWh)} over the run vs ${intensity(w.nowGramsPerKWh)} now, saves ${formatCo2e(w.savingGrams)} of ${formatCo2e(w.nowCo2eGrams)} (${carbonSourceName(view)} forecast${fetched}).`;
}
