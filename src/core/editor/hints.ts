// Inlay hint texts: one short figure line at the end of each line that builds a layer or runs a
// costly op, e.g. "2.36M params · 1.21 GMACs · 12%". Unknown figures say so briefly.
import { formatCost, formatCount, formatShare, type CostConvention } from '../report/format';
import type { FileReport } from '../report/types';
import { lineCosts, type LineCost } from './lineCosts';
import { plainText, shortReason } from './text';

export interface LineHint {
  /** 1-based line. */
  line: number;
  text: string;
  /** Plain-text tooltip: what the figures are and that they are estimates. */
  tooltip: string;
}

/** Hints for the lines in [fromLine, toLine] (1-based, inclusive); all lines when no range is given. */
export function lineHints(report: FileReport, unit: CostConvention, range?: { fromLine: number; toLine: number }): LineHint[] {
  const hints: LineHint[] = [];
  for (const cost of lineCosts(report).values()) {
    if (range && (cost.line < range.fromLine || cost.line > range.toLine)) continue;
    hints.push({ line: cost.line, text: plainText(hintText(cost, unit), 200), tooltip: plainText(hintTooltip(cost, unit)) });
  }
  return hints;
}

export function hintText(cost: LineCost, unit: CostConvention): string {
  const parts: string[] = [];
  const paramsUnknown = cost.unknowns.find((u) => /^param/.test(u.what));
  const otherUnknown = cost.unknowns.find((u) => u !== paramsUnknown);
  const because = (reason: string | undefined) => (reason ? ` — ${shortReason(reason)}` : '');
  if (cost.kind === 'layer' && cost.params !== 0)
    parts.push(cost.params === null ? `? params${because((paramsUnknown ?? otherUnknown)?.reason)}` : `${formatCount(cost.params)} params`);
  if (cost.notCalled) parts.push('not called in forward');
  else if (cost.macs === null) {
    const shown = cost.params === null && cost.kind === 'layer';
    parts.push(`${formatCost(null, unit)}${because((otherUnknown ?? (shown ? undefined : paramsUnknown))?.reason)}`);
  } else {
    parts.push(formatCost(cost.macs, unit));
    if (cost.macs > 0 && cost.model.macs) parts.push(formatShare(cost.macs, cost.model.macs));
    if (cost.calls > 1) parts.push(`×${cost.calls}`);
  }
  return parts.join(' · ');
}

function hintTooltip(cost: LineCost, unit: CostConvention): string {
  const what = cost.kind === 'layer' ? `${cost.types.join(', ')} built here` : `${cost.types.join(', ')} in forward`;
  const convention = unit === 'macs' ? 'MACs = multiply-accumulates' : 'FLOPs = 2 × MACs';
  const share = cost.model.macs ? `; share of ${cost.model.name}'s forward ${unit === 'macs' ? 'MACs' : 'FLOPs'}` : '';
  const calls = cost.calls > 1 ? `; summed over ${cost.calls} calls` : '';
  return `WattLens (estimated by static analysis): ${what}, ${convention}${share}${calls}. Hover the line for the formula.`;
}
