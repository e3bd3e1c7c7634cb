// The layer table's order: rows sorted by a column (unknown figures last, whatever the
// direction), optionally grouped by the module that owns them (a layer's parent module, an
// op's owner) with each group's sums, groups ordered by the same column. Pure and allocation-
// light, so the webview can re-sort 2,000 rows on every click.
import type { Count } from '../report/types';
import type { LayerRow } from './protocol';

export type SortKey = 'path' | 'type' | 'params' | 'macs' | 'share' | 'activationBytes' | 'outputShape' | 'line';

export const SORT_KEYS: readonly SortKey[] = ['path', 'type', 'params', 'macs', 'share', 'activationBytes', 'outputShape', 'line'];

export interface TableOptions {
  sortKey: SortKey;
  descending: boolean;
  grouped: boolean;
  /** Group keys whose rows are hidden. */
  collapsed: ReadonlySet<string>;
}

export interface GroupEntry {
  kind: 'group';
  key: string;
  /** Rows in the group. */
  count: number;
  params: Count;
  macs: Count;
  activationBytes: Count;
  collapsed: boolean;
}

export interface RowEntry {
  kind: 'row';
  /** Index into the model's layers. */
  index: number;
  /** 1 inside a group, 0 in the flat table. */
  depth: 0 | 1;
}

export type TableEntry = GroupEntry | RowEntry;

/** Name of the group of rows that belong to the model itself (no parent module). */
export const ROOT_GROUP = '(model)';

/** The module that owns a row: "layer1.0.conv1" → "layer1.0"; "blocks.0.attn:matmul@41" → "blocks.0.attn". */
export function moduleOf(path: string): string {
  const colon = path.indexOf(':');
  if (colon >= 0) return path.slice(0, colon) || ROOT_GROUP;
  const dot = path.lastIndexOf('.');
  return dot > 0 ? path.slice(0, dot) : ROOT_GROUP;
}

/** A count summed; unknown when any part is unknown. */
function addCount(a: Count, b: Count): Count {
  return a === null || b === null ? null : a + b;
}

type Value = number | string | null;

function valueOf(row: LayerRow, key: SortKey): Value {
  switch (key) {
    case 'path':
      return row.path;
    case 'type':
      return row.type;
    case 'params':
      return row.params;
    case 'macs':
    case 'share':
      return row.macs;
    case 'activationBytes':
      return row.activationBytes;
    case 'outputShape':
      return row.outputShape === '?' ? null : row.outputShape;
    case 'line':
      return row.line;
  }
}

function groupValue(g: GroupEntry, key: SortKey): Value {
  switch (key) {
    case 'params':
      return g.params;
    case 'macs':
    case 'share':
      return g.macs;
    case 'activationBytes':
      return g.activationBytes;
    default:
      return g.key;
  }
}

/**
 * A key that orders text naturally by plain comparison: digit runs are padded, so "layer10"
 * sorts after "layer9", and case is folded. (Intl.Collator is ~10× slower on 2,000 rows.)
 */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (d) => d.padStart(12, '0'));
}

/** Unknown (null) after every known value in both directions; ties keep model order. */
function compare(a: Value, b: Value, descending: boolean): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}

function sortable(v: Value): Value {
  return typeof v === 'string' ? naturalKey(v) : v;
}

/** The rows in table order, with group headers when grouped. */
export function buildTable(layers: readonly LayerRow[], options: TableOptions): TableEntry[] {
  const order = layers.map((_, i) => i);
  const values = layers.map((l) => sortable(valueOf(l, options.sortKey)));
  order.sort((i, j) => compare(values[i]!, values[j]!, options.descending) || i - j);
  if (!options.grouped) return order.map((index) => ({ kind: 'row', index, depth: 0 }));

  const groups = new Map<string, { entry: GroupEntry; rows: number[]; first: number }>();
  layers.forEach((l, i) => {
    const key = moduleOf(l.path);
    let g = groups.get(key);
    if (!g) {
      g = {
        entry: { kind: 'group', key, count: 0, params: 0, macs: 0, activationBytes: 0, collapsed: options.collapsed.has(key) },
        rows: [],
        first: i,
      };
      groups.set(key, g);
    }
    g.entry.count++;
    g.entry.params = addCount(g.entry.params, l.params);
    g.entry.macs = addCount(g.entry.macs, l.macs);
    g.entry.activationBytes = addCount(g.entry.activationBytes, l.activationBytes);
  });
  for (const i of order) groups.get(moduleOf(layers[i]!.path))!.rows.push(i);
  // text columns order groups by name (ascending by default); figures by the group's sum
  const keyed = [...groups.values()].map((g) => ({ g, key: sortable(groupValue(g.entry, options.sortKey)) }));
  const sorted = keyed.sort((a, b) => compare(a.key, b.key, options.descending) || a.g.first - b.g.first).map((k) => k.g);
  const out: TableEntry[] = [];
  for (const g of sorted) {
    out.push(g.entry);
    if (!g.entry.collapsed) for (const index of g.rows) out.push({ kind: 'row', index, depth: 1 });
  }
  return out;
}

/** The layer with the most MACs (the table's top row when sorted by MACs, descending, flat). */
export function topLayer(layers: readonly LayerRow[]): LayerRow | undefined {
  const first = buildTable(layers, { sortKey: 'macs', descending: true, grouped: false, collapsed: new Set() }).at(0);
  return first && first.kind === 'row' ? layers[first.index] : undefined;
}

/** The largest known value of a column, for bar widths (0 when none is known). */
export function columnMax(layers: readonly LayerRow[], key: 'params' | 'macs' | 'activationBytes'): number {
  let max = 0;
  for (const l of layers) {
    const v = l[key];
    if (v !== null && v > max) max = v;
  }
  return max;
}
