// Pilot-calibrated hints in a real VS Code (code-server) in headless Chromium: models/cnn.py shows
// no energy until a pilot of train_cnn.py (which trains CifarCNN from cnn.py) completes; then the
// model's CodeLens shows its energy per step "calibrated from pilot of <date> on <device>" and the
// conv1 hint and hover its share of it, without reopening the file; wattlens.calibratedHints = false takes
// them away. The pilot is a real CLI pilot on Debian's CPU torch; the expected texts come from its
// run record and the CLI's analysis of the same file, never from numbers typed here.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/e2e/code-server.mjs';
import { calibratedFigures } from '../../src/core/editor/calibratedFigures';
import { calibrationOf, type Calibration } from '../../src/core/editor/calibration';
import type { RunRecord } from '../../src/core/pilot/runRecord';
import type { FileReport } from '../../src/core/report/types';
import { openSession, type Session } from './support/session';
import { timeUntil } from './support/timing';
import { getCodeLensTexts, getInlayHintTexts, hoverAt, openFile } from './support/workbench';
import { PYTHON } from './support/python';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const LABEL = 'calibrated from pilot of';

const lensRows = async (session: Session) => (await getCodeLensTexts(session.page)).join('\n');
const conv1Hint = async (session: Session) => (await getInlayHintTexts(session.page, 10)).join(' ');

describe('WattLens pilot-calibrated hints (cnn.py after a CPU pilot of train_cnn.py)', () => {
  let session: Session;
  let calibration: Calibration;
  let report: FileReport;

  beforeAll(async () => {
    session = await openSession({ workspace: 'examples', settings: { 'wattlens.gpu': 'none' }, env: { WATTLENS_TRACE: '1' } });
    report = JSON.parse(
      execFileSync(process.execPath, [CLI, 'analyze', join(session.workspaceDir, 'models', 'cnn.py'), '--json'], { encoding: 'utf8' }),
    ) as FileReport;
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows no energy before a pilot', async () => {
    await openFile(session.page, 'models/cnn.py');
    await expect.poll(() => lensRows(session), { timeout: 60_000 }).toContain('params');
    await expect.poll(() => conv1Hint(session), { timeout: 15_000 }).toContain('MACs');
    expect(await lensRows(session)).not.toContain(LABEL);
    expect(await conv1Hint(session)).not.toContain('J/step');
  });

  it("shows the pilot's energy per step in the lens and conv1's share in its hint once the pilot completes", async () => {
    // 12 steps of batch 64 (3 warm-up): a few seconds on one core
    const out = execFileSync(
      process.execPath,
      [CLI, 'pilot', 'train_cnn.py', '--steps', '12', '--json', '--python', PYTHON, '--workspace', session.workspaceDir],
      {
        cwd: join(session.workspaceDir, 'models'),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const { id, status } = JSON.parse(out) as { id: string; status: string };
    expect(status).toBe('completed');
    const runs = join(session.workspaceDir, '.wattlens', 'runs');
    expect(readdirSync(runs)).toContain(`${id}.json`);
    const record = JSON.parse(readFileSync(join(runs, `${id}.json`), 'utf8')) as RunRecord;
    const result = calibrationOf(record);
    if (!result.ok) throw new Error(result.reason);
    calibration = result.value;
    expect(calibration.file).toBe(join(session.workspaceDir, 'models', 'cnn.py'));

    const figures = calibratedFigures(report, [calibration]);
    const lens = figures.models.get('CifarCNN')!.lens!.text;
    const hint = figures.lines.get(10)!.hint;
    expect(lens).toContain(`${LABEL} ${calibration.finishedAt.slice(0, 10)} on ${calibration.device}`);
    const ms = await timeUntil(async () => (await lensRows(session)).includes(lens), { timeoutMs: 30_000 }).catch(
      async (error: unknown) => {
        // say what was shown instead, and what the extension logged, so a failure in CI can be read
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}: lens "${lens}" not shown; lenses:\n${await lensRows(session)}\nWattLens output:\n${session
            .outputChannel('WattLens')
            .split('\n')
            .filter((l) => !l.includes('[trace] hints'))
            .slice(-20)
            .join('\n')}`,
        );
      },
    );
    console.log(`[wattlens-e2e] calibrated lens "${lens}" ${Math.round(ms)} ms after the pilot CLI returned`);
    const watched = session
      .outputChannel('WattLens')
      .split('\n')
      .filter((l) => l.startsWith('[trace] run record'));
    console.log(`[wattlens-e2e] run record trace:\n${watched.join('\n')}`);
    await expect.poll(() => conv1Hint(session), { timeout: 15_000 }).toContain(hint);
    console.log(`[wattlens-e2e] conv1 hint: "${await conv1Hint(session)}"`);
    const hover = await hoverAt(session.page, 10, 'nn.Conv2d', { contains: LABEL });
    expect(hover).toContain('estimated by static analysis'); // the static hover stays, the calibrated part follows
    expect(hover).toContain(`${hint.replace('≈', '≈ ')} per training step`);
  });

  it('takes the calibrated figures away when wattlens.calibratedHints is false', async () => {
    writeFileSync(
      join(session.workspaceDir, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'editor.inlayHints.enabled': 'on',
          'editor.codeLens': true,
          'wattlens.calibratedHints': false,
        },
        null,
        2,
      ),
    );
    await expect.poll(() => lensRows(session), { timeout: 20_000 }).not.toContain(LABEL);
    await expect.poll(() => conv1Hint(session), { timeout: 15_000 }).not.toContain('J/step');
    expect(await lensRows(session)).toContain('params');
  });
});
