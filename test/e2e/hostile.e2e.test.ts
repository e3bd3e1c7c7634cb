// A hostile workspace opened in Restricted Mode: a Python file whose module-level code builds a
// tuple of 2**32 items (the analyzer must give up on it, not take the extension host down), and a
// .wattlens/runs/ holding a record symlinked to /dev/zero and a FIFO record (git carries the
// symlink; the history and the calibrations must skip both without blocking). WattLens must keep
// answering: CodeLenses on the normal models of the same workspace, and the report's history
// with the one good run and the two skipped records.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_RECORD_VERSION, type RunRecord } from '../../src/core/pilot/runRecord';
import { summarize } from '../../src/core/pilot/summary';
import { openSession, type Session } from './support/session';
import { getCodeLensTexts, getStatusBarItems, openFile, runCommand, saveScreenshot, webviewFrame } from './support/workbench';

const CRASH = `import torch.nn as nn

s = (0,) * 2**24
${Array.from({ length: 8 }, () => 's = s + s').join('\n')}


class Crash(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`;

function goodRecord(): RunRecord {
  const t = new Date().toISOString();
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id: 'good',
    state: 'completed',
    completion: 'budget-reached',
    createdAt: t,
    updatedAt: t,
    finishedAt: t,
    script: '/nonexistent/train.py',
    args: [],
    cwd: '/nonexistent',
    python: 'python3',
    gpus: 0,
    budget: { steps: 10, seconds: null },
    host: 'h',
    runnerPid: 1,
    harnessPid: null,
    runDir: 'good',
    message: null,
    error: null,
    summary: summarize([]),
    macs: null,
  };
}

/** WattLens answers when a file it has not shown yet gets its CodeLens. */
async function expectLensOn(session: Session, file: string): Promise<void> {
  await runCommand(session.page, 'View: Show Explorer'); // the report view may hold the side bar
  await openFile(session.page, file);
  await expect.poll(async () => (await getCodeLensTexts(session.page)).join('\n'), { timeout: 90_000 }).toMatch(/params/);
}

describe('WattLens in Restricted Mode with a hostile workspace', () => {
  let session: Session;

  beforeAll(async () => {
    session = await openSession({
      workspace: 'examples',
      trust: 'restricted',
      settings: { 'wattlens.gpu': 'none' },
      files: { 'hostile/crash.py': CRASH, '.wattlens/runs/good.json': JSON.stringify(goodRecord()) },
    });
    const runs = join(session.workspaceDir, '.wattlens', 'runs');
    symlinkSync('/dev/zero', join(runs, 'x.json'));
    execFileSync('mkfifo', [join(runs, 'fifo.json')]);
  });
  afterAll(async () => {
    const log = session?.outputChannel('WattLens') ?? '';
    console.log(`[wattlens-e2e] hostile workspace log:\n${log.split('\n').slice(-25).join('\n')}`);
    await session?.close();
  });

  it('opening the crash file leaves WattLens answering on a normal model', async () => {
    const { page } = session;
    await expect
      .poll(() => getStatusBarItems(page), { timeout: 30_000 })
      .toContainEqual(expect.objectContaining({ id: 'status.workspaceTrust', text: 'Restricted Mode' }));
    await openFile(page, 'hostile/crash.py');
    // the crash file gets a verdict (a failure or a skip in the status bar), not a dead host
    await expect
      .poll(async () => (await getStatusBarItems(page)).map((i) => i.text).join(' | '), { timeout: 90_000 })
      .toMatch(/WattLens: (analysis failed|not analyzed|no model)|Crash: /);
    await expectLensOn(session, 'models/cnn.py');
    await saveScreenshot(page, 'hostile-restricted-crash');
  }, 240_000);

  it('the report history lists the good run and skips the /dev/zero symlink and the FIFO, and WattLens still answers', async () => {
    const { page } = session;
    await expectLensOn(session, 'models/mlp.py');
    await runCommand(page, 'WattLens: Show Energy Report');
    const panel = webviewFrame(page);
    await panel.locator('vscode-tab-header[data-tab="history"]').click({ timeout: 60_000 });
    await panel.locator('.run[data-run="good"]').first().waitFor({ timeout: 60_000 });
    await expect
      .poll(() => panel.locator('vscode-collapsible').first().getAttribute('heading'), { timeout: 30_000 })
      .toBe('Records skipped (2)');
    await expect.poll(() => session.outputChannel('WattLens'), { timeout: 30_000 }).toMatch(/x\.json: a symbolic link, not followed/);
    expect(session.outputChannel('WattLens')).toMatch(/fifo\.json: not a regular file/);
    await saveScreenshot(page, 'hostile-restricted-history');
    // after the history read them, the host still answers a file it has not shown before
    await expectLensOn(session, 'models/gpt.py');
  }, 240_000);
});
