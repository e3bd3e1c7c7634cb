// The "Model" tab: the model under the cursor (or the one picked), its totals, training memory
// and layers. Host source: src/extension/panel/sections/model.ts; view: webview/src/components/modelSection.ts.
import * as z from 'zod/mini';
import { cell, modelMarkdown } from '../exportReport';
import { topLayer } from '../layerTable';
import { emptyReportView } from '../modelView';
import { reportViewSchema, shownName } from '../views';
import { defineSection } from './section';

/** What the tab says while no model file is shown. */
export const NO_EDITOR_TEXT = 'Open a PyTorch or TensorFlow.js model file: the report follows the model under the cursor.';

export const modelSection = defineSection({
  id: 'model',
  label: 'Model',
  view: reportViewSchema,
  initial: () => emptyReportView('no-editor', NO_EDITOR_TEXT),
  requests: {
    /** Reveal a layer of the shown model in the editor (looked up by the host, never a raw path). */
    revealLayer: { model: shownName, path: shownName },
    /** Show this model instead of the one under the cursor; null: follow the cursor again. */
    selectModel: { name: z.nullable(shownName) },
  },
  streams: {},
  markdown: (r, { topN }) => {
    const m = r.model;
    return [
      `## WattLens energy report${m ? `: ${cell(m.name)}` : ''}`,
      '',
      ...(m ? modelMarkdown(m, r.file, r.costUnit, topN) : [cell(r.statusText)]),
    ];
  },
  json: (r) => ({
    file: r.file,
    documentVersion: r.documentVersion,
    model: r.model,
    topLayer: (r.model && topLayer(r.model.layers)?.path) ?? null,
  }),
});
