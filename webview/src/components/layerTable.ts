// The layer table: sortable columns, rows grouped by their module (with the group's sums),
// a bar per row for its share of the model's MACs, and a click (or Enter) on a row reveals its
// source line. Only the rows in view are in the DOM (fixed row height, a spacer for the rest),
// so a 2,000-layer model renders and re-sorts in milliseconds.
import { LitElement, css, html, nothing } from 'lit';
import { styleProps } from '../styleProps';
import { buildTable, type SortKey, type TableEntry } from '../../../src/core/panel/layerTable';
import type { LayerRow } from '../../../src/core/panel/protocol';
import { formatBytes, formatCount, formatShare } from '../../../src/core/report/format';

export const ROW_HEIGHT = 24;
const OVERSCAN = 10;

interface Column {
  key: SortKey;
  label: string;
  numeric: boolean;
  title: string;
}

export class LayerTable extends LitElement {
  static override properties = {
    layers: { attribute: false },
    totalMacs: { attribute: false },
    costUnit: { attribute: false },
    sortKey: { attribute: false },
    descending: { attribute: false },
    grouped: { attribute: false },
    collapsed: { attribute: false },
    first: { state: true },
    viewport: { state: true },
  };
  declare layers: LayerRow[];
  declare totalMacs: number | null;
  declare costUnit: 'macs' | 'flops';
  declare sortKey: SortKey;
  declare descending: boolean;
  declare grouped: boolean;
  declare collapsed: string[];
  declare first: number;
  declare viewport: number;
  private entries: TableEntry[] = [];
  private entriesKey: unknown[] = [];
  private scrollFrame = 0;
  /** Milliseconds the last sort/group took (the bench reads it). */
  lastBuildMs = 0;

  static override styles = css`
    :host {
      display: block;
      font-size: var(--vscode-font-size);
      container-type: inline-size;
    }
    .scroller {
      overflow: auto;
      max-height: 60vh;
      min-height: 120px;
      position: relative;
      border: 1px solid var(--vscode-panel-border, transparent);
    }
    .head,
    .row {
      display: grid;
      grid-template-columns: minmax(140px, 2.2fr) minmax(70px, 1fr) 64px 90px 48px 80px minmax(90px, 1fr);
      align-items: center;
      min-width: 620px;
    }
    .head {
      position: sticky;
      top: 0;
      z-index: 2;
      background: var(--vscode-sideBar-background, var(--vscode-editor-background));
      border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, #8884));
    }
    .head button {
      all: unset;
      cursor: pointer;
      padding: 3px 6px;
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .head button:focus-visible,
    .row:focus-visible {
      outline: 1px solid var(--vscode-focusBorder);
      outline-offset: -1px;
    }
    .head button.num {
      text-align: right;
    }
    .body {
      position: relative;
    }
    .row {
      height: ${ROW_HEIGHT}px;
      position: absolute;
      left: 0;
      right: 0;
      cursor: pointer;
    }
    .row:hover {
      background: var(--vscode-list-hoverBackground);
    }
    .row.group {
      font-weight: 600;
      background: var(--vscode-sideBarSectionHeader-background, transparent);
    }
    .row > span {
      padding: 0 6px;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
      position: relative;
    }
    .num {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .indent {
      padding-left: 18px !important;
    }
    .bar {
      position: absolute;
      right: 0;
      top: 3px;
      bottom: 3px;
      background: var(--vscode-charts-blue, #3794ff);
      opacity: 0.28;
      pointer-events: none;
    }
    .unknown {
      color: var(--vscode-editorWarning-foreground, inherit);
    }
    .twisty {
      display: inline-block;
      width: 12px;
    }
    .muted {
      color: var(--vscode-descriptionForeground);
    }
    /* a narrow side bar: layer, params, cost, share and memory; type and shape in the row's tooltip */
    @container (max-width: 560px) {
      .head,
      .row {
        grid-template-columns: minmax(110px, 1fr) 52px 64px 40px 62px;
        min-width: 330px;
      }
      .head > .col-type,
      .head > .col-output,
      .row > .col-type,
      .row > .col-output {
        display: none;
      }
    }
  `;

  constructor() {
    super();
    this.layers = [];
    this.totalMacs = null;
    this.costUnit = 'macs';
    this.sortKey = 'macs';
    this.descending = true;
    this.grouped = true;
    this.collapsed = [];
    this.first = 0;
    this.viewport = 600;
  }

  private columns(): Column[] {
    const cost = this.costUnit === 'macs' ? 'MACs' : 'FLOPs';
    return [
      { key: 'path', label: 'Layer', numeric: false, title: 'Module path (ops: owner:op@line)' },
      { key: 'type', label: 'Type', numeric: false, title: 'Layer class or op' },
      { key: 'params', label: 'Params', numeric: true, title: 'Parameters of the layer (estimated)' },
      {
        key: 'macs',
        label: cost,
        numeric: true,
        title: `Forward ${cost} over all calls (estimated; MACs are multiply-accumulates, FLOPs = 2 × MACs)`,
      },
      { key: 'share', label: 'Share', numeric: true, title: `Share of the model's forward ${cost}` },
      { key: 'activationBytes', label: 'Act. mem', numeric: true, title: 'Bytes of output activations over all calls (estimated)' },
      { key: 'outputShape', label: 'Output', numeric: false, title: 'Output shape of the last call' },
    ];
  }

