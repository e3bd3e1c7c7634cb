// The providers' documented response formats, served from loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestStartWindow, CarbonForecastError, fetchElectricityMapsForecast, fetchUkForecast } from '../../../src/core/energy/carbonWindow';

const now = new Date('2026-03-01T10:00:00Z');
const requests: { url: string; token: string | undefined }[] = [];
let server: Server;
let base = '';

// 96 half-hour slots: 300 g/kWh, but 80 g/kWh from 02:00 to 06:00 the next night
function ukSlots() {
  return Array.from({ length: 96 }, (_, i) => {
    const from = new Date(now.getTime() + i * 1800_000);
    const h = from.getUTCHours();
    const low = from.getUTCDate() === 2 && h >= 2 && h < 6;
    return { from: from.toISOString().replace(':00.000Z', 'Z'), to: new Date(from.getTime() + 1800_000).toISOString().replace(':00.000Z', 'Z'), intensity: { forecast: low ? 80 : 300, actual: null, index: low ? 'low' : 'high' } };
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', token: req.headers['auth-token'] as string | undefined });
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/intensity/2026-03-01T10:00Z/fw48h')) {
      res.end(JSON.stringify({ data: ukSlots() }));
    } else if (req.url?.startsWith('/regional/intensity/2026-03-01T10:00Z/fw48h/postcode/RG10')) {
      res.end(JSON.stringify({ data: { regionid: 12, dnoregion: 'SSE South', shortname: 'South England', postcode: 'RG10', data: ukSlots().map((s) => ({ ...s, generationmix: [] })) } }));
    } else if (req.url?.startsWith('/carbon-intensity/forecast?zone=DE')) {
      if (req.headers['auth-token'] !== 'secret') {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: 'unauthorized' }));
        return;
      }
      const forecast = Array.from({ length: 48 }, (_, i) => ({
        carbonIntensity: i >= 20 && i < 24 ? 120 : 400,
        datetime: new Date(now.getTime() + i * 3600_000).toISOString(),
      }));
      res.end(JSON.stringify({ zone: 'DE', forecast, updatedAt: now.toISOString() }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('carbon-aware start', () => {
  it('finds the low-carbon night window in the UK national forecast and the saving', async () => {
    const slots = await fetchUkForecast({ baseUrl: base, now });
    expect(slots).toHaveLength(96);
    const w = bestStartWindow(slots, 3 * 3600, 10, now, 'UK Carbon Intensity API')!;
    expect(w.start.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(w.meanGramsPerKWh).toBeCloseTo(80);
    expect(w.nowCo2eGrams).toBeCloseTo(3000);
    expect(w.savingGrams).toBeCloseTo(2200);
  });

  it('asks the regional endpoint for a postcode', async () => {
    const slots = await fetchUkForecast({ baseUrl: base, now, postcode: 'RG10' });
    expect(slots).toHaveLength(96);
    expect(requests.some((r) => r.url.includes('/postcode/RG10'))).toBe(true);
  });

  it('reads Electricity Maps hourly forecasts with the token in the auth-token header', async () => {
    const slots = await fetchElectricityMapsForecast({ baseUrl: base, zone: 'DE', token: 'secret' });
    expect(slots).toHaveLength(48);
    const w = bestStartWindow(slots, 4 * 3600, 1, now, 'Electricity Maps')!;
    expect(w.start.getTime()).toBe(now.getTime() + 20 * 3600_000);
    expect(w.savingGrams).toBeCloseTo(280);
  });

  it('reports a rejected token in one line', async () => {
    await expect(fetchElectricityMapsForecast({ baseUrl: base, zone: 'DE', token: 'wrong' })).rejects.toThrow(CarbonForecastError);
    await expect(fetchElectricityMapsForecast({ baseUrl: base, zone: 'DE', token: 'wrong' })).rejects.toThrow(/HTTP 401 \(check the token\)/);
  });

  it('suggests nothing for a run longer than the forecast', async () => {
    const slots = await fetchUkForecast({ baseUrl: base, now });
    expect(bestStartWindow(slots, 72 * 3600, 1, now, 'uk')).toBeNull();
  });
});
