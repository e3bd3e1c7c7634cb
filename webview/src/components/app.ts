// The panel's root element: tabs for the model, suggestions, pilot runs and history, the export
// actions, and the last notice. Re-renders when the store changes; the layer table and charts
// only redo what their own inputs changed.
import { LitElement, html, nothing } from 'lit';
import type { Host } from '../host';
import { TABS, type PanelStore, type Tab } from '../store';
import { historySection } from './historySection';
import { modelSection } from './modelSection';
import { pilotSection } from './pilotSection';
import { chartStyles } from '../pageStyles';
import { panelStyles } from './styles';
import { suggestionsSection } from './suggestionsSection';

const TAB_LABELS: Record<Tab, string> = { model: 'Model', suggestions: 'Suggestions', pilot: 'Pilot', history: 'History' };

export class PanelApp extends LitElement {
  static override styles = [panelStyles, chartStyles];
  store!: PanelStore;
  host!: Host;
  private unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.store.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private tabBadge(tab: Tab) {
    const s = this.store.state;
    if (tab === 'suggestions' && s.advice.state === 'ready' && s.advice.suggestions.length) return html` <vscode-badge variant="counter">${s.advice.suggestions.length}</vscode-badge>`;
    if (tab === 'pilot' && s.pilot.state === 'running') return html` <vscode-badge variant="activity-bar-counter">●</vscode-badge>`;
    if (tab === 'history' && s.history.runs.length) return html` <vscode-badge variant="counter">${s.history.runs.length}</vscode-badge>`;
    return nothing;
  }

  private section(tab: Tab) {
    const ctx = { store: this.store, host: this.host };
    switch (tab) {
      case 'model':
        return modelSection(ctx);
      case 'suggestions':
        return suggestionsSection(ctx);
      case 'pilot':
        return pilotSection(ctx);
      case 'history':
        return historySection(ctx);
    }
  }

  protected override render() {
    const { store, host } = this;
    const active = store.ui.tab;
    const notice = store.notice;
    return html`
      <div class="toolbar top">
        <vscode-button secondary class="export-md" title="A Markdown report to paste into a paper or a pull request" @click=${() => host.post({ type: 'export', format: 'markdown' })}>Export Markdown</vscode-button>
        <vscode-button secondary class="export-json" @click=${() => host.post({ type: 'export', format: 'json' })}>Export JSON</vscode-button>
        <vscode-button secondary class="open-tab" title="Open the report as an editor tab" @click=${() => host.post({ type: 'openInTab' })}>Open in tab</vscode-button>
      </div>
      ${notice ? html`<div class="notice ${notice.level}" role="status">${notice.text}</div>` : nothing}
      <vscode-tabs .selectedIndex=${TABS.indexOf(active)} @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => {
        const tab = TABS[e.detail.selectedIndex];
        if (tab && tab !== store.ui.tab) store.setUi({ tab });
      }}>
        ${TABS.map((t) => html`<vscode-tab-header slot="header" data-tab=${t}>${TAB_LABELS[t]}${this.tabBadge(t)}</vscode-tab-header>
          <vscode-tab-panel data-panel=${t}>${t === active ? this.section(t) : nothing}</vscode-tab-panel>`)}
      </vscode-tabs>`;
  }
}

customElements.define('wl-app', PanelApp);
