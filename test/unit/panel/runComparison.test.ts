import { describe, expect, it } from 'vitest';
import { compareRuns, lossPoints, runRow } from '../../../src/core/panel/runComparison';
import { record, summary } from './runFixtures';

describe('run comparison', () => {
  const a = record('a', summary());
  const b = record('b', summary({ stepTimeS: 0.04, energy: { ...summary().energy, joulesPerStep: 1.5 } }));
  const side = (r: typeof a, macs?: number) => ({
    record: r,
    context: { totalSteps: 1000, ...(macs ? { macsPerStep: macs } : {}) },
    row: runRow(r, undefined, 'train.py'),
  });

  it("compares energy per step, MACs and the full run's kWh and CO2e, B against A", () => {
    const c = compareRuns(side(a, 3e9), side(b, 2e9), { carbon: { gramsPerKWh: 400 } });
    const rows = Object.fromEntries(c.rows.map((r) => [r.label, r]));
    expect(rows['Energy per step']).toMatchObject({ a: '2.00 J', b: '1.50 J', change: '−25%', provenance: 'estimated' });
    expect(rows['Step time']).toMatchObject({ change: '−20%', provenance: 'measured' });
    expect(rows['MACs per training step']).toMatchObject({ a: '3.00 GMACs', b: '2.00 GMACs', change: '−33%' });
    // 1000 steps × 2 J = 2000 J = 0.556 Wh; × 400 g/kWh
    expect(rows['Energy (full run)']).toMatchObject({ a: '0.56 Wh', b: '0.42 Wh', change: '−25%' });
    expect(rows['Emissions (full run)']).toMatchObject({ change: '−25%' });
    expect(c.notes[0]).toMatch(/1,000 steps/);
    expect(c.lossA).toHaveLength(200);
  });

  it('shows unknown where a side lacks a figure', () => {
    const c = compareRuns(side(a), side(b, 2e9), {});
    const macs = c.rows.find((r) => r.label === 'MACs per training step')!;
    expect(macs).toMatchObject({ a: '? MACs', change: null, provenance: 'unknown' });
  });

  it('thins long loss curves', () => {
    const long = record('l', summary({ losses: Array.from({ length: 10_000 }, (_, i) => 1 / (i + 1)) }));
    const pts = lossPoints(long, 1000);
    expect(pts.length).toBeLessThanOrEqual(1000);
    expect(pts[0]).toEqual([1, 1]);
  });
});