  /** The entries in table order, rebuilt only when the rows or the order changed. */
  tableEntries(): TableEntry[] {
    const key = [this.layers, this.sortKey, this.descending, this.grouped, this.collapsed];
    if (key.some((k, i) => k !== this.entriesKey[i])) {
      const t0 = performance.now();
      this.entries = buildTable(this.layers, {
        sortKey: this.sortKey,
        descending: this.descending,
        grouped: this.grouped,
        collapsed: new Set(this.collapsed),
      });
      this.lastBuildMs = performance.now() - t0;
      this.entriesKey = key;
    }
    return this.entries;
  }

  private onScroll(e: Event): void {
    const el = e.currentTarget as HTMLElement;
    if (this.scrollFrame) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      this.first = Math.max(0, Math.floor(el.scrollTop / ROW_HEIGHT) - OVERSCAN);
      this.viewport = el.clientHeight || this.viewport;
    });
  }

  private sort(key: SortKey): void {
    const descending = key === this.sortKey ? !this.descending : !['path', 'type', 'outputShape', 'line'].includes(key);
    this.dispatchEvent(new CustomEvent('sort', { detail: { sortKey: key, descending }, bubbles: true, composed: true }));
  }

  private activate(entry: TableEntry): void {
    if (entry.kind === 'group') {
      this.dispatchEvent(new CustomEvent('toggle-group', { detail: entry.key, bubbles: true, composed: true }));
      return;
    }
    const layer = this.layers[entry.index];
    if (layer) this.dispatchEvent(new CustomEvent('reveal-layer', { detail: layer, bubbles: true, composed: true }));
  }

  /** A cost cell: the number with its SI prefix; the unit (MACs or FLOPs) is in the header. */
  private cost(macs: number | null): string {
    return formatCount(macs === null ? null : this.costUnit === 'flops' ? 2 * macs : macs);
  }

  private renderEntry(entry: TableEntry, position: number) {
    const top = styleProps({ top: `${position * ROW_HEIGHT}px` });
    if (entry.kind === 'group') {
      return html`<div
        class="row group"
        role="row"
        tabindex="0"
        .style=${top}
        data-group=${entry.key}
        aria-expanded=${entry.collapsed ? 'false' : 'true'}
        @click=${() => this.activate(entry)}
        @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && this.activate(entry)}
      >
        <span title=${entry.key}
          ><span class="twisty">${entry.collapsed ? '▸' : '▾'}</span>${entry.key} <span class="muted">(${entry.count})</span></span
        >
        <span class="col-type"></span>
        <span class="num">${formatCount(entry.params)}</span>
        <span class="num">${this.cost(entry.macs)}</span>
        <span class="num">${formatShare(entry.macs, this.totalMacs)}</span>
        <span class="num">${formatBytes(entry.activationBytes)}</span>
        <span class="col-output"></span>
      </div>`;
    }
    const l = this.layers[entry.index]!;
    const share = l.macs !== null && this.totalMacs ? Math.min(1, l.macs / this.totalMacs) : 0;
    const where = l.line !== null ? `line ${l.line}` : l.site ? `${l.site.file}:${l.site.line}` : 'no source line';
    const title = `${l.path} (${l.type}, output ${l.outputShape}) — ${where}${l.calls !== 1 ? `, ${l.calls} calls` : ''}${l.formula ? `\n${l.formula}` : ''}${l.unknown ? `\nUnknown: ${l.unknown}` : ''}\nEstimated by static analysis.`;
    return html`<div
      class="row"
      role="row"
      tabindex="0"
      .style=${top}
      data-path=${l.path}
      data-line=${l.line ?? ''}
      title=${title}
      @click=${() => this.activate(entry)}
      @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.activate(entry)}
    >
      <span class=${entry.depth ? 'indent' : ''}>${l.path}</span>
      <span class="col-type">${l.type}</span>
      <span class="num ${l.params === null ? 'unknown' : ''}">${formatCount(l.params)}</span>
      <span class="num ${l.macs === null ? 'unknown' : ''}"
        ><span class="bar" .style=${styleProps({ width: `${(share * 100).toFixed(1)}%` })}></span>${this.cost(l.macs)}</span
      >
      <span class="num">${formatShare(l.macs, this.totalMacs)}</span>
      <span class="num ${l.activationBytes === null ? 'unknown' : ''}">${formatBytes(l.activationBytes)}</span>
      <span class="col-output">${l.outputShape}</span>
    </div>`;
  }

  protected override render() {
    const entries = this.tableEntries();
    const count = Math.ceil(this.viewport / ROW_HEIGHT) + 2 * OVERSCAN;
    const first = Math.min(this.first, Math.max(0, entries.length - count));
    const visible = entries.slice(first, first + count);
    return html`<div class="scroller" role="table" aria-rowcount=${entries.length} @scroll=${this.onScroll}>
      <div class="head" role="row">
        ${this.columns().map(
          (c) =>
            html`<button
              class="${c.numeric ? 'num' : ''} col-${c.key === 'type' ? 'type' : c.key === 'outputShape' ? 'output' : c.key}"
              role="columnheader"
              title=${c.title}
              data-sort=${c.key}
              aria-sort=${c.key === this.sortKey ? (this.descending ? 'descending' : 'ascending') : 'none'}
              @click=${() => this.sort(c.key)}
            >
              ${c.label}${c.key === this.sortKey ? (this.descending ? ' ▾' : ' ▴') : nothing}
            </button>`,
        )}
      </div>
      <div class="body" .style=${styleProps({ height: `${entries.length * ROW_HEIGHT}px` })}>
        ${visible.map((e, i) => this.renderEntry(e, first + i))}
      </div>
    </div>`;
  }

  override firstUpdated(): void {
    const el = this.renderRoot.querySelector('.scroller') as HTMLElement | null;
    if (el?.clientHeight) this.viewport = el.clientHeight;
  }
}

customElements.define('wl-layer-table', LayerTable);
