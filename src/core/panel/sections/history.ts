// The "History" tab: past pilots of the workspace and the comparison of two. Host source:
// src/extension/panel/sections/history.ts; view: webview/src/components/historySection.ts.
import { comparisonMarkdown } from '../exportReport';
import { historyViewSchema, runId } from '../views';
import { defineSection } from './section';

export const historySection = defineSection({
  id: 'history',
  label: 'History',
  view: historyViewSchema,
  initial: () => ({ runs: [], warnings: [], comparison: null }),
  badge: (h) => (h.runs.length ? { variant: 'counter', text: String(h.runs.length) } : null),
  requests: {
    refreshHistory: {},
    compareRuns: { a: runId, b: runId },
    clearComparison: {},
  },
  streams: {},
  markdown: (h) => comparisonMarkdown(h.comparison),
  json: (h) => ({ comparison: h.comparison }),
});
