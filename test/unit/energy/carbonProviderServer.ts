// A loopback HTTP server answering as the carbon-intensity providers document it:
//   UK Carbon Intensity API  GET /intensity/{from}/fw48h                      → { data: [slot] }
//                            GET /regional/intensity/{from}/fw48h/postcode/P → { data: { regionid, …, data: [slot] } }
//     slot = { from: "2026-03-01T10:00Z", to: "2026-03-01T10:30Z", intensity: { forecast, actual, index } }
//   Electricity Maps (v3)    GET /carbon-intensity/forecast?zone=Z&horizonHours=48, header auth-token
//                            → { zone, forecast: [{ carbonIntensity, datetime }], updatedAt }; 401 without a valid token
// Forecast shape (UTC): 300 g/kWh (UK) or 400 g/kWh (Electricity Maps), low (80 and 120 g/kWh)
// from 02:00 to 06:00 on 2 March 2026 unless given. `mode` makes it fail in the ways a real server can.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const LOW_FROM = Date.parse('2026-03-02T02:00:00Z');
export const LOW_TO = Date.parse('2026-03-02T06:00:00Z');
export const EM_TOKEN = 'secret-em-token';

export type ServerMode = 'ok' | 'http500' | 'not-json' | 'no-data' | 'hang';

export interface ProviderServer {
  base: string;
  requests: { url: string; token: string | undefined }[];
  mode: ServerMode;
  close(): Promise<void>;
}

export interface LowWindow {
  from: number;
  to: number;
}
const ukTime = (t: number) => new Date(t).toISOString().replace(':00.000Z', 'Z');

/** 96 half-hour slots from `from` (the API's minute format, "2026-03-01T10:00Z"). */
export function ukSlots(from: string, lowWindow: LowWindow = { from: LOW_FROM, to: LOW_TO }) {
  const low = (t: number) => t >= lowWindow.from && t < lowWindow.to;
  const start = Date.parse(from);
  return Array.from({ length: 96 }, (_, i) => {
    const t = start + i * 1800_000;
    return {
      from: ukTime(t),
      to: ukTime(t + 1800_000),
      intensity: { forecast: low(t) ? 80 : 300, actual: null, index: low(t) ? 'low' : 'high' },
    };
  });
}

/** 48 hourly points from the hour that holds `now`. */
export function electricityMapsForecast(zone: string, now: number, lowWindow: LowWindow = { from: LOW_FROM, to: LOW_TO }) {
  const low = (t: number) => t >= lowWindow.from && t < lowWindow.to;
  const start = Math.floor(now / 3600_000) * 3600_000;
  const forecast = Array.from({ length: 48 }, (_, i) => {
    const t = start + i * 3600_000;
    return { carbonIntensity: low(t) ? 120 : 400, datetime: new Date(t).toISOString() };
  });
  return { zone, forecast, updatedAt: new Date(start).toISOString() };
}

export async function startProviderServer(
  now: () => number,
  lowWindow: LowWindow = { from: LOW_FROM, to: LOW_TO },
): Promise<ProviderServer> {
  const hanging = new Set<import('node:http').ServerResponse>();
  const state: ProviderServer = { base: '', requests: [], mode: 'ok', close: async () => {} };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    state.requests.push({ url, token: req.headers['auth-token'] as string | undefined });
    if (state.mode === 'hang') {
      hanging.add(res);
      return;
    }
    res.setHeader('content-type', 'application/json');
    if (state.mode === 'http500') {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { code: 500, message: 'Internal Server Error' } }));
      return;
    }
    if (state.mode === 'not-json') {
      res.setHeader('content-type', 'text/html');
      res.end('<html>maintenance</html>');
      return;
    }
    if (state.mode === 'no-data') {
      res.end(JSON.stringify({ error: { code: '400 Bad Request', message: 'Please enter a valid postcode' } }));
      return;
    }
    let m = /^\/intensity\/(\d{4}-\d\d-\d\dT\d\d:\d\dZ)\/fw48h$/.exec(url);
    if (m) {
      res.end(JSON.stringify({ data: ukSlots(m[1]!, lowWindow) }));
      return;
    }
    m = /^\/regional\/intensity\/(\d{4}-\d\d-\d\dT\d\d:\d\dZ)\/fw48h\/postcode\/([A-Z0-9]+)$/.exec(url);
    if (m) {
      const data = ukSlots(m[1]!, lowWindow).map((s) => ({
        ...s,
        intensity: { forecast: s.intensity.forecast, index: s.intensity.index },
        generationmix: [
          { fuel: 'wind', perc: 40.1 },
          { fuel: 'gas', perc: 30.2 },
        ],
      }));
      res.end(JSON.stringify({ data: { regionid: 12, dnoregion: 'SSE South', shortname: 'South England', postcode: m[2], data } }));
      return;
    }
    const u = new URL(url, 'http://loopback');
    if (u.pathname === '/carbon-intensity/forecast' && u.searchParams.get('zone')) {
      if (req.headers['auth-token'] !== EM_TOKEN) {
        res.statusCode = 401;
        res.end(JSON.stringify({ status: 'error', message: 'Invalid authentication token' }));
        return;
      }
      res.end(JSON.stringify(electricityMapsForecast(u.searchParams.get('zone')!, now(), lowWindow)));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** A loopback URL where nothing listens (a port just freed). */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
