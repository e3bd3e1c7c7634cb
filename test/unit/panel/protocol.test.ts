import { describe, expect, it } from 'vitest';
import { emptyReportView, reportView } from '../../../src/core/panel/modelView';
import { idlePilotView } from '../../../src/core/panel/pilotIdle';
import { parseHostMessage, parsePanelState, parseWebviewMessage, type PanelState } from '../../../src/core/panel/protocol';
import { fileReport } from './fixtures';

function state(): PanelState {
  const report = fileReport();
  return {
    report: reportView({ report, displayPath: 'net.py', documentVersion: 3, model: report.models[0], followsCursor: true, costUnit: 'macs', gpu: { gpu: null, reason: 'no GPU' }, stale: false }),
    advice: { state: 'idle', documentVersion: null, file: null, suggestions: [], problems: [], message: null },
    pilot: idlePilotView({ scripts: ['train.py'], canRun: true, cannotRunReason: null }),
    history: { runs: [], warnings: [], comparison: null },
  };
}

describe('panel protocol', () => {
  it('accepts a snapshot the host builds from a real report, and its sections', () => {
    const s = state();
    expect(parseHostMessage({ type: 'snapshot', state: s }).ok).toBe(true);
    expect(parseHostMessage({ type: 'report', report: emptyReportView('analyzing', 'Analyzing…') }).ok).toBe(true);
    expect(parseHostMessage({ type: 'notice', level: 'info', text: 'applied' }).ok).toBe(true);
    expect(parsePanelState(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('drops host messages of unknown type or with wrong fields, and says which field', () => {
    expect(parseHostMessage({ type: 'explode' }).ok).toBe(false);
    expect(parseHostMessage(null).ok).toBe(false);
    expect(parseHostMessage('snapshot').ok).toBe(false);
    const s = state() as unknown as { report: { model: { layers: { macs: unknown }[] } } };
    s.report.model.layers[0]!.macs = 'many';
    const r = parseHostMessage({ type: 'snapshot', state: s });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^snapshot: state\.report\.model\.layers\.0\.macs/);
    expect(parsePanelState({ report: 1 })).toBeUndefined();
  });

  it('accepts the webview\'s requests and rejects malformed ones', () => {
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
