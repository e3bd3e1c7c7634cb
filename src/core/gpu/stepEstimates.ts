// The step estimate for every model of a report, on a GPU named by the user (CLI --gpu, the
// wattlens.gpu setting) or found by nvidia-smi.
import type { FileReport, ModelReport, Precision } from '../report/types';
import { gpuProfileFor, knownGpuNames, type GpuProfile, type StepPrecision } from './gpuProfiles';
import { estimateStep, stepPrecisionOf } from './stepEstimate';

export type StepGpuResult = { ok: true; profile: GpuProfile } | { ok: false; message: string };

/** The profile for a GPU name, or one message listing the names known. */
export function stepGpu(name: string): StepGpuResult {
  const profile = gpuProfileFor(name);
  if (profile) return { ok: true, profile };
  return { ok: false, message: `no GPU profile matches "${name.trim()}"; known GPUs: ${knownGpuNames().join(', ')}` };
}

/** The precision of the step: tf32 when asked for, else that of the training-memory setting. */
export function stepPrecisionFor(precision: Precision | 'tf32' | undefined): StepPrecision {
  return precision === 'tf32' ? 'tf32' : stepPrecisionOf(precision ?? 'fp32');
}

/** The model with its `stepEstimate` (or null and the reason). */
export function withStepEstimate(model: ModelReport, profile: GpuProfile, precision: StepPrecision): ModelReport {
  const r = estimateStep(model, profile, { precision });
  return r.ok ? { ...model, stepEstimate: r.estimate } : { ...model, stepEstimate: null, stepEstimateReason: r.reason };
}

export function withStepEstimates(report: FileReport, profile: GpuProfile, precision: StepPrecision): FileReport {
  return { ...report, models: report.models.map((m) => withStepEstimate(m, profile, precision)) };
}
