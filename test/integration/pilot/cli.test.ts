// `node dist/cli.js pilot ... --json` end to end (npm test builds dist first).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startProviderServer } from '../../unit/energy/carbonProviderServer';
import { MLP, newWorkspace, ROOT, TORCH_PYTHON } from './helpers';

const CLI = join(ROOT, 'dist', 'cli.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('wattlens pilot (CLI)', () => {
  it('prints the --json contract', () => {
    const ws = newWorkspace();
    const res = cli([
      'pilot',
      MLP,
      '--steps',
      '40',
      '--epochs',
      '2',
      '--python',
      TORCH_PYTHON,
      '--workspace',
      ws,
      '--country',
      'DE',
      '--price-per-kwh',
      '0.3',
      '--json',
      '--',
      '--epochs',
      '2',
    ]);
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

  it("suggests a carbon-aware start from the provider at --carbon-api (a loopback server in the UK API's format)", async () => {
    const server = await startProviderServer(() => Date.now());
    try {
      // the CLI runs asynchronously here: the server answers from this process
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          CLI,
          'pilot',
          MLP,
          '--steps',
          '20',
          '--total-steps',
          '200000',
          '--python',
          TORCH_PYTHON,
          '--workspace',
          newWorkspace(),
          '--carbon-aware',
          'uk:rg10',
          '--carbon-api',
          server.base,
          '--json',
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      const out = JSON.parse(stdout);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.url).toMatch(/^\/regional\/intensity\/\d{4}-\d\d-\d\dT\d\d:(00|30)Z\/fw48h\/postcode\/RG10$/);
      const w = out.forecast.carbonAwareStart;
      // 200,000 steps of a few ms: minutes to hours, well inside the 48 h forecast
      expect(w.provider).toBe('UK Carbon Intensity API');
      expect(Date.parse(w.end) - Date.parse(w.start)).toBeCloseTo(out.forecast.timeS * 1000, -1);
      expect(w.energyKWh).toBeCloseTo(out.forecast.energyKWh, 12);
      expect(w.nowCo2eGrams).toBeCloseTo(w.nowMeanGramsPerKWh * out.forecast.energyKWh, 9);
      expect(w.savingGrams).toBeCloseTo(w.nowCo2eGrams - w.co2eGrams, 9);
      expect(w.savingGrams).toBeGreaterThanOrEqual(0);
    } finally {
      await server.close();
    }
  });

  it('rejects a carbon-aware provider it cannot use before running anything', () => {
    const env = { ...process.env, WATTLENS_ELECTRICITY_MAPS_TOKEN: '' };
    for (const [args, message] of [
      [['--carbon-aware', 'mars'], 'pilot: --carbon-aware takes uk[:POSTCODE] or electricitymaps:ZONE'],
      [['--carbon-aware', 'uk:../x'], 'pilot: --carbon-aware: "../x" is not a UK postcode or its outward part (e.g. RG10)'],
      [['--carbon-aware', 'electricitymaps'], 'pilot: --carbon-aware: Electricity Maps needs a zone (e.g. DE, FR, US-CAL-CISO)'],
      [['--carbon-aware', 'electricitymaps:DE'], 'pilot: --carbon-aware electricitymaps needs a token in WATTLENS_ELECTRICITY_MAPS_TOKEN'],
    ] as const) {
      const res = spawnSync(process.execPath, [CLI, 'pilot', MLP, ...args], { encoding: 'utf8', timeout: 60_000, env });
      expect(res.status, res.stderr).toBe(2);
      expect(res.stderr.trim()).toMatch(new RegExp(`${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      expect(res.stdout).toBe('');
    }
  });

  it('exits 1 with the failure when the script raises', () => {
    const res = cli([
      'pilot',
      MLP,
      '--steps',
      '100',
      '--python',
      TORCH_PYTHON,
      '--workspace',
      newWorkspace(),
      '--json',
      '--',
      '--fail-at-step',
      '5',
    ]);
    expect(res.status).toBe(1);
    const out = JSON.parse(res.stdout);
    expect(out.status).toBe('failed');
    expect(out.steps).toBe(5);
    expect(out.error.traceback).toMatch(/injected failure/);
  });
});
