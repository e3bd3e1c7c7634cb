// J per MAC of a real pilot (torch on CPU) against the engine's MACs of the model it trained.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { pilotMacs } from '../../../src/core/pilot/pilotMacs';
import { startPilot } from '../../../src/core/pilot/runner';
import type { RunRecord } from '../../../src/core/pilot/runRecord';
import { loadRun } from '../../../src/core/pilot/runStore';
import { newWorkspace, ROOT, TORCH_PYTHON } from './helpers';

const CNN = join(ROOT, 'examples/models/cnn.py');
const TRAIN_CNN = join(ROOT, 'examples/models/train_cnn.py');
const HARNESS = join(ROOT, 'src/pilot/harness/wattlens_pilot.py');

async function pilot(script: string, args: string[], steps: number): Promise<RunRecord> {
  const ws = newWorkspace();
  const handle = startPilot({
    script,
    args,
    cwd: join(script, '..'),
    workspaceDir: ws,
    python: TORCH_PYTHON,
    budget: { steps },
    warmupSteps: 3,
    harnessPath: HARNESS,
  });
  const record = await handle.done;
  expect(record.state, record.message ?? '').toBe('completed');
  return record;
}

describe('J per MAC of a pilot against the static analysis', () => {
  let engine: AnalysisEngine;
  beforeAll(async () => {
    engine = await AnalysisEngine.create({ workspaceRoots: [ROOT] });
  });

  it("train_cnn.py: MACs per step are the engine's training MACs of CifarCNN at the pilot's real batch", async () => {
    const record = await pilot(TRAIN_CNN, [], 10);
    expect(record.summary.model).toMatchObject({ className: 'CifarCNN', file: CNN, inputs: [{ shape: [64, 3, 32, 32] }] });
    const result = pilotMacs(record, engine);

    // the same model analyzed independently: the class at the batch the script uses (BATCH_SIZE = 64)
    const direct = engine.analyze(CNN, readFileSync(CNN, 'utf8'), { model: 'CifarCNN', input: '64x3x32x32' }).models[0]!;
    expect(direct.trainingMacs).toBe(3 * direct.macs!);
    expect(result.macsPerStep).toBe(direct.trainingMacs);
    expect(result.macsPerStep).toBe(2_082_963_456);
    expect(result.analyzed).toEqual({ file: TRAIN_CNN, model: 'CifarCNN()', input: '64x3x32x32' });
    expect(result.macsSource).toMatch(/^estimated by static analysis of CifarCNN\(\) in train_cnn\.py at input 64x3x32x32/);

    const jps = record.summary.energy.joulesPerStep!;
    expect(jps).toBeGreaterThan(0);
    expect(result.joulesPerMac).toBeCloseTo(jps / result.macsPerStep!, 25);
    expect(result.joulesPerMacBasis).toBe('energy estimated ÷ MACs estimated by static analysis');
    // a CPU does well under a nanojoule per MAC; well above a femtojoule
    expect(result.joulesPerMac!).toBeGreaterThan(1e-15);
    expect(result.joulesPerMac!).toBeLessThan(1e-7);
  });

  it('mlp_regression.py: an nn.Sequential built from run-time arguments stays unknown, with the reason', async () => {
    const record = await pilot(join(ROOT, 'examples/training/mlp_regression.py'), ['--epochs', '1'], 6);
    expect(record.summary.model).toMatchObject({
      className: 'Sequential',
      pyModule: 'torch.nn.modules.container',
      inputs: [{ shape: [64, 64] }],
    });
    const result = pilotMacs(record, engine);
    expect(result.macsPerStep).toBeNull();
    expect(result.joulesPerMac).toBeNull();
    expect(result.macsSource).toMatch(/Sequential is a library class .*not all literals/);
    expect(result.joulesPerMacBasis).toMatch(/^J per MAC unknown: the MACs per step are unknown/);
  });

  it('tiny_gpt.py: a class that needs constructor arguments known only at run time stays unknown', async () => {
    const record = await pilot(join(ROOT, 'examples/training/tiny_gpt.py'), ['--samples', '512'], 5);
    expect(record.summary.model).toMatchObject({ className: 'TinyGPT', inputs: [{ shape: [32, 32], dtype: 'int64' }] });
    const result = pilotMacs(record, engine);
    expect(result.macsPerStep).toBeNull();
    expect(result.macsSource).toMatch(/TinyGPT \(the class with its default arguments\) could not be built/);
  });

  it('the CLI prints energy.joulesPerMac, macsPerStep and macsSource and keeps them in the run record', () => {
    const ws = newWorkspace();
    const res = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'cli.js'), 'pilot', TRAIN_CNN, '--steps', '8', '--python', TORCH_PYTHON, '--workspace', ws, '--json'],
      { encoding: 'utf8', timeout: 120_000, cwd: join(ROOT, 'examples/models') },
    );
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.macsPerStep).toBe(2_082_963_456);
    expect(out.macsSource).toMatch(/^estimated by static analysis of CifarCNN\(\)/);
    expect(out.energy.joulesPerMac).toBeCloseTo(out.energy.joulesPerStep / out.macsPerStep, 25);
    expect(out.energy.joulesPerMacBasis).toBe('energy estimated ÷ MACs estimated by static analysis');
    expect(out.forecast.joulesPerMac).toBe(out.energy.joulesPerMac);
    expect(out.model).toMatchObject({ className: 'CifarCNN', line: 7 });
    const stored = loadRun(ws, out.id);
    expect(stored.ok && stored.record.macs).toMatchObject({ macsPerStep: 2_082_963_456, joulesPerMac: out.energy.joulesPerMac });
  });
});
