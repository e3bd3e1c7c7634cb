// Carbon-aware start in a real VS Code (code-server): with wattlens.carbonAware.provider = "uk"
// in the user settings, a pilot run from the panel asks the provider (a loopback server answering
// in the UK Carbon Intensity API's documented format, reached through WATTLENS_CARBON_API) and the
// Pilot tab shows the lowest-carbon start and its saving, labelled as a forecast with its provider
// and fetch time. With the user setting at its default ("off") and the workspace's own settings
// asking for "uk", a pilot makes no request at all. The Electricity Maps token set with its command
// (a password input, kept in secret storage) goes to that provider in its auth-token header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EM_TOKEN, startProviderServer, type ProviderServer } from '../unit/energy/carbonProviderServer';
import { openSession, type Session } from './support/session';
import { openFile, runCommand, saveScreenshot, webviewFrame } from './support/workbench';
import { PYTHON, torchAvailable } from './support/python';
import { attrOf, setValue, textOf } from './support/webview';

const HALF_HOUR = 1800_000;
const HOUR = 3600_000;

describe('carbon-aware start in the editor', () => {
  let session: Session;
  let server: ProviderServer;
  let panel: FrameLocator;
  // low intensity from the second to the sixth half hour ahead: the suggested start is the first of them
  const lowFrom = Math.ceil(Date.now() / HALF_HOUR) * HALF_HOUR + 2 * HALF_HOUR;

  beforeAll(async () => {
    server = await startProviderServer(() => Date.now(), { from: lowFrom, to: lowFrom + 4 * HALF_HOUR });
    session = await openSession({
      workspace: 'examples',
      settings: {
        'wattlens.gpu': 'none',
        'wattlens.pythonPath': PYTHON,
        'wattlens.carbonAware.provider': 'uk',
        'wattlens.carbonAware.area': 'RG10',
      },
      env: { WATTLENS_CARBON_API: server.base },
    });
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  async function runPilot(view: FrameLocator): Promise<void> {
    await view.locator('vscode-tab-header[data-tab="pilot"]').click();
    await expect
      .poll(() => view.locator('vscode-option[value="training/mlp_regression.py"]').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await setValue(view.locator('vscode-single-select.pilot-script'), 'training/mlp_regression.py', 'change');
    const fill = (cls: string, value: string) => setValue(view.locator(`vscode-textfield.${cls}`), value, 'input');
    await fill('pilot-args', '--epochs 1 --samples 4096');
    await fill('pilot-steps', '60');
    await fill('pilot-total', '20000');
    await expect.poll(() => attrOf(view.locator('vscode-button.run-pilot'), 'disabled'), { timeout: 30_000 }).toBeNull();
    await view.locator('vscode-button.run-pilot').click();
    await expect.poll(() => attrOf(view.locator('.run-status'), 'data-state'), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => attrOf(view.locator('.run-status'), 'data-state'), { timeout: 180_000 }).toBe('finished');
    await expect.poll(() => textOf(view.locator('.estimate [data-figure="energy"] .figure-value')), { timeout: 30_000 }).toMatch(/Wh$/);
  }

  /** A second workbench on its own copy of examples/ with these user settings (and workspace files), closed after `body`. */
  async function withWorkbench(
    settings: Record<string, unknown>,
    files: Record<string, string>,
    body: (s: Session) => Promise<void>,
  ): Promise<void> {
    const second = await openSession({
      workspace: 'examples',
      files,
      settings: { 'wattlens.gpu': 'none', 'wattlens.pythonPath': PYTHON, ...settings },
      env: { WATTLENS_CARBON_API: server.base },
    });
    try {
      await body(second);
    } finally {
      await second.close();
    }
  }

  it('suggests the low-carbon start after a pilot, labelled as a forecast with provider and fetch time', async (ctx) => {
    if (!torchAvailable()) ctx.skip();
    const { page } = session;
    await openFile(page, 'training/mlp_regression.py'); // activates WattLens
    await runCommand(page, 'WattLens: Show Energy Report');
    panel = webviewFrame(page);
    await runPilot(panel);
    await expect.poll(() => attrOf(panel.locator('.carbon-start'), 'data-state'), { timeout: 30_000 }).toBe('ready');
    const start = new Date(lowFrom).toISOString().slice(0, 16).replace('T', ' ');
    expect(await textOf(panel.locator('.carbon-start [data-figure="carbonStart"] .figure-value'))).toBe(`${start} UTC`);
    expect(await textOf(panel.locator('.carbon-start .estimate-figure:has([data-figure="carbonStart"]) .interval'))).toBe(
      '80 gCO2e/kWh over the run vs 300 gCO2e/kWh starting now',
    );
    expect(await textOf(panel.locator('.carbon-start [data-figure="carbonStart"] .prov'))).toBe('estimated');
    expect(await textOf(panel.locator('.carbon-start [data-figure="carbonSaving"] .figure-value'))).toMatch(/^[\d.]+ (m?g|kg)CO2e$/);
    expect(await textOf(panel.locator('.carbon-source'))).toMatch(
      /^Carbon-aware start: UK Carbon Intensity API \(RG10\) forecast, fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );
    // one request, to the regional endpoint of the postcode area
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url).toMatch(/^\/regional\/intensity\/\d{4}-\d\d-\d\dT\d\d:(00|30)Z\/fw48h\/postcode\/RG10$/);
    expect(session.outputChannel('WattLens Pilot')).toMatch(
      /\[carbon-aware start\] lowest-carbon start .* UTC: 80 gCO2e\/kWh over the run vs 300 gCO2e\/kWh now, saves /,
    );
    await expect
      .poll(
        () =>
          page
            .locator('.notification-list-item-message')
            .allInnerTexts()
            .then((t) => t.join('\n')),
        { timeout: 15_000 },
      )
      .toMatch(/lowest-carbon start .* UTC/);
    await panel.locator('.carbon-source').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'carbon-aware-start');
  }, 300_000);

  it('takes the Electricity Maps token from its command (password input, secret storage) for a pilot, and never logs it', async (ctx) => {
    if (!torchAvailable()) ctx.skip();
    // a workbench whose user settings choose Electricity Maps, with no token stored yet
    const before = server.requests.length;
    await withWorkbench({ 'wattlens.carbonAware.provider': 'electricitymaps', 'wattlens.carbonAware.area': 'DE' }, {}, async (em) => {
      const { page } = em;
      const notifications = () =>
        page
          .locator('.notification-list-item-message')
          .allInnerTexts()
          .then((t) => t.join('\n'));
      await openFile(page, 'training/mlp_regression.py'); // activates WattLens
      await runCommand(page, 'WattLens: Set Electricity Maps Token');
      // the palette's input turns into the command's input box: its title, and a password field
      await expect
        .poll(() => textOf(page.locator('.quick-input-widget .quick-input-title')), { timeout: 15_000 })
        .toBe('WattLens: Electricity Maps token');
      const input = page.locator('.quick-input-widget input.input');
      await expect.poll(() => input.getAttribute('type'), { timeout: 5_000 }).toBe('password');
      await input.fill(EM_TOKEN);
      await page.keyboard.press('Enter');
      await expect
        .poll(notifications, { timeout: 15_000 })
        .toContain('Electricity Maps token stored; the next pilot suggests a low-carbon start.');

      await runCommand(page, 'WattLens: Show Energy Report');
      const view = webviewFrame(page);
      await runPilot(view);
      await expect.poll(() => attrOf(view.locator('.carbon-start'), 'data-state'), { timeout: 30_000 }).toBe('ready');
      expect(await textOf(view.locator('.carbon-source'))).toMatch(/^Carbon-aware start: Electricity Maps \(DE\) forecast, fetched /);
      // Electricity Maps forecasts hourly: the first low point is the first full hour of the low window
      const start = new Date(Math.ceil(lowFrom / HOUR) * HOUR).toISOString().slice(0, 16).replace('T', ' ');
      expect(await textOf(view.locator('.carbon-start [data-figure="carbonStart"] .figure-value'))).toBe(`${start} UTC`);
      // one request, with the stored token in its auth-token header (the server answers 401 to any other)
      const requests = server.requests.slice(before);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.url).toMatch(/^\/carbon-intensity\/forecast\?zone=DE/);
      expect(requests[0]!.token).toBe(EM_TOKEN);
      expect(em.outputChannel('WattLens Pilot')).not.toContain(EM_TOKEN);
      expect(em.outputChannel('WattLens')).not.toContain(EM_TOKEN);
      expect(readFileSync(join(em.server.userDataDir, 'User', 'settings.json'), 'utf8')).not.toContain(EM_TOKEN);
    });
  }, 300_000);

  it('makes no request when the user setting is off, though the workspace asks for it', async (ctx) => {
    if (!torchAvailable()) ctx.skip();
    // a second workbench: the user settings leave the provider at its default, the workspace says "uk"
    const before = server.requests.length;
    const workspaceSettings = {
      '.vscode/settings.json': JSON.stringify({ 'wattlens.carbonAware.provider': 'uk', 'wattlens.carbonAware.area': 'RG10' }),
    };
    await withWorkbench({}, workspaceSettings, async (off) => {
      await openFile(off.page, 'training/mlp_regression.py');
      await runCommand(off.page, 'WattLens: Show Energy Report');
      await runPilot(webviewFrame(off.page));
      await new Promise((r) => setTimeout(r, 3_000));
      expect(server.requests.length).toBe(before);
      expect(await webviewFrame(off.page).locator('.carbon-start').count()).toBe(0);
      expect(off.outputChannel('WattLens Pilot')).not.toContain('carbon-aware');
    });
  }, 300_000);
});
