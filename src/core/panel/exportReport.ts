// The pieces of the panel's Markdown report (to paste into a paper's or a pull request's
// description) and of its JSON (for scripts): each section's export (src/core/panel/sections/)
// is built from these, and markdownReport / jsonReport (sections/index.ts) put them together.
// Every figure keeps its unit, convention (MACs vs FLOPs) and whether it was measured or
// estimated; unknown figures are "?" with their reason.
// Text from the analyzed code or a run record is escaped (cell/esc) or put in code spans (code):
// a model's name or error message cannot become a link, an image or HTML in the report.
import { codeSpan, escapeMarkdown } from '../editor/text';
import { formatBytes, formatCost, formatCount, formatShare, unknownSite } from '../report/format';
import { carbonStartFigures, carbonStartNote } from './carbonStart';
import { buildTable } from './layerTable';
import type { AdviceView, ComparisonView, ModelView, PilotView, SuggestionView } from './protocol';

export const JSON_REPORT_SCHEMA = 'wattlens-panel-report/1';

export interface ExportMeta {
  /** e.g. "WattLens 0.1.0". */
  generator: string;
  /** ISO time. */
  generatedAt: string;
}

/** Plain text as Markdown: escaped (no link, image or HTML can come out of it), on one line (it also fits a table cell). */
export function cell(text: string): string {
  return escapeMarkdown(text, 4000);
}

const esc = cell;

