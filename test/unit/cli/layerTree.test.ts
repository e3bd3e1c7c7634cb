// `analyze --depth N`: the layers as a tree, torchinfo-style, with subtree sums.
import { describe, expect, it } from 'vitest';
import { layerTree, pathSegments, treePrefixes } from '../../../src/cli/layerTree';
import type { LayerReport } from '../../../src/core/report/types';

const layer = (path: string, params: number | null, macs: number | null, type = 'Linear'): LayerReport => ({
  path,
  type,
  kind: path.includes(':') ? 'op' : 'layer',
  line: 1,
  params,
  macs,
  flops: macs === null ? null : 2 * macs,
  outputShape: [1, 8],
  calls: 1,
});

const layers = [
  layer('embed', 100, 0, 'Embedding'),
  layer('blocks.0.attn.qkv', 30, 300),
  layer('blocks.0.mlp', 20, 200),
  layer('blocks.1.attn.qkv', 30, 300),
  layer('blocks.1.mlp', 20, null),
  layer('blocks.0.attn:matmul@12', 0, 50, 'matmul'),
  layer('Net:add@40', 0, 0, 'add'),
  layer('head', 10, 100),
];

describe('layerTree', () => {
  it('splits paths at dots, ops at their owner, and puts the model’s own ops at the top', () => {
    expect(pathSegments('blocks.0.attn:matmul@12', 'Net')).toEqual(['blocks', '0', 'attn', 'matmul@12']);
    expect(pathSegments('Net:add@40', 'Net')).toEqual(['add@40']);
    expect(pathSegments('Net', 'Net')).toEqual(['Net']);
  });

  it('at depth 1 shows the model’s children with their subtree sums; an unknown leaf makes the sum unknown', () => {
    const rows = layerTree(layers, 1, 'Net');
    expect(rows.map((r) => [r.name, r.type, r.params, r.macs, r.leaves])).toEqual([
      ['embed', 'Embedding', 100, 0, 1],
      ['blocks', '', 100, null, 5],
      ['add@40', 'add', 0, 0, 1],
      ['head', 'Linear', 10, 100, 1],
    ]);
  });

  it('at depth 2 nests the blocks in forward order and draws the branches', () => {
    const rows = layerTree(layers, 2, 'Net');
    expect(rows.map((r) => `${r.depth}:${r.path}:${r.macs}`)).toEqual([
      '1:embed:0',
      '1:blocks:null',
      '2:blocks.0:550',
      '2:blocks.1:null',
      '1:Net:add@40:0',
      '1:head:100',
    ]);
    expect(treePrefixes(rows)).toEqual(['├─', '├─', '│  ├─', '│  └─', '├─', '└─']);
  });

  it('with no depth limit lists every layer and op exactly once', () => {
    const leaves = layerTree(layers, Infinity, 'Net').filter((r) => r.type !== '');
    expect(leaves.map((r) => r.path).sort()).toEqual(layers.map((l) => l.path).sort());
  });
});
