import { describe, expect, it } from 'vitest';
import { emptyReportView, reportView } from '../../../src/core/panel/modelView';
import { idlePilotView } from '../../../src/core/panel/pilotIdle';
import { parseHostMessage, parsePanelState, parseWebviewMessage, type PanelState } from '../../../src/core/panel/protocol';
import { initialPanelState } from '../../../src/core/panel/sections';
import { fileReport } from './fixtures';

function state(): PanelState {
  const report = fileReport();
  return {
    ...initialPanelState(),
    model: reportView({
      report,
      displayPath: 'net.py',
      documentVersion: 3,
      model: report.models[0],
      followsCursor: true,
      costUnit: 'macs',
      gpu: { gpu: null, reason: 'no GPU' },
      stale: false,
    }),
    suggestions: { state: 'idle', documentVersion: null, file: null, suggestions: [], problems: [], message: null },
    pilot: idlePilotView({ scripts: ['train.py'], canRun: true, cannotRunReason: null }),
    history: { runs: [], warnings: [], comparison: null },
  };
}

describe('panel protocol', () => {
  it('accepts a snapshot the host builds from a real report, and its sections', () => {
    const s = state();
    expect(parseHostMessage({ type: 'snapshot', state: s }).ok).toBe(true);
    expect(parseHostMessage({ type: 'update', section: 'model', view: emptyReportView('analyzing', 'Analyzing…') }).ok).toBe(true);
    expect(parseHostMessage({ type: 'update', section: 'history', view: s.history }).ok).toBe(true);
    expect(parseHostMessage({ type: 'notice', level: 'info', text: 'applied' }).ok).toBe(true);
    expect(parsePanelState(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('drops host messages of unknown type or with wrong fields, and says which field', () => {
    expect(parseHostMessage({ type: 'explode' }).ok).toBe(false);
    expect(parseHostMessage(null).ok).toBe(false);
    expect(parseHostMessage('snapshot').ok).toBe(false);
    const s = state() as unknown as { model: { model: { layers: { macs: unknown }[] } } };
    s.model.model.layers[0]!.macs = 'many';
    const r = parseHostMessage({ type: 'snapshot', state: s });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^snapshot: state\.model\.model\.layers\.0\.macs/);
    expect(parsePanelState({ model: 1 })).toBeUndefined();
    // an update names its section, and its view must be that section's
    const u = parseHostMessage({ type: 'update', section: 'model', view: s.model });
    expect(u.ok).toBe(false);
    if (!u.ok) expect(u.error).toMatch(/^update model: view\.model\.layers\.0\.macs/);
    expect(parseHostMessage({ type: 'update', section: 'suggestions', view: state().history }).ok).toBe(false);
    expect(parseHostMessage({ type: 'update', section: 'settings', view: {} }).ok).toBe(false);
    // the messages of the older protocol (one type per section) are not taken for current ones
    expect(parseHostMessage({ type: 'report', report: state().model }).ok).toBe(false);
  });

  it('checks the carbon-aware start view: times are ISO, grams not negative, states known', () => {
    const carbonStart = {
      state: 'ready',
      provider: 'Electricity Maps',
      area: 'DE',
      fetchedAt: '2026-03-01T10:00:05.123Z',
      reason: null,
      window: {
        start: '2026-03-02T02:00:00.000Z',
        end: '2026-03-02T06:00:00.000Z',
        gramsPerKWh: 120,
        nowGramsPerKWh: 400,
        co2eGrams: 120,
        nowCo2eGrams: 400,
        savingGrams: 280,
        energyKWh: 1,
        durationS: 14400,
      },
    };
    const pilot = (c: unknown) => ({ type: 'update', section: 'pilot', view: { ...state().pilot, carbonStart: c } });
    expect(parseHostMessage(pilot(carbonStart)).ok).toBe(true);
    expect(parseHostMessage(pilot(null)).ok).toBe(true);
    expect(
      parseHostMessage(
        pilot({ state: 'fetching', provider: 'UK Carbon Intensity API', area: null, fetchedAt: null, window: null, reason: null }),
      ).ok,
    ).toBe(true);
    const bad: [unknown, RegExp][] = [
      [{ ...carbonStart, state: 'done' }, /view\.carbonStart\.state/],
      [{ ...carbonStart, fetchedAt: 'yesterday' }, /view\.carbonStart\.fetchedAt/],
      [{ ...carbonStart, window: { ...carbonStart.window, start: 1767225600000 } }, /view\.carbonStart\.window\.start/],
      [{ ...carbonStart, window: { ...carbonStart.window, co2eGrams: -5 } }, /view\.carbonStart\.window\.co2eGrams/],
      [{ ...carbonStart, window: { ...carbonStart.window, durationS: 0 } }, /view\.carbonStart\.window\.durationS/],
    ];
    for (const [c, where] of bad) {
      const r = parseHostMessage(pilot(c));
      expect(r.ok, JSON.stringify(c)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(where);
    }
    // a pilot view from before carbon-aware start (no field) is not taken for a current one
    const { carbonStart: _dropped, ...old } = state().pilot;
    expect(parseHostMessage({ type: 'update', section: 'pilot', view: old }).ok).toBe(false);
  });

  it("accepts the webview's requests and rejects malformed ones", () => {
    const ok = [
      { type: 'ready' },
      { type: 'revealLayer', model: 'Net', path: 'fc1' },
      { type: 'revealLine', line: 12 },
      { type: 'selectModel', name: null },
      { type: 'applySuggestion', id: 'sdpa@12#0', documentVersion: 4 },
      { type: 'startPilot', request: { script: 'train.py', args: ['--epochs', '1'], steps: 50, totalSteps: 5000, targetLoss: 0.1 } },
      { type: 'startPilot' },
      { type: 'compareRuns', a: '2025-01-01T00-00-00-000Z-abc123', b: 'run_2' },
      { type: 'export', format: 'markdown' },
      { type: 'savePng', name: 'loss-0', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    ];
    for (const m of ok) expect(parseWebviewMessage(m), JSON.stringify(m)).toMatchObject({ ok: true });
    const bad = [
      { type: 'revealLine', line: 0 },
      { type: 'revealLine', line: 1.5 },
      { type: 'startPilot', request: { script: '', args: [] } },
      { type: 'startPilot', request: { script: 'train.py', args: [], steps: -3 } },
      { type: 'compareRuns', a: '../../etc/passwd', b: 'x' },
      { type: 'savePng', name: '../evil', dataUrl: 'data:image/png;base64,AAAA' },
      { type: 'savePng', name: 'x', dataUrl: 'data:text/html;base64,AAAA' },
      { type: 'export', format: 'pdf' },
      { type: 'log', level: 'info', message: 'x'.repeat(5000) },
      { type: 'runScript', code: 'rm -rf /' },
    ];
    for (const m of bad) expect(parseWebviewMessage(m), JSON.stringify(m)).toMatchObject({ ok: false });
  });
});
