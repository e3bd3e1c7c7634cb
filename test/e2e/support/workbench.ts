// Reading and driving the VS Code workbench through its DOM. Every selector is in SELECTORS,
// checked against code-server 4.139.1 (VS Code 1.139.1); see test/e2e/README.md.
// Line numbers are 1-based, as the editor shows them. Helpers that read a line reveal it first.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../../../scripts/e2e/code-server.mjs';
import { codeLensRows, pointOfText, probeLine, type LineProbe, type PageElement } from './in-page';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test', 'e2e', 'artifacts');

export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRow: '.explorer-folders-view [role="treeitem"]',
  activeTab: '.editor-group-container.active .tab.active',
  activeEditor: '.editor-group-container.active .editor-instance .monaco-editor',
  viewLine: '.view-lines .view-line',
  lineNumber: '.margin-view-overlays .line-numbers',
  /** Inlay hint text is injected into the view line as spans styled by dynamic CSS rules. */
  inlayHintPart: '[class*="dyn-rule-"]',
  codeLens: '.codelens-decoration',
  hover: '.monaco-hover:not(.hidden)',
  squiggle: '.view-overlays .cdr[class*="squiggly-"]',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-list .monaco-list-row',
  problemsRow: '.markers-panel .monaco-list-row',
  statusBarItem: '.statusbar-item',
  outputLine: '.part.panel .output-view .view-line',
  runningExtensionRow: '.runtime-extensions-editor .monaco-list-row',
  /** A webview's content is two iframes deep. */
  webview: 'iframe.webview.ready',
  webviewContent: '#active-frame',
} as const;

/** Waits until the workbench shows the workspace's files in the explorer. */
export async function waitForWorkbench(page: Page, timeout = 90_000): Promise<void> {
  await page.locator(SELECTORS.workbench).waitFor({ timeout });
  await page.locator(SELECTORS.explorerRow).first().waitFor({ timeout });
}

/** Runs a command by its palette label, e.g. 'Developer: Show Running Extensions'. */
export async function runCommand(page: Page, label: string): Promise<void> {
  await pickQuickInput(page, 'Control+Shift+P', `>${label}`, label);
}

