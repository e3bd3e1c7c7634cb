// Pilot-calibrated hints: a layer's energy per step = its share of the MACs × the measured J per MAC.
import type { RunRecord } from '../pilot/runRecord';

export interface CalibratedEnergy {
  /** Joules per training step charged to this layer. */
  joulesPerStep: number;
  /** J per MAC measured by the pilot (total step energy / MACs of a training step). */
  joulesPerMac: number;
  /** e.g. "calibrated from pilot of 2026-11-01 on CPU: AMD EPYC (estimated)". */
  label: string;
}

/**
 * Energy of one layer per training step, from a completed pilot of the same model.
 * `layerMacs` and `stepMacs` must use the same convention (training MACs of one step, or forward
 * MACs for both — the share is what matters). Null, with a reason, when the run cannot calibrate.
 */
export function layerEnergyFromPilot(
  layerMacs: number,
  stepMacs: number,
  run: RunRecord,
): { ok: true; value: CalibratedEnergy } | { ok: false; reason: string } {
  if (run.state !== 'completed') return { ok: false, reason: `the pilot ${run.id} did not complete (${run.state})` };
  const jps = run.summary.energy.joulesPerStep;
  if (jps === null) return { ok: false, reason: run.summary.energy.reason ?? 'the pilot measured no energy per step' };
  if (!(stepMacs > 0)) return { ok: false, reason: 'the MACs of a training step are unknown' };
  if (!(layerMacs >= 0)) return { ok: false, reason: 'the layer\'s MACs are unknown' };
  const joulesPerMac = jps / stepMacs;
  const date = (run.finishedAt ?? run.createdAt).slice(0, 10);
  return {
    ok: true,
    value: {
      joulesPerStep: layerMacs * joulesPerMac,
      joulesPerMac,
      label: `calibrated from pilot of ${date} on ${run.summary.device} (${run.summary.energy.source ?? 'unknown source'})`,
    },
  };
}
