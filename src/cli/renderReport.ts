// The human-readable form of a FileReport: one table per model, totals with units, assumptions.
import { stepEstimateLines, stepEstimateText } from '../core/editor/stepLens';
import { PART_OF_ANOTHER } from '../core/analysis/notBuilt';
import {
  firstBlocking,
  formatBytes,
  formatCost,
  formatCount,
  formatShape,
  formatShare,
  unknownSite,
  unknownText,
} from '../core/report/format';
import { collapseImportProblems } from '../core/report/problems';
import type { FileReport, ModelReport } from '../core/report/types';
import { layerTree, treePrefixes } from './layerTree';

const MAX_ROWS = 40;

export interface RenderOptions {
  /** Show the layers as a tree down to this depth (torchinfo's `depth`) instead of the costliest rows. */
  depth?: number;
  /** Every row, not the first 40. */
  all?: boolean;
  /** The file's path as shown (relative to the working folder when inside it). */
  file?: string;
}

export function renderFileReport(report: FileReport, options: RenderOptions = {}): string {
  const out: string[] = [];
  for (const m of report.models) out.push(renderModel(m, options));
  if (report.problems.length) {
    out.push('Problems:');
    for (const p of collapseImportProblems(report.problems)) out.push(`  - ${p.line ? `line ${p.line}: ` : ''}${p.what}: ${p.reason}`);
    out.push('');
  }
  const notBuilt = report.notBuilt ?? [];
  if (notBuilt.length) {
    out.push('Not built:');
    const parts = notBuilt.filter((n) => n.reason.startsWith(PART_OF_ANOTHER));
    if (parts.length) out.push(`  - ${parts.map((p) => p.what).join(', ')}: ${PART_OF_ANOTHER}`);
    for (const n of notBuilt.filter((x) => !parts.includes(x))) out.push(`  - ${n.line ? `line ${n.line}: ` : ''}${n.what}: ${n.reason}`);
    out.push('');
  }
  if (!report.models.length && !report.problems.length && !notBuilt.length)
    out.push(`No nn.Module class or builder found in ${options.file ?? report.file}.\n`);
  return out.join('\n');
}

function renderModel(m: ModelReport, options: RenderOptions): string {
  const lines: string[] = [];
  lines.push(`${m.name}  (${m.entry}${m.line ? `, line ${m.line}` : ''})`);
  // what blocked the first unknown figure comes first
  const blocking = firstBlocking(m);
  if (blocking) lines.push(`  blocked          ${unknownText(blocking)}`);
  lines.push(`  input            ${m.input.text}  [${m.input.source}: ${m.input.detail}]`);
  const tied =
    m.params !== null && m.uniqueParams !== null && m.params !== m.uniqueParams
      ? `  (${formatCount(m.params)} counting tied weights in each layer)`
      : '';
  lines.push(
    `  parameters       ${formatCount(m.uniqueParams)} (${m.uniqueParams ?? '?'})${tied}, trainable ${formatCount(m.trainableParams)}`,
  );
  lines.push(
    `  forward          ${formatCost(m.macs, 'macs')} = ${formatCost(m.macs, 'flops')}  [estimated, static analysis]${m.macsFormula ? `  MACs = ${m.macsFormula}` : ''}`,
  );
  if (m.elementwiseFlops)
    lines.push(`  elementwise      ${formatCost(m.elementwiseFlops / 2, 'flops')} (norms, activations, softmax; not in MACs)`);
  lines.push(`  training step    ${formatCost(m.trainingMacs ?? null, 'macs')} (≈ 3 × forward)`);
  lines.push(`  activations      ${formatBytes(m.activationBytes)} per forward pass`);
  const [configured, ...others] = m.trainingMemory ?? [];
  if (configured)
    lines.push(
      `  training memory  ${formatBytes(configured.totalBytes)}  ${configured.precision}, ${configured.optimizer}, batch ${configured.batch}${configured.checkpointing ? ', activation checkpointing' : ''}  (weights ${formatBytes(configured.weightsBytes)}, grads ${formatBytes(configured.gradientsBytes)}, optimizer ${formatBytes(configured.optimizerBytes)}, activations ${formatBytes(configured.activationsBytes)})`,
    );
  if (others.length)
    lines.push(
      `                   ${others.map((t) => `${t.precision}${t.checkpointing ? '+ckpt' : ''} ${formatBytes(t.totalBytes)}`).join(' · ')}`,
    );
  if (m.stepEstimate)
    lines.push(
      `  step estimate    ${stepEstimateText(m.stepEstimate)}`,
      ...stepEstimateLines(m.stepEstimate)
        .slice(1, 3)
        .map((l) => `                   ${l}`),
    );
  else if (m.stepEstimate === null) lines.push(`  step estimate    unknown: ${m.stepEstimateReason ?? 'no reason given'}`);
  lines.push(...layerTable(m, options));
  if (m.unknowns.length) {
    lines.push('', '  Unknown:');
    for (const u of m.unknowns.slice(0, 10)) lines.push(`    - ${u.what}: ${u.reason}${unknownSite(u) ? ` (${unknownSite(u)})` : ''}`);
  }
  lines.push('', '  Assumptions:');
  for (const a of m.assumptions) lines.push(`    - ${a}`);
  lines.push('');
  return lines.join('\n');
}

/** The layer table: a tree to `--depth` in forward order, else the costliest layers first. */
function layerTable(m: ModelReport, options: RenderOptions): string[] {
  if (!m.layers.length) return [];
  const limit = options.all ? Infinity : MAX_ROWS;
  let header: string[];
  let table: string[][];
  if (options.depth !== undefined) {
    const rows = layerTree(m.layers, options.depth, m.name);
    const prefixes = treePrefixes(rows);
    header = ['layer', 'type', 'line', 'params', 'MACs', 'share', 'output'];
    table = rows.map((r, i) => [
      `${prefixes[i]}${r.name}`,
      r.type || (r.leaves > 0 ? `${r.leaves} inside` : ''),
      r.line ? String(r.line) : '',
      formatCount(r.params),
      formatCost(r.macs),
      formatShare(r.macs, m.macs),
      r.outputShape ? formatShape(r.outputShape) : '',
    ]);
  } else {
    const rows = [...m.layers].sort((a, b) => (b.macs ?? -1) - (a.macs ?? -1));
    header = ['layer', 'type', 'line', 'params', 'MACs', 'share', 'output'];
    table = rows.map((l) => [
      l.path,
      l.type,
      l.line ? String(l.line) : '',
      formatCount(l.params),
      formatCost(l.macs),
      formatShare(l.macs, m.macs),
      formatShape(l.outputShape),
    ]);
  }
  const shown = table.slice(0, limit);
  const maxWidth = options.depth !== undefined ? 64 : 48;
  const widths = header.map((h, i) => Math.min(maxWidth, Math.max(h.length, ...shown.map((r) => r[i].length))));
  const fmt = (r: string[]) =>
    '  ' + r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join('  ');
  const lines = ['', fmt(header), ...shown.map(fmt)];
  if (table.length > shown.length)
    lines.push(
      `  … ${table.length - shown.length} more rows (--all shows every row${options.depth === undefined ? ', --depth N a tree' : ''})`,
    );
  return lines;
}
