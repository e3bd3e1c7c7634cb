// The pilot view before any run, and the size of the live series: shared by the host and the
// webview (no Node imports here, the browser bundle includes it).
import type { PilotView } from './protocol';

/** Points kept per live series (loss, power): older points are thinned past this. */
export const SERIES_CAPACITY = 2000;

export interface PilotFormContext {
  scripts: string[];
  canRun: boolean;
  cannotRunReason: string | null;
}

export function idlePilotView(form: PilotFormContext): PilotView {
  return {
    state: 'idle',
    runId: null,
    script: null,
    step: 0,
    budgetSteps: null,
    budgetSeconds: null,
    lastLoss: null,
    lastWatts: null,
    powerSource: null,
    message: null,
    devices: [],
    loss: [],
    power: [],
    fit: null,
    estimate: [],
    assumptions: [],
    carbonStart: null,
    ...form,
  };
}
