// `wattlens analyze FILE`: parameters, MACs and memory of the models in a file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AnalysisEngine, AnalysisError, type AnalyzeOptions, type EngineOptions } from '../core/analysis/engine';
import { OVERRIDE_KEY } from '../core/analysis/directive';
import { commandLineWorkspaces, type EnvironmentQuery } from '../core/pyenv/findEnvironment';
import { MAX_ANALYZED_BYTES } from '../core/interp/sourceGuard';
import { defaultParseCache, type ParseCache } from '../core/python/parseCache';
import { PythonParser } from '../core/python/parser';
import { analyzeTfjsFile, isTfjsFile } from '../core/tfjs/entry';
import type { FileReport, OptimizerKind, Precision } from '../core/report/types';
import { budgetFailures, parseQuantity, REPORT_FAILED_EXIT } from './budget';
import { stepGpu, stepPrecisionFor, withStepEstimates } from '../core/gpu/stepEstimates';
import { UsageError } from './errors';
import { exitWhenFlushed } from './exitPromptly';
import { cliJson, displayPath } from './jsonOutput';
import { renderFileReport } from './renderReport';

interface AnalyzeFlags {
  model?: string;
  input?: string;
  set?: string[];
  batch?: number;
  optimizer?: OptimizerKind;
  precision?: Precision | 'tf32';
  gpu?: string;
  cpuBlas?: 'optimized' | 'reference';
  seqLen?: number;
  json?: boolean;
  timings?: boolean;
  path?: string[];
  depth?: number;
  all?: boolean;
  maxParams?: number;
  maxMacs?: number;
  maxTrainingMemory?: number;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('Parameters, MACs/FLOPs, activation and training memory of the models in a PyTorch (or TensorFlow.js) file, from source.')
    .argument('<file>', 'model file (.py; .ts/.js for TensorFlow.js)')
    .option(
      '--model <name-or-call>',
      "a class, a builder, or a call whose arguments are Python expressions over the file's names: 'GPT(GPT.get_default_config())'",
    )
    .option(
      '--input <shapes>',
      'one shape per forward argument: 1x3x224x224, or 1x100x80,1; a tuple in parentheses: 35x10,(2x10x200,2x10x200) (dims may be names such as B or T)',
    )
    .option(
      '--set <NAME=VALUE...>',
      'override a module constant, a builder argument, or an attribute/key of a config object, nested with dots: model.n_layer=12 (repeatable)',
      collect,
      [],
    )
    .option('--batch <n>', 'batch size for training memory', positiveInt('--batch'))
    .addOption(
      new Option('--optimizer <kind>', 'optimizer for training memory').choices(['adamw', 'adam', 'sgd', 'sgd-momentum']).default('adamw'),
    )
    .addOption(
      new Option('--precision <kind>', 'precision for training memory and the step estimate (tf32: fp32 memory, TF32 tensor cores)')
        .choices(['fp32', 'tf32', 'bf16-mixed', 'fp16-mixed'])
        .default('fp32'),
    )
    .option(
      '--gpu <name>',
      'estimate the time and energy of a training step on this GPU (e.g. "H100 SXM"), or on this machine\'s CPU (cpu, cpu:THREADS); models[].stepEstimate',
    )
    .addOption(
      new Option(
        '--cpu-blas <kind>',
        "with --gpu cpu: the BLAS of the torch that will train (torch.__config__.show(): BLAS_INFO=generic is the reference BLAS, fp32 matmuls at its measured 2-4% of one thread's peak)",
      )
        .choices(['optimized', 'reference'])
        .default('optimized'),
    )
    .option('--seq-len <n>', 'value of the sequence-length symbol T (default 1024)', positiveInt('--seq-len'))
    .option('--json', 'print one JSON object (the format is documented in docs/cli.md)')
    .option('--timings', 'with --json: include how long each model took to analyze (analysisMs), which differs between runs')
    .option('--path <dir>', 'a folder searched for imports after the workspace, before site-packages (repeatable)', collect, [])
    .option(
      '--depth <n>',
      "show the layers as a tree to this depth, like torchinfo's summary (1: the model's children)",
      positiveInt('--depth'),
    )
    .option('--all', 'show every layer row (the table stops at 40 otherwise)')
    .option('--max-params <n>', 'exit 3 when a model has more parameters than this: 30M, 1.5G', (v) => parseQuantity(v, '--max-params'))
    .option('--max-macs <n>', 'exit 3 when a forward pass takes more MACs than this: 5G, 800M', (v) => parseQuantity(v, '--max-macs'))
    .option('--max-training-memory <bytes>', 'exit 3 when training memory exceeds this: 16GiB, 24GB', (v) =>
      parseQuantity(v, '--max-training-memory'),
    )
    .action(async (file: string, flags: AnalyzeFlags) => {
      const report = await analyzeFile(file, flags);
      process.stdout.write(
        flags.json
          ? cliJson(report, { timings: flags.timings })
          : renderFileReport(report, { depth: flags.depth, all: flags.all, file: displayPath(report.file) }),
      );
      if (nothingBuilt(report)) {
        process.stderr.write(
          `wattlens: no model could be analyzed in ${file} (see ${flags.json ? '"problems" and "notBuilt"' : 'the problems above'})\n`,
        );
        process.exitCode = NOTHING_BUILT_EXIT;
        exitWhenFlushed();
        return;
      }
      const failures = budgetFailures(report.models, flags);
      for (const line of failures) process.stderr.write(`wattlens: budget: ${line}\n`);
      if (failures.length) process.exitCode = REPORT_FAILED_EXIT;
      exitWhenFlushed();
    });
}

