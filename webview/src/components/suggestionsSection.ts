// The "Suggestions" tab: the advisor's suggestions, each with its before/after figures, where
// the after figures come from (re-analysis of the rewritten code, or an estimate and its
// assumptions), and Apply for the ones with a checked automatic rewrite.
import { html, nothing } from 'lit';
import { formatChange } from '../../../src/core/panel/units';
import type { SuggestionView } from '../../../src/core/panel/protocol';
import { formatBytes, formatCost, formatCount } from '../../../src/core/report/format';
import type { SectionContext } from './common';

type Figures = SuggestionView['before'];

function beforeAfter(s: SuggestionView, unit: 'macs' | 'flops') {
  const rows: [string, number | null | undefined, number | null | undefined, (x: number | null) => string][] = [
    ['Parameters', s.before.params, s.after.params, formatCount],
    [unit === 'macs' ? 'Forward MACs' : 'Forward FLOPs', s.before.macs, s.after.macs, (x) => formatCost(x, unit)],
    ['Training step', s.before.trainingMacs, s.after.trainingMacs, (x) => formatCost(x, unit)],
    ['Activations', s.before.activationBytes, s.after.activationBytes, formatBytes],
    ['Training memory', s.before.trainingMemoryBytes, s.after.trainingMemoryBytes, formatBytes],
  ];
  const shown = rows.filter(([, b, a]) => b !== undefined || a !== undefined);
  return html`<table class="before-after">
    <thead>
      <tr>
        <th></th>
        <th>before</th>
        <th>after</th>
        <th>change</th>
      </tr>
    </thead>
    <tbody>
      ${shown.map(
        ([label, b, a, fmt]) =>
          html`<tr>
            <td>${label}</td>
            <td class="num">${fmt(b ?? null)}</td>
            <td class="num">${fmt(a ?? null)}</td>
            <td class="num">${formatChange(b, a) ?? '?'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const AFTER_SOURCE: Record<SuggestionView['afterSource'], string> = {
  reanalysis: 'after: the engine on the rewritten code (estimated)',
  estimate: "after: estimated from the engine's per-layer figures",
  unchanged: 'figures unchanged: a pilot run measures the effect',
};

export function suggestionsSection(ctx: SectionContext) {
  const { store, host } = ctx;
  const a = store.state.suggestions;
  const unit = store.state.model.costUnit;
  const head = html`<div class="toolbar">
    <span class="status"
      >${
        a.state === 'running'
          ? 'Checking the file for cheaper designs… (each rewrite is re-analyzed)'
          : a.state === 'idle'
            ? 'No file analyzed yet.'
            : a.state === 'unsupported'
              ? (a.message ?? 'The advisor reads Python files.')
              : a.state === 'failed'
                ? `The advisor failed: ${a.message ?? 'unknown error'}`
                : a.suggestions.length
                  ? `${a.suggestions.length} suggestion${a.suggestions.length > 1 ? 's' : ''} for ${a.file ?? 'this file'}, largest saving first`
                  : `No suggestions for ${a.file ?? 'this file'}.`
      }</span
    >${a.state === 'running' ? html`<vscode-progress-ring></vscode-progress-ring>` : html`<vscode-button secondary @click=${() => host.post({ type: 'refreshAdvice' })}>Re-check</vscode-button>`}
  </div>`;
  if (a.state !== 'ready') return head;
  return html`${head}
  ${a.suggestions.map(
    (s) =>
      html`<div class="suggestion" data-rule=${s.rule} data-id=${s.id}>
        <div class="suggestion-head">
          <b>${s.rule}</b>
          <a
            href="#"
            @click=${(e: Event) => {
              e.preventDefault();
              host.post({ type: 'revealLine', line: s.line });
            }}
            >line ${s.line}</a
          >
          ${s.model ? html`<span class="muted">${s.model}</span>` : nothing}
          ${s.fixable ? html`<vscode-button class="apply" @click=${() => host.post({ type: 'applySuggestion', id: s.id, documentVersion: a.documentVersion ?? -1 })}>Apply</vscode-button>` : html`<span class="muted">no automatic rewrite</span>`}
        </div>
        <div>${s.message}</div>
        ${beforeAfter(s, unit)}
        <div class="muted">${AFTER_SOURCE[s.afterSource]} · <a href=${s.docs}>why</a></div>
        ${
          s.assumptions.length
            ? html`<ul class="muted">
                ${s.assumptions.map((x) => html`<li>${x}</li>`)}
              </ul>`
            : nothing
        }
      </div>`,
  )}
  ${
    a.problems.length
      ? html`<vscode-collapsible heading="Notes (${a.problems.length})"
          ><ul>
            ${a.problems.map((p) => html`<li>${p}</li>`)}
          </ul></vscode-collapsible
        >`
      : nothing
  }`;
}

export type { Figures };
