// The advisor in a real VS Code (code-server) in headless Chromium, on examples/models/gpt.py
// (hand-written causal attention at line 42): the sdpa suggestion appears as a diagnostic with
// its before → after figures, its quick fix (Ctrl+.) rewrites the attention into
// F.scaled_dot_product_attention and the activation memory in the lens drops; a fix is not
// offered for a text that changed after its advice (version check) until the new advice arrives;
// the latency from an edit to the updated advisor diagnostic. Expected figures come from the
// CLI (`wattlens advise --json`) on the same text, never from numbers typed here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/e2e/code-server.mjs';
import type { Suggestion } from '../../src/core/advisor/types';
import { figureChanges } from '../../src/core/editor/adviceView';
import { formatBytes } from '../../src/core/report/format';
import { openSession, type Session } from './support/session';
import { timeUntil } from './support/timing';
import {
  getCodeLensTexts,
  getLineText,
  getProblems,
  goToLine,
  openFile,
  replaceOnLine,
  runCommand,
  saveScreenshot,
  SELECTORS,
  type Problem,
} from './support/workbench';

const scratch = mkdtempSync(join(tmpdir(), 'wattlens-e2e-advice-'));

/** The CLI's advice for a text (written beside nothing it imports but torch). */
function cliAdvice(text: string): Suggestion[] {
  const file = join(scratch, `gpt-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, text);
  return (
    JSON.parse(execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'advise', file, '--json'], { encoding: 'utf8' })) as {
      suggestions: Suggestion[];
    }
  ).suggestions;
}

/** Edits are left out of --json: the rewritten text comes from --fix. */
function cliFix(text: string, rule: string): string {
  const file = join(scratch, 'fix.py');
  writeFileSync(file, text);
  return execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'advise', file, '--fix', rule], { encoding: 'utf8' });
}

/** The Problems panel's markers as shown now (the panel must be open; no command is run, so polling is cheap). */
async function shownProblems(page: Page): Promise<Problem[]> {
  const labels = await page.locator(SELECTORS.problemsRow).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  return labels.flatMap((label) => {
    const match = /^(\w+): ([\s\S]*) at line (\d+) and character (\d+)\./.exec(label);
    return match ? [{ severity: match[1]!, message: match[2]!, line: Number(match[3]), column: Number(match[4]), label }] : [];
  });
}

const ACTION_ROW = '.action-widget .monaco-list-row';
const NO_ACTIONS = '.monaco-editor-overlaymessage';

/** Opens the quick-fix menu (Ctrl+.) at the cursor and returns its entries ([] when VS Code says there are none). */
async function quickFixTitles(page: Page): Promise<string[]> {
  await page.keyboard.press('Control+.');
  const rows = page.locator(ACTION_ROW);
  const none = page.locator(NO_ACTIONS, { hasText: /No code actions/i });
  await Promise.race([
    rows.first().waitFor({ state: 'visible', timeout: 10_000 }),
    none.first().waitFor({ state: 'visible', timeout: 10_000 }),
  ]).catch(() => {});
  if (
    !(await rows
      .first()
      .isVisible()
      .catch(() => false))
  )
    return [];
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

describe('WattLens advisor in the editor (gpt.py, dark theme)', () => {
  let session: Session;
  let original: string;
  let sdpa: Suggestion;
  const started = performance.now();

  beforeAll(async () => {
    session = await openSession({
      workspace: 'examples',
      settings: { 'workbench.colorTheme': 'Default Dark Modern', 'wattlens.gpu': 'none' },
      env: { WATTLENS_TRACE: '1' },
    });
    original = readFileSync(join(session.workspaceDir, 'models', 'gpt.py'), 'utf8');
    sdpa = cliAdvice(original).find((s) => s.rule === 'sdpa')!;
    expect(sdpa).toMatchObject({ line: 42, fixable: true });
  });
  afterAll(async () => {
    const trace =
      session
        ?.outputChannel('WattLens')
        .split('\n')
        .filter((l) => l.includes('advice') || l.includes('fix ')) ?? [];
    if (trace.length) console.log(`[wattlens-e2e] advisor trace:\n${trace.slice(-12).join('\n')}`);
    await session?.close();
    rmSync(scratch, { recursive: true, force: true });
    console.log(`[wattlens-e2e] advisor e2e: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('shows the sdpa suggestion in the Problems panel with its before → after figures', async () => {
    const { page } = session;
    await openFile(page, 'models/gpt.py');
    const figures = `activations ${formatBytes(sdpa.before.activationBytes)} → ${formatBytes(sdpa.after.activationBytes)}`;
    const found = async () => (await getProblems(page)).find((p) => p.line === 42 && p.message.includes('F.scaled_dot_product_attention'));
    await expect.poll(async () => (await found())?.message ?? '', { timeout: 90_000 }).toContain(figures);
    const problem = (await found())!;
    expect(problem.severity).toBe('Info');
    expect(problem.message).toContain(sdpa.message);
    expect(problem.message).toContain('(engine on the rewritten code)');
    console.log(`[wattlens-e2e] sdpa diagnostic: ${problem.message.split('\n').slice(0, 2).join(' / ')}`);
  });

  it('lists the suggestions ranked by saving with WattLens: Show Suggestions, and goes to the one picked', async () => {
    const { page } = session;
    const ranked = cliAdvice(original);
    await runCommand(page, 'WattLens: Show Suggestions');
    const rows = page.locator(SELECTORS.quickInputRow);
    await expect.poll(async () => (await rows.allInnerTexts()).length, { timeout: 15_000 }).toBe(ranked.length);
    const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
    expect(texts.map((t) => t.split(':')[0])).toEqual(ranked.map((s) => s.rule));
    expect(texts[0]).toContain(`activations ${formatBytes(sdpa.before.activationBytes)} → ${formatBytes(sdpa.after.activationBytes)}`);
    expect(texts[0]).toContain('quick fix');
    const checkpointing = ranked.find((s) => s.rule === 'checkpointing')!;
    await rows.filter({ hasText: 'checkpointing:' }).first().click();
    // the second step offers the fix; Escape only shows the line
    await page.locator(SELECTORS.quickInputRow, { hasText: 'Apply the fix' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await page
      .locator(`${SELECTORS.statusBarItem}#status\\.editor\\.selection`, { hasText: new RegExp(`^Ln ${checkpointing.line}, Col 1$`) })
      .waitFor({ timeout: 10_000 });
  });

  it('applies the quick fix: the line calls scaled_dot_product_attention and the lens activations drop', async () => {
    const { page } = session;
    await goToLine(page, 77); // class GPT: its lens is in view
    const before = `activations ${formatBytes(sdpa.before.activationBytes)}`;
    await expect.poll(async () => (await getCodeLensTexts(page)).join('\n'), { timeout: 15_000 }).toContain(before);

    await goToLine(page, 42, 9);
    const titles = await quickFixTitles(page);
    const title = titles.find((t) => t.includes('Use F.scaled_dot_product_attention'));
    expect(title, titles.join(' | ')).toBeDefined();
    expect(title).toContain(figureChanges(sdpa.before, sdpa.after, 'macs')[0]);
    expect(titles.some((t) => t.includes('Show suggestions for this file'))).toBe(true);
    await saveScreenshot(page, 'advisor-quickfix');
    await page.locator(ACTION_ROW, { hasText: 'Use F.scaled_dot_product_attention' }).first().click();

    await expect.poll(() => getLineText(page, 42), { timeout: 10_000 }).toContain('scaled_dot_product_attention');
    const fixed = cliFix(original, 'sdpa');
    expect((await getLineText(page, 42)).trim()).toBe(fixed.split('\n')[41].trim());

    await goToLine(page, 73); // class GPT, 4 lines up
    const after = `activations ${formatBytes(sdpa.after.activationBytes)}`;
    await expect.poll(async () => (await getCodeLensTexts(page)).join('\n'), { timeout: 15_000 }).toContain(after);
    expect((await getCodeLensTexts(page)).join('\n')).not.toContain(before);
    expect(sdpa.after.activationBytes!).toBeLessThan(sdpa.before.activationBytes!);
    await goToLine(page, 42, 9);
    await saveScreenshot(page, 'advisor-after-fix');
  });

  it('offers no fix for advice of an older text (version check), and offers it again with the new advice', async () => {
    const { page } = session;
    // the text on screen now: the original with the sdpa rewrite
    const now = cliFix(original, 'sdpa');
    const checkpointing = cliAdvice(now).find((s) => s.rule === 'checkpointing')!;
    expect(checkpointing?.fixable).toBe(true);
    const line = checkpointing.line;
    // the advice of the rewritten text has arrived: the fix is offered
    await expect
      .poll(
        async () => {
          await goToLine(page, line, 9);
          const titles = await quickFixTitles(page);
          await page.keyboard.press('Escape');
          return titles.join(' | ');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toContain('Run each block under torch.utils.checkpoint');

    // an edit, then the quick-fix menu at once: the diagnostic is still shown, its advice is for the older text
    const end = (await getLineText(page, line)).length + 1;
    await goToLine(page, line, end);
    await page.keyboard.type(' ');
    const stale = await quickFixTitles(page);
    await page.keyboard.press('Escape');
    expect(stale.filter((t) => t.includes('torch.utils.checkpoint'))).toEqual([]);
    const problems = await shownProblems(page);
    console.log(
      `[wattlens-e2e] quick fixes right after an edit: ${stale.length ? stale.join(' | ') : '(none)'}; checkpointing diagnostic still listed: ${problems.some((p) => p.line === line)}`,
    );

    // once the advice of the edited text is in, the fix is back
    await expect
      .poll(
        async () => {
          await goToLine(page, line, 9);
          const titles = await quickFixTitles(page);
          await page.keyboard.press('Escape');
          return titles.join(' | ');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toContain('Run each block under torch.utils.checkpoint');
  });

  it('updates the advisor diagnostic after an edit (latency)', async () => {
    const { page } = session;
    // n_layer 6 -> 8 (line 14): the checkpointing suggestion's training-memory figures change
    const edited = cliFix(original, 'sdpa').replace('n_layer: int = 6', 'n_layer: int = 8');
    const expected = cliAdvice(edited).find((s) => s.rule === 'checkpointing')!;
    const figure = `training memory ${formatBytes(expected.before.trainingMemoryBytes ?? null)} → ${formatBytes(expected.after.trainingMemoryBytes ?? null)}`;
    await getProblems(page); // opens the Problems panel; it stays open while the editor has focus
    expect((await shownProblems(page)).some((p) => p.message.includes(figure))).toBe(false);
    await replaceOnLine(page, 14, '6', '8');
    const latency = await timeUntil(
      async () => (await shownProblems(page)).some((p) => p.line === expected.line && p.message.includes(figure)),
      { timeoutMs: 20_000, intervalMs: 25 },
    );
    console.log(`[wattlens-e2e] advice latency (edit -> updated advisor diagnostic): ${Math.round(latency)} ms ("${figure}")`);
    const trace = session
      .outputChannel('WattLens')
      .split('\n')
      .filter((l) => l.startsWith('[trace]') && l.includes('gpt.py'))
      .slice(-8);
    console.log(`[wattlens-e2e] WATTLENS_TRACE=1:\n${trace.join('\n')}`);
    expect(latency).toBeLessThan(5_000);
    await saveScreenshot(page, 'advisor-problems');
  });
});
