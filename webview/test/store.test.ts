import { describe, expect, it } from 'vitest';
import { SERIES_CAPACITY } from '../../src/core/panel/pilotIdle';
import { DEFAULT_UI, PanelStore, initialState, restoreUi } from '../src/store';

const running = () => {
  const s = initialState();
  s.pilot = { ...s.pilot, state: 'running', runId: 'run1', devices: ['cpu'], loss: [[1, 2]], power: [] };
  return s;
};

describe('webview store', () => {
  it('applies a validated snapshot and its sections', () => {
    const store = new PanelStore();
    const changes: string[] = [];
    store.subscribe((c) => changes.push(c));
    expect(store.receive({ type: 'snapshot', state: running() }).ok).toBe(true);
    expect(store.state.pilot.runId).toBe('run1');
    expect(store.loss.toArray()).toEqual([[1, 2]]);
    expect(store.receive({ type: 'notice', level: 'warning', text: 'Not applied: the file changed' }).ok).toBe(true);
    expect(store.notice).toMatchObject({ level: 'warning', text: 'Not applied: the file changed' });
    expect(changes).toEqual(['all', 'notice']);
  });

  it('drops malformed messages without touching the state', () => {
    const store = new PanelStore();
    const before = store.state;
    for (const bad of [
      null,
      42,
      'snapshot',
      { type: 'snapshot' },
      { type: 'update', section: 'model', view: { status: 'ready' } },
      { type: 'update', section: 'nonsense', view: {} },
      { type: 'update', section: 'history', view: initialState().model },
      { type: 'report', report: initialState().model },
      { type: 'unknown' },
      { type: 'pilotProgress', progress: { runId: 1 } },
    ]) {
      const r = store.receive(bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
    expect(store.state).toBe(before);
  });

  it('replaces one section on its update, and says which changed', () => {
    const store = new PanelStore();
    store.receive({ type: 'snapshot', state: running() });
    const changes: string[] = [];
    store.subscribe((c) => changes.push(c));
    const before = store.state;
    const history = { runs: [], warnings: ['run.json: not a run record'], comparison: null };
    expect(store.receive({ type: 'update', section: 'history', view: history }).ok).toBe(true);
    expect(store.state.history).toEqual(history);
    expect(store.state.pilot).toBe(before.pilot);
    expect(store.state.model).toBe(before.model);
    // a new pilot view restarts the live series from the view's own
    expect(
      store.receive({
        type: 'update',
        section: 'pilot',
        view: {
          ...before.pilot,
          loss: [
            [5, 1],
            [6, 0.5],
          ],
        },
      }).ok,
    ).toBe(true);
    expect(store.loss.toArray()).toEqual([
      [5, 1],
      [6, 0.5],
    ]);
    expect(changes).toEqual(['history', 'pilot']);
  });

  it("appends live points of the running pilot, bounded, and ignores another run's points", () => {
    const store = new PanelStore();
    store.receive({ type: 'snapshot', state: running() });
    for (let i = 2; i < 10_000; i++) {
      store.receive({
        type: 'pilotProgress',
        progress: {
          runId: 'run1',
          step: i,
          lastLoss: 1 / i,
          lastWatts: 30,
          powerSource: 'estimated',
          devices: ['cpu'],
          loss: [[i, 1 / i]],
          power: [{ t: i / 10, watts: [30] }],
        },
      });
    }
    expect(store.loss.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(store.power.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(store.state.pilot.step).toBe(9_999);
    store.receive({
      type: 'pilotProgress',
      progress: { runId: 'other', step: 1, lastLoss: 9, lastWatts: 9, powerSource: null, devices: [], loss: [[1, 9]], power: [] },
    });
    expect(store.state.pilot.step).toBe(9_999);
  });

  it('restores its UI state and the last host state from getState, ignoring damaged parts', () => {
    const store = new PanelStore({
      ui: { tab: 'history', sortKey: 'params', descending: false, grouped: false, collapsed: ['a', 3], picked: ['x', 'y', 'z'] },
      state: running(),
    });
    expect(store.ui).toMatchObject({
      tab: 'history',
      sortKey: 'params',
      descending: false,
      grouped: false,
      collapsed: ['a'],
      picked: ['x', 'y'],
    });
    expect(store.state.pilot.runId).toBe('run1');
    const damaged = new PanelStore({ ui: { tab: 'nonsense', sortKey: 'evil' }, state: { report: 'x' } });
    expect(damaged.ui.tab).toBe(DEFAULT_UI.tab);
    expect(damaged.ui.sortKey).toBe(DEFAULT_UI.sortKey);
    expect(damaged.state.model.status).toBe('no-editor');
    expect(restoreUi(undefined)).toEqual(DEFAULT_UI);
  });
});
