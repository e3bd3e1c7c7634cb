// Registers `wattlens pilot` and its options. The command itself (pilotCommand.ts: the runner,
// run records and their zod schemas, the energy forecast) is its own bundle, dist/cli-pilot.js
// (scripts/build.mjs), required when the command runs: zod alone was a third of cli-main.js, read
// and copied by every `analyze` and `advise`.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { PilotCliOptions } from './pilotCommand';

export function registerPilot(program: Command): void {
  program
    .command('pilot')
    .description('Run a training script briefly, measure steps, loss and energy, and forecast the full run')
    .showHelpAfterError(false) // a usage mistake is one line (wattlens pilot --help shows the rest)
    .argument('<script>', 'training script (run unchanged, as `python SCRIPT ARGS`)')
    .argument('[scriptArgs...]', 'arguments for the script, after --')
    .option('--steps <n>', 'stop after N optimizer steps (warm-up included)')
    .option('--seconds <s>', 'stop S seconds after warm-up (default 60 when no budget is given)')
    .option('--total-steps <n>', 'optimizer steps of the full run')
    .option('--epochs <n>', 'epochs of the full run (× the DataLoader length seen in the pilot)')
    .option('--gpus <n>', 'GPUs to use; more than 1 launches torchrun --nproc_per_node N', '0')
    .option('--python <path>', 'Python interpreter with torch', process.env.WATTLENS_PYTHON ?? 'python3')
    .option('--warmup <n>', 'steps left out of the per-step figures', '3')
    .option('--pue <x>', 'power usage effectiveness of the facility (default 1.0)')
    .option('--country <code>', 'grid carbon intensity of this country (ISO code), from the bundled table')
    .option('--grid-intensity <g>', 'grid carbon intensity in gCO2e/kWh (overrides --country)')
    .option('--price-per-kwh <p>', 'electricity price per kWh, for the cost')
    .option('--currency <c>', 'currency of --price-per-kwh', 'USD')
    .option('--target-loss <l>', 'report the steps and energy to reach this loss')
    .option('--macs-per-step <m>', 'multiply-accumulates of one training step (for J per MAC)')
    .option(
      '--carbon-aware <provider>',
      'suggest a low-carbon start: uk[:POSTCODE] or electricitymaps:ZONE (token in WATTLENS_ELECTRICITY_MAPS_TOKEN); uses the network',
    )
    .option('--carbon-api <url>', 'base URL of the carbon-intensity provider (testing, proxies)')
    .option('--workspace <dir>', 'folder whose .wattlens/runs/ keeps the run record (default: current folder)')
    .option('--json', 'print one JSON object')
    .action(async (script: string, scriptArgs: string[], opts: PilotCliOptions) => {
      // a computed path: esbuild leaves it to Node instead of inlining the bundle here
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when the command runs, see above
      const { runPilotCommand } = require(join(__dirname, 'cli-pilot.js')) as typeof import('./pilotCommand');
      process.exitCode = await runPilotCommand(script, scriptArgs, opts);
    });
}
