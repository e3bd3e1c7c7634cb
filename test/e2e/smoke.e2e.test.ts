// WattLens installed from its .vsix into a real VS Code (code-server), driven in headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type Session } from './support/session';
import {
  getActivationTimeMs,
  getLineText,
  getOutputPanelText,
  getStatusBarItems,
  openFile,
  saveScreenshot,
  SELECTORS,
  showOutputChannel,
} from './support/workbench';

describe.each([
  { mode: 'a trusted workspace', trust: 'disabled' as const },
  // Static analysis never runs user code, so WattLens must work in Restricted Mode too.
  { mode: 'Restricted Mode', trust: 'restricted' as const },
])('WattLens in $mode', ({ trust }) => {
  let session: Session;

  beforeAll(async () => {
    session = await openSession({ workspace: 'examples', trust });
  });
  afterAll(async () => {
    await session?.close();
  });

  it('opens examples/, shows models/cnn.py and activates the extension', async () => {
    const { page } = session;
    const rows = await page.locator(SELECTORS.explorerRow).allInnerTexts();
    expect(rows).toContain('models');

    await openFile(page, 'models/cnn.py');
    expect(await getLineText(page, 10)).toBe('        self.conv1 = nn.Conv2d(3, width, kernel_size=3, padding=1)');
    await expect
      .poll(() => getStatusBarItems(page), { timeout: 30_000 })
      .toContainEqual(expect.objectContaining({ id: 'status.editor.mode', text: 'Python' }));
    if (trust === 'restricted') {
      await expect
        .poll(() => getStatusBarItems(page), { timeout: 30_000 })
        .toContainEqual(expect.objectContaining({ id: 'status.workspaceTrust', text: 'Restricted Mode' }));
    }

    // The extension host starts after the workbench; activation follows the Python file.
    await expect.poll(() => session.outputChannel('WattLens'), { timeout: 60_000, interval: 250 }).toContain('WattLens activated');
    await showOutputChannel(page, 'WattLens');
    await expect.poll(() => getOutputPanelText(page), { timeout: 10_000 }).toContain('WattLens activated');

    const screenshot = await saveScreenshot(page, `smoke-${trust === 'restricted' ? 'restricted' : 'trusted'}`);
    const activationMs = await getActivationTimeMs(page, 'WattLens');
    expect(activationMs).toBeGreaterThan(0);
    console.log(
      `[wattlens-e2e] ${trust === 'restricted' ? 'Restricted Mode' : 'trusted'}: workbench loaded in ${Math.round(session.workbenchLoadMs)} ms, ` +
        `WattLens activation ${activationMs} ms (VS Code's Running Extensions), screenshot ${screenshot}`,
    );
  });
});
