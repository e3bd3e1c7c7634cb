// pilotMacs on hand-built records: which source it analyzes, the step's MACs (calls, ranks), the
// parameter check, and each reason a figure stays unknown. Real engine, no torch.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { pilotInputText, pilotMacs } from '../../../src/core/pilot/pilotMacs';
import { RUN_RECORD_VERSION, type RunRecord } from '../../../src/core/pilot/runRecord';
import { summarize, type PilotModel, type RunSummary } from '../../../src/core/pilot/summary';
import { tempDirsPerFile } from '../../support/tempDirs';

const dir = tempDirsPerFile()('wattlens-pilotmacs-');
const MODEL_FILE = join(dir, 'net.py');
writeFileSync(
  MODEL_FILE,
  [
    'from torch import nn',
    '',
    '',
    'class Net(nn.Module):',
    '    def __init__(self, width=32):',
    '        super().__init__()',
    '        self.fc1 = nn.Linear(10, width)',
    '        self.fc2 = nn.Linear(width, 1)',
    '',
    '    def forward(self, x):',
    '        return self.fc2(self.fc1(x).relu())',
    '',
    '',
    'class Needy(nn.Module):',
    '    def __init__(self, width):',
    '        super().__init__()',
    '        self.fc = nn.Linear(10, width)',
    '',
    '    def forward(self, x):',
    '        return self.fc(x)',
    '',
  ].join('\n'),
);
const SCRIPT = join(dir, 'train.py');
const script = (construction: string) =>
  writeFileSync(
    SCRIPT,
    [
      'import torch',
      'from net import Net, Needy',
      `model = ${construction}`,
      'opt = torch.optim.AdamW(model.parameters(), lr=1e-3)',
      '',
    ].join('\n'),
  );

// Net(width=w): params 10w + w + w + 1; forward MACs per sample 10w + w
const netParams = (w: number) => 12 * w + 1;
const netMacs = (batch: number, w: number) => batch * 11 * w;

function model(over: Partial<PilotModel> = {}): PilotModel {
  return {
    step: 3,
    className: 'Net',
    qualName: 'Net',
    pyModule: 'net',
    file: MODEL_FILE,
    line: 4,
    inputs: [{ shape: [8, 10], dtype: 'float32', type: 'Tensor' }],
    calls: 1,
    params: netParams(32),
    wrappers: [],
    note: null,
    ...over,
  };
}

function record(m: PilotModel | null, over: Partial<RunSummary> = {}): RunRecord {
  const base = summarize([]);
  return {
    schemaVersion: RUN_RECORD_VERSION,
    id: 'r',
    state: 'completed',
    completion: 'budget-reached',
    createdAt: 't',
    updatedAt: 't',
    finishedAt: 't',
    script: SCRIPT,
    args: [],
    cwd: dir,
    python: 'python3',
    gpus: 0,
    budget: { steps: 10, seconds: null },
    host: 'h',
    runnerPid: 1,
    harnessPid: null,
    runDir: 'r',
    message: null,
    error: null,
    macs: null,
    summary: { ...base, steps: 10, energy: { ...base.energy, source: 'rapl', joulesPerStep: 0.5 }, model: m, ...over },
  };
}

