// How the panel writes energy, time, carbon and money: every figure with its unit, unknown as
// "?". Shared by the webview, the exported reports and the tests.

function sig(x: number): string {
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

const known = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);

/** 93 → "1 min 33 s"; 5400 → "1 h 30 min"; 200000 → "2 d 7 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!known(seconds)) return '? s';
  if (seconds < 1) return `${sig(seconds * 1000)} ms`;
  if (seconds < 60) return `${sig(seconds)} s`;
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}

/** Joules with an SI prefix: 0.0123 → "12.3 mJ"; 4500 → "4.50 kJ". */
export function formatJoules(j: number | null | undefined): string {
  if (!known(j)) return '? J';
  const a = Math.abs(j);
  if (a >= 1e6) return `${sig(j / 1e6)} MJ`;
  if (a >= 1e3) return `${sig(j / 1e3)} kJ`;
  if (a >= 1 || a === 0) return `${sig(j)} J`;
  if (a >= 1e-3) return `${sig(j * 1e3)} mJ`;
  return `${sig(j * 1e6)} µJ`;
}

/** kWh, switching to Wh below 1 kWh: 0.0042 → "4.2 Wh"; 12.5 → "12.5 kWh". */
export function formatKWh(kwh: number | null | undefined): string {
  if (!known(kwh)) return '? kWh';
  if (Math.abs(kwh) >= 1000) return `${sig(kwh / 1000)} MWh`;
  if (Math.abs(kwh) >= 1 || kwh === 0) return `${sig(kwh)} kWh`;
  return `${sig(kwh * 1000)} Wh`;
}

/** gCO2e, in kg or t when large: 1530 → "1.53 kgCO2e". */
export function formatCo2e(grams: number | null | undefined): string {
  if (!known(grams)) return '? gCO2e';
  if (Math.abs(grams) >= 1e6) return `${sig(grams / 1e6)} tCO2e`;
  if (Math.abs(grams) >= 1e3) return `${sig(grams / 1e3)} kgCO2e`;
  return `${sig(grams)} gCO2e`;
}

export function formatWatts(w: number | null | undefined): string {
  if (!known(w)) return '? W';
  return Math.abs(w) >= 1000 ? `${sig(w / 1000)} kW` : `${sig(w)} W`;
}

export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (!known(amount)) return `? ${currency ?? ''}`.trim();
  const a = Math.abs(amount);
  const digits = a >= 100 ? 0 : a >= 0.01 ? 2 : 4;
  return `${amount.toFixed(digits)} ${currency ?? ''}`.trim();
}

export function formatLoss(loss: number | null | undefined): string {
  if (!known(loss)) return '?';
  const a = Math.abs(loss);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? loss.toExponential(2) : loss.toPrecision(4).replace(/\.?0+$/, '');
}

export function formatSteps(steps: number | null | undefined): string {
  if (!known(steps)) return '? steps';
  return `${Math.round(steps).toLocaleString('en-US')} steps`;
}

/** b against a: 100, 77 → "−23%"; unknown when either is unknown or a is 0. */
export function formatChange(a: number | null | undefined, b: number | null | undefined): string | null {
  if (!known(a) || !known(b) || a === 0) return null;
  const pct = ((b - a) / Math.abs(a)) * 100;
  if (Math.abs(pct) < 0.05) return '±0%';
  const r = Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1);
  return pct > 0 ? `+${r}%` : `−${r.slice(1)}%`;
}

/** "ISO time" → "2025-11-25 18:03" (UTC when the zone is unknown, stated). */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
