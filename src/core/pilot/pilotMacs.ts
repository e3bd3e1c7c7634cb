// What one step of a pilot cost in MACs, from what actually ran: the harness recorded the model
// the optimizer trained (class, source file, the shapes of its real batch); the static analysis
// builds that model — with the constructor call the training script makes when its arguments
// are literals, else the class with its defaults — at that input, and J per MAC = the pilot's
// joules per step ÷ the training MACs of one step. Unknown stays unknown, with the reason.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { modelConstruction, optimizerCalls } from '../advisor/trainingScript';
import type { AnalysisEngine } from '../analysis/engine';
import { describeSource } from '../energy/energySource';
import { checkStepEstimate } from '../gpu/stepEstimateCheck';
import type { ModelReport } from '../report/types';
import type { PilotMacs, RunRecord } from './runRecord';
import type { PilotModel } from './summary';

export interface PilotMacsOptions {
  /** Source of a file (default: the disk); undefined when unreadable. */
  readFile?: (path: string) => string | undefined;
  now?: Date;
}

/** How the analysis of the pilot's model went: the figures, or why not. */
type Attempt = { ok: true; model: ModelReport; file: string; entry: string; why: string } | { ok: false; reason: string };

const LIBRARY_PATH = /[\\/](site|dist)-packages[\\/]/;

/** `--input` for the engine from the recorded forward arguments: "64x3x32x32", or why it cannot be given. */
export function pilotInputText(model: Pick<PilotModel, 'inputs'>): { ok: true; text: string } | { ok: false; reason: string } {
  if (model.inputs.length === 0)
    return { ok: false, reason: 'the model was called without positional arguments (keyword arguments are not recorded)' };
  const parts: string[] = [];
  for (const [i, a] of model.inputs.entries()) {
    if (a.shape === null)
      return {
        ok: false,
        reason: `forward argument ${i + 1} is a ${a.type}, not a tensor: the run record keeps the shapes of tensor arguments only`,
      };
    if (a.shape.length === 0)
      return {
        ok: false,
        reason: `forward argument ${i + 1} is a 0-d tensor: the static analysis takes shapes with at least one dimension`,
      };
    parts.push(a.shape.join('x'));
  }
  return { ok: true, text: parts.join(',') };
}

/**
 * MACs per step of the model a pilot trained, by static analysis at the pilot's real input, and
 * J per MAC. Never throws for a record or a model it cannot analyze: the figures are then null
 * and `macsSource` / `joulesPerMacBasis` say why.
 */
export function pilotMacs(record: RunRecord, engine: AnalysisEngine, options: PilotMacsOptions = {}): PilotMacs {
  const readFile = options.readFile ?? readText;
  const computedAt = (options.now ?? new Date()).toISOString();
  const unknown = (reason: string): PilotMacs => ({
    computedAt,
    macsPerStep: null,
    macsSource: reason,
    joulesPerMac: null,
    joulesPerMacBasis: `J per MAC unknown: the MACs per step are unknown (${reason})`,
    analyzed: null,
    assumptions: [],
  });
  const model = record.summary.model ?? null;
  if (!model) {
    const note = record.summary.notes.find((n) => n.startsWith('the trained model was not identified'));
    return unknown(
      note ??
        (record.summary.steps < 2
          ? 'the pilot took fewer than 2 optimizer steps: the harness sees the model in step 2 or the last warm-up step'
          : 'the run does not say which model it trained (a record from before run-record schema 2)'),
    );
  }
  const input = pilotInputText(model);
  if (!input.ok) return unknown(input.reason);

  const reasons: string[] = [];
  let found: Extract<Attempt, { ok: true }> | undefined;
  for (const candidate of candidates(record, model, engine, readFile, reasons)) {
    const attempt = analyzeCandidate(engine, candidate, model, input.text);
    if (attempt.ok) {
      found = attempt;
      break;
    }
    reasons.push(attempt.reason);
  }
  if (!found) return unknown(reasons.length ? reasons.join('; ') : `${model.className}: no source to analyze`);

  const perCall = found.model.trainingMacs as number;
  const ranks = Math.max(1, record.summary.worldSize);
  const macsPerStep = perCall * model.calls * ranks;
  const where = relative(record.cwd, found.file) || found.file;
  const assumptions = [
    `the static analysis built ${found.entry} (${found.why}) from ${where} at input ${input.text}, the batch the pilot ran in step ${model.step ?? '?'}`,
    'MACs of a training step = forward + backward ≈ 3 × forward MACs (+ recomputation of checkpointed regions), as the static analysis counts them',
    "elementwise work (norms, activations, the optimizer update, data loading) has no MACs: J per MAC charges all of the step's energy to the MACs",
  ];
  if (model.calls > 1)
    assumptions.push(`${model.calls} forward calls of the model per optimizer step (gradient accumulation), each with the recorded input`);
  if (ranks > 1)
    assumptions.push(`data parallel: each of the ${ranks} ranks trains the same shapes, and the energy per step covers every rank`);
  if (model.wrappers.length) assumptions.push(`the model was wrapped (${model.wrappers.join(', ')}); the wrapped module was analyzed`);
  const calls = model.calls > 1 ? ` × ${model.calls} calls per step` : '';
  const rankText = ranks > 1 ? ` × ${ranks} ranks` : '';
  const macsSource = `estimated by static analysis of ${found.entry} in ${where} at input ${input.text} (the pilot's real batch)${calls}${rankText}`;

  const jps = record.summary.energy.joulesPerStep;
  const source = record.summary.energy.source;
  let joulesPerMac: number | null = null;
  let basis: string;
  if (jps === null || source === null)
    basis = `J per MAC unknown: ${record.summary.energy.reason ?? 'the pilot measured no energy per step'}`;
  else if (!(macsPerStep > 0)) basis = 'J per MAC unknown: the static analysis counts no MACs in a training step';
  else {
    joulesPerMac = jps / macsPerStep;
    basis = `energy ${describeSource(source)} ÷ MACs estimated by static analysis`;
  }
  const check = model.calls === 1 ? checkStepEstimate(record.summary, found.model) : null;
  return {
    computedAt,
    macsPerStep,
    macsSource,
    joulesPerMac,
    joulesPerMacBasis: basis,
    analyzed: { file: found.file, model: found.entry, input: input.text },
    assumptions,
    ...(check?.ok
      ? { stepEstimate: check.check }
      : { stepEstimateReason: check ? check.reason : 'several forward calls per step: the static step estimate covers one' }),
  };
}

