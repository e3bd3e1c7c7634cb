import { describe, expect, it } from 'vitest';
import { buildTable, columnMax, moduleOf, naturalKey, ROOT_GROUP, topLayer, type TableOptions } from '../../../src/core/panel/layerTable';
import { LAYERS, row } from './fixtures';

const opts = (o: Partial<TableOptions>): TableOptions => ({
  sortKey: 'macs',
  descending: true,
  grouped: false,
  collapsed: new Set(),
  ...o,
});
const paths = (entries: ReturnType<typeof buildTable>) => entries.map((e) => (e.kind === 'row' ? LAYERS[e.index]!.path : `[${e.key}]`));

describe('layer table order', () => {
  it('names the module that owns a row: parent module for layers, owner for ops, the model for top-level rows', () => {
    expect(moduleOf('layer1.0.conv1')).toBe('layer1.0');
    expect(moduleOf('blocks.0.attn:matmul@41')).toBe('blocks.0.attn');
    expect(moduleOf('fc')).toBe(ROOT_GROUP);
    expect(moduleOf(':matmul@3')).toBe(ROOT_GROUP);
  });

  it('sorts by MACs descending with unknown figures last, ties in model order', () => {
    expect(paths(buildTable(LAYERS, opts({})))).toEqual([
      'layer1.0.conv1',
      'layer1.1.conv1',
      'conv1',
      'layer2.0.conv1',
      'layer1.0:matmul@55',
      'fc',
      'layer1.0.bn1',
      'layer10.0.conv1',
    ]);
  });

  it('keeps unknown figures last when ascending too', () => {
    const asc = paths(buildTable(LAYERS, opts({ descending: false })));
    expect(asc[0]).toBe('layer1.0.bn1');
    expect(asc[asc.length - 1]).toBe('layer10.0.conv1');
  });

  it('orders names naturally (layer2 before layer10) and case-blind', () => {
    expect(paths(buildTable(LAYERS, opts({ sortKey: 'path', descending: false })))).toEqual([
      'conv1',
      'fc',
      'layer1.0.bn1',
      'layer1.0.conv1',
      'layer1.0:matmul@55',
      'layer1.1.conv1',
      'layer2.0.conv1',
      'layer10.0.conv1',
    ]);
    expect(naturalKey('Layer9') < naturalKey('layer10')).toBe(true);
  });

  it("groups rows by module with the groups' sums, groups ordered by the sorted column", () => {
    const t = buildTable(LAYERS, opts({ grouped: true }));
    const groups = t.filter((e) => e.kind === 'group');
    expect(groups.map((g) => g.key)).toEqual(['layer1.0', 'layer1.1', ROOT_GROUP, 'layer2.0', 'layer10.0']);
    const l10 = groups.find((g) => g.key === 'layer1.0')!;
    expect(l10).toMatchObject({ count: 3, params: 36_864 + 128, macs: 115_605_504 + 4_000_000 });
    // an unknown part makes the group's sum unknown
    expect(groups.find((g) => g.key === 'layer10.0')).toMatchObject({ macs: null, params: 9 });
    expect(paths(t).slice(0, 4)).toEqual(['[layer1.0]', 'layer1.0.conv1', 'layer1.0:matmul@55', 'layer1.0.bn1']);
  });

  it('hides the rows of collapsed groups but keeps their header', () => {
    const t = buildTable(LAYERS, opts({ grouped: true, collapsed: new Set(['layer1.0']) }));
    expect(paths(t)).not.toContain('layer1.0.conv1');
    expect(t.find((e) => e.kind === 'group' && e.key === 'layer1.0')).toMatchObject({ collapsed: true });
  });

  it('finds the top layer and column maxima', () => {
    expect(topLayer(LAYERS)?.path).toBe('layer1.0.conv1');
    expect(topLayer([])).toBeUndefined();
    expect(columnMax(LAYERS, 'params')).toBe(513_000);
    expect(columnMax([row('a', 'X', null, null)], 'macs')).toBe(0);
  });

  it('re-sorts 2,000 rows quickly enough to repeat on every click (order only; speed is in npm run bench)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => row(`blocks.${i % 100}.l${i}`, 'Linear', i, (i * 7919) % 1000));
    const t = buildTable(many, opts({ grouped: true }));
    expect(t.filter((e) => e.kind === 'row')).toHaveLength(2000);
    expect(t.filter((e) => e.kind === 'group')).toHaveLength(100);
  });
});
