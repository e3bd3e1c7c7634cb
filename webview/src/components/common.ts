// Small shared pieces of the panel's templates: the measured/estimated/unknown badge, a figure
// with its provenance, and the context every section renders with.
import { html } from 'lit';
import type { Host } from '../host';
import type { PanelStore } from '../store';

export interface SectionContext {
  store: PanelStore;
  host: Host;
}

export type Provenance = 'measured' | 'estimated' | 'unknown';

export function provenanceBadge(p: Provenance) {
  return html`<span
    class="prov prov-${p}"
    title=${p === 'measured' ? 'Measured by the pilot run' : p === 'estimated' ? 'Estimated (static analysis, a power model or an extrapolation)' : 'Unknown: see the reason'}
    >${p}</span
  >`;
}

/** A labelled figure: value, unit inside the value, provenance and a tooltip with its basis. */
export function figure(label: string, value: string, provenance: Provenance, basis: string, key = label) {
  return html`<div class="figure" data-figure=${key} title=${basis}>
    <div class="figure-label">${label}</div>
    <div class="figure-value ${provenance === 'unknown' ? 'unknown' : ''}">${value}</div>
    <div class="figure-meta">
      ${provenanceBadge(provenance)}${provenance === 'unknown' ? html` <span class="reason">${basis}</span>` : ''}
    </div>
  </div>`;
}
