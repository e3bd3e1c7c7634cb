// The report panel's Suggestions tab in a real VS Code (code-server) in headless Chromium, on a
// copy of examples/models/gpt.py (hand-written causal attention at line 42): the panel shows the
// suggestions of the shared advice service — the editor's, computed once, in the CLI's ranking,
// with the editor's `wattlens.advisor.disabledRules` left out — each with the CLI's before → after
// figures; Apply on sdpa goes through the editor's quick-fix gate (traced as "fix sdpa applied"),
// the line now calls F.scaled_dot_product_attention, and the list becomes the CLI's advice for
// the rewritten text. Expected figures come from `wattlens advise --json`, never typed here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/e2e/code-server.mjs';
import type { Suggestion } from '../../src/core/advisor/types';
import { formatChange } from '../../src/core/panel/units';
import { formatBytes, formatCost, formatCount } from '../../src/core/report/format';
import { openSession, type Session } from './support/session';
import { getLineText, openFile, runCommand, saveScreenshot, webviewFrame } from './support/workbench';

const scratch = mkdtempSync(join(tmpdir(), 'wattlens-e2e-panel-advice-'));
/** Left out by the editor's setting; the panel must leave it out too (it shares the editor's advice).
 *  A model change, offered only with wattlens.advisor.modelChanges / --model-changes on. */
const DISABLED = 'mixture-of-experts';

function cli(args: string[], text: string): string {
  const file = join(scratch, `gpt-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, text);
  return execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'advise', file, ...args], { encoding: 'utf8' });
}
const cliAdvice = (text: string) => (JSON.parse(cli(['--json', '--model-changes'], text)) as { suggestions: Suggestion[] }).suggestions;
/** Edits are left out of --json: the rewritten text comes from --fix. */
const cliFix = (text: string, rule: string) => cli(['--fix', rule], text);

/** The rows of a suggestion's before/after table as the panel renders them (cost unit MACs). */
function expectedRows(s: Suggestion): string[][] {
  const rows: [string, number | null | undefined, number | null | undefined, (x: number | null) => string][] = [
    ['Parameters', s.before.params, s.after.params, formatCount],
    ['Forward MACs', s.before.macs, s.after.macs, (x) => formatCost(x, 'macs')],
    ['Training step', s.before.trainingMacs, s.after.trainingMacs, (x) => formatCost(x, 'macs')],
    ['Activations', s.before.activationBytes, s.after.activationBytes, formatBytes],
    ['Training memory', s.before.trainingMemoryBytes, s.after.trainingMemoryBytes, formatBytes],
  ];
  return rows
    .filter(([, b, a]) => b !== undefined || a !== undefined)
    .map(([label, b, a, fmt]) => [label, fmt(b ?? null), fmt(a ?? null), formatChange(b, a) ?? '?']);
}

async function shownRules(panel: FrameLocator): Promise<string[]> {
  return panel
    .locator('.suggestion[data-rule]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-rule') ?? ''))
    .catch(() => []);
}

async function shownRows(panel: FrameLocator, rule: string): Promise<string[][]> {
  return panel
    .locator(`.suggestion[data-rule="${rule}"] table.before-after tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())))
    .catch(() => []);
}

