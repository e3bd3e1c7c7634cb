// Checks the DOM helpers against VS Code's own built-in features (JavaScript language support,
// merge-conflict decorations, Markdown preview), so they are known to work before WattLens
// shows anything through them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from './support/session';
import { timeUntil } from './support/timing';
import {
  getCodeLenses,
  getCodeLensTexts,
  getDecorationTexts,
  getInlayHintTexts,
  getLineText,
  getProblems,
  getSquiggles,
  getStatusBarItems,
  hoverAt,
  openFile,
  replaceOnLine,
  runCommand,
  saveScreenshot,
  webviewFrame,
} from './support/workbench';

// Written at run time, so the repo never holds a file with conflict markers.
const CONFLICT = ['first line', '<<<<<<< HEAD', 'ours', '=======', 'theirs', '>>>>>>> feature', 'last line', ''].join('\n');

describe('workbench helpers on built-in features', () => {
  let session: Session;

  beforeAll(async () => {
    session = await openSession({ workspace: 'test/e2e/fixtures/builtin-features', files: { 'conflict.txt': CONFLICT } });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('reads inlay hints, CodeLenses, hovers, squiggles, problems and status bar items from a JavaScript file', async () => {
    const { page } = session;
    await openFile(page, 'shapes.js');

    // The TypeScript server needs a while on first start: poll rather than sleep.
    await expect.poll(() => getInlayHintTexts(page, 14), { timeout: 60_000 }).toEqual(['width:', 'height:']);
    expect(await getLineText(page, 14)).toBe('export const square = area(3, 3);');
    await expect
      .poll(() => getCodeLenses(page), { timeout: 30_000 })
      .toContainEqual({ line: 10, text: '1 reference', items: ['1 reference'] });

    const hover = await hoverAt(page, 14, 'area', { contains: 'function area' });
    expect(hover).toContain('function area(width: number, height: number): number');

    await expect.poll(() => getSquiggles(page, 17), { timeout: 30_000 }).toContain('error');
    const problems = await getProblems(page);
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'Error',
        line: 17,
        column: 7,
        message: expect.stringContaining("Type 'string' is not assignable to type 'number'"),
      }),
    );

    await expect
      .poll(() => getStatusBarItems(page), { timeout: 30_000 })
      .toContainEqual(expect.objectContaining({ id: 'status.editor.mode', text: 'JavaScript' }));
    await saveScreenshot(page, 'helpers-javascript');
  });

  it('sees an edit reach the language server: the hint follows a renamed parameter', async () => {
    const { page } = session;
    await openFile(page, 'shapes.js');
    await replaceOnLine(page, 10, 'width, height', 'w, height');
    const latencyMs = await timeUntil(async () => (await getInlayHintTexts(page, 14))[0] === 'w:', { timeoutMs: 30_000 });
    await replaceOnLine(page, 11, 'width', 'w');
    expect(await getLineText(page, 11)).toBe('  return w * height;');
    await expect.poll(() => getInlayHintTexts(page, 14), { timeout: 30_000 }).toEqual(['w:', 'height:']);
    console.log(`[wattlens-e2e] built-in JavaScript inlay hint followed the edit after ${Math.round(latencyMs)} ms`);
  });

  it('reads after-decorations and CodeLens items from the merge-conflict extension', async () => {
    const { page } = session;
    await openFile(page, 'conflict.txt');
    await expect.poll(() => getDecorationTexts(page, 2), { timeout: 30_000 }).toContain('(Current Change)');
    await expect.poll(() => getCodeLensTexts(page), { timeout: 30_000 }).toHaveLength(1);
    const [lens] = await getCodeLenses(page);
    expect(lens?.line).toBe(2);
    expect(lens?.items).toEqual(expect.arrayContaining(['Accept Current Change', 'Accept Incoming Change']));
  });

  it('reads a webview: the Markdown preview', async () => {
    const { page } = session;
    await openFile(page, 'README.md');
    await runCommand(page, 'Markdown: Open Preview');
    const heading = webviewFrame(page).locator('h1');
    await heading.waitFor({ timeout: 30_000 });
    expect(await heading.innerText()).toBe('Built-in features fixture');
  });
});
