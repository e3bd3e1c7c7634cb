// The host's source of each section of the panel, by section id: the one list a new tab is added
// to on the host. Typed by SectionId, so a section declared without a source does not compile.
import type { SectionId } from '../../../core/panel/sections';
import { historySource } from './history';
import type { HostSection, PanelHost } from './hostSection';
import { modelSource } from './model';
import { pilotSource } from './pilot';
import { suggestionsSource } from './suggestions';

export const HOST_SECTIONS: { readonly [Id in SectionId]: (panel: PanelHost) => HostSection<Id> } = {
  model: modelSource,
  suggestions: suggestionsSource,
  pilot: pilotSource,
  history: historySource,
};
