// The webview's copy of the host's state, plus what is the webview's own (sort order, grouping,
// open tab, chosen runs). Messages from the host are validated before they touch it; a section's
// update replaces that section's view; a live run's points go into bounded series, so a long
// run cannot grow the page's memory. No DOM here.
import { BoundedSeries } from '../../src/core/panel/boundedSeries';
import type { SortKey } from '../../src/core/panel/layerTable';
import { SORT_KEYS } from '../../src/core/panel/layerTable';
import { SERIES_CAPACITY } from '../../src/core/panel/pilotIdle';
import {
  parseHostMessage,
  parsePanelState,
  type HostMessage,
  type LossPoint,
  type PanelState,
  type PowerPoint,
} from '../../src/core/panel/protocol';
import { initialPanelState, isSectionId, type SectionId } from '../../src/core/panel/sections';

export interface UiState {
  /** The open tab: a section id. */
  tab: SectionId;
  sortKey: SortKey;
  descending: boolean;
  grouped: boolean;
  collapsed: string[];
  /** Runs picked for comparison (at most two). */
  picked: string[];
  /** The pilot form's last values. */
  form: { script: string; steps: string; totalSteps: string; targetLoss: string; args: string };
}

export const DEFAULT_UI: UiState = {
  tab: 'model',
  sortKey: 'macs',
  descending: true,
  grouped: true,
  collapsed: [],
  picked: [],
  form: { script: '', steps: '100', totalSteps: '', targetLoss: '', args: '' },
};

export function initialState(): PanelState {
  return initialPanelState();
}

/** What setState keeps: the UI state always, the last host state to show at once on reload. */
export interface Persisted {
  ui: UiState;
  state?: PanelState;
}

/** A UI state restored from getState, field by field (an old or damaged one falls back). */
export function restoreUi(raw: unknown): UiState {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof UiState, unknown>>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const f = (typeof r.form === 'object' && r.form !== null ? r.form : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v.slice(0, 1000) : d);
  return {
    tab: isSectionId(r.tab) ? r.tab : DEFAULT_UI.tab,
    sortKey: (SORT_KEYS as readonly unknown[]).includes(r.sortKey) ? (r.sortKey as SortKey) : DEFAULT_UI.sortKey,
    descending: typeof r.descending === 'boolean' ? r.descending : DEFAULT_UI.descending,
    grouped: typeof r.grouped === 'boolean' ? r.grouped : DEFAULT_UI.grouped,
    collapsed: strings(r.collapsed).slice(0, 5000),
    picked: strings(r.picked).slice(0, 2),
    form: {
      script: str(f.script, DEFAULT_UI.form.script),
      steps: str(f.steps, DEFAULT_UI.form.steps),
      totalSteps: str(f.totalSteps, DEFAULT_UI.form.totalSteps),
      targetLoss: str(f.targetLoss, DEFAULT_UI.form.targetLoss),
      args: str(f.args, DEFAULT_UI.form.args),
    },
  };
}

export type Notice = { level: 'info' | 'warning' | 'error'; text: string; at: number };

export class PanelStore {
  state: PanelState;
  ui: UiState;
  notice: Notice | null = null;
  /** Live series of the running pilot (bounded); `state.pilot.loss/power` hold the last snapshot. */
  readonly loss = new BoundedSeries<LossPoint>(SERIES_CAPACITY);
  readonly power = new BoundedSeries<PowerPoint>(SERIES_CAPACITY);
  /** Bumped on every change of the pilot's series (charts redraw when it moves). */
  seriesVersion = 0;
  private readonly listeners = new Set<(changed: ChangeKind) => void>();

  constructor(persisted?: unknown) {
    const p = (typeof persisted === 'object' && persisted !== null ? persisted : {}) as Partial<Persisted>;
    this.ui = restoreUi(p.ui);
    this.state = parsePanelState(p.state) ?? initialState();
    this.resetSeries();
  }

  subscribe(listener: (changed: ChangeKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a message from the host; false (and why) when it does not fit the protocol. */
  receive(data: unknown): { ok: true; message: HostMessage } | { ok: false; error: string } {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) return parsed;
    const m = parsed.message;
    switch (m.type) {
      case 'snapshot':
        this.state = m.state;
        this.resetSeries();
        this.emit('all');
        break;
      case 'update':
        this.state = { ...this.state, [m.section]: m.view };
        // a new pilot view carries the run's series: the live ones start again from it
        if (m.section === 'pilot') this.resetSeries();
        this.emit(m.section);
        break;
      case 'pilotProgress': {
        const p = m.progress;
        if (p.runId !== this.state.pilot.runId) break; // a run the snapshot does not know yet
        this.state = {
          ...this.state,
          pilot: {
            ...this.state.pilot,
            step: p.step,
            lastLoss: p.lastLoss,
            lastWatts: p.lastWatts,
            powerSource: p.powerSource,
            devices: p.devices,
          },
        };
        this.loss.push(...p.loss);
        this.power.push(...p.power);
        this.seriesVersion++;
        this.emit('progress');
        break;
      }
      case 'notice':
        this.notice = { level: m.level, text: m.text, at: Date.now() };
        this.emit('notice');
        break;
    }
    return parsed;
  }

  setUi(patch: Partial<UiState>): void {
    this.ui = { ...this.ui, ...patch };
    this.emit('ui');
  }

  persisted(): Persisted {
    return { ui: this.ui, state: this.state };
  }

  private resetSeries(): void {
    this.loss.reset(this.state.pilot.loss);
    this.power.reset(this.state.pilot.power);
    this.seriesVersion++;
  }

  private emit(changed: ChangeKind): void {
    for (const l of this.listeners) l(changed);
  }
}

/** What changed: everything (a snapshot), one section, the live series, the notice or the UI state. */
export type ChangeKind = 'all' | SectionId | 'progress' | 'notice' | 'ui';
