// Per-line costs of a FileReport: the rows charged to one source line (a layer built in a loop
// 16 times, an op called in every block) summed into one figure per line, for hints, hovers
// and diagnostics. Unknown stays unknown: a sum with an unknown part is unknown.
import type { Count, FileReport, LayerReport, ModelReport, Unknown } from '../report/types';

export interface LineCost {
  /** 1-based line in the analyzed text. */
  line: number;
  /** The model whose figures the line shows (the largest one that uses the line). */
  model: ModelReport;
  rows: LayerReport[];
  /** 'layer' when any row constructs a layer on this line, else 'op'. */
  kind: 'layer' | 'op';
  /** Distinct layer / op types, e.g. ['Linear'] or ['matmul']. */
  types: string[];
  params: Count;
  macs: Count;
  activationBytes: Count;
  /** Forward calls summed over the rows (a layer called twice, or 6 instances called once each). */
  calls: number;
  /** True when the forward pass ran, yet no row of the line was called (an unused layer). */
  notCalled: boolean;
  /** Why a figure of this line is unknown. */
  unknowns: Unknown[];
  /** Other models of the file that also use this line. */
  otherModels: string[];
}

/** Whether the forward pass of a model ran, so that a layer's zero MACs mean zero. */
export function forwardRan(model: ModelReport): boolean {
  return model.macs !== null || !model.unknowns.some((u) => u.what === 'forward cost' || u.blocks === 'macs');
}

/** The reason forward costs of a model are unknown, if they are. */
export function forwardUnknownReason(model: ModelReport): string | undefined {
  return model.unknowns.find((u) => u.what === 'forward cost' || u.blocks === 'macs')?.reason;
}

/** MACs of one row: unknown when the model's forward pass could not run. */
export function rowMacs(model: ModelReport, row: LayerReport): Count {
  if (!forwardRan(model) && row.calls === 0) return null;
  return row.macs;
}

/** A row worth a hint: a layer that holds parameters or costs MACs, or an op that costs MACs. */
function isCostly(model: ModelReport, row: LayerReport): boolean {
  const macs = rowMacs(model, row);
  if (row.kind === 'op') return macs !== 0;
  return row.params !== 0 || macs !== 0;
}

/** Costs per line for every model in the report, one entry per line (lines without cost left out). */
export function lineCosts(report: FileReport): Map<number, LineCost> {
  const byLine = new Map<number, { model: ModelReport; rows: LayerReport[] }[]>();
  for (const model of report.models) {
    const rowsByLine = new Map<number, LayerReport[]>();
    for (const row of model.layers) {
      if (row.line === null || !isCostly(model, row)) continue;
      const list = rowsByLine.get(row.line) ?? [];
      list.push(row);
      rowsByLine.set(row.line, list);
    }
    for (const [line, rows] of rowsByLine) {
      const entries = byLine.get(line) ?? [];
      entries.push({ model, rows });
      byLine.set(line, entries);
    }
  }
  const out = new Map<number, LineCost>();
  for (const [line, entries] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const chosen = entries.reduce((best, e) => (isLarger(e.model, best.model) ? e : best));
    out.set(
      line,
      aggregate(
        line,
        chosen.model,
        chosen.rows,
        entries.filter((e) => e !== chosen).map((e) => e.model.name),
      ),
    );
  }
  return out;
}

/** Larger models win a shared line: a block's line shows its cost inside the whole network. */
function isLarger(a: ModelReport, b: ModelReport): boolean {
  if (a.layers.length !== b.layers.length) return a.layers.length > b.layers.length;
  return (a.macs ?? 0) > (b.macs ?? 0);
}

function aggregate(line: number, model: ModelReport, rows: LayerReport[], otherModels: string[]): LineCost {
  const unknowns: Unknown[] = [];
  const note = (u: Unknown) => {
    if (!unknowns.some((x) => x.reason === u.reason)) unknowns.push(u);
  };
  let params: Count = 0;
  let macs: Count = 0;
  let bytes: Count = 0;
  let calls = 0;
  for (const row of rows) {
    params = add(params, row.params);
    const m = rowMacs(model, row);
    macs = add(macs, m);
    // absent (a front end that does not count it) is 0; null is unknown
    bytes = add(bytes, row.activationBytes === undefined ? 0 : row.activationBytes);
    calls += row.calls;
    for (const u of row.unknowns ?? []) note(u);
    if (m === null) {
      const reason = forwardUnknownReason(model);
      if (reason) note({ what: 'forward cost', reason });
    }
  }
  const ran = forwardRan(model);
  return {
    line,
    model,
    rows,
    kind: rows.some((r) => r.kind === 'layer') ? 'layer' : 'op',
    types: [...new Set(rows.map((r) => r.type))],
    params,
    macs,
    activationBytes: ran ? bytes : null,
    calls,
    notCalled: ran && calls === 0,
    unknowns,
    otherModels,
  };
}

function add(a: Count, b: Count | undefined): Count {
  if (a === null || b === null || b === undefined) return null;
  return a + b;
}

/** The model defined on or around a line: the last model whose definition starts at or before it. */
export function modelAtLine(
  report: FileReport,
  line: number,
  ranges?: readonly { name: string; line: number; endLine: number }[],
): ModelReport | undefined {
  const models = report.models.filter((m) => m.line !== null);
  if (ranges) {
    const range = ranges.find((r) => line >= r.line && line <= r.endLine);
    if (range) return models.find((m) => m.name === range.name);
    return undefined;
  }
  let found: ModelReport | undefined;
  for (const m of models) if ((m.line as number) <= line && (!found || (m.line as number) > (found.line as number))) found = m;
  return found;
}
