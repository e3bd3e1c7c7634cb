// The "History" tab: past pilots of this workspace (.wattlens/runs/), newest first; pick two to
// compare them side by side (J/step, MACs, kWh, CO2e) with their loss curves overlaid.
import { html, nothing } from 'lit';
import type { ComparisonView } from '../../../src/core/panel/protocol';
import { formatDuration, formatJoules, formatTimestamp } from '../../../src/core/panel/units';
import type { ChartSpec } from '../charts/lineChart';
import { joinSeries } from '../charts/joinSeries';
import { provenanceBadge, type SectionContext } from './common';
import '../charts/lineChart';

export function overlayChart(c: ComparisonView): ChartSpec {
  return {
    title: 'Loss per step, A and B',
    xLabel: 'step',
    yLabel: 'loss',
    series: [
      { label: `A ${c.a.id.slice(0, 19)}`, color: 0 },
      { label: `B ${c.b.id.slice(0, 19)}`, color: 1 },
    ],
    data: joinSeries([c.lossA, c.lossB]),
  };
}

function comparison(ctx: SectionContext, c: ComparisonView) {
  return html`<h3>A vs B</h3>
    <table class="comparison">
      <thead>
        <tr>
          <th></th>
          <th>A</th>
          <th>B</th>
          <th>B vs A</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${c.rows.map(
          (r) =>
            html`<tr title=${r.basis} data-row=${r.label}>
              <td>${r.label}</td>
              <td class="num">${r.a}</td>
              <td class="num">${r.b}</td>
              <td class="num">${r.change ?? '?'}</td>
              <td>${provenanceBadge(r.provenance)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      c.notes.length
        ? html`<ul class="muted">
            ${c.notes.map((n) => html`<li>${n}</li>`)}
          </ul>`
        : nothing
    }
    <wl-line-chart class="overlay-chart" .spec=${overlayChart(c)}></wl-line-chart>
    <vscode-button
      secondary
      @click=${() => {
        ctx.store.setUi({ picked: [] });
        ctx.host.post({ type: 'clearComparison' });
      }}
      >Clear comparison</vscode-button
    >`;
}

export function historySection(ctx: SectionContext) {
  const { store, host } = ctx;
  const h = store.state.history;
  const picked = store.ui.picked;
  const toggle = (id: string) => {
    const next = picked.includes(id) ? picked.filter((p) => p !== id) : [...picked, id].slice(-2);
    store.setUi({ picked: next });
    if (next.length === 2) host.post({ type: 'compareRuns', a: next[0]!, b: next[1]! });
  };
  return html`<div class="toolbar">
      <span class="status"
        >${h.runs.length ? `${h.runs.length} run${h.runs.length > 1 ? 's' : ''} in .wattlens/runs/ — tick two to compare` : 'No pilot runs in this workspace yet.'}</span
      >
      <vscode-button secondary @click=${() => host.post({ type: 'refreshHistory' })}>Refresh</vscode-button>
    </div>
    ${
      h.runs.length
        ? html`<div class="runs">
            ${h.runs.map(
              (r) =>
                html`<div class="run ${picked.includes(r.id) ? 'picked' : ''}" data-run=${r.id}>
                  <vscode-checkbox .checked=${picked.includes(r.id)} @change=${() => toggle(r.id)} label=${r.id}></vscode-checkbox>
                  <div>
                    <div>
                      <b>${r.script}</b>
                      <span class="muted"
                        >${formatTimestamp(r.createdAt)} · ${r.state} · ${r.steps} steps${r.model ? ` · ${r.model}` : ''}</span
                      >
                    </div>
                    <div class="muted">
                      ${formatJoules(r.joulesPerStep)}/step
                      ${r.energySource ? provenanceBadge(r.energySource === 'estimated' ? 'estimated' : 'measured') : provenanceBadge('unknown')}
                      · ${formatDuration(r.stepTimeS)}/step · ${r.device}
                    </div>
                  </div>
                </div>`,
            )}
          </div>`
        : nothing
    }
    ${
      h.warnings.length
        ? html`<vscode-collapsible heading="Records skipped (${h.warnings.length})"
            ><ul>
              ${h.warnings.map((w) => html`<li>${w}</li>`)}
            </ul></vscode-collapsible
          >`
        : nothing
    }
    ${h.comparison ? comparison(ctx, h.comparison) : nothing}`;
}
