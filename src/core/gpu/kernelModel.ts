// Kernel launches of an eager PyTorch training step, from counts measured on real torch
// (kernelCounts.json, made by scripts/truth/kernel_counts.py): per row of the layer table its
// forward and backward kernels, per parameter tensor the optimizer's, and zero_grad's.
import type { LayerReport, ModelReport, OptimizerKind } from '../report/types';
import table from './kernelCounts.json';

export interface CallKernels {
  /** Kernels of one call in forward and in backward. */
  forward: number;
  backward: number;
  /** The table entry the counts come from, or why they are assumed. */
  source: string;
}

/** How the optimizer steps its tensors: torch >= 2.0 defaults to foreach on CUDA, for-loop on CPU. */
export type OptimizerImpl = 'foreach' | 'forloop';

export interface StepKernels {
  forward: number;
  backward: number;
  optimizer: number;
  zeroGrad: number;
  total: number;
  /** Ops that run on the host without a kernel (the optimizer's step counters). */
  hostOps: number;
  paramTensors: number;
  /** Row types the table does not have, counted by the assumption of 1 forward and 1 or 2 backward kernels. */
  assumedTypes: string[];
}

interface Entry {
  forward: number;
  backward: number;
  paramTensors?: number;
}

const LAYERS = table.layers as Partial<Record<string, Entry>>;
const OPS = table.ops as Partial<Record<string, Entry>>;
// a layer of a family the table measured in one dimension runs the same aten ops
const FAMILIES: [RegExp, string][] = [
  [/^Conv[123]d$/, 'Conv2d'],
  [/^BatchNorm[123]d$/, 'BatchNorm2d'],
  [/^MaxPool[123]d$/, 'MaxPool2d'],
  [/^AvgPool[123]d$/, 'AvgPool2d'],
  [/^AdaptiveAvgPool[123]d$/, 'AdaptiveAvgPool2d'],
];
/** When the table has no entry: one kernel per call forward, backward as many as the inputs and weights it differentiates (assumed). */
const ASSUMED_WITH_MACS: Entry = { forward: 1, backward: 2 };
const ASSUMED: Entry = { forward: 1, backward: 1 };

function layerKey(l: LayerReport): string | null {
  const family = FAMILIES.find(([re]) => re.test(l.type))?.[1];
  const key = LAYERS[l.type] ? l.type : family;
  if (!key) return null;
  if ((key === 'Linear' || key.startsWith('Conv')) && !hasBias(l) && LAYERS[`${key}.noBias`]) return `${key}.noBias`;
  if (key === 'Dropout' && l.config?.['p'] === 0) return 'Dropout.p0';
  return key;
}

/** False only when the row's parameters are exactly its weight's (torch's bias=False). */
function hasBias(l: LayerReport): boolean {
  const c = l.config;
  const params = l.params;
  if (!c || typeof params !== 'number') return true;
  let weight: number | null = null;
  if (typeof c['in_features'] === 'number' && typeof c['out_features'] === 'number') weight = c['in_features'] * c['out_features'];
  else if (typeof c['in_channels'] === 'number' && typeof c['out_channels'] === 'number' && Array.isArray(c['kernel_size'])) {
    const groups = typeof c['groups'] === 'number' ? c['groups'] : 1;
    weight = (c['out_channels'] * c['in_channels'] * c['kernel_size'].reduce((a, b) => a * b, 1)) / groups;
  }
  return weight === null || params !== weight;
}

/** An op row's name without its namespace (F., torch., Tensor.) or in-place suffix. */
function opKey(type: string): string {
  return type.replace(/^(?:F|torch|Tensor|nn\.functional|torch\.nn\.functional)\./, '').replace(/_$/, '');
}

export function callKernels(l: LayerReport): CallKernels {
  const key = l.kind === 'layer' ? layerKey(l) : null;
  const layer = key ? LAYERS[key] : undefined;
  if (key && layer) return { ...pick(layer), source: key };
  const op = opKey(l.type);
  const entry = OPS[op];
  if (entry) return { ...pick(entry), source: op };
  return { ...pick((l.macs ?? 0) > 0 ? ASSUMED_WITH_MACS : ASSUMED), source: 'assumed' };
}

