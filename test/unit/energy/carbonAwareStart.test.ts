// suggestCarbonAwareStart (shared by the CLI and the extension) against the loopback providers.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carbonAwareChoice, electricityMapsZone, suggestCarbonAwareStart, ukOutwardCode } from '../../../src/core/energy/carbonAwareStart';
import { EM_TOKEN, startProviderServer, type ProviderServer } from './carbonProviderServer';

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

describe('carbon-aware start: provider and area', () => {
  it('takes the outward part of a UK postcode, in any case, and refuses what is not one', () => {
    expect(ukOutwardCode('rg10 9xx')).toEqual({ ok: true, code: 'RG10' });
    expect(ukOutwardCode('EC1A')).toEqual({ ok: true, code: 'EC1A' });
    expect(ukOutwardCode('M1')).toEqual({ ok: true, code: 'M1' });
    expect(ukOutwardCode('../../x')).toMatchObject({ ok: false, error: '"../../x" is not a UK postcode or its outward part (e.g. RG10)' });
    expect(ukOutwardCode('12345').ok).toBe(false);
  });

  it('accepts Electricity Maps zones and refuses anything that could change the URL', () => {
    for (const z of ['DE', 'FR', 'US-CAL-CISO', 'AUS-NSW', 'IN-NO']) expect(electricityMapsZone(z)).toEqual({ ok: true, zone: z });
    for (const z of ['', 'D', 'DE&zone=FR', 'DE/../x', 'a b']) expect(electricityMapsZone(z).ok).toBe(false);
  });

  it('needs a zone for Electricity Maps, and none for the UK (Great Britain as a whole)', () => {
    expect(carbonAwareChoice('uk', '')).toEqual({ ok: true, choice: { provider: 'uk', area: null } });
    expect(carbonAwareChoice('uk', ' rg10 ')).toEqual({ ok: true, choice: { provider: 'uk', area: 'RG10' } });
    expect(carbonAwareChoice('electricitymaps', null)).toEqual({
      ok: false,
      error: 'Electricity Maps needs a zone (e.g. DE, FR, US-CAL-CISO)',
    });
    expect(carbonAwareChoice('electricitymaps', 'DE')).toEqual({ ok: true, choice: { provider: 'electricitymaps', area: 'DE' } });
  });
});

describe('carbon-aware start: suggestCarbonAwareStart', () => {
  it('suggests the night window of the UK forecast for a 3 h, 10 kWh run, labelled with provider and fetch time', async () => {
    const before = Date.now();
    const r = await suggestCarbonAwareStart({
      choice: { provider: 'uk', area: 'RG10' },
      durationS: 3 * 3600,
      energyKWh: 10,
      now,
      baseUrl: server.base,
    });
    expect(r.status).toBe('window');
    if (r.status !== 'window') return;
    expect(r.provider).toBe('UK Carbon Intensity API');
    expect(r.area).toBe('RG10');
    expect(r.fetchedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(r.window.start.toISOString()).toBe('2026-03-02T02:00:00.000Z');
    expect(r.window.savingGrams).toBeCloseTo(2200);
    expect(server.requests.map((q) => q.url)).toEqual(['/regional/intensity/2026-03-01T10:00Z/fw48h/postcode/RG10']);
  });

  it('sends the Electricity Maps token in its header only', async () => {
    const r = await suggestCarbonAwareStart({
      choice: { provider: 'electricitymaps', area: 'DE' },
      token: EM_TOKEN,
      durationS: 4 * 3600,
      energyKWh: 1,
      now,
      baseUrl: server.base,
    });
    expect(r.status).toBe('window');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.token).toBe(EM_TOKEN);
    expect(server.requests[0]!.url).not.toContain(EM_TOKEN);
  });

  it("asks nothing when the run's time or energy is unknown, or Electricity Maps has no token", async () => {
    const uk = { provider: 'uk', area: null } as const;
    expect(await suggestCarbonAwareStart({ choice: uk, durationS: null, energyKWh: 1, now, baseUrl: server.base })).toMatchObject({
      status: 'unavailable',
      fetchedAt: null,
      reason: "the full run's time and energy are unknown (give its length: total steps or epochs)",
    });
    expect(await suggestCarbonAwareStart({ choice: uk, durationS: 3600, energyKWh: null, now, baseUrl: server.base })).toMatchObject({
      status: 'unavailable',
    });
    expect(
      await suggestCarbonAwareStart({
        choice: { provider: 'electricitymaps', area: 'DE' },
        durationS: 3600,
        energyKWh: 1,
        now,
        baseUrl: server.base,
      }),
    ).toMatchObject({
      status: 'unavailable',
      provider: 'Electricity Maps',
      reason: 'no Electricity Maps token is set',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('never throws: a rejected token, a timeout and a run longer than the forecast are reasons', async () => {
    const em = await suggestCarbonAwareStart({
      choice: { provider: 'electricitymaps', area: 'DE' },
      token: 'wrong',
      durationS: 3600,
      energyKWh: 1,
      now,
      baseUrl: server.base,
    });
    expect(em).toMatchObject({ status: 'unavailable', fetchedAt: null, reason: 'Electricity Maps: HTTP 401 (check the token)' });

    const long = await suggestCarbonAwareStart({
      choice: { provider: 'uk', area: null },
      durationS: 60 * 3600,
      energyKWh: 1,
      now,
      baseUrl: server.base,
    });
    expect(long).toMatchObject({ status: 'unavailable', reason: 'the run (60.0 h) is longer than the forecast ahead (48.0 h)' });
    expect(long.fetchedAt).toBeInstanceOf(Date);

    server.mode = 'hang';
    const slow = await suggestCarbonAwareStart({
      choice: { provider: 'uk', area: null },
      durationS: 3600,
      energyKWh: 1,
      now,
      baseUrl: server.base,
      timeoutMs: 200,
    });
    expect(slow).toMatchObject({ status: 'unavailable', reason: 'UK Carbon Intensity API: no answer within 0.2 s' });
  });
});
