// Small, hand-checked inputs for the panel's unit tests.
import type { LayerRow } from '../../../src/core/panel/protocol';
import type { FileReport, ModelReport } from '../../../src/core/report/types';

export function row(path: string, type: string, params: number | null, macs: number | null, extra: Partial<LayerRow> = {}): LayerRow {
  return {
    path,
    type,
    kind: path.includes(':') ? 'op' : 'layer',
    line: 1,
    params,
    macs,
    activationBytes: 100,
    outputShape: '1×8',
    calls: 1,
    ...extra,
  };
}

export const LAYERS: LayerRow[] = [
  row('conv1', 'Conv2d', 1728, 86_704_128, { line: 10 }),
  row('layer1.0.conv1', 'Conv2d', 36_864, 115_605_504, { line: 20 }),
  row('layer1.0.bn1', 'BatchNorm2d', 128, 0, { line: 21 }),
  row('layer1.1.conv1', 'Conv2d', 36_864, 115_605_504, { line: 20 }),
  row('layer10.0.conv1', 'Conv2d', 9, null, { line: 30, unknown: 'macs: data-dependent' }),
  row('layer2.0.conv1', 'Conv2d', 73_728, 57_802_752, { line: 22 }),
  row('fc', 'Linear', 513_000, 512_000, { line: 40 }),
  row('layer1.0:matmul@55', 'matmul', 0, 4_000_000, { line: 55 }),
];

export function modelReport(overrides: Partial<ModelReport> = {}): ModelReport {
  return {
    name: 'Net',
    entry: 'Net()',
    line: 5,
    entryKind: 'class',
    input: { shapes: [[1, 3, 32, 32]], text: '1x3x32x32', source: 'comment', detail: '# wattlens: input= above the class' },
    params: 1000,
    trainableParams: 1000,
    uniqueParams: 1000,
    macs: 2_000_000,
    flops: 4_000_000,
    trainingMacs: 6_000_000,
    activationBytes: 4096,
    trainingMemoryBytes: 20_000,
    trainingMemory: [
      {
        precision: 'fp32',
        optimizer: 'adamw',
        batch: 1,
        checkpointing: false,
        weightsBytes: 4000,
        gradientsBytes: 4000,
        optimizerBytes: 8000,
        activationsBytes: 4000,
        totalBytes: 20_000,
      },
    ],
    assumptions: ['input 1x3x32x32 from the # wattlens comment', 'eval mode'],
    unknowns: [],
    layers: [
      {
        path: 'fc1',
        type: 'Linear',
        kind: 'layer',
        line: 8,
        params: 600,
        macs: 1_500_000,
        flops: 3_000_000,
        outputShape: [1, 20],
        activationBytes: 80,
        calls: 1,
        formula: 'params = 30·20 + 0',
      },
      {
        path: 'fc2',
        type: 'Linear',
        kind: 'layer',
        line: 9,
        params: 400,
        macs: 500_000,
        flops: 1_000_000,
        outputShape: [1, 10],
        activationBytes: 40,
        calls: 1,
        site: { file: '/ws/helpers.py', line: 3 },
      },
      {
        path: 'proj',
        type: 'Linear',
        kind: 'layer',
        line: null,
        params: null,
        macs: null,
        flops: null,
        outputShape: null,
        calls: 0,
        unknowns: [{ what: 'params of proj', reason: 'in_features comes from an unresolved import' }],
      },
    ],
    ...overrides,
  };
}

export function fileReport(models: ModelReport[] = [modelReport()]): FileReport {
  return { file: '/ws/net.py', language: 'python', models, problems: [{ what: 'import', reason: 'helpers not found', line: 2 }] };
}
