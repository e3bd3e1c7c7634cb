// Budgets for CI: `--max-params 30M --max-macs 5G --max-training-memory 16GiB`. A model over a
// budget, or one whose figure is unknown (so the budget cannot be checked), fails the run.
import { formatBytes, formatCost, formatCount, unknownText } from '../core/report/format';
import type { Count, ModelReport } from '../core/report/types';
import { UsageError } from './errors';

/** Exit code of a report that does not pass: nothing could be built, or a budget or advice gate failed. */
export const REPORT_FAILED_EXIT = 3;

const SI: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
const IEC: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

const UNITS_BY_FLAG: Record<string, string[] | undefined> = {
  '--max-params': ['params'],
  '--max-macs': ['MACs', 'FLOPs'],
  '--max-training-memory': ['B', 'bytes'],
};

/**
 * "30M" → 30e6, "5G" → 5e9, "16GiB" → 16·2³⁰, "1.5e9" → 1.5e9. SI prefixes are powers of 1000,
 * IEC prefixes (Ki, Mi, Gi, …) powers of 1024. A trailing unit must fit the flag: B/bytes for
 * memory, params for parameters, MACs or FLOPs for cost (FLOPs = 2 × MACs, so "10GFLOPs" is 5e9 MACs).
 */
export function parseQuantity(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?\s*(B|bytes|MACs|FLOPs|params)?\s*$/.exec(text);
  if (!m) throw new UsageError(`${flag} expects a number with an optional SI or IEC suffix (30M, 5G, 16GiB), got "${text}"`);
  const prefix = m.at(2) ?? '';
  const unit = m.at(3);
  const allowed = UNITS_BY_FLAG[flag];
  if (unit && allowed && !allowed.includes(unit)) throw new UsageError(`${flag} takes ${allowed.join(' or ')}, not ${unit}: "${text}"`);
  const perUnit = unit === 'FLOPs' ? 0.5 : 1; // the budget is in MACs; one MAC is two FLOPs
  const value = Number(m[1]) * (IEC[prefix] ?? SI[prefix]) * perUnit;
  if (!Number.isFinite(value)) throw new UsageError(`${flag}: "${text}" is out of range`);
  return value;
}

export interface Budgets {
  maxParams?: number;
  maxMacs?: number;
  maxTrainingMemory?: number;
}

interface Check {
  flag: string;
  limit: number;
  figure: (m: ModelReport) => Count;
  label: string;
  format: (n: number) => string;
}

function checks(b: Budgets): Check[] {
  const all: (Check | undefined)[] = [
    b.maxParams === undefined
      ? undefined
      : { flag: '--max-params', limit: b.maxParams, figure: (m) => m.uniqueParams, label: 'parameters', format: formatCount },
    b.maxMacs === undefined
      ? undefined
      : { flag: '--max-macs', limit: b.maxMacs, figure: (m) => m.macs, label: 'forward', format: (n) => formatCost(n) },
    b.maxTrainingMemory === undefined
      ? undefined
      : {
          flag: '--max-training-memory',
          limit: b.maxTrainingMemory,
          figure: (m) => m.trainingMemoryBytes,
          label: 'training memory',
          format: formatBytes,
        },
  ];
  return all.filter((c): c is Check => c !== undefined);
}

/** One line per model and budget that fails: over the limit, or unknown so it cannot be checked. */
export function budgetFailures(models: readonly ModelReport[], budgets: Budgets): string[] {
  const lines: string[] = [];
  for (const c of checks(budgets)) {
    for (const m of models) {
      const value = c.figure(m);
      if (value === null) {
        const why = m.unknowns.find((u) => u.blocks) ?? m.unknowns.at(0);
        lines.push(`${m.name}: ${c.label} unknown, so ${c.flag} cannot be checked${why ? ` (blocked by ${unknownText(why)})` : ''}`);
      } else if (value > c.limit) {
        lines.push(`${m.name}: ${c.label} ${c.format(value)} (${value}) exceeds ${c.flag} ${c.format(c.limit)} (${c.limit})`);
      }
    }
  }
  return lines;
}
