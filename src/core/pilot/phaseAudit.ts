// Where a training step's time goes: data loading, forward, backward, optimizer update, other.
import type { StepEvent } from './events';

export type PhaseName = 'data' | 'forward' | 'backward' | 'optimizer' | 'other';

export interface PhaseAudit {
  /** Mean seconds per audited step, by phase. */
  meanS: Record<PhaseName, number>;
  /** Share of the mean audited step time, 0..1. */
  shares: Record<PhaseName, number>;
  auditedSteps: number;
  /** A phase that dominates, named with its share, e.g. "data loading takes 45% of each step". */
  bottleneck: string | null;
}

const PHASES: PhaseName[] = ['data', 'forward', 'backward', 'optimizer', 'other'];
/** A phase past this share of the step is called out. */
const BOTTLENECK_SHARE = 0.3;

export function auditPhases(steps: readonly StepEvent[]): PhaseAudit | null {
  const audited = steps.filter((s) => !s.warmup && s.phases && s.dt !== null && s.dt > 0);
  if (audited.length === 0) return null;
  const meanS = { data: 0, forward: 0, backward: 0, optimizer: 0, other: 0 } as Record<PhaseName, number>;
  let total = 0;
  for (const s of audited) {
    const p = s.phases!;
    meanS.data += p.data;
    meanS.forward += p.forward ?? 0;
    meanS.backward += p.backward;
    meanS.optimizer += p.optimizer;
    meanS.other += p.other;
    total += s.dt!;
  }
  for (const k of PHASES) meanS[k] /= audited.length;
  const meanStep = total / audited.length;
  const shares = {} as Record<PhaseName, number>;
  for (const k of PHASES) shares[k] = meanStep > 0 ? meanS[k] / meanStep : 0;
  return { meanS, shares, auditedSteps: audited.length, bottleneck: nameBottleneck(shares) };
}

function nameBottleneck(shares: Record<PhaseName, number>): string | null {
  const pct = (x: number) => `${Math.round(100 * x)}%`;
  if (shares.data >= BOTTLENECK_SHARE) {
    return `data loading takes ${pct(shares.data)} of each step: a data-loading bottleneck (more DataLoader workers, pinned memory or pre-processing offline)`;
  }
  if (shares.optimizer >= BOTTLENECK_SHARE) {
    return `the optimizer update takes ${pct(shares.optimizer)} of each step: optimizer-bound (a fused/foreach optimizer or fewer parameter tensors)`;
  }
  if (shares.other >= BOTTLENECK_SHARE) {
    return `${pct(shares.other)} of each step is outside data, forward, backward and the optimizer (logging, metrics, host syncs)`;
  }
  return null;
}