/** Exit code when the file was read but no class or builder found in it could be built (or it did not parse). */
export const NOTHING_BUILT_EXIT = REPORT_FAILED_EXIT;

/** Models were found (or the file has problems), yet none was built. */
export function nothingBuilt(report: FileReport): boolean {
  return report.models.length === 0 && (report.problems.length > 0 || (report.notBuilt?.length ?? 0) > 0);
}

export async function analyzeFile(file: string, flags: AnalyzeFlags): Promise<FileReport> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`no such file: ${file}`);
  if (!statSync(path).isFile()) throw new UsageError(`not a file: ${file}`);
  if (statSync(path).size > MAX_ANALYZED_BYTES)
    throw new UsageError(`${file} is larger than ${MAX_ANALYZED_BYTES / 1024 / 1024} MiB; WattLens analyzes model source files`);
  // read through the parse cache, which then knows the file by `stat` and need not hash its text
  const parseCache = /\.pyi?$/.test(path) ? defaultParseCache() : undefined;
  const text = parseCache ? parseCache.readText(path) : readFileSync(path, 'utf8');
  if (text.includes('\u0000')) throw new UsageError(`${file} is not a text file`);
  const gpu = flags.gpu !== undefined ? stepGpu(flags.gpu) : undefined;
  if (gpu && !gpu.ok) throw new UsageError(`--gpu: ${gpu.message}`);
  const report = await analyzeSource(path, file, text, flags, parseCache);
  if (flags.cpuBlas === 'reference' && gpu?.ok && !gpu.profile.cpu) throw new UsageError('--cpu-blas applies to --gpu cpu only');
  const cpuBlas = flags.cpuBlas === 'reference' ? 'reference' : undefined;
  return gpu?.ok ? withStepEstimates(report, gpu.profile, stepPrecisionFor(flags.precision), { cpuBlas }) : report;
}

async function analyzeSource(
  path: string,
  file: string,
  text: string,
  flags: AnalyzeFlags,
  parseCache: ParseCache | undefined,
): Promise<FileReport> {
  const options: AnalyzeOptions = {
    model: flags.model,
    input: flags.input,
    set: parseSets(flags.set ?? []),
    batch: flags.batch,
    optimizer: flags.optimizer,
    precision: flags.precision === 'tf32' ? 'fp32' : flags.precision,
    seqLen: flags.seqLen,
  };
  const dotted = Object.keys(options.set ?? {}).find((k) => k.includes('.'));
  if (isTfjsFile(path) && dotted)
    throw new UsageError(`--set ${dotted}: dotted paths reach Python config objects; TensorFlow.js files take NAME=VALUE`);
  if (isTfjsFile(path))
    try {
      return analyzeTfjsFile(path, text, options, { roots: [process.cwd()] });
    } catch (e) {
      throw e instanceof AnalysisError ? new UsageError(e.message) : e;
    }
  if (!/\.pyi?$/.test(path)) throw new UsageError(`${file} is not a Python (.py) or TensorFlow.js (.ts/.js) file`);
  const engineOptions: EngineOptions = {
    workspaceRoots: [process.cwd()],
    environment: commandLineEnvironment(path, flags.path ?? []),
    cacheAnalyzedFile: true,
    parseCache: parseCache ?? null,
  };
  const analyze = (engine: AnalysisEngine): FileReport => {
    try {
      return engine.analyze(path, text, options);
    } catch (e) {
      if (e instanceof AnalysisError) throw new UsageError(e.message);
      throw e;
    }
  };
  // the file in the parse cache: its imports most likely are too, and tree-sitter need not load;
  // a file that misses (a changed import) makes that analysis void, and it runs again with the parser
  if (parseCache?.holds(path, text)) {
    const parser = PythonParser.unloaded();
    try {
      const report = analyze(await AnalysisEngine.create({ ...engineOptions, parser }));
      if (!parser.wanted) {
        debug('parse cache: every file came from it; the parser was not loaded');
        return report;
      }
    } catch (e) {
      if (!parser.wanted) throw e;
    }
    debug('parse cache: a file missed it; analyzing again with the parser');
  }
  return analyze(await AnalysisEngine.create(engineOptions));
}

/**
 * Where the command line finds the user's Python environment: `--path` folders, $VIRTUAL_ENV,
 * $CONDA_PREFIX, and a venv in the current folder or the nearest folder above the file holding one.
 */
export function commandLineEnvironment(file: string, paths: string[]): EnvironmentQuery {
  for (const p of paths) {
    if (!existsSync(p) || !statSync(p).isDirectory()) throw new UsageError(`--path ${p}: not a folder`);
  }
  return {
    workspaceRoots: commandLineWorkspaces(file, process.cwd()),
    extraPaths: paths.map((p) => resolve(p)),
    env: { VIRTUAL_ENV: process.env.VIRTUAL_ENV, CONDA_PREFIX: process.env.CONDA_PREFIX },
  };
}

function debug(line: string): void {
  if (process.env.WATTLENS_DEBUG) process.stderr.write(`wattlens: ${line}\n`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSets(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const m = /^([A-Za-z_][\w.]*)=(.+)$/.exec(item);
    if (!m || !OVERRIDE_KEY.test(m[1]))
      throw new UsageError(`--set expects NAME=VALUE or PATH.TO.NAME=VALUE (a Python value), got "${item}"`);
    out[m[1]] = m[2];
  }
  return out;
}

function positiveInt(flag: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} expects a positive integer, got "${v}"`);
    return Number(v);
  };
}
