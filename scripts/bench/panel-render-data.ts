// Data for the panel render bench (scripts/bench/panel-render.mjs): the panel state for a real
// model's CLI report, and for a synthetic model of N layers in blocks, as the host would send it.
import { reportView } from '../../src/core/panel/modelView';
import { idlePilotView } from '../../src/core/panel/pilotIdle';
import { initialPanelState } from '../../src/core/panel/sections';
import type { PanelState } from '../../src/core/panel/protocol';
import type { FileReport, LayerReport, ModelReport } from '../../src/core/report/types';

const GPU = { gpu: { name: 'A100 80GB', memoryBytes: 80 * 2 ** 30, source: 'bench' } };

export function stateFor(report: FileReport, modelName: string): PanelState {
  const model = report.models.find((m) => m.name === modelName) ?? report.models[0];
  return {
    ...initialPanelState(),
    model: reportView({
      report,
      displayPath: report.file,
      documentVersion: 1,
      model,
      followsCursor: true,
      costUnit: 'macs',
      gpu: GPU,
      stale: false,
    }),
    suggestions: { state: 'idle', documentVersion: null, file: null, suggestions: [], problems: [], message: null },
    pilot: idlePilotView({ scripts: ['train.py'], canRun: true, cannotRunReason: null }),
    history: { runs: [], warnings: [], comparison: null },
  };
}

/** A model of `layers` rows: blocks of 20 (Linear, LayerNorm, GELU, matmul ops), deterministic figures. */
export function syntheticReport(layers: number): FileReport {
  const rows: LayerReport[] = [];
  const kinds = ['Linear', 'LayerNorm', 'GELU', 'Conv2d', 'matmul'];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < layers; i++) {
    const block = Math.floor(i / 20);
    const type = kinds[i % kinds.length]!;
    const op = type === 'matmul';
    const params = op || type === 'GELU' ? 0 : Math.round(rand() * 5e6);
    const macs = type === 'LayerNorm' || type === 'GELU' ? 0 : Math.round(rand() * 3e9);
    rows.push({
      path: op ? `blocks.${block}.attn:matmul@${100 + i}` : `blocks.${block}.sub${i % 4}.${type.toLowerCase()}${i}`,
      type,
      kind: op ? 'op' : 'layer',
      line: 100 + i,
      params,
      macs: i % 97 === 0 ? null : macs,
      flops: i % 97 === 0 ? null : 2 * macs,
      outputShape: [8, 197, 1024],
      activationBytes: 8 * 197 * 1024 * 4,
      calls: 1,
    });
  }
  const model: ModelReport = {
    name: `Synthetic${layers}`,
    entry: `Synthetic${layers}()`,
    line: 1,
    entryKind: 'class',
    input: { shapes: [[8, 197, 1024]], text: '8x197x1024', source: 'comment', detail: 'bench' },
    params: rows.reduce((s, r) => s + (r.params ?? 0), 0),
    trainableParams: null,
    uniqueParams: rows.reduce((s, r) => s + (r.params ?? 0), 0),
    macs: null,
    flops: null,
    activationBytes: rows.reduce((s, r) => s + (r.activationBytes ?? 0), 0),
    trainingMemoryBytes: null,
    assumptions: ['synthetic model for the render bench'],
    unknowns: [{ what: 'forward cost', reason: 'some rows are unknown on purpose (every 97th)' }],
    layers: rows,
  };
  return { file: 'synthetic.py', language: 'python', models: [model], problems: [] };
}