describe('WattLens report panel suggestions (gpt.py, shared advice service)', () => {
  let session: Session;
  let panel: FrameLocator;
  let original: string;
  let ranked: Suggestion[];
  const started = performance.now();
  const trace = () =>
    session
      .outputChannel('WattLens')
      .split('\n')
      .filter((l) => l.startsWith('[trace]') && l.includes('gpt.py'));

  beforeAll(async () => {
    session = await openSession({
      workspace: 'examples',
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'wattlens.gpu': 'none',
        'wattlens.advisor.modelChanges': true,
        'wattlens.advisor.disabledRules': [DISABLED],
      },
      env: { WATTLENS_TRACE: '1' },
    });
    // the session's copy of the workspace: examples/ itself is never edited
    original = readFileSync(join(session.workspaceDir, 'models', 'gpt.py'), 'utf8');
    const all = cliAdvice(original);
    expect(all.map((s) => s.rule)).toContain(DISABLED);
    ranked = all.filter((s) => s.rule !== DISABLED);
    expect(ranked[0]).toMatchObject({ rule: 'sdpa', line: 42, fixable: true });
  });
  afterAll(async () => {
    const lines = session ? trace().filter((l) => l.includes('advice') || l.includes('fix ')) : [];
    if (lines.length) console.log(`[wattlens-e2e] advice trace:\n${lines.slice(-12).join('\n')}`);
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
    console.log(`[wattlens-e2e] panel advice e2e: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it("shows the editor's advice, unrecomputed, in the CLI's ranking with the CLI's before → after figures", async () => {
    const { page } = session;
    await openFile(page, 'models/gpt.py');
    // the editor computes the advice of the visible file on its own (for its diagnostics)
    await expect
      .poll(() => trace().some((l) => /advice: \d+ suggestions.* gpt\.py v\d+/.test(l)), { timeout: 90_000, interval: 250 })
      .toBe(true);
    const requested = trace().filter((l) => l.includes('advice requested')).length;
    const t0 = performance.now();
    await runCommand(page, 'WattLens: Show Energy Report');
    panel = webviewFrame(page);
    await panel.locator('vscode-tab-header[data-tab="suggestions"]').click({ timeout: 60_000 });
    await expect.poll(() => shownRules(panel), { timeout: 60_000 }).toEqual(ranked.map((s) => s.rule));
    console.log(
      `[wattlens-e2e] panel suggestions shown ${(performance.now() - t0).toFixed(0)} ms after Show Energy Report: ${ranked.map((s) => s.rule).join(', ')}`,
    );
    // the panel read the editor's result: no second computation of the same version
    expect(trace().filter((l) => l.includes('advice requested')).length).toBe(requested);
    for (const s of ranked) expect(await shownRows(panel, s.rule), s.rule).toEqual(expectedRows(s));
    const sdpa = panel.locator('.suggestion[data-rule="sdpa"]');
    expect(await sdpa.innerText()).toContain(ranked[0]!.message);
    const activations = (await shownRows(panel, 'sdpa')).find((r) => r[0] === 'Activations')!;
    expect(activations.slice(1, 3)).toEqual([
      formatBytes(ranked[0]!.before.activationBytes),
      formatBytes(ranked[0]!.after.activationBytes),
    ]);
    expect(ranked[0]!.after.activationBytes!).toBeLessThan(ranked[0]!.before.activationBytes!);
    await saveScreenshot(page, 'panel-advice-before');
  });

  it("applies sdpa through the editor's gate: the line calls scaled_dot_product_attention and the list is re-advised", async () => {
    const { page } = session;
    const fixed = cliFix(original, 'sdpa');
    const next = cliAdvice(fixed).filter((s) => s.rule !== DISABLED);
    expect(next.map((s) => s.rule)).not.toContain('sdpa');
    await panel.locator('.suggestion[data-rule="sdpa"] vscode-button.apply').click();
    await expect
      .poll(
        () =>
          panel
            .locator('.notice')
            .first()
            .innerText()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('Applied sdpa');
    expect(trace().some((l) => l.includes('fix sdpa applied'))).toBe(true);

    await expect.poll(() => getLineText(page, 42), { timeout: 15_000 }).toContain('F.scaled_dot_product_attention(');
    expect((await getLineText(page, 42)).trim()).toBe(fixed.split('\n')[41]!.trim());
    expect(await getLineText(page, 43)).not.toContain('softmax');

    // the suggestions of the rewritten text, in the CLI's ranking and figures
    await expect.poll(() => shownRules(panel), { timeout: 60_000 }).toEqual(next.map((s) => s.rule));
    for (const s of next) await expect.poll(() => shownRows(panel, s.rule), { timeout: 15_000 }).toEqual(expectedRows(s));
    const checkpointingBefore = ranked.find((s) => s.rule === 'checkpointing')!;
    const checkpointingAfter = next.find((s) => s.rule === 'checkpointing')!;
    expect(expectedRows(checkpointingAfter)).not.toEqual(expectedRows(checkpointingBefore));
    await saveScreenshot(page, 'panel-advice-after');
    expect(session.outputChannel('WattLens')).not.toMatch(/CSP violation|dropped a malformed message/);
  });
});
