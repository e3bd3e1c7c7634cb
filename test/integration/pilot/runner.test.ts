// Pilots of a real training script on Debian's CPU PyTorch, through the core runner API.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forecastRun } from '../../../src/core/energy/forecast';
import { PilotInputError, startPilot, type PilotEvent } from '../../../src/core/pilot/runner';
import { listRuns, runsDir } from '../../../src/core/pilot/runStore';
import { MLP, newWorkspace, TORCH_PYTHON } from './helpers';

describe('pilot runner (real torch, CPU)', () => {
  it('records the right steps, the real losses, an estimated energy and a full-run forecast', async () => {
    const ws = newWorkspace();
    const lossLog = join(ws, 'losses.json');
    const handle = startPilot({
      script: MLP,
      args: ['--epochs', '3', '--loss-log', lossLog],
      workspaceDir: ws,
      python: TORCH_PYTHON,
      budget: { steps: 60 },
    });
    const seen: PilotEvent[] = [];
    for await (const e of handle) seen.push(e);
    const record = await handle.done;
    expect(record.state, record.message ?? '').toBe('completed');
    expect(record.completion).toBe('budget-reached');
    expect(record.summary.steps).toBe(60);
    // the script logged its own loss.item() per step (the 60th step stopped inside optimizer.step)
    const own: number[] = JSON.parse(readFileSync(lossLog, 'utf8'));
    expect(own).toHaveLength(59);
    record.summary.losses.slice(0, 59).forEach((l, i) => expect(l).toBeCloseTo(own[i]!, 6));
    expect(record.summary.energy.source).toBe('estimated');
    expect(record.summary.energy.joulesPerStep).toBeGreaterThan(0);
    expect(record.summary.dataLoader).toMatchObject({ length: 512, batchSize: 64 });
    expect(seen.filter((e) => e.kind === 'step')).toHaveLength(60);
    expect(seen.at(-1)?.kind).toBe('finished');
    const f = forecastRun({ summary: record.summary, epochs: 3 });
    expect(f.totalSteps).toBe(1536);
    expect(f.timeS).toBeCloseTo(1536 * record.summary.stepTimeS!, 6);
    expect(f.energyKWh).toBeGreaterThan(0);
    expect(listRuns(ws).runs.map((r) => r.id)).toEqual([record.id]);
  });

  it('records a failing script as failed, with its traceback and the steps so far', async () => {
    const ws = newWorkspace();
    const handle = startPilot({
      script: MLP,
      args: ['--fail-at-step', '20'],
      workspaceDir: ws,
      python: TORCH_PYTHON,
      budget: { steps: 500 },
    });
    const record = await handle.done;
    expect(record.state).toBe('failed');
    expect(record.summary.steps).toBe(20);
    expect(record.summary.losses.filter((l) => l !== null)).toHaveLength(20);
    expect(record.error?.type).toBe('RuntimeError');
    expect(record.error?.traceback).toMatch(/mlp_regression\.py.*\n.*\n.*injected failure at step 20/s);
    expect(record.error?.traceback).not.toMatch(/wattlens_pilot|runpy/);
    expect(record.message).toMatch(/failed after 20 steps: RuntimeError: injected failure/);
  });

  it('keeps the partial data when the user cancels', async () => {
    const ws = newWorkspace();
    const handle = startPilot({ script: MLP, args: ['--epochs', '50'], workspaceDir: ws, python: TORCH_PYTHON, budget: { seconds: 120 } });
    let cancelled = false;
    handle.on((e) => {
      // once, as a user clicks Cancel: a second cancel kills at once, without the end event
      if (e.kind === 'step' && e.step >= 30 && !cancelled) {
        cancelled = true;
        handle.cancel();
      }
    });
    const record = await handle.done;
    expect(record.state).toBe('cancelled');
    expect(record.summary.steps).toBeGreaterThanOrEqual(30);
    expect(record.summary.losses.length).toBe(record.summary.steps);
    expect(record.summary.end?.status).toBe('cancelled'); // the harness wrote its end event
    expect(listRuns(ws).runs[0]!.state).toBe('cancelled');
  });

  it('without torch: a clear message naming the interpreter, energy still estimated', async () => {
    const ws = newWorkspace();
    const noTorch = join(ws, 'python-without-torch');
    writeFileSync(noTorch, `#!/bin/sh\nexec ${TORCH_PYTHON} -S "$@"\n`); // -S: no site-packages, so no torch
    chmodSync(noTorch, 0o755);
    const record = await startPilot({ script: MLP, workspaceDir: ws, python: noTorch, budget: { steps: 10 } }).done;
    expect(record.state).toBe('failed');
    expect(record.message).toMatch(/torch is not importable by .*choose an interpreter with torch/);
    expect(record.summary.energy.sources.map((s) => s.source)).toEqual(['estimated']);
  });

  it('a missing interpreter or script is reported in one line', async () => {
    const ws = newWorkspace();
    const record = await startPilot({ script: MLP, workspaceDir: ws, python: '/nonexistent/python', budget: { steps: 5 } }).done;
    expect(record.state).toBe('failed');
    expect(record.message).toMatch(/"\/nonexistent\/python" was not found/);
    expect(() => startPilot({ script: 'nope.py', workspaceDir: ws, budget: { steps: 5 } })).toThrow(PilotInputError);
    expect(existsSync(join(ws, 'nope.py'))).toBe(false);
  });

  it('runs every rank through torchrun for --gpus 2, counts each process once, and keeps its logs in the run', async () => {
    const ws = newWorkspace();
    const tmp = newWorkspace(); // the pilot's temporary folder: torchrun must leave nothing there
    const record = await startPilot({
      script: MLP,
      args: ['--epochs', '1'],
      workspaceDir: ws,
      python: TORCH_PYTHON,
      budget: { steps: 15 },
      gpus: 2,
      env: { TMPDIR: tmp },
    }).done;
    expect(record.state, record.message ?? '').toBe('completed');
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(join(runsDir(ws), record.runDir, 'torchrun-logs')).length).toBeGreaterThan(0);
    expect(record.summary.ranksReporting).toBe(2);
    expect(record.summary.worldSize).toBe(2);
    expect(record.summary.steps).toBe(15);
    expect(new Set(record.summary.energy.components.map((c) => c.rank))).toEqual(new Set([0, 1]));
  });
});
