// The view of each section of the panel, by section id: the one list a new tab is added to in
// the webview (its label and badge come from its declaration in src/core/panel/sections/).
// Typed by SectionId, so a section declared without a view does not compile.
import type { TemplateResult } from 'lit';
import type { SectionId } from '../../../src/core/panel/sections';
import type { SectionContext } from './common';
import { historySection } from './historySection';
import { modelSection } from './modelSection';
import { pilotSection } from './pilotSection';
import { suggestionsSection } from './suggestionsSection';

export const SECTION_VIEWS: { readonly [Id in SectionId]: (context: SectionContext) => TemplateResult } = {
  model: modelSection,
  suggestions: suggestionsSection,
  pilot: pilotSection,
  history: historySection,
};
