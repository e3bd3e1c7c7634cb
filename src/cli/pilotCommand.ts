// `wattlens pilot SCRIPT [--steps N | --seconds S] ... [-- SCRIPT_ARGS...]`: run a short pilot of
// a training script and print what the whole run will cost (see docs/pilot.md). Its options are
// registered by pilotOptions.ts, which loads this file when the command runs.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { carbonAwareChoice, suggestCarbonAwareStart, type CarbonAwareChoice } from '../core/energy/carbonAwareStart';
import type { StartWindow } from '../core/energy/carbonWindow';
import { forecastRun, type Forecast } from '../core/energy/forecast';
import { describeSource } from '../core/energy/energySource';
import { AnalysisEngine } from '../core/analysis/engine';
import { pilotMacs } from '../core/pilot/pilotMacs';
import { PilotInputError, startPilot } from '../core/pilot/runner';
import type { PilotMacs, RunRecord } from '../core/pilot/runRecord';
import { writeRecord } from '../core/pilot/runStore';
import { scriptLengthOf, type ScriptLength } from '../core/pilot/scriptLength';
import { loadPythonParser } from '../core/python/parser';
import { formatCost } from '../core/report/format';
import { UsageError } from './errors';

export interface PilotCliOptions {
  steps?: string;
  seconds?: string;
  totalSteps?: string;
  epochs?: string;
  gpus?: string;
  python?: string;
  json?: boolean;
  warmup?: string;
  pue?: string;
  country?: string;
  gridIntensity?: string;
  pricePerKwh?: string;
  currency?: string;
  targetLoss?: string;
  macsPerStep?: string;
  workspace?: string;
  carbonAware?: string;
  carbonApi?: string;
}

