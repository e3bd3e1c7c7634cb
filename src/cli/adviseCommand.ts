// `wattlens advise FILE`: cheaper designs with the figures the engine computes for them;
// `--fix RULE_ID` prints the file rewritten by that rule.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { advise, fixAll, type AdviceReport } from '../core/advisor/advise';
import { RULES } from '../core/advisor/rules';
import type { RuleId, Suggestion } from '../core/advisor/types';
import { AnalysisEngine, AnalysisError } from '../core/analysis/engine';
import { formatBytes, formatCost, formatCount } from '../core/report/format';
import { REPORT_FAILED_EXIT } from './budget';
import { UsageError } from './errors';
import { commandLineEnvironment } from './analyzeCommand';
import { cliJson } from './jsonOutput';

interface AdviseFlags {
  model?: string;
  input?: string;
  batch?: number;
  precision?: 'fp32' | 'bf16-mixed' | 'fp16-mixed';
  fix?: string;
  json?: boolean;
  failOnSaving?: number;
  modelChanges?: boolean;
}

export function registerAdvise(program: Command): void {
  program
    .command('advise')
    .description(
      'Suggest cheaper designs (efficient attention, mixed precision, checkpointing, sparsity, alignment, input pipeline) with their computed savings.',
    )
    .argument('<file>', 'Python model or training script')
    .option('--model <name-or-call>', 'the model to advise on (default: every model in the file)')
    .option('--input <shapes>', 'input shapes, as for analyze')
    .option('--batch <n>', 'batch size for training memory', (v) => {
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--batch expects a positive integer, got "${v}"`);
      return Number(v);
    })
    .addOption(
      new Option(
        '--precision <kind>',
        'precision of the training memory figures and of the autocast suggestion (fp16-mixed: float16 with a GradScaler)',
      )
        .choices(['fp32', 'bf16-mixed', 'fp16-mixed'])
        .default('fp32'),
    )
    .option('--fix <rule>', `print the file rewritten by one rule (${RULES.map((r) => r.id).join(', ')})`)
    .option('--json', 'print one JSON object')
    .option('--fail-on-saving <pct>', 'exit 3 when a suggestion saves at least this percentage of MACs or memory (e.g. 20)', (v) => {
      if (!/^\d+(\.\d+)?%?$/.test(v) || Number(v.replace('%', '')) > 100)
        throw new UsageError(`--fail-on-saving expects a percentage from 0 to 100, got "${v}"`);
      return Number(v.replace('%', ''));
    })
    .option('--model-changes', 'also suggest different models that trade quality or capacity (mixture of experts, 2:4 sparsity)')
    .action(async (file: string, flags: AdviseFlags) => {
      const path = resolve(file);
      if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`no such file: ${file}`);
      if (!/\.pyi?$/.test(path)) throw new UsageError(`${file} is not a Python (.py) file`);
      if (flags.fix && !RULES.some((r) => r.id === flags.fix))
        throw new UsageError(`unknown rule "${flags.fix}" (rules: ${RULES.map((r) => r.id).join(', ')})`);
      const text = readFileSync(path, 'utf8');
      const engine = await AnalysisEngine.create({ workspaceRoots: [process.cwd()], environment: commandLineEnvironment(path, []) });
      let report: AdviceReport;
      try {
        report = advise(engine, path, text, {
          model: flags.model,
          input: flags.input,
          batch: flags.batch,
          precision: flags.precision,
          rules: flags.fix ? [flags.fix as RuleId] : undefined,
          modelChanges: flags.modelChanges,
        });
      } catch (e) {
        if (e instanceof AnalysisError) throw new UsageError(e.message);
        throw e;
      }
      if (flags.fix) {
        const { text: fixed, applied } = fixAll(report, text, flags.fix as RuleId);
        if (applied === 0) throw new UsageError(`rule ${flags.fix} has no automatic fix in ${file}`);
        process.stdout.write(fixed);
        return;
      }
      if (flags.json) {
        const out = { file: report.file, suggestions: report.suggestions.map(({ edits: _edits, ...s }) => s), problems: report.problems };
        process.stdout.write(cliJson(out));
      } else process.stdout.write(render(report));
      if (flags.failOnSaving !== undefined) {
        const failing = savingFailures(report.suggestions, flags.failOnSaving);
        for (const line of failing) process.stderr.write(`wattlens: advice: ${line}\n`);
        if (failing.length) process.exitCode = REPORT_FAILED_EXIT;
      }
    });
}

/** One line per suggestion that saves at least `pct` percent (the larger of its relative MAC and memory savings). */
export function savingFailures(suggestions: readonly Suggestion[], pct: number): string[] {
  return suggestions
    .filter((s) => s.saving > 0 && s.saving * 100 >= pct)
    .map(
      (s) =>
        `${s.rule} at line ${s.line}${s.model ? ` (${s.model})` : ''} saves ${Math.round(s.saving * 100)}%, at or over --fail-on-saving ${pct}%`,
    );
}

function figures(f: Suggestion['before']): string {
  return `${formatCount(f.params)} params, ${formatCost(f.macs)} forward, ${formatCost(f.trainingMacs ?? null)} per training step, activations ${formatBytes(f.activationBytes)}, training memory ${formatBytes(f.trainingMemoryBytes ?? null)}`;
}

function render(r: AdviceReport): string {
  // "could not analyse" must not read as "nothing to improve"
  if (!r.suggestions.length)
    return r.problems.length
      ? `No suggestions for ${r.file}, but the analysis was incomplete: rules that need the model's figures could not run.\n${r.problems.map((p) => `  - ${p}\n`).join('')}`
      : `No suggestions for ${r.file}.\n`;
  const out: string[] = [];
  for (const s of r.suggestions) {
    out.push(`${s.rule}  line ${s.line}${s.fixable ? '  [fix: --fix ' + s.rule + ']' : ''}`);
    out.push(`  ${s.message}`);
    out.push(`  before (${s.model ?? '?'}): ${figures(s.before)}`);
    out.push(
      `  after  (${s.afterSource === 'reanalysis' ? 'engine on the rewritten code' : s.afterSource === 'estimate' ? 'estimated' : 'unchanged'}): ${figures(s.after)}`,
    );
    for (const a of s.assumptions) out.push(`  - ${a}`);
    out.push('');
  }
  for (const p of r.problems) out.push(`note: ${p}`);
  return `${out.join('\n')}\n`;
}
