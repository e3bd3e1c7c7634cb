import type { Command } from 'commander';
import { UsageError } from './errors';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .argument('<file>', 'Python model file')
    .action(() => {
      throw new UsageError('analyze: the engine is not built yet');
    });
}
