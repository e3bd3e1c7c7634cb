// The extension's carbon-aware start after a pilot (settings → token → provider → panel view),
// against the loopback providers: no request at all while it is off, the token read only for
// Electricity Maps, every failure one line in the view.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carbonStartFigures, carbonStartMessage } from '../../../src/core/panel/carbonStart';
import { parseHostMessage } from '../../../src/core/panel/protocol';
import { idlePilotView } from '../../../src/core/panel/pilotIdle';
import { CARBON_API_ENV, readCarbonAwareSettings } from '../../../src/extension/pilot/carbonAwareSettings';
import { lookUpCarbonStart, pendingCarbonStart } from '../../../src/extension/pilot/carbonStartLookup';
import { EM_TOKEN, startProviderServer, type ProviderServer } from '../energy/carbonProviderServer';

const now = new Date('2026-03-01T10:00:00Z');
let server: ProviderServer;
let tokenReads = 0;

beforeAll(async () => {
  server = await startProviderServer(() => now.getTime());
});
beforeEach(() => {
  server.mode = 'ok';
  server.requests.length = 0;
  tokenReads = 0;
});
afterAll(() => server.close());

/** Settings as VS Code's configuration would give them, with the test server as the API. */
function settings(values: Record<string, unknown>) {
  return readCarbonAwareSettings((k) => values[k], { [CARBON_API_ENV]: server.base });
}

function token(value: string | undefined) {
  return () => {
    tokenReads++;
    return Promise.resolve(value);
  };
}

const run = { durationS: 3 * 3600, energyKWh: 10, now };

describe('carbon-aware start settings', () => {
  it('is off by default and for anything but a known provider', () => {
    expect(readCarbonAwareSettings(() => undefined)).toEqual({ enabled: false });
    expect(readCarbonAwareSettings((k) => (k === 'carbonAware.provider' ? 'off' : undefined))).toEqual({ enabled: false });
    expect(readCarbonAwareSettings((k) => (k === 'carbonAware.provider' ? 'UK' : undefined))).toEqual({ enabled: false });
    expect(readCarbonAwareSettings((k) => (k === 'carbonAware.provider' ? 42 : undefined))).toEqual({ enabled: false });
  });

  it('reads the provider, the area and the API base URL from the environment only', () => {
    expect(readCarbonAwareSettings((k) => ({ 'carbonAware.provider': 'uk', 'carbonAware.area': 'rg10 9xx' })[k], {})).toEqual({
      enabled: true,
      choice: { provider: 'uk', area: 'RG10' },
      baseUrl: undefined,
    });
    expect(settings({ 'carbonAware.provider': 'electricitymaps', 'carbonAware.area': 'DE' })).toEqual({
      enabled: true,
      choice: { provider: 'electricitymaps', area: 'DE' },
      baseUrl: server.base,
    });
    expect(settings({ 'carbonAware.provider': 'electricitymaps' })).toEqual({
      enabled: true,
      provider: 'electricitymaps',
      problem: 'wattlens.carbonAware.area: Electricity Maps needs a zone (e.g. DE, FR, US-CAL-CISO)',
    });
  });
});