interface Candidate {
  file: string;
  text: string;
  /** --model: a class name or a constructor call with literal arguments. */
  entry: string;
  why: string;
}

/** The training script's own construction (literal arguments), then the class with its defaults. */
function candidates(
  record: RunRecord,
  model: PilotModel,
  engine: AnalysisEngine,
  readFile: (p: string) => string | undefined,
  reasons: string[],
): Candidate[] {
  const out: Candidate[] = [];
  const scriptText = readFile(record.script);
  if (scriptText !== undefined) {
    try {
      const ast = engine.pythonParser.parseModule(scriptText);
      for (const o of optimizerCalls(ast)) {
        if (!o.modelName) continue;
        const call = modelConstruction(ast, o.modelName);
        if (call && calleeName(call) === model.className && !out.some((c) => c.entry === call)) {
          out.push({
            file: record.script,
            text: scriptText,
            entry: call,
            why: `the construction of \`${o.modelName}\` in the training script`,
          });
        }
      }
    } catch {
      // an unparsable script: the class alone below
    }
  }
  const library = model.file !== null && (LIBRARY_PATH.test(model.file) || /^torch(\.|$)/.test(model.pyModule ?? ''));
  if (model.file === null) {
    reasons.push(`${model.className}: its source file is unknown (a class built at run time or from compiled code)`);
  } else if (library) {
    if (out.length === 0) {
      reasons.push(
        `${model.className} is a library class (${model.pyModule ?? model.file}): its layers come from the arguments the training script passes, which are not all literals there`,
      );
    }
  } else {
    const text = model.file === record.script ? scriptText : readFile(model.file);
    if (text === undefined) reasons.push(`${model.className}: its source ${model.file} cannot be read`);
    else out.push({ file: model.file, text, entry: model.className, why: 'the class with its default arguments' });
  }
  return out;
}

function analyzeCandidate(engine: AnalysisEngine, c: Candidate, model: PilotModel, input: string): Attempt {
  let models: ModelReport[];
  let problems: { what: string; reason: string }[];
  try {
    const report = engine.analyze(c.file, c.text, { model: c.entry, input });
    models = report.models;
    problems = report.problems;
  } catch (e) {
    return { ok: false, reason: `${c.entry}: the static analysis failed (${e instanceof Error ? e.message : String(e)})` };
  }
  const m = models.length === 1 ? models[0] : models.find((x) => x.name === model.className || x.entry === c.entry);
  if (!m) {
    const p = problems.find((x) => x.what === model.className) ?? problems.find((x) => x.what !== 'syntax') ?? problems[0];
    return { ok: false, reason: `${c.entry} (${c.why}) ${p ? p.reason : 'was not found by the static analysis'}` };
  }
  if (typeof m.trainingMacs !== 'number') {
    const u = m.unknowns[0];
    return { ok: false, reason: `${c.entry}: the MACs of a training step are unknown${u ? ` (${u.what}: ${u.reason})` : ''}` };
  }
  if (m.uniqueParams !== null && model.params !== null && m.uniqueParams !== model.params) {
    return {
      ok: false,
      reason: `${c.entry} (${c.why}) has ${m.uniqueParams.toLocaleString('en-US')} parameters by static analysis, but the model the pilot trained has ${model.params.toLocaleString('en-US')}: another configuration`,
    };
  }
  return { ok: true, model: m, file: c.file, entry: c.entry, why: c.why };
}

/** "CifarCNN" of "CifarCNN(width=32)" or "models.CifarCNN()". */
function calleeName(call: string): string | undefined {
  const m = /^([\w.]+)\s*\(/.exec(call);
  return m ? m[1]!.split('.').pop() : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
