// Loss spikes, on the losses of real H100 runs (test/fixtures/pilot/h100, recorded by
// scripts/gpu/validate.sh) and on the synthetic noise of a converging regression.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitConvergence } from '../../../src/core/energy/convergence';
import { largestLossSpike } from '../../../src/core/energy/lossSpikes';
import { seededRandom } from '../../../src/core/energy/stats';

interface RecordedRun {
  lr: number;
  pilotLosses: (number | null)[];
  fullLosses: (number | null)[];
}
const h100 = JSON.parse(readFileSync(join(__dirname, '../../fixtures/pilot/h100/tiny-gpt-losses.json'), 'utf8')) as {
  runs: Record<string, RecordedRun>;
};
const unstable = h100.runs['lr3e-3']!;
const stable = h100.runs['lr3e-4']!;

describe('loss spikes', () => {
  it('finds the early spike of the unstable H100 pilot and the late one of its full run', () => {
    const early = largestLossSpike(unstable.pilotLosses)!;
    expect(early.step).toBeLessThan(40);
    expect(early.loss).toBeGreaterThan(5 * unstable.pilotLosses[0]!); // running median: 23.9 vs 3.42 at the start
    const late = largestLossSpike(unstable.fullLosses)!;
    expect(late.step).toBeGreaterThan(600);
    expect(late.loss / late.before).toBeGreaterThan(100);
  });

  it('finds none in the stable H100 run, pilot or full', () => {
    expect(largestLossSpike(stable.pilotLosses)).toBeNull();
    expect(largestLossSpike(stable.fullLosses)).toBeNull();
  });

  it('does not count noisy batches of a slowly starting regression as a spike', () => {
    // the first 80 losses of examples/training/mlp_regression.py (CPU, torch 1.13): ±50% batch noise
    const start = [
      3.45, 3.55, 4.34, 3.87, 2.74, 3.83, 3.99, 2.45, 3.51, 4.15, 3.32, 2.85, 3.58, 3.74, 2.89, 3.37, 2.59, 3.48, 2.95, 3.75, 2.98, 3.42,
      3.47, 3.46, 2.44, 4.9, 3.42, 4.42, 2.23, 2.76, 2.13, 3.01, 2.23, 2.64, 2.53, 3.34, 3.07, 2.04, 2.7, 4.24, 3.25, 3.48, 2.91, 3.2, 2.42,
      2.76, 2.57, 3.01, 3.35, 2.8, 2.05, 2.35, 2.49, 2.02, 2.16, 2.74, 2.44, 2.42, 2.91, 2.48, 2.56, 1.91, 2.14, 1.63, 2.19, 1.86, 1.84,
      2.07, 1.52, 1.71, 1.41, 2.52, 1.29, 1.69, 1.83, 1.18, 1.48, 1.23, 1.58, 0.83,
    ];
    expect(largestLossSpike(start)).toBeNull();
  });

  it('does not count batch noise near a small floor as a spike', () => {
    const r = seededRandom(7);
    const losses = Array.from({ length: 2000 }, (_, i) => 0.01 + 2 * Math.exp(-i / 100) + 0.02 * r());
    expect(largestLossSpike(losses)).toBeNull();
  });

  it('warns with the forecast of a pilot that spiked, and only then', () => {
    const warned = fitConvergence({ losses: unstable.pilotLosses, totalSteps: 1024 });
    expect(warned.status).toBe('fitted');
    if (warned.status !== 'fitted') return;
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]).toMatch(
      /^the loss spiked during the pilot \(running median \d+(\.\d+)? at step \d+, \d+(\.\d+)?× its lowest value before\)/,
    );
    // what happened: the full run spiked again and ended above the interval this pilot gave
    const tail = unstable.fullLosses.slice(-51) as number[];
    expect(tail.reduce((s, x) => s + x, 0) / tail.length).toBeGreaterThan(warned.finalLoss.high);

    const r = seededRandom(3);
    const smooth = Array.from({ length: 300 }, (_, i) => 0.5 + 3 * Math.pow(i + 1, -0.6) + 0.01 * (r() - 0.5));
    const quiet = fitConvergence({ losses: smooth, totalSteps: 3000 });
    expect(quiet.status === 'fitted' && quiet.warnings).toEqual([]);
  });

  it('says the stable H100 pilot is too short to tell: its loss was still in a phase change', () => {
    const c = fitConvergence({ losses: stable.pilotLosses, totalSteps: 1024 });
    expect(c).toMatchObject({ status: 'too-short' });
  });
});
