// Pilot summaries and records for the panel's tests: a 200-step run whose loss follows a
// power law, metered by an estimate or by NVML.
import { RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { summarize, type RunSummary } from '../../../src/core/pilot/summary';

export function summary(over: Partial<RunSummary> = {}, source: 'estimated' | 'nvml-counter' = 'estimated'): RunSummary {
  const losses = Array.from({ length: 200 }, (_, i) => 0.2 + 3 * Math.pow(i + 1, -0.5) * (1 + 0.01 * Math.sin(i)));
  return {
    ...summarize([]),
    steps: 200,
    warmupSteps: 3,
    measuredSteps: 197,
    losses,
    learningRates: losses.map(() => 0.01),
    stepTimeS: 0.05,
    stepTimeMeanS: 0.052,
    stepTimeBlocks: 9,
    stepTimeMedianS: 0.049,
    stepTimeP90S: 0.06,
    setupS: 2,
    device: 'CPU: Test CPU',
    energy: {
      source,
      joulesPerStep: 2,
      wattsMean: 40,
      components: [{ device: 'cpu', source, scope: 'process', rank: 0, joulesPerStep: 2, wattsMean: 40 }],
      sources: [
        {
          source,
          scope: 'process',
          device: 'cpu',
          detail: source === 'estimated' ? 'Test CPU: 2 vCPU × (0.64 + u × 3.33) W' : 'NVML energy counter',
          assumptions: source === 'estimated' ? ['utilisation = process CPU time / wall time'] : [],
          rank: 0,
        },
      ],
    },
    end: { status: 'budget-reached', stopReason: 'steps', error: null },
    ...over,
  };
}

export function record(id: string, s: RunSummary, script = '/ws/train.py'): RunRecord {
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id,
    state: 'completed',
    completion: 'budget-reached',
    createdAt: '2025-11-25T10:00:00.000Z',
    updatedAt: '2025-11-25T10:01:00.000Z',
    finishedAt: '2025-11-25T10:01:00.000Z',
    script,
    args: [],
    cwd: '/ws',
    python: 'python3',
    gpus: 0,
    budget: { steps: 200, seconds: null },
    host: 'h',
    runnerPid: 1,
    harnessPid: 2,
    runDir: id,
    message: null,
    error: null,
    summary: s,
  };
}
