// The section registry (src/core/panel/sections/): one declaration per tab drives the panel's
// state, its protocol, the tab badges and the routing of requests to the sections' host sources.
import { describe, expect, it } from 'vitest';
import { parseHostMessage, parsePanelState, parseWebviewMessage } from '../../../src/core/panel/protocol';
import { PANEL_SECTIONS, SECTION_IDS, badgeOf, initialPanelState, isSectionId, sectionOfRequest } from '../../../src/core/panel/sections';

describe('panel sections', () => {
  it('are the tabs, in order, with the labels the webview shows', () => {
    expect(PANEL_SECTIONS.map((s) => [s.id, s.label])).toEqual([
      ['model', 'Model'],
      ['suggestions', 'Suggestions'],
      ['pilot', 'Pilot'],
      ['history', 'History'],
    ]);
    expect(isSectionId('history')).toBe(true);
    expect(isSectionId('report')).toBe(false);
  });

  it('start from views that pass their own schemas, so the first render is a valid state', () => {
    const state = initialPanelState();
    expect(Object.keys(state)).toEqual([...SECTION_IDS]);
    expect(parsePanelState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    for (const id of SECTION_IDS) expect(parseHostMessage({ type: 'update', section: id, view: state[id] }).ok, id).toBe(true);
  });

  it('route each request to the one section that declares it; the panel keeps its own', () => {
    expect(sectionOfRequest('applySuggestion')).toBe('suggestions');
    expect(sectionOfRequest('revealLayer')).toBe('model');
    expect(sectionOfRequest('compareRuns')).toBe('history');
    expect(sectionOfRequest('startPilot')).toBe('pilot');
    for (const own of ['ready', 'revealLine', 'export', 'savePng', 'openInTab', 'log']) expect(sectionOfRequest(own), own).toBeUndefined();
    for (const s of PANEL_SECTIONS) for (const type of Object.keys(s.requests)) expect(sectionOfRequest(type), type).toBe(s.id);
    expect(parseWebviewMessage({ type: 'refreshHistory' }).ok).toBe(true);
  });

  it('badge their tab from their view: suggestions when ready, a dot while a pilot runs, the run count', () => {
    const state = initialPanelState();
    expect(SECTION_IDS.map((id) => badgeOf(id, state))).toEqual([null, null, null, null]);
    const suggestion = {
      id: 'sdpa@3#0',
      rule: 'sdpa',
      line: 3,
      message: 'm',
      fixable: false,
      model: null,
      before: { params: 1, macs: 1, activationBytes: 1 },
      after: { params: 1, macs: 1, activationBytes: 1 },
      afterSource: 'estimate' as const,
      saving: 0,
      assumptions: [],
      docs: 'd',
    };
    const ready = { ...state.suggestions, state: 'ready' as const, suggestions: [suggestion, { ...suggestion, id: 'sdpa@4#1' }] };
    expect(badgeOf('suggestions', { ...state, suggestions: ready })).toEqual({ variant: 'counter', text: '2' });
    expect(badgeOf('suggestions', { ...state, suggestions: { ...ready, state: 'running' } })).toBeNull();
    expect(badgeOf('pilot', { ...state, pilot: { ...state.pilot, state: 'running' } })).toEqual({ variant: 'activity', text: '●' });
    expect(badgeOf('pilot', { ...state, pilot: { ...state.pilot, state: 'finished' } })).toBeNull();
  });
});