const pick = (e: Entry) => ({ forward: e.forward, backward: e.backward });

/** Parameter tensors of a row: weight and bias where it has one, else the table's count for its type. */
export function paramTensorsOf(l: LayerReport): number {
  if ((l.params ?? 0) <= 0) return 0;
  const key = layerKey(l);
  return (key ? LAYERS[key]?.paramTensors : undefined) ?? 1;
}

interface OptimizerEntry {
  perStep: number;
  perTensor: number;
  hostOpsPerStep: number;
  hostOpsPerTensor: number;
  foreachOps?: { op: string; depth: number }[];
}

/**
 * Kernels of one optimizer step over `tensors` parameter tensors holding `params` elements. A
 * foreach op is one launch per group of tensors: multi_tensor_apply fits a bounded number of
 * tensors (by the op's number of tensor lists) and of chunks in one launch.
 */
export function optimizerKernels(
  kind: OptimizerKind,
  impl: OptimizerImpl,
  tensors: number,
  params: number,
): { kernels: number; hostOps: number } {
  const e = (table.optimizers as unknown as Record<string, OptimizerEntry>)[`${kind}.${impl}`]!;
  const hostOps = tensors > 0 ? e.hostOpsPerStep + e.hostOpsPerTensor * tensors : 0;
  if (tensors === 0) return { kernels: 0, hostOps };
  if (impl === 'forloop' || !e.foreachOps) return { kernels: e.perStep + e.perTensor * tensors, hostOps };
  const m = table.multiTensorApply;
  const chunks = Math.ceil(params / m.chunkElements);
  let kernels = 0;
  for (const op of e.foreachOps) {
    const perLaunch = m.maxTensorsByDepth[Math.min(op.depth, m.maxTensorsByDepth.length) - 1]!;
    kernels += Math.max(Math.ceil(tensors / perLaunch), Math.ceil(chunks / m.maxBlocks));
  }
  return { kernels, hostOps };
}

/** The kernels of one training step of the model: forward, backward, optimizer, zero_grad(set_to_none=True). */
export function stepKernels(model: ModelReport, optimizer: OptimizerKind, impl: OptimizerImpl): StepKernels {
  let forward = 0;
  let backward = 0;
  let paramTensors = 0;
  const assumed = new Set<string>();
  const ran = new Set(model.layers.filter((l) => l.calls > 0).map((l) => l.path));
  for (const l of model.layers) {
    // a row that never ran has gradients only when a row above it used its weights (MultiheadAttention's out_proj)
    if (l.calls > 0 || ranAbove(l.path, ran)) paramTensors += paramTensorsOf(l);
    if (l.calls <= 0) continue;
    const k = callKernels(l);
    if (k.source === 'assumed') assumed.add(l.type);
    forward += k.forward * l.calls;
    backward += k.backward * l.calls;
  }
  const params = model.trainableParams ?? model.uniqueParams ?? 0;
  const opt = optimizerKernels(optimizer, impl, paramTensors, params);
  const zeroGrad = table.optimizers.zero_grad.setToNone.perTensor * paramTensors;
  return {
    forward,
    backward,
    optimizer: opt.kernels,
    zeroGrad,
    total: forward + backward + opt.kernels + zeroGrad,
    hostOps: opt.hostOps,
    paramTensors,
    assumedTypes: [...assumed].sort(),
  };
}

function ranAbove(path: string, ran: ReadonlySet<string>): boolean {
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) if (ran.has(path.slice(0, i))) return true;
  return false;
}

/** One sentence on where the counts come from, for an estimate's basis. */
export const KERNEL_TABLE_BASIS = `kernel launches per op class measured on real torch (${table.madeWith}, src/core/gpu/kernelCounts.json): ${table.countedAs}`;
export const KERNEL_TABLE_NOTES: readonly string[] = [...table.cudaRules, ...table.notes];
export const LOSS_KERNELS = table.losses;
