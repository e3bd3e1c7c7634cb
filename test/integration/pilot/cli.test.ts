// `node dist/cli.js pilot ... --json` end to end (npm test builds dist first).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MLP, newWorkspace, ROOT, TORCH_PYTHON } from './helpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('wattlens pilot (CLI)', () => {
  it('prints the --json contract', () => {
    const ws = newWorkspace();
    const res = cli(['pilot', MLP, '--steps', '40', '--epochs', '2', '--python', TORCH_PYTHON, '--workspace', ws, '--country', 'DE', '--price-per-kwh', '0.3', '--json', '--', '--epochs', '2']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.status).toBe('completed');
    expect(out.steps).toBe(40);
    expect(out.losses).toHaveLength(40);
    expect(out.losses.every((l: unknown) => typeof l === 'number')).toBe(true);
    expect(out.stepTimeS).toBeGreaterThan(0);
    expect(out.energy.source).toBe('estimated');
    expect(out.energy.joulesPerStep).toBeGreaterThan(0);
    expect(out.forecast.totalSteps).toBe(1024);
    expect(out.forecast.timeS).toBeCloseTo(1024 * out.stepTimeS, 6);
    expect(out.forecast.energyKWh).toBeCloseTo((1024 * out.energy.joulesPerStep) / 3.6e6, 12);
    expect(out.forecast.co2eGrams).toBeCloseTo(out.forecast.energyKWh * 380.95, 9);
    expect(out.forecast.cost).toBeCloseTo(out.forecast.energyKWh * 0.3, 12);
    expect(out.forecast).toHaveProperty('convergence');
  });

  it('rejects bad arguments and a missing script in one line with exit code 2', () => {
    for (const args of [
      ['pilot', 'missing.py'],
      ['pilot', MLP, '--steps', 'ten'],
      ['pilot', MLP, '--steps', '5', '--seconds', '3'],
      ['pilot', MLP, '--pue', '0.4'],
      ['pilot'],
    ]) {
      const res = cli(args);
      expect(res.status, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stdout).toBe('');
    }
  });

  it('exits 1 with the failure when the script raises', () => {
    const res = cli(['pilot', MLP, '--steps', '100', '--python', TORCH_PYTHON, '--workspace', newWorkspace(), '--json', '--', '--fail-at-step', '5']);
    expect(res.status).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.status).toBe('failed');
    expect(out.steps).toBe(5);
    expect(out.error.traceback).toMatch(/injected failure/);
  });
});
