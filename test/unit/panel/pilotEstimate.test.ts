import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/energy/convergence';
import { forecastRun } from '../../../src/core/energy/forecast';
import { estimateFigures, fitView } from '../../../src/core/panel/pilotEstimate';
import { summary } from './runFixtures';

const byKey = (figs: ReturnType<typeof estimateFigures>) => Object.fromEntries(figs.map((f) => [f.key, f]));

describe('pilot estimate for the panel', () => {
  it("labels the pilot's own figures measured and the extrapolations estimated, each with a unit", () => {
    const s = summary({}, 'nvml-counter');
    const f = byKey(
      estimateFigures(
        s,
        forecastRun({
          summary: s,
          totalSteps: 10_000,
          pricePerKWh: 0.3,
          currency: 'EUR',
          carbon: { country: 'DE' },
          macsPerStep: 1e9,
          targetLoss: 0.3,
        }),
      ),
    );
    expect(f.stepTime).toMatchObject({ value: '50.0 ms', provenance: 'measured' });
    expect(f.joulesPerStep).toMatchObject({ value: '2.00 J', provenance: 'measured' });
    expect(f.time).toMatchObject({ value: '8 min 20 s', provenance: 'estimated' });
    // 10,000 × 2 J = 20 kJ = 5.56 Wh
    expect(f.energy).toMatchObject({ value: '5.56 Wh', provenance: 'estimated' });
    expect(f.co2e!.provenance).toBe('estimated');
    expect(f.co2e!.basis).toMatch(/gCO2e\/kWh \(Germany/);
    expect(f.cost!.value).toMatch(/ EUR$/);
    expect(f.joulesPerMac).toMatchObject({ value: '2.00e-9 J/MAC' });
    expect(f.finalLoss!.interval).toMatch(/^90% interval /);
    expect(f.stepsToTarget!.value).toMatch(/steps$/);
    expect(f.energyToTarget!.interval).toMatch(/^90% interval .*Wh/);
  });

  it('labels estimated power as estimated and says why unknown figures are unknown', () => {
    const s = summary();
    const f = byKey(estimateFigures(s, forecastRun({ summary: s })));
    expect(f.joulesPerStep!.provenance).toBe('estimated');
    expect(f.joulesPerStep!.basis).toMatch(/Test CPU/);
    expect(f.totalSteps).toMatchObject({ provenance: 'unknown', value: '? steps' });
    expect(f.totalSteps!.basis).toMatch(/--total-steps/);
    expect(f.energy).toMatchObject({ provenance: 'unknown', value: '? kWh' });
    expect(f.cost!.basis).toMatch(/pricePerKWh/);
    expect(f.finalLoss).toMatchObject({ provenance: 'unknown' });
  });

  it('gives the fitted curve as points from the fit window to the end of the run', () => {
    const s = summary();
    const c = forecastRun({ summary: s, totalSteps: 5000 }).convergence;
    expect(c.status).toBe('fitted');
    const v = fitView(c, s)!;
    expect(v.points[0]![0]).toBe(c.status === 'fitted' ? c.fitWindow[0] : 0);
    expect(v.points.at(-1)![0]).toBe(5000);
    if (c.status === 'fitted') expect(v.points.at(-1)![1]).toBeCloseTo(evaluate(c.curve, 5000), 10);
    const xs = v.points.map((p) => p[0]);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(v.label).toMatch(/x = step/);
    expect(fitView({ status: 'too-short', reason: 'x' }, s)).toBeNull();
  });
});
