import { describe, expect, it } from 'vitest';
import { evaluate, fitConvergence } from '../../../src/core/energy/convergence';
import { seededRandom } from '../../../src/core/energy/stats';

function noisyPowerLaw(n: number, c: number, a: number, b: number, noise: number, seed = 1): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => c + a * Math.pow(i + 1, -b) + noise * (r() - 0.5) * 2);
}

describe('convergence fit', () => {
  it('recovers a power law with asymptote and brackets the true loss at the end of the run', () => {
    const truth = (t: number) => 0.5 + 3 * Math.pow(t, -0.6);
    const losses = noisyPowerLaw(400, 0.5, 3, 0.6, 0.005);
    const result = fitConvergence({ losses, totalSteps: 4000 });
    expect(result.status).toBe('fitted');
    if (result.status !== 'fitted') return;
    expect(result.curve.family).toBe('power-law');
    expect(result.finalLoss.low).toBeLessThanOrEqual(truth(4000));
    expect(result.finalLoss.high).toBeGreaterThanOrEqual(truth(4000));
    expect(Math.abs(result.finalLoss.estimate - truth(4000))).toBeLessThan(0.05);
    expect(Math.abs(evaluate(result.curve, 4000) - result.finalLoss.estimate)).toBeLessThan(1e-12);
  });

  it('reports steps to a target loss with an interval', () => {
    const losses = noisyPowerLaw(400, 0.5, 3, 0.6, 0.01);
    const result = fitConvergence({ losses, totalSteps: 4000, targetLoss: 0.6, joulesPerStep: 2 });
    if (result.status !== 'fitted') throw new Error(result.reason);
    const expected = Math.pow(3 / 0.1, 1 / 0.6); // ≈ 290 steps
    const t = result.stepsToTarget!;
    expect(t.steps!).toBeGreaterThan(expected * 0.8);
    expect(t.steps!).toBeLessThan(expected * 1.25);
    expect(t.low!).toBeLessThanOrEqual(t.steps!);
    expect(t.energyJ!.estimate).toBeCloseTo(t.steps! * 2, 6);
  });

  it('says the target may never be reached when it lies below the fitted floor', () => {
    const losses = noisyPowerLaw(400, 0.5, 3, 0.6, 0.01);
    const result = fitConvergence({ losses, totalSteps: 4000, targetLoss: 0.2 });
    if (result.status !== 'fitted') throw new Error(result.reason);
    expect(result.stepsToTarget!.steps).toBeNull();
  });

  it('says plainly that a flat, noisy pilot is too short to tell', () => {
    const r = seededRandom(3);
    const losses = Array.from({ length: 300 }, () => 1 + 0.1 * r());
    const result = fitConvergence({ losses, totalSteps: 3000 });
    expect(result).toMatchObject({ status: 'too-short' });
  });

  it('needs enough points', () => {
    const result = fitConvergence({ losses: noisyPowerLaw(40, 0.5, 3, 0.6, 0.01), totalSteps: 400 });
    expect(result.status).toBe('too-short');
    if (result.status === 'too-short') expect(result.reason).toMatch(/usable losses/);
  });

  it('uses the cumulative learning rate when the pilot changed it', () => {
    const lrs = Array.from({ length: 400 }, (_, i) => (i < 200 ? 0.1 : 0.05));
    let s = 0;
    const losses = lrs.map((lr) => {
      s += lr;
      return 0.4 + 2 * Math.pow(s, -0.7);
    });
    const result = fitConvergence({ losses, learningRates: lrs, totalSteps: 2000 });
    if (result.status !== 'fitted') throw new Error(result.reason);
    expect(result.timeVariable).toBe('cumulative-lr');
    const sEnd = 200 * 0.1 + 1800 * 0.05; // the last LR holds
    expect(result.finalLoss.estimate).toBeCloseTo(0.4 + 2 * Math.pow(sEnd, -0.7), 2);
    expect(result.assumptions.join(' ')).toMatch(/last LR/);
  });
});
