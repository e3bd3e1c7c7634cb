// Shared by the calibration tests: run records of a pilot of examples/models/cnn.py (CifarCNN),
// shaped as the runner writes them.
import { join } from 'node:path';
import { calibrationOf, type Calibration } from '../../../src/core/editor/calibration';
import type { EnergySourceKind } from '../../../src/core/energy/energySource';
import { RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { summarize, type PilotModel } from '../../../src/core/pilot/summary';
import { EXAMPLES } from './analyze';

export const CNN = join(EXAMPLES, 'models/cnn.py');

/** A completed pilot of CifarCNN at 64x3x32x32 that gave `joulesPerStep` (null: no energy window). */
export function pilotRun(
  over: Partial<RunRecord> = {},
  model: Partial<PilotModel> | null = {},
  joulesPerStep: number | null = 1.22,
  source: EnergySourceKind = 'estimated',
): RunRecord {
  const base = summarize([]);
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id: 'run-1',
    state: 'completed',
    completion: 'budget-reached',
    createdAt: '2026-11-25T09:59:00.000Z',
    updatedAt: '2026-11-25T10:01:00.000Z',
    finishedAt: '2026-11-25T10:00:00.000Z',
    script: join(EXAMPLES, 'models/train_cnn.py'),
    args: [],
    cwd: EXAMPLES,
    python: 'python3',
    gpus: 0,
    budget: { steps: 20, seconds: null },
    host: 'h',
    runnerPid: 1,
    harnessPid: null,
    runDir: over.id ?? 'run-1',
    message: null,
    error: null,
    macs: null,
    summary: {
      ...base,
      steps: 20,
      device: 'CPU: AMD EPYC',
      energy: {
        ...base.energy,
        source: joulesPerStep === null ? null : source,
        joulesPerStep,
        ...(joulesPerStep === null ? { reason: 'no energy window after the 3 warm-up steps: the pilot is too short' } : {}),
      },
      model:
        model === null
          ? null
          : {
              step: 3,
              className: 'CifarCNN',
              qualName: 'CifarCNN',
              pyModule: 'cnn',
              file: CNN,
              line: 7,
              inputs: [{ shape: [64, 3, 32, 32], dtype: 'float32', type: 'Tensor' }],
              calls: 1,
              params: 620_810,
              wrappers: [],
              note: null,
              ...model,
            },
    },
    ...over,
  };
}

export function calibration(r: RunRecord = pilotRun()): Calibration {
  const c = calibrationOf(r);
  if (!c.ok) throw new Error(c.reason);
  return c.value;
}
