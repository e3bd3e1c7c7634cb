// The panel's root element: one tab per section (src/core/panel/sections/: label and badge; the
// view from ./views.ts), the export actions, and the last notice. Re-renders when the store
// changes; the layer table and charts only redo what their own inputs changed.
import { LitElement, html, nothing } from 'lit';
import { PANEL_SECTIONS, SECTION_IDS, badgeOf, type SectionId } from '../../../src/core/panel/sections';
import type { Host } from '../host';
import type { PanelStore } from '../store';
import { chartStyles } from '../pageStyles';
import { panelStyles } from './styles';
import { SECTION_VIEWS } from './views';

const BADGE_VARIANTS = { counter: 'counter', activity: 'activity-bar-counter' } as const;

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

  private tabBadge(id: SectionId) {
    const badge = badgeOf(id, this.store.state);
    return badge ? html` <vscode-badge variant=${BADGE_VARIANTS[badge.variant]}>${badge.text}</vscode-badge>` : nothing;
  }

  private section(id: SectionId) {
    return SECTION_VIEWS[id]({ store: this.store, host: this.host });
  }

  protected override render() {
    const { store, host } = this;
    const active = store.ui.tab;
    const notice = store.notice;
    return html` <div class="toolbar top">
        <vscode-button
          secondary
          class="export-md"
          title="A Markdown report to paste into a paper or a pull request"
          @click=${() => host.post({ type: 'export', format: 'markdown' })}
          >Export Markdown</vscode-button
        >
        <vscode-button secondary class="export-json" @click=${() => host.post({ type: 'export', format: 'json' })}
          >Export JSON</vscode-button
        >
        <vscode-button secondary class="open-tab" title="Open the report as an editor tab" @click=${() => host.post({ type: 'openInTab' })}
          >Open in tab</vscode-button
        >
      </div>
      ${notice ? html`<div class="notice ${notice.level}" role="status">${notice.text}</div>` : nothing}
      <vscode-tabs
        .selectedIndex=${SECTION_IDS.indexOf(active)}
        @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => {
          const tab = SECTION_IDS[e.detail.selectedIndex];
          if (tab && tab !== store.ui.tab) store.setUi({ tab });
        }}
      >
        ${PANEL_SECTIONS.map(
          ({ id, label }) =>
            html`<vscode-tab-header slot="header" data-tab=${id}>${label}${this.tabBadge(id)}</vscode-tab-header>
              <vscode-tab-panel data-panel=${id}>${id === active ? this.section(id) : nothing}</vscode-tab-panel>`,
        )}
      </vscode-tabs>`;
  }
}

customElements.define('wl-app', PanelApp);
