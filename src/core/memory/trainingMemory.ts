// Training-memory estimate of one training step: weights + gradients + optimizer state +
// activations kept for backward. Byte sizes per element are a table, not code paths.
import type { Count, OptimizerKind, Precision, TrainingMemoryBreakdown } from '../report/types';

/** Bytes per parameter element kept by each part, per precision regime (torch.autocast keeps fp32 master weights). */
const PRECISION_TABLE: Record<Precision, { weight: number; grad: number; activation: number; note: string }> = {
  fp32: { weight: 4, grad: 4, activation: 4, note: 'fp32 weights, gradients and activations' },
  'bf16-mixed': { weight: 4, grad: 4, activation: 2, note: 'torch.autocast bf16: fp32 weights and gradients, bf16 activations' },
  'fp16-mixed': {
    weight: 4,
    grad: 4,
    activation: 2,
    note: 'torch.autocast fp16 + GradScaler: fp32 weights and gradients, fp16 activations',
  },
};

/** Optimizer state in bytes per trainable parameter (fp32 state). */
const OPTIMIZER_TABLE: Record<OptimizerKind, { bytesPerParam: number; note: string }> = {
  sgd: { bytesPerParam: 0, note: 'SGD without momentum keeps no state' },
  'sgd-momentum': { bytesPerParam: 4, note: 'SGD with momentum keeps one fp32 buffer per parameter' },
  adam: { bytesPerParam: 8, note: 'Adam keeps exp_avg and exp_avg_sq in fp32' },
  adamw: { bytesPerParam: 8, note: 'AdamW keeps exp_avg and exp_avg_sq in fp32' },
};

export const PRECISIONS = Object.keys(PRECISION_TABLE) as Precision[];
export const OPTIMIZERS = Object.keys(OPTIMIZER_TABLE) as OptimizerKind[];

export interface ActivationProfile {
  /** Output elements of all layers and ops in one forward pass at the analyzed batch size. */
  elements: Count;
  /** The batch size those elements were counted at. */
  batch: number;
  /**
   * Repeated blocks that activation checkpointing would wrap (e.g. transformer blocks):
   * for each, the elements of its input (kept) and of everything inside it (recomputed).
   */
  blocks?: { inputElements: number; internalElements: number }[];
}

export interface TrainingMemoryOptions {
  uniqueParams: Count;
  trainableParams: Count;
  activations: ActivationProfile;
  batch: number;
  precision: Precision;
  optimizer: OptimizerKind;
  checkpointing: boolean;
}

/** Activation elements kept for backward with checkpointing on the given blocks. */
export function checkpointedElements(profile: ActivationProfile): number | null {
  if (profile.elements === null) return null;
  const blocks = profile.blocks ?? [];
  if (blocks.length === 0) return profile.elements;
  const inside = blocks.reduce((s, b) => s + b.internalElements, 0);
  const kept = blocks.reduce((s, b) => s + b.inputElements, 0);
  const largest = Math.max(...blocks.map((b) => b.internalElements));
  // outside the blocks everything is kept; inside, only block inputs plus one block re-run at a time
  return profile.elements - inside + kept + largest;
}

export function estimateTrainingMemory(o: TrainingMemoryOptions): TrainingMemoryBreakdown {
  const p = PRECISION_TABLE[o.precision];
  const opt = OPTIMIZER_TABLE[o.optimizer];
  const mul = (n: Count, k: number): Count => (n === null ? null : n * k);
  const scale = o.batch / Math.max(1, o.activations.batch);
  const elements = o.checkpointing ? checkpointedElements(o.activations) : o.activations.elements;
  const activationsBytes = elements === null ? null : Math.round(elements * scale * p.activation);
  const weightsBytes = mul(o.uniqueParams, p.weight);
  const gradientsBytes = mul(o.trainableParams, p.grad);
  const optimizerBytes = mul(o.trainableParams, opt.bytesPerParam);
  const parts = [weightsBytes, gradientsBytes, optimizerBytes, activationsBytes];
  const totalBytes = parts.some((x) => x === null) ? null : (parts as number[]).reduce((a, b) => a + b, 0);
  return {
    precision: o.precision,
    optimizer: o.optimizer,
    batch: o.batch,
    checkpointing: o.checkpointing,
    weightsBytes,
    gradientsBytes,
    optimizerBytes,
    activationsBytes,
    totalBytes,
  };
}

/** The assumptions behind estimateTrainingMemory, to show next to its figures. */
export function trainingMemoryAssumptions(precision: Precision, optimizer: OptimizerKind): string[] {
  return [
    `training memory: ${PRECISION_TABLE[precision].note}; ${OPTIMIZER_TABLE[optimizer].note}`,
    'training memory: activations kept for backward ≈ outputs of every layer and op in forward; excludes the CUDA context, allocator fragmentation and temporary workspaces',
  ];
}
