// The energy report panel in a real VS Code (code-server) in headless Chromium: open a model,
// open the report, compare its top layer and totals with the CLI's JSON for the same file,
// click a row and see the editor move to its line, run a short pilot on CPU torch and see the
// charts fill and the estimate appear, then screenshots in the dark and light themes.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/e2e/code-server.mjs';
import { topLayer } from '../../src/core/panel/layerTable';
import { layerRow } from '../../src/core/panel/modelView';
import { formatCost, formatCount } from '../../src/core/report/format';
import type { FileReport } from '../../src/core/report/types';
import { openSession, type Session } from './support/session';
import { getStatusBarItems, openFile, runCommand, saveScreenshot, webviewFrame } from './support/workbench';
import { PYTHON, torchAvailable } from './support/python';
import { attrOf, setValue, textOf } from './support/webview';

const POLL = { timeout: 30_000 };

function cliReport(file: string): FileReport {
  return JSON.parse(
    execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'analyze', file, '--json'], { encoding: 'utf8' }),
  ) as FileReport;
}

describe('WattLens energy report panel', () => {
  let session: Session;
  let report: FileReport;
  let panel: FrameLocator;
  const started = performance.now();

  beforeAll(async () => {
    session = await openSession({
      workspace: 'examples',
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'wattlens.gpu': 'none',
        'wattlens.pythonPath': PYTHON,
        'wattlens.country': 'DE',
      },
    });
    report = cliReport(join(session.workspaceDir, 'models', 'cnn.py'));
  });
  afterAll(async () => {
    const log = session?.outputChannel('WattLens') ?? '';
    if (log.includes('report panel'))
      console.log(
        `[wattlens-e2e] panel log:\n${log
          .split('\n')
          .filter((l) => l.includes('report panel'))
          .slice(-20)
          .join('\n')}`,
      );
    await session?.close();
    console.log(`[wattlens-e2e] panel e2e took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it("shows the model under the cursor with the CLI's totals and top layer", async () => {
    const { page } = session;
    await openFile(page, 'models/cnn.py');
    const t0 = performance.now();
    await runCommand(page, 'WattLens: Show Energy Report');
    panel = webviewFrame(page);
    const model = report.models[0]!;
    await expect.poll(() => textOf(panel.locator('[data-status="ready"]')), { timeout: 60_000 }).toContain(model.name);
    await panel.locator('wl-layer-table .row').first().waitFor({ timeout: 30_000 });
    console.log(`[wattlens-e2e] report shown ${(performance.now() - t0).toFixed(0)} ms after the command (${model.layers.length} layers)`);
    await expect
      .poll(() => textOf(panel.locator('[data-figure="params"] .figure-value')), { timeout: 30_000 })
      .toBe(formatCount(model.uniqueParams));
    await expect
      .poll(() => textOf(panel.locator('[data-figure="macs"] .figure-value')), { timeout: 30_000 })
      .toBe(formatCost(model.macs, 'macs'));
    await expect.poll(() => textOf(panel.locator('[data-figure="macs"] .prov')), { timeout: 30_000 }).toBe('estimated');
    // flat table sorted by MACs: its first row is the CLI's layer with the most MACs
    await panel.locator('vscode-checkbox.group-toggle').click();
    const top = topLayer(model.layers.map((l) => layerRow(l, report.file)))!;
    await expect
      .poll(() => attrOf(panel.locator('wl-layer-table .row[data-path]').first(), 'data-path'), { timeout: 30_000 })
      .toBe(top.path);
    // sorting by params puts the CLI's largest layer first
    await panel.locator('wl-layer-table button[data-sort="params"]').click();
    const byParams = [...model.layers].sort((a, b) => (b.params ?? -1) - (a.params ?? -1))[0]!;
    await expect
      .poll(() => attrOf(panel.locator('wl-layer-table .row[data-path]').first(), 'data-path'), { timeout: 30_000 })
      .toBe(byParams.path);
    await panel.locator('wl-layer-table button[data-sort="macs"]').click();
    await expect
      .poll(() => attrOf(panel.locator('wl-layer-table .row[data-path]').first(), 'data-path'), { timeout: 30_000 })
      .toBe(top.path);
    await saveScreenshot(page, 'panel-dark-model');
  });

  it("reveals a layer's line in the editor when its row is clicked", async () => {
    const { page } = session;
    const model = report.models[0]!;
    const target = model.layers.find((l) => l.path === 'fc2') ?? model.layers.at(-1)!;
    await panel.locator(`wl-layer-table .row[data-path="${target.path}"]`).click();
    await expect
      .poll(async () => (await getStatusBarItems(page)).find((i) => i.id === 'status.editor.selection')?.text ?? '', { timeout: 15_000 })
      .toMatch(new RegExp(`^Ln ${target.line}, Col 1`));
  });

  it('runs a short pilot on CPU torch: the charts receive points and the estimate appears', async (ctx) => {
    if (!torchAvailable()) ctx.skip();
    const { page } = session;
    await panel.locator('vscode-tab-header[data-tab="pilot"]').click();
    await panel.locator('vscode-single-select.pilot-script').waitFor({ state: 'attached', timeout: 30_000 });
    await expect
      .poll(() => panel.locator('vscode-option[value="training/mlp_regression.py"]').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await setValue(panel.locator('vscode-single-select.pilot-script'), 'training/mlp_regression.py', 'change');
    const fill = (cls: string, value: string) => setValue(panel.locator(`vscode-textfield.${cls}`), value, 'input');
    await fill('pilot-args', '--epochs 1 --samples 8192');
    await fill('pilot-steps', '80');
    await fill('pilot-total', '4000');
    await fill('pilot-target', '0.05');
    await panel.locator('vscode-button.run-pilot').click();
    await expect.poll(() => textOf(panel.locator('.run-status')), POLL).toContain('training/mlp_regression.py');
    const points = (cls: string) =>
      panel
        .locator(`wl-line-chart.${cls}`)
        .getAttribute('data-points')
        .then((v) => Number(v ?? 0))
        .catch(() => 0);
    await expect.poll(() => points('loss-chart'), { timeout: 120_000 }).toBeGreaterThan(10);
    await expect.poll(() => points('power-chart'), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => attrOf(panel.locator('.run-status'), 'data-state'), { timeout: 120_000 }).toBe('finished');
    await expect.poll(() => textOf(panel.locator('.estimate [data-figure="energy"] .figure-value')), { timeout: 30_000 }).toMatch(/Wh$/);
    await expect.poll(() => textOf(panel.locator('.estimate [data-figure="stepTime"] .prov')), { timeout: 30_000 }).toBe('measured');
    await expect.poll(() => textOf(panel.locator('.estimate [data-figure="energy"] .prov')), { timeout: 30_000 }).toBe('estimated');
    await expect.poll(() => textOf(panel.locator('.estimate [data-figure="co2e"] .figure-value')), { timeout: 30_000 }).toMatch(/CO2e$/);
    console.log(
      `[wattlens-e2e] pilot: ${await points('loss-chart')} loss points, ${await points('power-chart')} power points; estimate: ${(await panel.locator('.estimate').innerText()).replace(/\s+/g, ' ').slice(0, 300)}`,
    );
    await saveScreenshot(page, 'panel-dark-pilot');
    // the run is in the history
    await panel.locator('vscode-tab-header[data-tab="history"]').click();
    await panel.locator('.run[data-run]').first().waitFor({ timeout: 15_000 });
  }, 300_000);

  it('redraws in the light theme, with no CSP violation logged', async () => {
    const { page } = session;
    // the theme picker, as a user would (Preferences: Color Theme, then the theme's row)
    await runCommand(page, 'Preferences: Color Theme');
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await box.fill('Light Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().click({ timeout: 10_000 });
    await expect.poll(() => page.locator('.monaco-workbench').getAttribute('class'), { timeout: 60_000 }).toMatch(/(^|\s)vs(\s|$)/);
    await expect.poll(() => attrOf(panel.locator('body'), 'class'), { timeout: 60_000 }).toMatch(/vscode-light/);
    await panel.locator('vscode-tab-header[data-tab="pilot"]').click();
    await page.waitForTimeout(500); // the chart redraws on the next animation frame
    const pilotShot = await saveScreenshot(page, 'panel-light-pilot');
    await panel.locator('vscode-tab-header[data-tab="model"]').click();
    await panel.locator('wl-layer-table .row').first().waitFor();
    const modelShot = await saveScreenshot(page, 'panel-light-model');
    console.log(`[wattlens-e2e] screenshots: ${modelShot}, ${pilotShot}`);
    expect(session.outputChannel('WattLens')).not.toMatch(/CSP violation|dropped a malformed message/);
  });
});
