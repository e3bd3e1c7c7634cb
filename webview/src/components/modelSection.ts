// The "Model" tab: which model (follows the cursor, or picked), its totals, training memory
// against the GPU, the layer table grouped by module, assumptions and unknowns.
import { html, nothing } from 'lit';
import { formatBytes, formatCost, formatCount, formatShare } from '../../../src/core/report/format';
import type { LayerRow, ModelView, ReportView } from '../../../src/core/panel/protocol';
import { styleProps } from '../styleProps';
import { figure, type SectionContext } from './common';
import './layerTable';

const SOURCE_TEXT: Record<string, string> = {
  cli: 'given',
  comment: 'from the # wattlens comment',
  call: 'from a call in the file',
  default: 'assumed',
  config: 'from the layer config',
  none: 'none',
};

function modelPicker(ctx: SectionContext, r: ReportView) {
  if (r.models.length < 2) return nothing;
  const value = r.followsCursor ? '' : (r.model?.name ?? '');
  return html`<label class="picker"
    >Model
    <vscode-single-select
      class="model-picker"
      .value=${value}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        ctx.host.post({ type: 'selectModel', name: v === '' ? null : v });
      }}
    >
      <vscode-option value="">Under the cursor${r.followsCursor && r.model ? ` (${r.model.name})` : ''}</vscode-option>
      ${r.models.map((m) => html`<vscode-option value=${m.name}>${m.name}${m.line !== null ? ` (line ${m.line})` : ''}</vscode-option>`)}
    </vscode-single-select></label
  >`;
}

function totals(m: ModelView, unit: 'macs' | 'flops') {
  const t = m.totals;
  const other = unit === 'macs' ? 'flops' : 'macs';
  const forwardBasis = `Forward ${unit === 'macs' ? 'multiply-accumulates' : 'FLOPs (2 × MACs)'} at input ${m.input.text}; = ${formatCost(t.macs, other)}${m.macsFormula ? `; MACs = ${m.macsFormula}` : ''}. Estimated by static analysis.`;
  const unknownReason = (what: string) => m.unknowns.find((u) => u.what.includes(what))?.reason ?? m.unknowns.at(0)?.reason ?? 'unknown';
  return html`<div class="figures totals">
      ${figure('Parameters', formatCount(t.uniqueParams), t.uniqueParams === null ? 'unknown' : 'estimated', t.uniqueParams === null ? unknownReason('param') : `${t.uniqueParams.toLocaleString('en-US')} distinct parameters (sum(p.numel() for p in model.parameters()))`, 'params')}
      ${figure(`Forward ${unit === 'macs' ? 'MACs' : 'FLOPs'}`, formatCost(t.macs, unit), t.macs === null ? 'unknown' : 'estimated', t.macs === null ? unknownReason('forward') : forwardBasis, 'macs')}
      ${t.trainingMacs !== null ? figure('Training step', formatCost(t.trainingMacs, unit), 'estimated', 'Forward + backward ≈ 3 × forward, plus recomputation of checkpointed regions', 'trainingMacs') : nothing}
      ${figure('Activations', formatBytes(t.activationBytes), t.activationBytes === null ? 'unknown' : 'estimated', t.activationBytes === null ? unknownReason('activation') : "Bytes of every tensor one forward pass allocates, at the tensors' dtypes", 'activationBytes')}
    </div>
    <div class="input-line">
      Input <code>${m.input.text}</code> ${SOURCE_TEXT[m.input.source] ?? m.input.source}<span class="muted"> — ${m.input.detail}</span>
    </div>`;
}

function trainingMemory(m: ModelView) {
  if (!m.trainingMemory.length) return nothing;
  const gpu = 'name' in m.gpu ? m.gpu : null;
  return html`<h3>
      Training memory
      ${gpu ? html`<span class="muted">vs ${gpu.name} (${formatBytes(gpu.memoryBytes)}, ${gpu.source})</span>` : html`<span class="muted">— GPU memory unknown: ${'reason' in m.gpu ? m.gpu.reason : ''}</span>`}
    </h3>
    <div class="memory">
      ${m.trainingMemory.map((r) => {
        const share = gpu && r.totalBytes !== null ? r.totalBytes / gpu.memoryBytes : null;
        const over = share !== null && share > 1;
        const title = `weights ${formatBytes(r.weightsBytes)} + gradients ${formatBytes(r.gradientsBytes)} + optimizer ${formatBytes(r.optimizerBytes)} + activations ${formatBytes(r.activationsBytes)} (estimated; excludes the CUDA context and allocator overhead)`;
        return html`<div class="memory-row ${over ? 'over' : ''}" title=${title} data-memory=${r.checkpointing ? 'checkpointing' : 'plain'}>
          <span class="memory-label">${r.precision}, ${r.optimizer}, batch ${r.batch}${r.checkpointing ? ', checkpointing' : ''}</span>
          <span class="memory-bar"
            ><span class="memory-fill" .style=${styleProps({ width: `${Math.min(100, (share ?? 0) * 100).toFixed(1)}%` })}></span
          ></span>
          <span class="num"
            >${formatBytes(r.totalBytes)}${gpu ? ` · ${formatShare(r.totalBytes, gpu.memoryBytes)}` : ''}${over ? ' — does not fit' : ''}</span
          >
        </div>`;
      })}
    </div>`;
}

