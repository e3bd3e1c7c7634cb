// The "Pilot" tab: the pilot form, the live charts of a running pilot, then its estimate. Host
// source: src/extension/panel/sections/pilot.ts; view: webview/src/components/pilotSection.ts.
import * as z from 'zod/mini';
import { pilotMarkdown } from '../exportReport';
import { idlePilotView } from '../pilotIdle';
import { pilotProgressSchema, pilotRequestSchema, pilotViewSchema } from '../views';
import { defineSection } from './section';

export const pilotSection = defineSection({
  id: 'pilot',
  label: 'Pilot',
  view: pilotViewSchema,
  initial: () => idlePilotView({ scripts: [], canRun: false, cannotRunReason: 'waiting for the extension' }),
  badge: (p) => (p.state === 'running' ? { variant: 'activity', text: '●' } : null),
  requests: {
    /** Start a pilot with the panel's form; without a request, the Run Pilot command asks. */
    startPilot: { request: z.optional(pilotRequestSchema) },
    cancelPilot: {},
  },
  streams: {
    /** Appended to the live chart while a run is going (the host batches events, ~10 per second). */
    pilotProgress: { progress: pilotProgressSchema },
  },
  markdown: (p) => pilotMarkdown(p),
  json: (p) => ({
    pilot:
      p.state === 'idle'
        ? null
        : {
            runId: p.runId,
            script: p.script,
            state: p.state,
            steps: p.step,
            estimate: p.estimate,
            fit: p.fit ? { label: p.fit.label, targetLoss: p.fit.targetLoss } : null,
            assumptions: p.assumptions,
            /** Opt-in forecast: gCO2e, gCO2e/kWh, ISO times; null when off. */
            carbonStart: p.carbonStart,
            losses: p.loss,
          },
  }),
});
