// The "Pilot" tab: a form to start a short pilot of a training script, the live charts while it
// runs (power in W per device over time; loss per step with the fitted curve and its
// extrapolation to the target), then the estimate, each figure measured or estimated.
import { html, nothing } from 'lit';
import { carbonStartFigures, carbonStartNote } from '../../../src/core/panel/carbonStart';
import type { PilotView } from '../../../src/core/panel/protocol';
import { formatLoss, formatWatts } from '../../../src/core/panel/units';
import type { ChartSpec } from '../charts/lineChart';
import { joinSeries } from '../charts/joinSeries';
import { requestFromForm } from '../pilotForm';
import type { PanelStore, UiState } from '../store';
import { figure, type SectionContext } from './common';
import '../charts/lineChart';

export function powerChart(store: PanelStore): ChartSpec {
  const p = store.state.pilot;
  const points = store.power.toArray();
  const xs = points.map((q) => q.t);
  return {
    title: `Power per device (W, ${p.powerSource ?? 'source pending'})`,
    xLabel: 's',
    yLabel: 'W',
    series: p.devices.map((d, i) => ({ label: d, color: i, points: points.length < 60 })),
    data: [xs, ...p.devices.map((_, i) => points.map((q) => q.watts[i] ?? null))],
  };
}

export function lossChart(store: PanelStore): ChartSpec {
  const p = store.state.pilot;
  const loss = store.loss.toArray();
  const fit = p.fit;
  const series: [number, number | null][][] = [loss];
  if (fit) series.push(fit.points);
  return {
    title: fit ? 'Loss per step, fitted curve and extrapolation' : 'Loss per step',
    xLabel: 'step',
    yLabel: 'loss',
    logX: Boolean(fit),
    series: [
      { label: 'training loss (measured)', color: 0, pointsOnly: loss.length < 400 && Boolean(fit), points: loss.length < 400 },
      ...(fit ? [{ label: 'fit and extrapolation (estimated)', color: 1, dashed: true }] : []),
    ],
    data: joinSeries(series),
    hline:
      fit?.targetLoss !== null && fit?.targetLoss !== undefined
        ? { y: fit.targetLoss, label: `target ${formatLoss(fit.targetLoss)}`, color: 2 }
        : null,
  };
}

/** Carbon-aware start (opt-in): the lowest-carbon start in the forecast and its saving. */
function carbonStart(p: PilotView) {
  const c = p.carbonStart;
  if (!c) return nothing;
  return html`<h3>Carbon-aware start</h3>
    <div class="figures estimate carbon-start" data-state=${c.state}>
      ${carbonStartFigures(c).map((f) => html`<div class="estimate-figure">${figure(f.label, f.value, f.provenance, f.basis, f.key)}${f.interval ? html`<div class="interval">${f.interval}</div>` : nothing}</div>`)}
    </div>
    <div class="muted carbon-source">${carbonStartNote(c)}</div>`;
}

function form(ctx: SectionContext, p: PilotView) {
  const { store, host } = ctx;
  const f = store.ui.form;
  const set = (patch: Partial<UiState['form']>) => store.setUi({ form: { ...f, ...patch } });
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  const start = () => {
    const r = requestFromForm(f, p.scripts);
    if ('error' in r) store.notice = { level: 'warning', text: r.error, at: Date.now() };
    else host.post({ type: 'startPilot', request: r });
    store.setUi({});
  };
  return html`<div class="pilot-form">
    <label
      >Script
      <vscode-single-select
        class="pilot-script"
        .value=${f.script || p.scripts[0] || ''}
        @change=${(e: Event) => set({ script: value(e) })}
      >
        ${p.scripts.map((s) => html`<vscode-option value=${s}>${s}</vscode-option>`)}
      </vscode-single-select></label
    >
    <label
      >Arguments
      <vscode-textfield
        class="pilot-args"
        .value=${f.args}
        placeholder="--epochs 4"
        @input=${(e: Event) => set({ args: value(e) })}
      ></vscode-textfield
    ></label>
    <label
      >Pilot steps
      <vscode-textfield
        class="pilot-steps"
        .value=${f.steps}
        placeholder="empty: 60 s"
        @input=${(e: Event) => set({ steps: value(e) })}
      ></vscode-textfield
    ></label>
    <label
      >Full run steps
      <vscode-textfield
        class="pilot-total"
        .value=${f.totalSteps}
        placeholder="empty: from the script's DataLoader"
        @input=${(e: Event) => set({ totalSteps: value(e) })}
      ></vscode-textfield
    ></label>
    <label
      >Target loss
      <vscode-textfield
        class="pilot-target"
        .value=${f.targetLoss}
        placeholder="optional"
        @input=${(e: Event) => set({ targetLoss: value(e) })}
      ></vscode-textfield
    ></label>
    <div class="toolbar">
      <vscode-button class="run-pilot" ?disabled=${!p.canRun || p.state === 'running'} @click=${start}>Run pilot</vscode-button>
      <vscode-button secondary ?disabled=${!p.canRun || p.state === 'running'} @click=${() => host.post({ type: 'startPilot' })}
        >Run Pilot…</vscode-button
      >
    </div>
    ${!p.canRun && p.cannotRunReason ? html`<div class="muted">${p.cannotRunReason}</div>` : nothing}
  </div>`;
}

