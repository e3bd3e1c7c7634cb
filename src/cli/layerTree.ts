// The layers of a model as a tree, like torchinfo's summary: module paths split at dots, each
// row's figures summed over its subtree, cut at a depth (1 = the model's direct children).
import type { Count, LayerReport } from '../core/report/types';

export interface TreeRow {
  /** Nesting level: 1 for the model's direct children. */
  depth: number;
  /** The last segment of the path ("attn", "0", "matmul@45"). */
  name: string;
  path: string;
  /** The layer class or op for a layer row; '' for a module that only holds others. */
  type: string;
  line: number | null;
  params: Count;
  macs: Count;
  /** Output shape of a layer row; null for a container (its output is not recorded). */
  outputShape: LayerReport['outputShape'];
  /** Layers and ops summed into this row (1 for a leaf). */
  leaves: number;
  /** Whether the row is the last child of its parent (for the tree glyphs). */
  last: boolean;
}

interface Node {
  name: string;
  path: string;
  layer?: LayerReport;
  children: Map<string, Node>;
}

/**
 * Segments of a layer's path: "blocks.0.attn" → [blocks, 0, attn]; an op "blocks.0:matmul@45" →
 * [blocks, 0, matmul@45]. Ops of the model's own forward carry the model's name as their owner
 * ("GPT:add@93"): they sit at the top level.
 */
export function pathSegments(path: string, modelName: string): string[] {
  const colon = path.indexOf(':');
  const owner = colon < 0 ? path : path.slice(0, colon);
  const segments = owner && !(colon >= 0 && owner === modelName) ? owner.split('.') : [];
  if (colon >= 0) segments.push(path.slice(colon + 1));
  return segments;
}

const add = (a: Count, b: Count): Count => (a === null || b === null ? null : a + b);

/** Rows in forward order down to `maxDepth` (Infinity: every layer) for the model named `modelName`. */
export function layerTree(layers: readonly LayerReport[], maxDepth: number, modelName: string): TreeRow[] {
  const root: Node = { name: '', path: '', children: new Map() };
  for (const layer of layers) {
    let node = root;
    const segments = pathSegments(layer.path, modelName);
    segments.forEach((segment, i) => {
      let child = node.children.get(segment);
      if (!child) {
        const path = i === segments.length - 1 ? layer.path : segments.slice(0, i + 1).join('.');
        child = { name: segment, path, children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    });
    node.layer = layer;
  }
  const rows: TreeRow[] = [];
  const visit = (node: Node, depth: number, last: boolean): { params: Count; macs: Count; leaves: number } => {
    const row: TreeRow = {
      depth,
      name: node.name,
      path: node.path,
      type: node.layer?.type ?? '',
      line: node.layer?.line ?? null,
      // a container holds no figures of its own; an unknown leaf figure stays unknown
      params: node.layer ? node.layer.params : 0,
      macs: node.layer ? node.layer.macs : 0,
      outputShape: node.layer?.outputShape ?? null,
      leaves: node.layer ? 1 : 0,
      last,
    };
    if (depth <= maxDepth) rows.push(row);
    const children = [...node.children.values()];
    children.forEach((child, i) => {
      const sum = visit(child, depth + 1, i === children.length - 1);
      row.params = add(row.params, sum.params);
      row.macs = add(row.macs, sum.macs);
      row.leaves += sum.leaves;
    });
    return { params: row.params, macs: row.macs, leaves: row.leaves };
  };
  const top = [...root.children.values()];
  top.forEach((child, i) => visit(child, 1, i === top.length - 1));
  return rows;
}

/** "│  ├─ " style prefixes for each row, from the rows' depths and last-child flags. */
export function treePrefixes(rows: readonly TreeRow[]): string[] {
  const open: boolean[] = []; // open[d]: the branch at depth d continues below
  return rows.map((row) => {
    open.length = row.depth;
    const indent = open
      .slice(1, row.depth)
      .map((continues) => (continues ? '│  ' : '   '))
      .join('');
    open[row.depth] = !row.last;
    return `${indent}${row.last ? '└─' : '├─'}`;
  });
}
