// The providers' documented response formats, served from loopback (carbonProviderServer.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bestStartWindow,
  CarbonForecastError,
  fetchElectricityMapsForecast,
  fetchUkForecast,
  noWindowReason,
  type IntensitySlot,
} from '../../../src/core/energy/carbonWindow';
import { closedPortUrl, EM_TOKEN, startProviderServer, type ProviderServer } from './carbonProviderServer';

const now = new Date('2026-03-01T10:00:00Z');
let server: ProviderServer;

beforeAll(async () => {
  server = await startProviderServer(() => now.getTime());
});
beforeEach(() => {
  server.mode = 'ok';
  server.requests.length = 0;
});
afterAll(() => server.close());

describe('carbon-aware start', () => {
  it('finds the low-carbon night window in the UK national forecast and the saving', async () => {
    const slots = await fetchUkForecast({ baseUrl: server.base, now });
    expect(server.requests.map((r) => r.url)).toEqual(['/intensity/2026-03-01T10:00Z/fw48h']);
    expect(slots).toHaveLength(96);
    const w = bestStartWindow(slots, 3 * 3600, 10, now, 'UK Carbon Intensity API')!;
    expect(w.start.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(w.meanGramsPerKWh).toBeCloseTo(80);
    expect(w.nowMeanGramsPerKWh).toBeCloseTo(300);
    expect(w.co2eGrams).toBeCloseTo(800);
    expect(w.nowCo2eGrams).toBeCloseTo(3000);
    expect(w.savingGrams).toBeCloseTo(2200);
    expect(w.energyKWh).toBe(10);
  });

  it('asks from the start of the half hour that holds now, so the slot of now is in the answer', async () => {
    const at = new Date('2026-03-01T10:17:42Z');
    const slots = await fetchUkForecast({ baseUrl: server.base, now: at });
    expect(server.requests[0]!.url).toBe('/intensity/2026-03-01T10:00Z/fw48h');
    const w = bestStartWindow(slots, 3600, 1, at, 'uk')!;
    expect(w.nowMeanGramsPerKWh).toBeCloseTo(300);
    expect(w.start.toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('asks the regional endpoint for a postcode and reads its nested data', async () => {
    const slots = await fetchUkForecast({ baseUrl: server.base, now, postcode: 'RG10' });
    expect(slots).toHaveLength(96);
    expect(server.requests.map((r) => r.url)).toEqual(['/regional/intensity/2026-03-01T10:00Z/fw48h/postcode/RG10']);
  });

  it('reads Electricity Maps hourly forecasts with the token in the auth-token header', async () => {
    const slots = await fetchElectricityMapsForecast({ baseUrl: server.base, zone: 'DE', token: EM_TOKEN });
    expect(server.requests[0]).toEqual({ url: '/carbon-intensity/forecast?zone=DE&horizonHours=48', token: EM_TOKEN });
    expect(slots).toHaveLength(48);
    expect(slots[0]!.to.getTime() - slots[0]!.from.getTime()).toBe(3600_000);
    const w = bestStartWindow(slots, 4 * 3600, 1, now, 'Electricity Maps')!;
    expect(w.start.getTime()).toBe(now.getTime() + 16 * 3600_000);
    expect(w.meanGramsPerKWh).toBeCloseTo(120);
    expect(w.savingGrams).toBeCloseTo(280);
  });

  it('reports a rejected token in one line', async () => {
    await expect(fetchElectricityMapsForecast({ baseUrl: server.base, zone: 'DE', token: 'wrong' })).rejects.toThrow(CarbonForecastError);
    await expect(fetchElectricityMapsForecast({ baseUrl: server.base, zone: 'DE', token: 'wrong' })).rejects.toThrow(
      /^Electricity Maps: HTTP 401 \(check the token\)$/,
    );
  });

  it('turns a server error, a page that is not JSON and an answer without data into one line each', async () => {
    server.mode = 'http500';
    await expect(fetchUkForecast({ baseUrl: server.base, now })).rejects.toThrow(/^UK Carbon Intensity API: HTTP 500$/);
    server.mode = 'not-json';
    await expect(fetchUkForecast({ baseUrl: server.base, now })).rejects.toThrow(/^UK Carbon Intensity API: the answer is not JSON$/);
    server.mode = 'no-data';
    await expect(fetchUkForecast({ baseUrl: server.base, now, postcode: 'ZZ9' })).rejects.toThrow(/unexpected response \(no data array\)/);
    await expect(fetchElectricityMapsForecast({ baseUrl: server.base, zone: 'DE', token: EM_TOKEN })).rejects.toThrow(
      /unexpected response \(no forecast array\)/,
    );
  });

  it('gives up on a provider that does not answer within the time limit', async () => {
    server.mode = 'hang';
    const started = Date.now();
    await expect(fetchUkForecast({ baseUrl: server.base, now, timeoutMs: 300 })).rejects.toThrow(
      /^UK Carbon Intensity API: no answer within 0.3 s$/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says why when nothing listens', async () => {
    await expect(fetchUkForecast({ baseUrl: await closedPortUrl(), now, timeoutMs: 2000 })).rejects.toThrow(
      /^UK Carbon Intensity API: no answer \(fetch failed: ECONNREFUSED\)$/,
    );
  });

  it('suggests nothing for a run longer than the forecast, and says so', async () => {
    const slots = await fetchUkForecast({ baseUrl: server.base, now });
    expect(bestStartWindow(slots, 72 * 3600, 1, now, 'uk')).toBeNull();
    expect(noWindowReason(slots, 72 * 3600, now)).toBe('the run (72.0 h) is longer than the forecast ahead (48.0 h)');
    expect(noWindowReason(slots, 3600, now)).toBeNull();
  });
});

describe('bestStartWindow on given slots', () => {
  const h = 3600_000;
  const t0 = Date.parse('2026-03-01T00:00:00Z');
  const slot = (i: number, g: number): IntensitySlot => ({ from: new Date(t0 + i * h), to: new Date(t0 + (i + 1) * h), gramsPerKWh: g });

  it('weights a window that starts inside a slot by the time in each slot', () => {
    const slots = [slot(0, 100), slot(1, 300), slot(2, 300), slot(3, 50)];
    // now is 00:30: starting now covers half of slot 0 and half of slot 1
    const w = bestStartWindow(slots, 3600, 2, new Date(t0 + 0.5 * h), 'test')!;
    expect(w.nowMeanGramsPerKWh).toBeCloseTo(200);
    expect(w.start.getTime()).toBe(t0 + 3 * h);
    expect(w.meanGramsPerKWh).toBe(50);
    expect(w.savingGrams).toBeCloseTo(300);
  });

  it('keeps now when no later start is lower (a saving of 0, never negative)', () => {
    const slots = [slot(0, 100), slot(1, 200), slot(2, 300)];
    const w = bestStartWindow(slots, 3600, 1, new Date(t0), 'test')!;
    expect(w.start.getTime()).toBe(t0);
    expect(w.savingGrams).toBe(0);
  });

  it('skips a start whose run crosses a gap in the forecast', () => {
    const slots = [slot(0, 300), slot(1, 300), slot(3, 10), slot(4, 200)];
    const w = bestStartWindow(slots, 2 * 3600, 1, new Date(t0), 'test')!;
    // 02:00–04:00 has no slot 2; 03:00–05:00 is covered
    expect(w.start.getTime()).toBe(t0 + 3 * h);
    expect(w.meanGramsPerKWh).toBeCloseTo(105);
  });

  it('cannot compare with now when the forecast starts later, and says so', () => {
    const slots = [slot(2, 100), slot(3, 100)];
    expect(bestStartWindow(slots, 3600, 1, new Date(t0), 'test')).toBeNull();
    expect(noWindowReason(slots, 3600, new Date(t0))).toBe(
      'the forecast starts at 2026-03-01T02:00Z, after now, so starting now cannot be compared',
    );
    expect(noWindowReason([], 3600, new Date(t0))).toBe('the forecast has no slots');
  });
});