describe('pilotMacs', () => {
  let engine: AnalysisEngine;
  beforeAll(async () => {
    engine = await AnalysisEngine.create({ workspaceRoots: [dir] });
  });

  it("analyzes the script's literal construction at the recorded input: MACs = training MACs, J per MAC = J/step ÷ MACs", () => {
    script('Net(width=64).to("cpu")');
    const r = pilotMacs(record(model({ params: netParams(64) })), engine);
    expect(r.macsPerStep).toBe(3 * netMacs(8, 64));
    expect(r.analyzed).toEqual({ file: SCRIPT, model: 'Net(width=64)', input: '8x10' });
    expect(r.joulesPerMac).toBeCloseTo(0.5 / (3 * netMacs(8, 64)), 20);
    expect(r.joulesPerMacBasis).toBe('energy measured (RAPL energy counter) ÷ MACs estimated by static analysis');
    expect(r.macsSource).toBe("estimated by static analysis of Net(width=64) in train.py at input 8x10 (the pilot's real batch)");
  });

  it("falls back to the class with its defaults when the script's arguments are not literals", () => {
    script('Net(width=int("32"))');
    const r = pilotMacs(record(model()), engine);
    expect(r.macsPerStep).toBe(3 * netMacs(8, 32));
    expect(r.analyzed?.model).toBe('Net');
    expect(r.assumptions[0]).toMatch(/the class with its default arguments/);
  });

  it('multiplies by the forward calls of a step and by the ranks, and says so', () => {
    script('Net()');
    const r = pilotMacs(record(model({ calls: 4 }), { worldSize: 2 }), engine);
    expect(r.macsPerStep).toBe(3 * netMacs(8, 32) * 4 * 2);
    expect(r.macsSource).toMatch(/× 4 calls per step × 2 ranks$/);
    expect(r.assumptions.join('\n')).toMatch(/gradient accumulation/);
    expect(r.assumptions.join('\n')).toMatch(/data parallel/);
  });

  it("refuses a configuration whose parameter count differs from the trained model's", () => {
    script('Net(width=int("48"))'); // not literal: the defaults (width 32) are analyzed
    const r = pilotMacs(record(model({ params: netParams(48) })), engine);
    expect(r.macsPerStep).toBeNull();
    expect(r.joulesPerMac).toBeNull();
    expect(r.macsSource).toBe(
      `Net (the class with its default arguments) has ${netParams(32)} parameters by static analysis, but the model the pilot trained has ${netParams(48)}: another configuration`,
    );
  });

  it('says why a class that needs constructor arguments cannot be analyzed', () => {
    script('Needy(int("4"))');
    const r = pilotMacs(record(model({ className: 'Needy', qualName: 'Needy', params: 44 })), engine);
    expect(r.macsPerStep).toBeNull();
    expect(r.macsSource).toMatch(/^Needy \(the class with its default arguments\) could not be built: TypeError/);
  });

  it('keeps the MACs and leaves J per MAC unknown when the pilot has no energy per step', () => {
    script('Net()');
    const base = summarize([]);
    const r = pilotMacs(
      record(model(), { energy: { ...base.energy, reason: 'no energy window after the 3 warm-up steps: the pilot is too short' } }),
      engine,
    );
    expect(r.macsPerStep).toBe(3 * netMacs(8, 32));
    expect(r.joulesPerMac).toBeNull();
    expect(r.joulesPerMacBasis).toBe('J per MAC unknown: no energy window after the 3 warm-up steps: the pilot is too short');
  });

  it('gives the reason when the run has no model, or inputs the analysis cannot take', () => {
    expect(pilotMacs(record(null), engine).macsSource).toMatch(/does not say which model it trained/);
    expect(pilotMacs(record(null, { steps: 1 }), engine).macsSource).toMatch(/fewer than 2 optimizer steps/);
    expect(pilotInputText({ inputs: [] })).toEqual({
      ok: false,
      reason: 'the model was called without positional arguments (keyword arguments are not recorded)',
    });
    expect(
      pilotInputText({
        inputs: [
          { shape: [4, 10], dtype: 'float32', type: 'Tensor' },
          { shape: null, dtype: null, type: 'dict' },
        ],
      }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/argument 2 is a dict/) });
    // an LSTM's (h, c) state: --input could spell it, but the record has no shapes inside the tuple
    expect(
      pilotInputText({
        inputs: [
          { shape: [35, 10], dtype: 'int64', type: 'Tensor' },
          { shape: null, dtype: null, type: 'tuple' },
        ],
      }),
    ).toEqual({
      ok: false,
      reason: 'forward argument 2 is a tuple, not a tensor: the run record keeps the shapes of tensor arguments only',
    });
    expect(
      pilotInputText({
        inputs: [
          { shape: [4, 10], dtype: 'int64', type: 'Tensor' },
          { shape: [4], dtype: 'float32', type: 'Tensor' },
        ],
      }),
    ).toEqual({ ok: true, text: '4x10,4' });
    const lib = pilotMacs(
      record(
        model({
          className: 'Sequential',
          pyModule: 'torch.nn.modules.container',
          file: '/usr/lib/python3/dist-packages/torch/nn/modules/container.py',
        }),
      ),
      engine,
    );
    expect(lib.macsSource).toMatch(/Sequential is a library class/);
  });

  it('stores the static step estimate on the pilot’s GPU and its error against the measured step', () => {
    script('Net(width=64)');
    const base = summarize([]);
    const onH100 = record(model({ params: netParams(64) }), {
      device: 'GPU: NVIDIA H100 80GB HBM3',
      stepTimeS: 0.002,
      energy: {
        ...base.energy,
        source: 'nvml-counter',
        joulesPerStep: 0.3,
        components: [
          { device: 'gpu:0', source: 'nvml-counter', scope: 'node', rank: 0, joulesPerStep: 0.25, wattsMean: 125 },
          { device: 'cpu', source: 'rapl', scope: 'process', rank: 0, joulesPerStep: 0.05, wattsMean: 25 },
        ],
      },
    });
    const e = pilotMacs(onH100, engine).stepEstimate!;
    expect(e).toMatchObject({ gpu: 'H100 SXM', precision: 'fp32', batch: 8, measuredStepTimeS: 0.002, measuredGpuJoulesPerStep: 0.25 });
    expect(e.timeError).toBeCloseTo(e.timeS.mid / 0.002 - 1, 12);
    expect(e.joulesError).toBeCloseTo(e.joules.mid / 0.25 - 1, 12);
    expect(e.timeInBand).toBe(e.timeS.low <= 0.002 && 0.002 <= e.timeS.high);
    expect(e.notes).toContain('precision fp32 assumed: the pilot does not record autocast');
    // a CPU pilot of another machine has nothing to compare with, and says so
    const cpu = pilotMacs(record(model({ params: netParams(64) })), engine);
    expect(cpu.stepEstimate).toBeUndefined();
    expect(cpu.stepEstimateReason).toMatch(/the pilot ran on CPU: .*, not on this machine's CPU/);
  });
});