export function pilotSection(ctx: SectionContext) {
  const { store, host } = ctx;
  const p = store.state.pilot;
  const running = p.state === 'running';
  const progress = p.budgetSteps ? `step ${p.step} of ${p.budgetSteps}` : `step ${p.step}`;
  return html`${form(ctx, p)}
  ${
    p.state !== 'idle'
      ? html`<div class="run-status" data-state=${p.state}>
            <b>${p.script}</b> · ${p.state} ·
            ${progress}${p.lastWatts !== null ? ` · ${formatWatts(p.lastWatts)}` : ''}${p.lastLoss !== null ? ` · loss ${formatLoss(p.lastLoss)}` : ''}
            ${running ? html`<vscode-button secondary class="cancel-pilot" @click=${() => host.post({ type: 'cancelPilot' })}>Cancel</vscode-button>` : nothing}
            ${p.message ? html`<div class="muted">${p.message}</div>` : nothing}
          </div>
          <wl-line-chart class="power-chart" .spec=${powerChart(store)}></wl-line-chart>
          <wl-line-chart class="loss-chart" .spec=${lossChart(store)}></wl-line-chart>
          <div class="toolbar">
            <vscode-button secondary class="save-png" @click=${() => savePng(ctx)}>Save charts as PNG</vscode-button>
          </div>
          ${
            p.estimate.length
              ? html`<h3>Estimate of the full run</h3>
                  <div class="figures estimate">
                    ${p.estimate.map((f) => html`<div class="estimate-figure">${figure(f.label, f.value, f.provenance, f.basis, f.key)}${f.interval ? html`<div class="interval">${f.interval}</div>` : nothing}</div>`)}
                  </div>
                  ${p.fit ? html`<div class="muted">${p.fit.label}</div>` : nothing} ${carbonStart(p)}
                  ${
                    p.assumptions.length
                      ? html`<vscode-collapsible heading="Assumptions (${p.assumptions.length})"
                          ><ul>
                            ${p.assumptions.map((a) => html`<li>${a}</li>`)}
                          </ul></vscode-collapsible
                        >`
                      : nothing
                  }`
              : nothing
          }`
      : html`<p class="muted">
          A pilot runs your training script for a few steps with WattLens' harness, measures step time, loss and energy, and forecasts the
          full run (time, kWh, gCO2e, cost, steps to a target loss). It runs your code: trusted workspaces only.
        </p>`
  }`;
}

function savePng(ctx: SectionContext): void {
  const root = document.querySelector('wl-app')?.shadowRoot ?? document;
  const charts = [...root.querySelectorAll('wl-line-chart')] as (HTMLElement & { toPng(): string | null })[];
  charts.forEach((c, i) => {
    const dataUrl = c.toPng();
    if (dataUrl)
      ctx.host.post({
        type: 'savePng',
        name: `${c.classList.contains('power-chart') ? 'power' : c.classList.contains('loss-chart') ? 'loss' : 'chart'}-${i}`,
        dataUrl,
      });
  });
}

export { savePng };
