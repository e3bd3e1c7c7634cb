// The GPU metering paths with no GPU: a fake pynvml on PYTHONPATH scripts the NVML answers,
// and recorded nvidia-smi output exercises the CSV parser.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/core/pilot/summary';
import { FIXTURES, runHarness, TORCH_PYTHON } from './harnessHelpers';

const tiny = join(FIXTURES, 'tiny_train.py');

describe('NVML metering through pynvml (scripted fake)', () => {
  it('reads the energy counter of the GPU the run uses and reports it as nvml-counter', () => {
    const run = runHarness(tiny, ['200'], {
      measureGpus: '0',
      env: { PYTHONPATH: join(FIXTURES, 'fake-pynvml', 'counter'), CUDA_VISIBLE_DEVICES: '3' },
    });
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    const gpu = summary.energy.components.find((c) => c.device === 'gpu:3');
    expect(gpu?.source).toBe('nvml-counter');
    // the fake counter grows at 150 W: the window differences must reproduce it
    expect(gpu!.wattsMean!).toBeGreaterThan(135);
    expect(gpu!.wattsMean!).toBeLessThan(165);
    expect(gpu!.joulesPerStep).toBeCloseTo(150 * summary.stepTimeS!, 1);
    expect(summary.energy.source).toBe('nvml-counter'); // the GPU holds most of the joules
    expect(summary.device).toContain('A100');
  });

  it('falls back to sampling power when the counter is not supported (pre-Volta)', () => {
    const run = runHarness(tiny, ['300'], {
      measureGpus: '0',
      env: { PYTHONPATH: join(FIXTURES, 'fake-pynvml', 'power') },
    });
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    const gpu = summary.energy.components.find((c) => c.device === 'gpu:0');
    expect(gpu?.source).toBe('nvml-power');
    expect(gpu!.wattsMean!).toBeGreaterThan(190);
    expect(gpu!.wattsMean!).toBeLessThan(210);
    expect(summary.notes.join(' ')).toMatch(/no NVML energy counter/);
  });

  it('counts no GPU when the run uses none', () => {
    const run = runHarness(tiny, ['50'], { env: { PYTHONPATH: join(FIXTURES, 'fake-pynvml', 'counter') } });
    const summary = summarize(run.events);
    expect(summary.energy.components.map((c) => c.device)).toEqual(['cpu']);
    expect(summary.energy.source).toBe('estimated');
  });
});

describe('NVML metering on readings recorded on an H100 (replayed)', () => {
  // test/fixtures/pilot/h100/nvml-trace.csv: 15 s of a training run on an NVIDIA H100 80GB HBM3,
  // NVML read every 20 ms (scripts/gpu/validate.sh); the fake pynvml replays it in real time
  const trace = join(FIXTURES, 'h100', 'nvml-trace.csv');
  const rows = readFileSync(trace, 'utf8')
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .map((l) => l.split(',').map(Number));
  const traceWatts = (rows.at(-1)![1]! - rows[0]![1]!) / 1000 / (rows.at(-1)![0]! - rows[0]![0]!); // ≈ 632 W
  // --seconds counts from the harness's launch, torch's import included (seconds on a loaded machine)
  const replay = (env: NodeJS.ProcessEnv = {}) =>
    runHarness(tiny, ['100000000'], {
      measureGpus: '0',
      seconds: 10,
      env: { PYTHONPATH: join(FIXTURES, 'fake-pynvml', 'replay'), WATTLENS_NVML_TRACE: trace, ...env },
    });

  it('differences the counter (updated every ~100 ms) into the power the GPU drew', () => {
    const run = replay();
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    const gpu = summary.energy.components.find((c) => c.device === 'gpu:0')!;
    expect(gpu.source).toBe('nvml-counter');
    expect(summary.device).toBe('GPU: NVIDIA H100 80GB HBM3');
    expect(gpu.wattsMean! / traceWatts - 1).toBeGreaterThan(-0.05);
    expect(gpu.wattsMean! / traceWatts - 1).toBeLessThan(0.05);
  });

  it('reads the recorded power through nvidia-smi when pynvml is missing, and names the GPU', () => {
    const run = replay({
      PYTHONPATH: join(FIXTURES, 'fake-pynvml', 'missing'),
      PATH: `${join(FIXTURES, 'fake-nvidia-smi')}:${process.env.PATH}`,
    });
    expect(run.status, run.stderr).toBe(0);
    const summary = summarize(run.events);
    const gpu = summary.energy.components.find((c) => c.device === 'gpu:0')!;
    expect(gpu.source).toBe('nvml-power');
    expect(summary.energy.sources.find((s) => s.device === 'gpu:0')?.detail).toBe(
      'NVIDIA H100 80GB HBM3: nvidia-smi power.draw every 200 ms, integrated',
    );
    expect(summary.device).toBe('GPU: NVIDIA H100 80GB HBM3');
    expect(summary.notes.join(' ')).toMatch(/pynvml not usable/);
    expect(gpu.wattsMean! / traceWatts - 1).toBeGreaterThan(-0.05);
    expect(gpu.wattsMean! / traceWatts - 1).toBeLessThan(0.05);
  });

  it('integrates the recorded power readings to the same energy when the counter is missing', () => {
    const run = replay({ WATTLENS_NVML_NO_COUNTER: '1' });
    expect(run.status, run.stderr).toBe(0);
    const gpu = summarize(run.events).energy.components.find((c) => c.device === 'gpu:0')!;
    expect(gpu.source).toBe('nvml-power');
    expect(gpu.wattsMean! / traceWatts - 1).toBeGreaterThan(-0.05);
    expect(gpu.wattsMean! / traceWatts - 1).toBeLessThan(0.05);
  });
});

describe('nvidia-smi CSV parsing (recorded output)', () => {
  function parse(file: string) {
    const code = `import sys, json; sys.path.insert(0, ${JSON.stringify(join(__dirname, '../../../src/pilot/harness'))})
from wattlens_smi import parse_query_csv
print(json.dumps(parse_query_csv(open(${JSON.stringify(join(FIXTURES, file))}).read())))`;
    const res = spawnSync(TORCH_PYTHON, ['-c', code], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    return JSON.parse(res.stdout) as Record<string, unknown>[];
  }

  it('reads power.draw per GPU and keeps [N/A] as unknown', () => {
    const rows = parse('nvidia-smi-query.csv');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ index: 0, name: 'NVIDIA A100-SXM4-80GB', 'power.draw': 312.45, 'power.limit': 400 });
    expect(rows[1]!['power.draw']).toBeNull();
  });

  it('reads the H100 line as nvidia-smi printed it there', () => {
    const rows = parse('h100/nvidia-smi-query.csv');
    expect(rows).toEqual([
      {
        index: 0,
        uuid: 'GPU-d194b366-91a7-3b8f-85c7-b113cfc5372b',
        name: 'NVIDIA H100 80GB HBM3',
        'power.draw': 71.15,
        'power.limit': 700,
      },
    ]);
  });

  it('skips lines that are not rows and accepts values with units', () => {
    const rows = parse('nvidia-smi-loop.csv');
    expect(rows.map((r) => r['power.draw'])).toEqual([55.1, 180.72, 201]);
  });
});
