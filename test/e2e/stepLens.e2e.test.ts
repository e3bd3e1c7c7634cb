// The static step estimate and the training-loop forecast in a real VS Code (code-server): with
// wattlens.gpu = "H100 SXM", models/cnn.py's lens shows the estimated time and energy of a step
// before any pilot; after a CPU pilot of train_cnn.py the calibrated figure replaces it, and
// train_cnn.py shows the full run's forecast above its training loop. Expected texts come from
// the CLI's analysis and the run record, never from numbers typed here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/e2e/code-server.mjs';
import { stepEstimateText } from '../../src/core/editor/stepLens';
import type { FileReport } from '../../src/core/report/types';
import { openSession, type Session } from './support/session';
import { getCodeLensTexts, openFile } from './support/workbench';
import { PYTHON } from './support/python';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
/** Screenshots for the docs when WATTLENS_E2E_SCREENSHOTS names a folder. */
async function screenshot(session: Session, name: string): Promise<void> {
  const dir = process.env.WATTLENS_E2E_SCREENSHOTS;
  if (dir) await session.page.screenshot({ path: join(dir, name) });
}

const lensRows = async (session: Session) => (await getCodeLensTexts(session.page)).join('\n');

describe('WattLens step estimate before a pilot, forecast on the training loop after one', () => {
  let session: Session;
  let estimate: string;

  beforeAll(async () => {
    // wattlens.gpu is machine-overridable: in a remote window (code-server is one) a user-level
    // value stays on the user's own machine, so the workspace names the GPU, as docs/remote.md says
    const workspaceSettings = { 'editor.inlayHints.enabled': 'on', 'editor.codeLens': true, 'wattlens.gpu': 'H100 SXM' };
    session = await openSession({ workspace: 'examples', files: { '.vscode/settings.json': JSON.stringify(workspaceSettings, null, 2) } });
    const report = JSON.parse(
      execFileSync(process.execPath, [CLI, 'analyze', join(session.workspaceDir, 'models', 'cnn.py'), '--gpu', 'H100 SXM', '--json'], {
        encoding: 'utf8',
      }),
    ) as FileReport;
    const cnn = report.models.find((m) => m.name === 'CifarCNN')!;
    estimate = stepEstimateText(cnn.stepEstimate!);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the static estimate on the configured GPU before any pilot', async () => {
    await openFile(session.page, 'models/cnn.py');
    await expect.poll(() => lensRows(session), { timeout: 60_000 }).toContain(estimate);
    expect(estimate).toMatch(/per step on H100 SXM \(fp32, batch \d+, estimated\)$/);
    await screenshot(session, 'step-estimate-before-pilot.png');
  });

  it('replaces it with the calibrated figure after a pilot, and forecasts on the training loop', async () => {
    const out = execFileSync(
      process.execPath,
      [CLI, 'pilot', 'train_cnn.py', '--steps', '12', '--json', '--python', PYTHON, '--workspace', session.workspaceDir],
      { cwd: join(session.workspaceDir, 'models'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const { id, status } = JSON.parse(out) as { id: string; status: string };
    expect(status).toBe('completed');
    await expect.poll(() => lensRows(session), { timeout: 30_000 }).toContain('calibrated from pilot of');
    expect(await lensRows(session)).not.toContain(estimate);
    await screenshot(session, 'step-estimate-after-pilot.png');

    const record = JSON.parse(readFileSync(join(session.workspaceDir, '.wattlens', 'runs', `${id}.json`), 'utf8')) as {
      finishedAt: string;
      summary: { device: string };
    };
    await openFile(session.page, 'models/train_cnn.py');
    await expect
      .poll(() => lensRows(session), { timeout: 60_000 })
      .toContain(`— pilot of ${record.finishedAt.slice(0, 10)} on ${record.summary.device}`);
    expect(await lensRows(session)).toMatch(/full run/);
    await screenshot(session, 'training-loop-forecast.png');
  });
});