/** A code span that also fits a table cell (GFM splits cells at a `|` even inside code). */
function code(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

/** A table of plain-text cells. */
function table(header: string[], rows: string[][]): string[] {
  return markdownTable(
    header.map(cell),
    rows.map((r) => r.map(cell)),
  );
}

/** A table whose cells are Markdown already (escaped text, code spans). */
function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function exact(n: number | null): string {
  return n === null ? '' : ` (${n.toLocaleString('en-US')})`;
}

export function modelMarkdown(m: ModelView, file: string | null, unit: 'macs' | 'flops', topN: number): string[] {
  const out: string[] = [];
  const t = m.totals;
  out.push(
    `Model ${code(m.entry)}${file ? ` in ${code(file)}` : ''}${m.line !== null ? `, line ${m.line}` : ''}. Input ${esc(m.input.text)} (${esc(m.input.source)}: ${esc(m.input.detail)}).`,
  );
  out.push('');
  if (m.blocking) out.push(`**Blocked:** ${esc(m.blocking.text)} — the first unknown that left a figure unknown (?).`, '');
  out.push(
    "Static figures are **estimated** from the source by WattLens (the code was not run). MACs are multiply-accumulates in torchvision's convention (conv, linear, matmul, attention); FLOPs = 2 × MACs; elementwise work is reported apart.",
  );
  out.push('');
  out.push('### Totals');
  out.push('');
  const rows: string[][] = [
    ['Parameters', `${formatCount(t.uniqueParams)}${exact(t.uniqueParams)}`, 'estimated'],
    ['Forward cost', `${formatCost(t.macs, 'macs')} = ${formatCost(t.macs, 'flops')}${exact(t.macs)}`, 'estimated'],
  ];
  if (t.trainingMacs !== null) rows.push(['Training step (forward + backward)', formatCost(t.trainingMacs, unit), 'estimated']);
  if (t.elementwiseFlops !== null) rows.push(['Elementwise work (not in MACs)', `${formatCount(t.elementwiseFlops)} FLOPs`, 'estimated']);
  rows.push(['Activation memory (one forward pass)', formatBytes(t.activationBytes), 'estimated']);
  rows.push(['Training memory', formatBytes(t.trainingMemoryBytes), 'estimated']);
  out.push(...table(['figure', 'value', 'measured / estimated'], rows));
  if (m.macsFormula) out.push('', `MACs as a formula of the input's symbols: ${code(m.macsFormula)}.`);

  if (m.trainingMemory.length) {
    out.push('', '### Training memory', '');
    const gpu = 'name' in m.gpu ? m.gpu : null;
    out.push(
      ...table(
        [
          'setup',
          'weights',
          'gradients',
          'optimizer',
          'activations',
          'total',
          ...(gpu ? [`share of ${gpu.name} (${formatBytes(gpu.memoryBytes)})`] : []),
        ],
        m.trainingMemory.map((r) => [
          `${r.precision}, ${r.optimizer}, batch ${r.batch}${r.checkpointing ? ', checkpointing' : ''}`,
          formatBytes(r.weightsBytes),
          formatBytes(r.gradientsBytes),
          formatBytes(r.optimizerBytes),
          formatBytes(r.activationsBytes),
          formatBytes(r.totalBytes),
          ...(gpu ? [formatShare(r.totalBytes, gpu.memoryBytes)] : []),
        ]),
      ),
    );
    if (!gpu && 'reason' in m.gpu) out.push('', `GPU memory: unknown (${esc(m.gpu.reason)}).`);
  }

  const ordered = buildTable(m.layers, { sortKey: 'macs', descending: true, grouped: false, collapsed: new Set() })
    .slice(0, topN)
    .flatMap((e) => (e.kind === 'row' ? [m.layers[e.index]!] : []));
  if (ordered.length) {
    out.push('', `### Top ${ordered.length} of ${m.layers.length} layers by MACs`, '');
    out.push(
      ...markdownTable(
        ['layer', 'type', 'params', unit === 'macs' ? 'MACs' : 'FLOPs', 'share', 'activation memory', 'output shape', 'line'],
        ordered.map((l) => [
          code(l.path),
          ...[
            l.type,
            formatCount(l.params),
            formatCost(l.macs, unit),
            formatShare(l.macs, t.macs),
            formatBytes(l.activationBytes),
            l.outputShape,
            l.line !== null ? String(l.line) : l.site ? `${l.site.file}:${l.site.line}` : '?',
          ].map(cell),
        ]),
      ),
    );
  }
  if (m.assumptions.length) out.push('', '### Assumptions', '', ...m.assumptions.map((a) => `- ${esc(a)}`));
  if (m.unknowns.length)
    out.push(
      '',
      '### Unknown',
      '',
      ...m.unknowns.map((u) => `- ${esc(`${u.what}: ${u.reason}`)}${unknownSite(u) ? ` (${esc(unknownSite(u)!)})` : ''}`),
    );
  return out;
}

function figures(f: SuggestionView['before'], unit: 'macs' | 'flops'): string {
  return `${formatCost(f.macs, unit)}, activations ${formatBytes(f.activationBytes)}, training memory ${formatBytes(f.trainingMemoryBytes ?? null)}`;
}

export function suggestionsMarkdown(a: AdviceView, unit: 'macs' | 'flops'): string[] {
  if (a.state !== 'ready' || !a.suggestions.length) return [];
  const out = ['', '## Suggestions', ''];
  out.push(
    ...table(
      ['rule', 'line', 'suggestion', 'before', 'after', 'after from'],
      a.suggestions.map((s) => [
        s.rule,
        String(s.line),
        s.message,
        figures(s.before, unit),
        figures(s.after, unit),
        s.afterSource === 'reanalysis'
          ? 'engine on the rewritten code (estimated)'
          : s.afterSource === 'estimate'
            ? `estimate: ${s.assumptions.join('; ')}`
            : 'unchanged',
      ]),
    ),
  );
  return out;
}

export function pilotMarkdown(p: PilotView): string[] {
  if (p.state === 'idle' || !p.estimate.length) return [];
  const out = ['', '## Pilot run', ''];
  out.push(
    `Run ${code(p.runId ?? '?')} of ${code(p.script ?? '?')}: ${p.state}, ${p.step} steps.${p.message ? ` ${esc(p.message)}` : ''}`,
    '',
  );
  out.push(
    ...table(
      ['figure', 'value', 'interval', 'measured / estimated', 'basis'],
      p.estimate.map((f) => [f.label, f.value, f.interval ?? '', f.provenance, f.basis]),
    ),
  );
  if (p.fit) out.push('', `Loss curve: ${esc(p.fit.label)}.`);
  if (p.assumptions.length) out.push('', ...p.assumptions.map((a) => `- ${esc(a)}`));
  if (p.carbonStart) {
    out.push('', '### Carbon-aware start', '');
    out.push(
      ...table(
        ['figure', 'value', 'detail', 'measured / estimated', 'basis'],
        carbonStartFigures(p.carbonStart).map((f) => [f.label, f.value, f.interval ?? '', f.provenance, f.basis]),
      ),
    );
    out.push('', esc(carbonStartNote(p.carbonStart)));
  }
  return out;
}

export function comparisonMarkdown(c: ComparisonView | null): string[] {
  if (!c) return [];
  const out = ['', '## Run comparison', ''];
  const name = (r: ComparisonView['a']) => `${r.id}${r.model ? ` (${r.model})` : ''}`;
  out.push(
    ...table(
      ['figure', `A: ${name(c.a)}`, `B: ${name(c.b)}`, 'B vs A', 'measured / estimated', 'basis'],
      c.rows.map((r) => [r.label, r.a, r.b, r.change ?? '?', r.provenance, r.basis]),
    ),
  );
  if (c.notes.length) out.push('', ...c.notes.map((n) => `- ${esc(n)}`));
  return out;
}
