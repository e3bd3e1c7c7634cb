// The step estimate for every model of a report, on a GPU named by the user (CLI --gpu, the
// wattlens.gpu setting) or found by nvidia-smi, or on this machine's CPU (`cpu`, `cpu:THREADS`).
import type { FileReport, ModelReport, Precision } from '../report/types';
import { gpuProfileFor, knownGpuNames, type StepPrecision } from './gpuProfiles';
import { cpuStepProfile, type CpuMachine } from './cpuProfile';
import { localCpuMachine } from './localCpu';
import { estimateStep, stepPrecisionOf, type StepDevice, type StepEstimateOptions } from './stepEstimate';

export type StepGpuResult = { ok: true; profile: StepDevice } | { ok: false; message: string };

const CPU = /^cpu(?::(\d+))?$/i;

/** The profile for a GPU name, or `cpu` / `cpu:THREADS` for this machine's CPU, or one message listing the names known. */
export function stepGpu(name: string, machine: () => CpuMachine | undefined = localCpuMachine): StepGpuResult {
  const cpu = CPU.exec(name.trim());
  if (cpu) {
    const m = machine();
    if (!m) return { ok: false, message: 'this machine reports no CPU model: no CPU step estimate' };
    const r = cpuStepProfile(m, cpu.at(1) !== undefined ? Number(cpu.at(1)) : undefined);
    return r.ok ? { ok: true, profile: r.profile } : { ok: false, message: r.reason };
  }
  const profile = gpuProfileFor(name);
  if (profile) return { ok: true, profile };
  return {
    ok: false,
    message: `no GPU profile matches "${name.trim()}"; known GPUs: ${knownGpuNames().join(', ')} (or cpu, cpu:THREADS for this machine’s CPU)`,
  };
}

/** The precision of the step: tf32 when asked for, else that of the training-memory setting. */
export function stepPrecisionFor(precision: Precision | 'tf32' | undefined): StepPrecision {
  return precision === 'tf32' ? 'tf32' : stepPrecisionOf(precision ?? 'fp32');
}

/** The model with its `stepEstimate` (or null and the reason). */
export function withStepEstimate(
  model: ModelReport,
  profile: StepDevice,
  precision: StepPrecision,
  more: Pick<StepEstimateOptions, 'cpuBlas'> = {},
): ModelReport {
  const r = estimateStep(model, profile, { ...more, precision });
  return r.ok ? { ...model, stepEstimate: r.estimate } : { ...model, stepEstimate: null, stepEstimateReason: r.reason };
}

export function withStepEstimates(
  report: FileReport,
  profile: StepDevice,
  precision: StepPrecision,
  more: Pick<StepEstimateOptions, 'cpuBlas'> = {},
): FileReport {
  return { ...report, models: report.models.map((m) => withStepEstimate(m, profile, precision, more)) };
}