export async function runPilotCommand(script: string, scriptArgs: string[], opts: PilotCliOptions): Promise<number> {
  const workspace = resolve(opts.workspace ?? process.cwd());
  const scriptPath = resolve(script);
  if (!existsSync(scriptPath)) throw new UsageError(`pilot: script not found: ${script}`);
  if (!statSync(scriptPath).isFile()) throw new UsageError(`pilot: the script is not a regular file: ${script}`);
  if (opts.steps !== undefined && opts.seconds !== undefined) throw new UsageError('pilot: give --steps or --seconds, not both');
  const steps = optInt(opts.steps, '--steps', 1);
  const seconds = optNumber(opts.seconds, '--seconds', 0, false) ?? (steps === undefined ? 60 : undefined);
  const totalSteps = optInt(opts.totalSteps, '--total-steps', 1);
  const epochs = optInt(opts.epochs, '--epochs', 1);
  const gpus = optInt(opts.gpus, '--gpus', 0) ?? 0;
  const warmup = optInt(opts.warmup, '--warmup', 0) ?? 3;
  const pue = optNumber(opts.pue, '--pue', 1, true);
  const gridIntensity = optNumber(opts.gridIntensity, '--grid-intensity', 0, true);
  const price = optNumber(opts.pricePerKwh, '--price-per-kwh', 0, true);
  const targetLoss = optNumber(opts.targetLoss, '--target-loss', -Infinity, true);
  const macsPerStep = optNumber(opts.macsPerStep, '--macs-per-step', 0, false);
  const carbonAware = opts.carbonAware ? parseProvider(opts.carbonAware) : null;
  const carbonToken = carbonAware?.provider === 'electricitymaps' ? electricityMapsToken() : undefined;

  let handle;
  try {
    handle = startPilot({
      script: scriptPath,
      args: scriptArgs,
      cwd: process.cwd(),
      workspaceDir: workspace,
      python: opts.python ?? 'python3',
      budget: { ...(steps !== undefined ? { steps } : {}), ...(seconds !== undefined ? { seconds } : {}) },
      gpus,
      warmupSteps: warmup,
    });
  } catch (err) {
    if (err instanceof PilotInputError) throw new UsageError(`pilot: ${err.message}`);
    throw err;
  }
  // the script's own output goes to stderr so that --json keeps stdout clean
  handle.on((e) => {
    if (e.kind === 'log' && e.stream !== 'harness') process.stderr.write(e.text);
  });
  // Ctrl-C, SIGTERM (a scheduler, kill) and SIGHUP (the terminal closed) all cancel: the record
  // settles as cancelled and the harness's group is ended; a second signal kills at once; once the
  // pilot has settled (MACs, forecast, carbon look-up) a signal ends the CLI with 130
  let settled = false;
  const onSignal = () => (settled ? process.exit(130) : handle.cancel());
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let record = await handle.done;
  settled = true;

  // MACs per step of the model the pilot trained, by static analysis at its real batch (kept in the record)
  const macs = macsPerStep === undefined ? await staticMacs(record) : null;
  if (macs) {
    record = { ...record, macs };
    try {
      writeRecord(workspace, record);
    } catch (err) {
      process.stderr.write(`wattlens: could not add the MACs to the run record: ${(err as Error).message}\n`);
    }
  }
  const stepMacs = macsPerStep ?? macs?.macsPerStep ?? undefined;
  // the run length the script fixes, when neither --total-steps nor --epochs is given
  const length = totalSteps === undefined && epochs === undefined ? await scriptLength(record) : {};

  const forecast = forecastRun({
    summary: record.summary,
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    ...(pue !== undefined ? { pue } : {}),
    carbon: { ...(gridIntensity !== undefined ? { gramsPerKWh: gridIntensity } : {}), ...(opts.country ? { country: opts.country } : {}) },
    ...(price !== undefined ? { pricePerKWh: price, currency: opts.currency ?? 'USD' } : {}),
    ...(stepMacs !== undefined ? { macsPerStep: stepMacs } : {}),
    ...(targetLoss !== undefined ? { targetLoss } : {}),
    ...(length.scriptLength ? { scriptLength: length.scriptLength } : {}),
  });
  if (forecast.totalSteps === null && length.unknown) forecast.unknowns.unshift(`run length: ${length.unknown}`);

  let startWindow: StartWindow | null = null;
  let carbonNote: string | null = null;
  if (carbonAware) {
    const suggestion = await suggestCarbonAwareStart({
      choice: carbonAware,
      token: carbonToken,
      durationS: forecast.timeS,
      energyKWh: forecast.energyKWh,
      baseUrl: opts.carbonApi,
    });
    if (suggestion.status === 'window') startWindow = suggestion.window;
    else carbonNote = `carbon-aware start unavailable: ${suggestion.reason}`;
  }

  const macsView = macsPerStep !== undefined ? givenMacs(record, macsPerStep) : macs;
  const out = toJson(record, forecast, startWindow, carbonNote, macsView);
  if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else process.stdout.write(renderText(record, forecast, startWindow, carbonNote, macsView));
  for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  return record.state === 'completed' ? 0 : record.state === 'cancelled' ? 130 : 1;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The run length the pilot's script fixes (its training loop), or why it is unknown; nothing when it cannot be read. */
async function scriptLength(record: RunRecord): Promise<ScriptLength> {
  try {
    return scriptLengthOf(record.script, readFileSync(record.script, 'utf8'), await loadPythonParser(), record.args);
  } catch {
    return {};
  }
}

/** The model's MACs by static analysis at the pilot's real batch; null when the run saw no model. */
async function staticMacs(record: RunRecord): Promise<PilotMacs | null> {
  if (!record.summary.model) return null;
  try {
    const engine = await AnalysisEngine.create({ workspaceRoots: [record.cwd] });
    return pilotMacs(record, engine);
  } catch (err) {
    process.stderr.write(`wattlens: the static analysis of the pilot's model failed: ${(err as Error).message}\n`);
    return null;
  }
}

/** --macs-per-step given: J per MAC from it, labelled as the user's figure. */
function givenMacs(record: RunRecord, macsPerStep: number): PilotMacs {
  const { joulesPerStep, source, reason } = record.summary.energy;
  return {
    computedAt: new Date().toISOString(),
    macsPerStep,
    macsSource: 'given (--macs-per-step)',
    joulesPerMac: joulesPerStep !== null && source !== null ? joulesPerStep / macsPerStep : null,
    joulesPerMacBasis:
      joulesPerStep !== null && source !== null
        ? `energy ${describeSource(source)} ÷ MACs given with --macs-per-step`
        : `J per MAC unknown: ${reason ?? 'no energy per step'}`,
    analyzed: null,
    assumptions: [],
  };
}

/** The --json object: status, steps, losses, stepTimeS, energy, forecast are a stable contract. */
export function toJson(
  record: RunRecord,
  forecast: Forecast,
  startWindow: StartWindow | null,
  carbonNote: string | null,
  macs: PilotMacs | null = record.macs ?? null,
) {
  const s = record.summary;
  return {
    status: record.state,
    completion: record.completion,
    message: record.message,
    id: record.id,
    script: record.script,
    device: s.device,
    steps: s.steps,
    warmupSteps: s.warmupSteps,
    losses: s.losses,
    stepTimeS: s.stepTimeS,
    stepTimeMeanS: s.stepTimeMeanS,
    stepTimeMedianS: s.stepTimeMedianS,
    setupS: s.setupS,
    energy: {
      source: s.energy.source,
      label: s.energy.source ? describeSource(s.energy.source) : null,
      joulesPerStep: s.energy.joulesPerStep,
      wattsMean: s.energy.wattsMean,
      components: s.energy.components,
      sources: s.energy.sources,
      ...(s.energy.reason ? { reason: s.energy.reason } : {}),
      /** J per MAC of a training step: null when the MACs or the energy are unknown (joulesPerMacBasis says why). */
      joulesPerMac: macs?.joulesPerMac ?? null,
      joulesPerMacBasis: macs?.joulesPerMacBasis ?? 'J per MAC unknown: the pilot did not record which model it trained',
    },
    /** Training MACs of one optimizer step (all ranks), estimated by static analysis at the pilot's real batch. */
    macsPerStep: macs?.macsPerStep ?? null,
    macsSource: macs?.macsSource ?? (s.model ? null : 'unknown: the pilot did not record which model it trained'),
    macsAnalysis: macs ? { analyzed: macs.analyzed, assumptions: macs.assumptions } : null,
    model: s.model ?? null,
    phases: s.phases,
    dataLoader: s.dataLoader,
    notes: s.notes,
    error: record.error,
    forecast: {
      totalSteps: forecast.totalSteps,
      totalStepsSource: forecast.totalStepsSource,
      timeS: forecast.timeS,
      energyKWh: forecast.energyKWh,
      deviceEnergyKWh: forecast.deviceEnergyKWh,
      pue: forecast.pue,
      co2eGrams: forecast.co2eGrams,
      carbonIntensity: forecast.carbonIntensity,
      cost: forecast.cost,
      currency: forecast.currency,
      joulesPerMac: forecast.joulesPerMac,
      convergence: forecast.convergence,
      assumptions: forecast.assumptions,
      unknowns: forecast.unknowns,
      ...(startWindow || carbonNote ? { carbonAwareStart: startWindow ?? { unavailable: carbonNote } } : {}),
    },
  };
}

function renderText(record: RunRecord, f: Forecast, w: StartWindow | null, carbonNote: string | null, macs: PilotMacs | null): string {
  const s = record.summary;
  const lines: string[] = [];
  const how =
    record.completion === 'budget-reached' ? 'budget reached' : record.completion === 'script-finished' ? 'script finished' : record.state;
  lines.push(`WattLens pilot of ${record.script}: ${record.state} (${how}) after ${s.steps} steps — run ${record.id}`);
  if (record.message) lines.push(`  ${record.message}`);
  if (record.error?.traceback) lines.push(indent(record.error.traceback.trimEnd(), '    '));
  lines.push(`  device       ${s.device}`);
  if (s.stepTimeS !== null) {
    const typical = s.stepTimeBlocks > 1 ? `typical (median of ${s.stepTimeBlocks} block means), ${ms(s.stepTimeMeanS!)} mean` : 'mean';
    lines.push(
      `  step time    ${ms(s.stepTimeS)} ${typical}, ${ms(s.stepTimeMedianS!)} median over ${s.measuredSteps} steps after ${s.warmupSteps} warm-up (measured)`,
    );
  }
  const e = s.energy;
  if (e.joulesPerStep !== null && e.source) {
    lines.push(`  energy       ${num(e.joulesPerStep)} J/step at ${num(e.wattsMean ?? NaN)} W — ${describeSource(e.source)}`);
    for (const src of e.sources) {
      lines.push(`               ${src.device}: ${src.detail}`);
      for (const a of src.assumptions) lines.push(`                 · ${a}`);
    }
  } else lines.push(`  energy       unknown: ${e.reason ?? 'nothing measured'}`);
  if (s.phases) {
    const p = s.phases.shares;
    lines.push(
      `  step split   data ${pct(p.data)} · forward ${pct(p.forward)} · backward ${pct(p.backward)} · optimizer ${pct(p.optimizer)} · other ${pct(p.other)} (${s.phases.auditedSteps} steps)`,
    );
    if (s.phases.bottleneck) lines.push(`               ${s.phases.bottleneck}`);
  }
  if (s.model) {
    const input = s.model.inputs.map((a) => (a.shape ? `${a.shape.join('x')} ${a.dtype}` : a.type)).join(', ');
    lines.push(
      `  model        ${s.model.className} (${s.model.file ?? 'source unknown'}${s.model.line ? `:${s.model.line}` : ''}), input ${input || 'none positional'}${s.model.calls > 1 ? `, ${s.model.calls} calls per step` : ''} (seen in step ${s.model.step})`,
    );
  }
  if (macs) {
    lines.push(
      macs.macsPerStep !== null
        ? `  MACs/step    ${formatCost(macs.macsPerStep)} — ${macs.macsSource}`
        : `  MACs/step    unknown: ${macs.macsSource}`,
    );
    lines.push(
      macs.joulesPerMac !== null
        ? `  J per MAC    ${macs.joulesPerMac.toExponential(3)} J/MAC — ${macs.joulesPerMacBasis}`
        : `  J per MAC    ${macs.joulesPerMacBasis.replace(/^J per MAC /, '')}`,
    );
  }
  const losses = s.losses.filter((x): x is number => x !== null);
  if (losses.length) lines.push(`  loss         ${num(losses[0]!)} → ${num(losses[losses.length - 1]!)}`);
  for (const n of s.notes) lines.push(`  note: ${n}`);
  lines.push('');
  lines.push(f.totalSteps !== null ? `Full run: ${f.totalSteps} steps (${f.totalStepsSource})` : 'Full run: length unknown');
  if (f.timeS !== null) lines.push(`  time         ${duration(f.timeS)} of training loop (estimated from the pilot)`);
  if (f.energyKWh !== null)
    lines.push(
      `  energy       ${num(f.energyKWh)} kWh incl. PUE ${f.pue} (${f.energySource === 'estimated' ? 'estimated' : 'extrapolated from measured'})`,
    );
  if (f.co2eGrams !== null)
    lines.push(`  emissions    ${num(f.co2eGrams)} gCO2e at ${num(f.carbonIntensity.gramsPerKWh)} gCO2e/kWh (${f.carbonIntensity.region})`);
  if (f.cost !== null) lines.push(`  cost         ${num(f.cost)} ${f.currency ?? ''} at ${f.pricePerKWh}/kWh`);
  if (f.joulesPerMac !== null && !macs) lines.push(`  J per MAC    ${f.joulesPerMac.toExponential(3)} J/MAC (training step)`);
  const c = f.convergence;
  if (c.status === 'fitted') {
    lines.push(
      `  loss at end  ${num(c.finalLoss.estimate)} (90% interval ${num(c.finalLoss.low)}–${num(c.finalLoss.high)}), ${c.curve.family} fit`,
    );
    for (const w of c.warnings) lines.push(`  warning      ${w}`);
    if (c.stepsToTarget) {
      const t = c.stepsToTarget;
      lines.push(
        t.steps === null
          ? `  target ${t.targetLoss}: not reached by the fitted curve (its floor is ${num(c.curve.c)})`
          : `  target ${t.targetLoss}: ${t.steps} steps (${t.low ?? '?'}–${t.high ?? 'may not reach'})${t.energyJ ? `, ${num(t.energyJ.estimate / 3.6e6)} kWh` : ''}`,
      );
    }
  } else lines.push(`  convergence  too short to tell: ${c.reason}`);
  if (w) {
    lines.push(
      `  low-carbon start ${w.start.toISOString()} (${num(w.meanGramsPerKWh)} gCO2e/kWh vs ${num(w.nowMeanGramsPerKWh)} now, saves ${num(w.savingGrams)} gCO2e; ${w.provider} forecast)`,
    );
  } else if (carbonNote) lines.push(`  ${carbonNote}`);
  for (const u of f.unknowns) lines.push(`  unknown: ${u}`);
  lines.push('  assumptions:');
  for (const a of f.assumptions) lines.push(`    · ${a}`);
  return `${lines.join('\n')}\n`;
}

function parseProvider(text: string): CarbonAwareChoice {
  const [kind, area] = text.split(':', 2);
  if (kind !== 'uk' && kind !== 'electricitymaps')
    throw new UsageError('pilot: --carbon-aware takes uk[:POSTCODE] or electricitymaps:ZONE');
  const r = carbonAwareChoice(kind, area);
  if (!r.ok) throw new UsageError(`pilot: --carbon-aware: ${r.error}`);
  return r.choice;
}

function electricityMapsToken(): string {
  const token = process.env.WATTLENS_ELECTRICITY_MAPS_TOKEN?.trim();
  if (!token) throw new UsageError('pilot: --carbon-aware electricitymaps needs a token in WATTLENS_ELECTRICITY_MAPS_TOKEN');
  return token;
}

function optInt(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new UsageError(`pilot: ${name} must be a whole number ≥ ${min}, got "${text}"`);
  return Number(text);
}

function optNumber(text: string | undefined, name: string, min: number, inclusive: boolean): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || (inclusive ? x < min : x <= min)) {
    throw new UsageError(`pilot: ${name} must be a number ${inclusive ? '≥' : '>'} ${min}, got "${text}"`);
  }
  return x;
}

const num = (x: number) =>
  !Number.isFinite(x) ? '?' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
const ms = (s: number) => `${num(s * 1000)} ms`;
const pct = (x: number) => `${Math.round(100 * x)}%`;
const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
function duration(s: number): string {
  if (s < 120) return `${num(s)} s`;
  if (s < 7200) return `${num(s / 60)} min`;
  if (s < 172800) return `${num(s / 3600)} h`;
  return `${num(s / 86400)} days`;
}