describe('carbon-aware start after a pilot', () => {
  it('makes no request and reads no token while it is off', async () => {
    const off = settings({ 'carbonAware.provider': 'off', 'carbonAware.area': 'DE' });
    expect(pendingCarbonStart(off)).toBeNull();
    expect(await lookUpCarbonStart({ settings: off, ...run, readToken: token(EM_TOKEN) })).toBeNull();
    expect(server.requests).toHaveLength(0);
    expect(tokenReads).toBe(0);
  });

  it('suggests the UK night window; the view passes the panel protocol and reads as figures', async () => {
    const s = settings({ 'carbonAware.provider': 'uk', 'carbonAware.area': 'RG10' });
    expect(pendingCarbonStart(s)).toEqual({
      state: 'fetching',
      provider: 'UK Carbon Intensity API',
      area: 'RG10',
      fetchedAt: null,
      window: null,
      reason: null,
    });
    const view = (await lookUpCarbonStart({ settings: s, ...run, readToken: token(undefined) }))!;
    expect(tokenReads).toBe(0);
    expect(server.requests.map((r) => r.url)).toEqual(['/regional/intensity/2026-03-01T10:00Z/fw48h/postcode/RG10']);
    expect(view.state).toBe('ready');
    expect(view.window).toMatchObject({
      start: '2026-03-02T02:00:00.000Z',
      end: '2026-03-02T05:00:00.000Z',
      energyKWh: 10,
      durationS: 10800,
    });
    expect(view.window!.gramsPerKWh).toBeCloseTo(80);
    expect(view.window!.nowGramsPerKWh).toBeCloseTo(300);
    expect(view.window!.savingGrams).toBeCloseTo(2200);

    const pilot = { ...idlePilotView({ scripts: [], canRun: true, cannotRunReason: null }), carbonStart: view };
    expect(parseHostMessage({ type: 'update', section: 'pilot', view: JSON.parse(JSON.stringify(pilot)) })).toMatchObject({ ok: true });
    const [start, saving] = carbonStartFigures(view);
    expect(start).toMatchObject({
      value: '2026-03-02 02:00 UTC',
      interval: '80 gCO2e/kWh over the run vs 300 gCO2e/kWh starting now',
      provenance: 'estimated',
    });
    expect(saving).toMatchObject({
      value: '2.20 kgCO2e',
      interval: '800 gCO2e instead of 3.00 kgCO2e for 10.0 kWh',
      provenance: 'estimated',
    });
    expect(carbonStartMessage(view)).toMatch(
      /^lowest-carbon start 2026-03-02 02:00 UTC: 80 gCO2e\/kWh over the run vs 300 gCO2e\/kWh now, saves 2\.20 kgCO2e of 3\.00 kgCO2e \(UK Carbon Intensity API \(RG10\) forecast, fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/,
    );
  });

  it('reads the Electricity Maps token from the secret storage and sends it in the header', async () => {
    const s = settings({ 'carbonAware.provider': 'electricitymaps', 'carbonAware.area': 'DE' });
    const view = (await lookUpCarbonStart({ settings: s, ...run, readToken: token(`  ${EM_TOKEN}\n`) }))!;
    expect(tokenReads).toBe(1);
    expect(server.requests).toEqual([{ url: '/carbon-intensity/forecast?zone=DE&horizonHours=48', token: EM_TOKEN }]);
    expect(view).toMatchObject({ state: 'ready', provider: 'Electricity Maps', area: 'DE' });
    expect(view.window!.start).toBe('2026-03-02T02:00:00.000Z');
    expect(view.window!.savingGrams).toBeCloseTo((400 - 120) * 10);
  });

  it('tells what to do when no token is stored, without asking the provider', async () => {
    const s = settings({ 'carbonAware.provider': 'electricitymaps', 'carbonAware.area': 'DE' });
    const view = (await lookUpCarbonStart({ settings: s, ...run, readToken: token(undefined) }))!;
    expect(view).toMatchObject({
      state: 'unavailable',
      reason: 'no Electricity Maps token is set: run "WattLens: Set Electricity Maps Token"',
    });
    const failing = (await lookUpCarbonStart({ settings: s, ...run, readToken: () => Promise.reject(new Error('keychain locked')) }))!;
    expect(failing.reason).toBe('could not read the Electricity Maps token from the secret storage (keychain locked)');
    expect(server.requests).toHaveLength(0);
    expect(carbonStartFigures(view)).toEqual([
      {
        key: 'carbonStart',
        label: 'Lowest-carbon start (forecast)',
        value: '?',
        interval: null,
        provenance: 'unknown',
        basis: view.reason,
      },
    ]);
  });

  it('turns a rejected token, a server error, a timeout and a bad area into one line each', async () => {
    const em = settings({ 'carbonAware.provider': 'electricitymaps', 'carbonAware.area': 'DE' });
    expect((await lookUpCarbonStart({ settings: em, ...run, readToken: token('expired') }))!.reason).toBe(
      'Electricity Maps: HTTP 401 (check the token)',
    );
    const uk = settings({ 'carbonAware.provider': 'uk' });
    server.mode = 'http500';
    expect((await lookUpCarbonStart({ settings: uk, ...run, readToken: token(undefined) }))!.reason).toBe(
      'UK Carbon Intensity API: HTTP 500',
    );
    server.mode = 'hang';
    const slow = (await lookUpCarbonStart({ settings: uk, ...run, readToken: token(undefined), timeoutMs: 200 }))!;
    expect(slow).toMatchObject({ state: 'unavailable', area: null, reason: 'UK Carbon Intensity API: no answer within 0.2 s' });
    expect(carbonStartMessage(slow)).toBe('carbon-aware start unavailable: UK Carbon Intensity API: no answer within 0.2 s');
    server.requests.length = 0;
    const bad = settings({ 'carbonAware.provider': 'uk', 'carbonAware.area': 'not a postcode' });
    expect((await lookUpCarbonStart({ settings: bad, ...run, readToken: token(undefined) }))!).toMatchObject({
      state: 'unavailable',
      reason: 'wattlens.carbonAware.area: "not a postcode" is not a UK postcode or its outward part (e.g. RG10)',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('says when starting now is already the best', async () => {
    // a 1 h run starting at 02:00 on the night itself: nothing later is lower
    const at = new Date('2026-03-02T02:00:00Z');
    const view = (await lookUpCarbonStart({
      settings: settings({ 'carbonAware.provider': 'uk' }),
      durationS: 3600,
      energyKWh: 2,
      now: at,
      readToken: token(undefined),
    }))!;
    expect(view.window).toMatchObject({ start: '2026-03-02T02:00:00.000Z', savingGrams: 0 });
    const [start, saving] = carbonStartFigures(view);
    expect(start).toMatchObject({ value: 'now', interval: '80 gCO2e/kWh over the run; no later start in the forecast is lower' });
    expect(saving!.value).toBe('0 gCO2e');
    expect(carbonStartMessage(view)).toMatch(
      /^starting now is already the lowest-carbon start in the next 48 h \(80 gCO2e\/kWh over the run; UK Carbon Intensity API \(Great Britain\) forecast, fetched .* UTC\)\.$/,
    );
  });
});