/** The first blocking unknown, above the totals: what left a figure "?" and where. */
function blocking(m: ModelView, ctx: SectionContext) {
  const b = m.blocking;
  if (!b) return nothing;
  return html`<div class="blocking">
    Blocked: ${b.text}
    ${
      b.line !== undefined
        ? html`<a
            href="#"
            @click=${(e: Event) => {
              e.preventDefault();
              ctx.host.post({ type: 'revealLine', line: b.line! });
            }}
            >go to line ${b.line}</a
          >`
        : nothing
    }
  </div>`;
}

function notes(m: ModelView, r: ReportView, ctx: SectionContext) {
  return html`<vscode-collapsible heading="Assumptions (${m.assumptions.length})" class="assumptions">
      <ul>
        ${m.assumptions.map((a) => html`<li>${a}</li>`)}
      </ul>
    </vscode-collapsible>
    ${
      m.unknowns.length || r.problems.length
        ? html`<vscode-collapsible heading="Unknown (${m.unknowns.length + r.problems.length})" open class="unknowns">
            <ul>
              ${m.unknowns.map(
                (u) =>
                  html`<li>
                    ${
                      u.line
                        ? html`<a
                              href="#"
                              @click=${(e: Event) => {
                                e.preventDefault();
                                ctx.host.post({ type: 'revealLine', line: u.line! });
                              }}
                              >line ${u.line}</a
                            >: `
                        : nothing
                    }<b>${u.what}</b>:
                    ${u.reason}
                  </li>`,
              )}
              ${r.problems.map((p) => html`<li>${p}</li>`)}
            </ul>
          </vscode-collapsible>`
        : nothing
    }`;
}

export function modelSection(ctx: SectionContext) {
  const { store, host } = ctx;
  const r = store.state.model;
  const m = r.model;
  const ui = store.ui;
  const header = html`<div class="status ${r.stale ? 'stale' : ''}" data-status=${r.status}>
    ${r.statusText}${r.stale ? ' (from an older version of the file)' : ''}
  </div>`;
  if (!m)
    return html`${header}${
      r.problems.length
        ? html`<ul class="problems">
            ${r.problems.map((p) => html`<li>${p}</li>`)}
          </ul>`
        : nothing
    }`;
  return html`${header}
    <div class="toolbar">
      ${modelPicker(ctx, r)}
      ${m.line !== null ? html`<vscode-button secondary @click=${() => host.post({ type: 'revealLine', line: m.line! })}>Go to definition</vscode-button>` : nothing}
    </div>
    ${blocking(m, ctx)} ${totals(m, r.costUnit)} ${trainingMemory(m)}
    <h3>Layers <span class="muted">(${m.layers.length}; click a row to reveal its line)</span></h3>
    <div class="toolbar">
      <vscode-checkbox
        class="group-toggle"
        label="Group by module"
        .checked=${ui.grouped}
        @change=${(e: Event) => store.setUi({ grouped: (e.target as HTMLInputElement).checked })}
      ></vscode-checkbox>
    </div>
    <wl-layer-table
      .layers=${m.layers}
      .totalMacs=${m.totals.macs}
      .costUnit=${r.costUnit}
      .sortKey=${ui.sortKey}
      .descending=${ui.descending}
      .grouped=${ui.grouped}
      .collapsed=${ui.collapsed}
      @sort=${(e: CustomEvent<{ sortKey: typeof ui.sortKey; descending: boolean }>) => store.setUi(e.detail)}
      @toggle-group=${(e: CustomEvent<string>) => store.setUi({ collapsed: ui.collapsed.includes(e.detail) ? ui.collapsed.filter((k) => k !== e.detail) : [...ui.collapsed, e.detail] })}
      @reveal-layer=${(e: CustomEvent<LayerRow>) => host.post({ type: 'revealLayer', model: m.name, path: e.detail.path })}
    ></wl-layer-table>
    ${notes(m, r, ctx)}`;
}