/**
 * Opens a workspace file through the explorer, e.g. 'models/cnn.py', and waits for its editor.
 * (Clicking rows is reliable; Enter in quick open was flaky.)
 */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const segments = relativePath.split('/');
  for (const [index, name] of segments.entries()) {
    // Root entries of a one-folder workspace are at aria-level 1.
    const row = page.locator(`${SELECTORS.explorerRow}[aria-level="${index + 1}"][aria-label="${name}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    const isFolder = index < segments.length - 1;
    if (!isFolder || (await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const fileName = segments.at(-1)!;
  await page.locator(SELECTORS.activeTab, { hasText: fileName }).waitFor({ timeout: 30_000 });
  await activeEditor(page).locator(SELECTORS.viewLine).first().waitFor({ timeout: 30_000 });
}

/** The text editor that has focus in the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator(SELECTORS.activeEditor).first();
}

/** Moves the cursor to line:column with Go to Line, which also scrolls the line into view. */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await page.locator(SELECTORS.activeTab).click(); // focuses the editor without touching its text
  await pickQuickInput(page, 'Control+G', `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
  await page
    .locator(`${SELECTORS.statusBarItem}#status\\.editor\\.selection`, { hasText: new RegExp(`^Ln ${line}, Col ${column}$`) })
    .waitFor({ timeout: 10_000 });
}

/** The source text of a line as rendered, without inlay hints (non-breaking spaces made plain). */
export async function getLineText(page: Page, line: number): Promise<string> {
  return (await probe(page, line)).text;
}

/**
 * Inlay hints shown on a line, e.g. ['width:', 'height:'], in order. Adjacent hint parts with
 * no source text between them are joined into one entry.
 */
export async function getInlayHintTexts(page: Page, line: number): Promise<string[]> {
  return (await probe(page, line)).hints;
}

/**
 * Text of `before`/`after` decorations on a line (TextEditorDecorationType with contentText),
 * which the editor renders as CSS ::before/::after content rather than as text.
 */
export async function getDecorationTexts(page: Page, line: number): Promise<string[]> {
  return (await probe(page, line)).decorations;
}

/** Squiggle kinds under a line's text: 'error', 'warning', 'info', 'hint', 'unnecessary', ... */
export async function getSquiggles(page: Page, line: number): Promise<string[]> {
  return (await probe(page, line)).squiggles;
}

export interface CodeLens {
  /** The line the lens stands above. */
  line: number;
  /** The whole lens row as shown, e.g. '1 reference' or 'Accept Current Change | Accept Incoming Change'. */
  text: string;
  /** One entry per lens command in the row. */
  items: string[];
}

/** CodeLens rows currently rendered in the active editor, top to bottom. */
export async function getCodeLenses(page: Page): Promise<CodeLens[]> {
  return activeEditor(page).evaluate(codeLensRows);
}

/** Texts of all CodeLens rows, top to bottom. */
export async function getCodeLensTexts(page: Page): Promise<string[]> {
  return (await getCodeLenses(page)).map((lens) => lens.text);
}

/**
 * Hovers the mouse over the first occurrence of `text` on `line` and returns the hover's text.
 * With `contains`, waits until the hover shows it (hovers may show 'Loading...' first).
 */
export async function hoverAt(
  page: Page,
  line: number,
  text: string,
  options: { contains?: string | RegExp; timeout?: number } = {},
): Promise<string> {
  await revealLine(page, line);
  // Start from no hover, so the one read is the one this call opens.
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await page
    .locator(SELECTORS.hover)
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  const point = await activeEditor(page).evaluate(pointOfText, { line, text, hintSelector: SELECTORS.inlayHintPart });
  if (!point) throw new Error(`'${text}' not found on line ${line}`);
  await page.mouse.move(point.x, point.y);
  const hover = page
    .locator(SELECTORS.hover)
    .filter({ hasText: options.contains ?? /\S/ })
    .first();
  await hover.waitFor({ state: 'visible', timeout: options.timeout ?? 15_000 });
  return (await hover.innerText()).trim();
}

/** Types `text` at line:column as keystrokes (auto-closing brackets and the like apply). */
export async function typeAt(page: Page, line: number, column: number, text: string): Promise<void> {
  await goToLine(page, line, column);
  await page.keyboard.type(text);
}

/** Replaces the first occurrence of `oldText` on `line` with `newText`, by selecting and typing. */
export async function replaceOnLine(page: Page, line: number, oldText: string, newText: string): Promise<void> {
  const source = await getLineText(page, line);
  const at = source.indexOf(oldText);
  if (at < 0) throw new Error(`'${oldText}' not found on line ${line}: ${source}`);
  await goToLine(page, line, at + 1);
  for (let i = 0; i < oldText.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type(newText);
}

export interface Problem {
  severity: string;
  message: string;
  line: number;
  column: number;
  /** The row's full accessible label. */
  label: string;
}

/** Opens the Problems panel and returns its markers (file rows are skipped). */
export async function getProblems(page: Page): Promise<Problem[]> {
  await runCommand(page, 'Problems: Focus on Problems View');
  await page.locator('.markers-panel').waitFor();
  const labels = await page
    .locator(SELECTORS.problemsRow)
    .evaluateAll((rows: PageElement[]) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  return labels.flatMap((label) => {
    // e.g. "Error: Type 'string' is not assignable ... at line 17 and character 7. generated by ts"
    const match = /^(\w+): ([\s\S]*) at line (\d+) and character (\d+)\./.exec(label);
    return match ? [{ severity: match[1]!, message: match[2]!, line: Number(match[3]), column: Number(match[4]), label }] : [];
  });
}

export interface StatusBarItem {
  /** Element id: 'status.problems' for the workbench's own, '<publisher>.<name>.<id>' for an extension's. */
  id: string;
  label: string;
  text: string;
}

export async function getStatusBarItems(page: Page): Promise<StatusBarItem[]> {
  return page.locator(SELECTORS.statusBarItem).evaluateAll((items: PageElement[]) =>
    items.map((item) => ({
      id: item.id,
      label: item.getAttribute('aria-label') ?? '',
      text: item.innerText.replace(/\s+/g, ' ').trim(),
    })),
  );
}

/** Shows an output channel in the Output panel; retries while the channel does not exist yet. */
export async function showOutputChannel(page: Page, channel: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    await pickQuickInput(page, 'Control+Shift+P', '>Output: Show Output Channels...', 'Output: Show Output Channels...');
    await page.locator(SELECTORS.quickInputBox).fill(channel);
    const row = page
      .locator(SELECTORS.quickInputRow)
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(channel)}$`) }) });
    if (await appears(row.first(), 1_000)) {
      await row.first().click();
      await page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`Output channel '${channel}' did not appear within ${timeout / 1000} s`);
    await page.waitForTimeout(500);
  }
}

/** Lines visible in the Output panel. */
export async function getOutputPanelText(page: Page): Promise<string> {
  const lines = await page.locator(SELECTORS.outputLine).evaluateAll((els: PageElement[]) =>
    els
      .map((el) => ({ top: Number.parseFloat(el.style.top), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((entry) => entry.text),
  );
  return lines.join('\n');
}

/**
 * Activation time VS Code measured for an extension, from Developer: Show Running Extensions
 * (row text 'Activation: 150ms', or 'Startup Activation: ...'); the view is closed again.
 * Undefined while the extension is not activated.
 */
export async function getActivationTimeMs(page: Page, displayName: string): Promise<number | undefined> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const rows = page.locator(SELECTORS.runningExtensionRow);
  await rows.first().waitFor();
  const row = rows.filter({ has: page.locator('.name', { hasText: new RegExp(`^${escapeRegExp(displayName)}$`) }) }).first();
  // The list is sorted slowest first and only renders what fits: a quick extension may sit below.
  if (!(await row.isVisible())) {
    await rows.first().click();
    await page.keyboard.press('End');
  }
  const text = (await appears(row, 2_000)) ? await row.locator('.activation-time').innerText() : '';
  // It opens as a modal editor, which Escape closes.
  await page.keyboard.press('Escape');
  await rows.first().waitFor({ state: 'hidden' });
  const match = /Activation:\s*([\d.]+)\s*ms/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The content frame of a webview (the latest one opened unless `index` says otherwise). */
export function webviewFrame(page: Page, index?: number): FrameLocator {
  const outer = page.locator(SELECTORS.webview);
  const chosen = index === undefined ? outer.last() : outer.nth(index);
  return chosen.contentFrame().frameLocator(SELECTORS.webviewContent);
}

/** Saves a full-page screenshot to test/e2e/artifacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

async function probe(page: Page, line: number): Promise<LineProbe> {
  await revealLine(page, line);
  return activeEditor(page).evaluate(probeLine, { line, hintSelector: SELECTORS.inlayHintPart });
}

async function revealLine(page: Page, line: number): Promise<void> {
  const visible = await activeEditor(page)
    .locator(SELECTORS.lineNumber)
    .filter({ hasText: new RegExp(`^${line}$`) })
    .isVisible()
    .catch(() => false);
  if (!visible) await goToLine(page, line);
}

// Opens a quick input with `shortcut`, types `value`, and clicks the row labelled `pick` if given.
// An attempt that fails is closed and tried again, up to 3 times: seen in CI, a palette that stayed
// on an empty list right after the extension host started, and a quick input still closing (it
// was visible, then hidden before the text went in).
async function pickQuickInput(page: Page, shortcut: string, value: string, pick?: string): Promise<void> {
  const box = page.locator(SELECTORS.quickInputBox);
  const row = page
    .locator(SELECTORS.quickInputRow)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(pick ?? '')}$`) }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    try {
      if (!(await box.isVisible())) await page.keyboard.press(shortcut);
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await box.fill(value, { timeout: 5_000 });
      if (pick === undefined) return;
      await row.click({ timeout: attempt < 3 ? 5_000 : 10_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
      await box.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }
}

function appears(locator: Locator, timeout: number): Promise<boolean> {
  return locator.waitFor({ state: 'visible', timeout }).then(
    () => true,
    () => false,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
