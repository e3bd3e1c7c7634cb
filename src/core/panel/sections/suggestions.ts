// The "Suggestions" tab: the advisor's suggestions for the file shown, with before/after figures
// and Apply. Host source: src/extension/panel/sections/suggestions.ts; view:
// webview/src/components/suggestionsSection.ts.
import { suggestionsMarkdown } from '../exportReport';
import * as z from 'zod/mini';
import { adviceViewSchema, int } from '../views';
import { defineSection } from './section';

export const suggestionsSection = defineSection({
  id: 'suggestions',
  label: 'Suggestions',
  view: adviceViewSchema,
  // the same as panelAdvice's IDLE_ADVICE, which the webview bundle does not import (it reads the advisor's types)
  initial: () => ({ state: 'idle' as const, documentVersion: null, file: null, suggestions: [], problems: [], message: null }),
  badge: (a) => (a.state === 'ready' && a.suggestions.length ? { variant: 'counter', text: String(a.suggestions.length) } : null),
  requests: {
    /** Apply one suggestion's rewrite to the document version its advice was computed for. */
    applySuggestion: { id: z.string().check(z.maxLength(300)), documentVersion: int },
    refreshAdvice: {},
  },
  streams: {},
  markdown: (a, { costUnit }) => suggestionsMarkdown(a, costUnit),
  json: (a) => ({ suggestions: a.state === 'ready' ? a.suggestions : [] }),
});
