// The human-readable form of a FileReport: one table per model, totals with units, assumptions.
import { stepEstimateLines, stepEstimateText } from '../core/editor/stepLens';
import { PART_OF_ANOTHER } from '../core/analysis/notBuilt';
import { firstBlocking, formatBytes, formatCost, formatCount, formatShape, formatShare, unknownText } from '../core/report/format';
import { collapseImportProblems } from '../core/report/problems';
import type { FileReport, ModelReport } from '../core/report/types';

const MAX_ROWS = 40;

export function renderFileReport(report: FileReport): string {
  const out: string[] = [];
  for (const m of report.models) out.push(renderModel(m));
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
    out.push(`No nn.Module class or builder found in ${report.file}.\n`);
  return out.join('\n');
}

function renderModel(m: ModelReport): string {
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
  const rows = [...m.layers].sort((a, b) => (b.macs ?? -1) - (a.macs ?? -1));
  if (rows.length) {
    lines.push('');
    const header = ['layer', 'type', 'line', 'params', 'MACs', 'share', 'output'];
    const table = rows
      .slice(0, MAX_ROWS)
      .map((l) => [
        l.path,
        l.type,
        l.line ? String(l.line) : '',
        formatCount(l.params),
        formatCost(l.macs),
        formatShare(l.macs, m.macs),
        formatShape(l.outputShape),
      ]);
    const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...table.map((r) => r[i].length))));
    const fmt = (r: string[]) =>
      '  ' + r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join('  ');
    lines.push(fmt(header));
    for (const r of table) lines.push(fmt(r));
    if (rows.length > MAX_ROWS) lines.push(`  … ${rows.length - MAX_ROWS} more rows (use --json for all)`);
  }
  if (m.unknowns.length) {
    lines.push('', '  Unknown:');
    for (const u of m.unknowns.slice(0, 10)) lines.push(`    - ${u.what}: ${u.reason}${u.line ? ` (line ${u.line})` : ''}`);
  }
  lines.push('', '  Assumptions:');
  for (const a of m.assumptions) lines.push(`    - ${a}`);
  lines.push('');
  return lines.join('\n');
}
