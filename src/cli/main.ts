// `wattlens` command line: the same core as the extension, for terminals and CI.
// Each subcommand lives in its own file and registers itself on the program here.
import { Command, CommanderError } from 'commander';
import { registerAdvise } from './adviseCommand';
import { registerAnalyze } from './analyzeCommand';
import { registerPilot } from './pilotOptions';
import { UsageError, reportFailure } from './errors';
import { version } from '../../package.json';

const program = new Command();
program
  .name('wattlens')
  .description('Parameters, MACs, memory and energy of PyTorch and TensorFlow.js models, from source.')
  .version(version)
  .exitOverride()
  // one line: commander's message (help is one `--help` away)
  .configureOutput({
    outputError: (text, write) => write(`wattlens: ${text.split('\n')[0].replace(/^error: /, '')} (see wattlens --help)\n`),
  });

registerAnalyze(program);
registerAdvise(program);
registerPilot(program);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every usage mistake exits 2 with commander's one-line message
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportFailure(err);
  }
}

void main();
export { UsageError };
