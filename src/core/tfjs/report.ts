// From a TF.js model and its replay to the ModelReport every surface reads: per-layer rows
// charged to the line of their tf.layers call, totals, memory, and the assumptions behind them.
import { estimateTrainingMemory, trainingMemoryAssumptions } from '../memory/trainingMemory';
import type { Count, InputSpec, LayerReport, ModelReport, OptimizerKind, Precision, Unknown as ReportUnknown } from '../report/types';
import type { Shape } from './config';
import type { ModelValue } from './graph';
import { paramsFormula } from './layers';
import type { LayerFigures } from './replay';
import { siteOf, type Site, type Unknown } from './values';

/** TF.js computes in float32. */
const BYTES_PER_ELEMENT = 4;

export interface TfjsReportContext {
  file: string;
  name: string;
  entry: string;
  line: number | null;
  model: ModelValue;
  rows: LayerFigures[];
  input: InputSpec;
  /** Whether the replay had input shapes at all. */
  hasInput: boolean;
  batch: number;
  batchAssumption?: string;
  precision: Precision;
  optimizer: OptimizerKind;
  /** Why the model's structure is not fully known (skipped code, TF.js errors, unknown layers). */
  structural: Unknown[];
  notes: string[];
}

export function buildTfjsModelReport(c: TfjsReportContext): ModelReport {
  const unknowns: ReportUnknown[] = [];
  const add = (u: ReportUnknown) => {
    if (unknowns.length < 50 && !unknowns.some((x) => x.what === u.what && x.reason === u.reason)) unknowns.push(u);
  };
  for (const s of c.structural) add({ what: `structure of ${c.name}`, reason: s.reason, ...siteFields(siteOf(s), c.file) });
  if (!c.hasInput) add({ what: 'forward cost', reason: c.input.detail });

  const layers: LayerReport[] = c.rows.map((row) => layerRow(row, c.file));
  for (const l of layers) for (const u of l.unknowns ?? []) add(u);

  const structureKnown = c.structural.length === 0;
  const sum = (pick: (r: LayerFigures) => number | null): Count => {
    let total = 0;
    for (const r of c.rows) {
      const v = pick(r);
      if (v === null) return null;
      total += v;
    }
    return total;
  };
  const params = structureKnown ? sum((r) => weightCount(r.weights, () => true)) : null;
  const trainableParams = structureKnown
    ? sum((r) => (r.trainable ? weightCount(r.weights, (w) => w.trainable) : r.weights ? 0 : null))
    : null;
  const forwardKnown = structureKnown && c.hasInput;
  const macs = forwardKnown ? sum((r) => r.macs) : null;
  const elementwiseFlops = forwardKnown ? sum((r) => r.elementwise) : null;
  const activationElements = forwardKnown ? sum((r) => r.activationElements) : null;

  const memory = [false, true].map((checkpointing) =>
    estimateTrainingMemory({
      uniqueParams: params,
      trainableParams,
      activations: { elements: activationElements, batch: c.batch, blocks: [] },
      batch: c.batch,
      precision: c.precision,
      optimizer: c.optimizer,
      checkpointing,
    }),
  );

  const assumptions = [
    `input ${c.input.text} (${c.input.source}: ${c.input.detail})`,
    ...(c.batchAssumption ? [c.batchAssumption] : []),
    'parameters = model.countParams(): every weight, BatchNormalization moving mean and variance included; trainable parameters leave those (and layers with trainable: false) out',
    'inference mode: dropout and noise layers pass their input through, BatchNormalization uses its moving statistics',
    "MACs count multiply-accumulates of dense, convolution, recurrent and dot layers (torchvision's convention, as on the PyTorch side); FLOPs = 2 × MACs; activations, norms, pooling and merges are elementwise FLOPs, reported apart",
    'activation memory: float32 outputs of every layer call; Reshape, Flatten and dropout layers share their input buffer and are left out',
    'training step ≈ 3 × forward MACs (backward computes gradients for inputs and weights)',
    ...trainingMemoryAssumptions(c.precision, c.optimizer),
    ...c.notes,
  ];
  return {
    name: c.name,
    entry: c.entry,
    line: c.line,
    entryKind: 'tfjs',
    input: c.input,
    params,
    trainableParams,
    uniqueParams: params,
    macs,
    flops: macs === null ? null : 2 * macs,
    elementwiseFlops,
    trainingMacs: macs === null ? null : 3 * macs,
    activationBytes: activationElements === null ? null : activationElements * BYTES_PER_ELEMENT,
    trainingMemoryBytes: memory[0].totalBytes,
    trainingMemory: memory,
    assumptions,
    unknowns,
    layers,
  };
}

function weightCount(weights: LayerFigures['weights'], keep: (w: NonNullable<LayerFigures['weights']>[number]) => boolean): number | null {
  if (!weights) return null;
  let n = 0;
  for (const w of weights) if (keep(w)) n += w.shape.reduce((a, b) => a * b, 1);
  return n;
}

function layerRow(row: LayerFigures, file: string): LayerReport {
  const layer = row.layer;
  const site = layer.sites[layer.sites.length - 1];
  const line = lineInFile(layer.sites, file);
  const params = weightCount(row.weights, () => true);
  const unknowns: ReportUnknown[] = [];
  if (params === null) unknowns.push({ what: `params of ${row.path}`, reason: row.paramsReason ?? 'unknown', ...lineFields(line, file) });
  for (const r of row.reasons)
    if (r !== row.paramsReason) unknowns.push({ what: `cost of ${row.path}`, reason: r, ...lineFields(line, file) });
  const formulas = [row.weights?.length ? paramsFormula(row.weights) : undefined, row.costFormula].filter(Boolean);
  return {
    path: row.path,
    type: layer.className,
    kind: 'layer',
    line,
    site: site ? { file: site.file, line: site.line } : undefined,
    params,
    macs: row.macs,
    flops: row.macs === null ? null : 2 * row.macs,
    elementwiseFlops: row.elementwise,
    outputShape: displayShape(row.outputShape),
    activationBytes: row.activationElements === null ? null : row.activationElements * BYTES_PER_ELEMENT,
    calls: row.calls,
    formula: formulas.length ? formulas.join('; ') : undefined,
    unknowns: unknowns.length ? unknowns : undefined,
  };
}

/** Null dims (variable length in TF.js) show as "?". */
export function displayShape(shape: Shape | null): (number | string)[] | null {
  return shape ? shape.map((d) => (d === null ? '?' : d)) : null;
}

/** The innermost site of a call stack that lies in the analyzed file. */
export function lineInFile(sites: Site[], file: string): number | null {
  for (let i = sites.length - 1; i >= 0; i--) if (sites[i].file === file) return sites[i].line;
  return null;
}

function lineFields(line: number | null, file: string): { file?: string; line?: number } {
  return line === null ? {} : { file, line };
}

function siteFields(site: Site | undefined, _file: string): { file?: string; line?: number } {
  return site ? { file: site.file, line: site.line } : {};
}
