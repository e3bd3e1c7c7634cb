// Hover markdown for a line: on a layer or op, the formula with its numbers, output shape,
// MACs per call × calls, memory and the assumptions; on a model's definition, its totals.
import { formatBytes, formatCost, formatCount, formatShape, formatShare, unknownSite, type CostConvention } from '../report/format';
import type { FileReport, LayerReport, ModelReport, Unknown } from '../report/types';
import { lineCosts, type LineCost } from './lineCosts';
import { modelTotalsLines } from './lens';
import { codeSpan, escapeMarkdown, plural } from './text';

const MAX_PATHS = 4;
const MAX_FORMULAS = 3;
const MAX_ASSUMPTIONS = 8;

/** Markdown for a hover on `line` (1-based), or undefined when WattLens has nothing there. */
export function hoverMarkdown(report: FileReport, line: number, unit: CostConvention): string | undefined {
  const cost = lineCosts(report).get(line);
  if (cost) return lineHover(cost, unit);
  const model = report.models.find((m) => m.line === line);
  if (model) return modelHover(model, unit);
  return undefined;
}

function lineHover(cost: LineCost, unit: CostConvention): string {
  const { model } = cost;
  const out: string[] = [];
  out.push(`**WattLens** · ${title(cost)} · estimated by static analysis, not measured`);
  const formulas = [...new Set(cost.rows.map((r) => r.formula).filter((f): f is string => !!f))];
  if (formulas.length) {
    out.push('');
    for (const f of formulas.slice(0, MAX_FORMULAS)) out.push(`${codeSpan(`${formulaLabel(cost.rows[0])}${f}`)}  `);
    if (formulas.length > MAX_FORMULAS) out.push(`… ${formulas.length - MAX_FORMULAS} more formulas`);
  }
  out.push('', '| | |', '|---|---|');
  if (cost.kind === 'layer')
    out.push(
      `| params | ${cost.params === null ? '? (unknown)' : `${formatCount(cost.params)} (${cost.params.toLocaleString('en-US')})`} |`,
    );
  out.push(`| ${unit === 'macs' ? 'MACs' : 'FLOPs'} | ${costCell(cost, unit)} |`);
  const shapes = [...new Set(cost.rows.map((r) => formatShape(r.outputShape)))];
  if (!cost.notCalled) out.push(`| output | ${escapeMarkdown(shapes.slice(0, 3).join(', '))}${shapes.length > 3 ? ', …' : ''} |`);
  if (cost.activationBytes !== null && !cost.notCalled)
    out.push(
      `| activations | ${formatBytes(cost.activationBytes)} of outputs per forward pass${model.activationBytes ? ` (${formatShare(cost.activationBytes, model.activationBytes)} of ${escapeMarkdown(model.name)})` : ''} |`,
    );
  if (cost.unknowns.length) {
    out.push('', '**Unknown**');
    for (const u of cost.unknowns.slice(0, 5)) out.push(`- ${escapeMarkdown(u.what)}: ${escapeMarkdown(u.reason)}${siteSuffix(u)}`);
  }
  if (cost.otherModels.length)
    out.push(
      '',
      `Figures of ${escapeMarkdown(model.name)}; this line is also used by ${cost.otherModels.map((n) => escapeMarkdown(n)).join(', ')}.`,
    );
  out.push('', ...assumptionLines(model));
  return out.join('\n');
}

function title(cost: LineCost): string {
  const paths = cost.rows.map((r) => r.path);
  const shown = paths
    .slice(0, MAX_PATHS)
    .map((p) => codeSpan(p))
    .join(', ');
  const more = paths.length > MAX_PATHS ? ` … (${paths.length} ${cost.kind === 'layer' ? 'instances' : 'rows'})` : '';
  return `**${escapeMarkdown(cost.types.join(', '))}** ${shown}${more} in ${escapeMarkdown(cost.model.name)}`;
}

/** "Linear: " before a layer's formula, nothing before an op's (its formula names its shapes). */
function formulaLabel(row: LayerReport): string {
  return row.kind === 'layer' ? `${row.type}: ` : '';
}

function costCell(cost: LineCost, unit: CostConvention): string {
  if (cost.notCalled) return 'not called in forward';
  if (cost.macs === null) return '? (unknown)';
  const total = formatCost(cost.macs, unit);
  const share = cost.model.macs ? ` · ${formatShare(cost.macs, cost.model.macs)} of ${escapeMarkdown(cost.model.name)}` : '';
  const perCall = cost.calls > 0 ? cost.macs / cost.calls : 0;
  const uniform = cost.rows.every((r) => r.calls === 0 || (r.macs ?? 0) / r.calls === perCall);
  const breakdown =
    cost.calls > 1 && uniform
      ? `${formatCost(perCall, unit)} per call × ${plural(cost.calls, 'call')} = `
      : cost.calls > 1
        ? `over ${plural(cost.calls, 'call')}: `
        : '';
  const flopsNote = unit === 'flops' ? ' (FLOPs = 2 × MACs)' : '';
  return `${breakdown}${total}${share}${flopsNote}`;
}

function modelHover(model: ModelReport, unit: CostConvention): string {
  const out = [`**WattLens** · **${escapeMarkdown(model.name)}** · estimated by static analysis, not measured`, ''];
  for (const l of modelTotalsLines(model, unit)) out.push(`- ${escapeMarkdown(l)}`);
  if (model.unknowns.length) {
    out.push('', '**Unknown**');
    for (const u of model.unknowns.slice(0, 5)) out.push(`- ${escapeMarkdown(u.what)}: ${escapeMarkdown(u.reason)}${siteSuffix(u)}`);
  }
  out.push('', ...assumptionLines(model));
  return out.join('\n');
}

/** " (model.py:42)" after an unknown's reason, the site its reason leaves out. */
function siteSuffix(u: Unknown): string {
  const site = unknownSite(u);
  return site ? ` (${escapeMarkdown(site)})` : '';
}

function assumptionLines(model: ModelReport): string[] {
  const out = ['**Assumptions**'];
  for (const a of model.assumptions.slice(0, MAX_ASSUMPTIONS)) out.push(`- ${escapeMarkdown(a)}`);
  if (model.assumptions.length > MAX_ASSUMPTIONS)
    out.push(`- … ${model.assumptions.length - MAX_ASSUMPTIONS} more (WattLens: Analyze File lists all)`);
  return out;
}
