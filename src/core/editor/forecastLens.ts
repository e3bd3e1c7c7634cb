// The training script's forecast lens, above its training loop after a pilot of the script:
// "full run ≈ 5.2 h · 3.1 kWh · 1.2 kgCO2e · 0.46 USD · loss 0.05 by step ≈ 12k — pilot of
// 2026-11-25 on GPU: NVIDIA H100 80GB HBM3", from the same forecast as the panel and the CLI;
// the hover gives the convergence fit, its interval and the assumptions.
import { forecastRun, type Forecast, type ForecastInput } from '../energy/forecast';
import type { RunRecord } from '../pilot/runRecord';
import { formatCo2e, formatDuration, formatJoules, formatKWh, formatLoss, formatMoney } from '../panel/units';
import { evaluateCount, type LoopLength } from './loopLength';
import { escapeMarkdown } from './text';

/** What the run was started with (the panel's saved context) and the user's forecast settings. */
export type ForecastLensInput = Omit<ForecastInput, 'summary' | 'macsPerStep'>;

export interface ForecastLens {
  text: string;
  tooltip: string;
  hover: string;
}

/** The loop's run length as a forecast input, with the pilot's command line for argparse options; or why it is unknown. */
export function scriptLengthInput(
  length: LoopLength | undefined,
  args: readonly string[],
): { scriptLength?: NonNullable<ForecastInput['scriptLength']>; unknown?: string } {
  if (!length) return {};
  if (length.kind === 'unknown') return { unknown: length.reason };
  const count = evaluateCount(length.kind === 'steps' ? length.count : length.epochs, args);
  if (!count.ok) return { unknown: `${length.basis}: ${count.reason}` };
  const options = count.options.length ? ` (${count.options.join(', ')})` : '';
  const basis = `${length.basis}${options}`;
  return length.kind === 'steps' ? { scriptLength: { steps: count.value, basis } } : { scriptLength: { epochs: count.value, basis } };
}

/** "12k", "1.2M", "850". */
export function compactSteps(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toPrecision(2)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(2)}k`;
  return String(Math.round(n));
}

/** The forecast of a completed pilot, or null when the forecast cannot be made (a bad setting). */
export function pilotForecast(record: RunRecord, input: ForecastLensInput): Forecast | null {
  try {
    const macs = record.macs?.macsPerStep;
    return forecastRun({ summary: record.summary, ...input, ...(typeof macs === 'number' ? { macsPerStep: macs } : {}) });
  } catch {
    return null;
  }
}

function lossText(f: Forecast): string | undefined {
  const c = f.convergence;
  if (c.status !== 'fitted') return undefined;
  const t = c.stepsToTarget;
  if (t?.steps != null) return `loss ${formatLoss(t.targetLoss)} by step ≈ ${compactSteps(t.steps)}`;
  return `loss ${formatLoss(c.finalLoss.estimate)} by step ≈ ${compactSteps(c.totalSteps)}`;
}

/** `lengthUnknown`: why the script's loop does not fix the run length (shown when the forecast has none). */
export function forecastLens(record: RunRecord, f: Forecast, stale: boolean, lengthUnknown?: string): ForecastLens {
  const label = `pilot of ${(record.finishedAt ?? record.updatedAt).slice(0, 10)} on ${record.summary.device}`;
  const parts: string[] = [];
  const s = record.summary;
  parts.push(
    f.timeS !== null
      ? `full run ≈ ${formatDuration(f.timeS)}`
      : `full run: length unknown (${formatDuration(s.stepTimeS)} · ${formatJoules(s.energy.joulesPerStep)} per step)`,
  );
  if (f.energyKWh !== null) parts.push(formatKWh(f.energyKWh));
  if (f.co2eGrams !== null) parts.push(formatCo2e(f.co2eGrams));
  if (f.cost !== null) parts.push(formatMoney(f.cost, f.currency));
  const loss = lossText(f);
  if (loss) parts.push(loss);
  const text = `${stale ? 'stale: ' : ''}${parts.join(' · ')} — ${label}`;
  const lines = forecastLines(record, f, stale);
  if (f.totalSteps === null && lengthUnknown) lines.splice(stale ? 2 : 1, 0, `run length unknown: ${lengthUnknown}`);
  return { text, tooltip: lines.join('\n'), hover: hoverOf(text, lines) };
}

function forecastLines(record: RunRecord, f: Forecast, stale: boolean): string[] {
  const out: string[] = [];
  if (stale) out.push(`Stale: the script changed after the pilot ${record.id}; run a new pilot for a forecast of the script as it is.`);
  out.push(
    `Forecast of the full run from the pilot ${record.id} (${record.summary.steps} steps on ${record.summary.device}); estimated, not measured.`,
  );
  if (f.totalSteps !== null) out.push(`full run: ${f.totalSteps.toLocaleString('en-US')} steps (${f.totalStepsSource})`);
  const c = f.convergence;
  if (c.status === 'fitted') {
    const curve = c.curve;
    const formula =
      curve.family === 'power-law'
        ? `L(x) = ${formatLoss(curve.c)} + ${formatLoss(curve.a)}·x^(−${curve.rate.toPrecision(3)})`
        : `L(x) = ${formatLoss(curve.c)} + ${formatLoss(curve.a)}·e^(−${curve.rate.toPrecision(3)}·x)`;
    out.push(
      `convergence: ${formula} over ${c.timeVariable === 'step' ? 'steps' : 'cumulative learning rate'}, fitted on steps ${c.fitWindow[0]}–${c.fitWindow[1]} of the pilot`,
    );
    out.push(
      `final loss ${formatLoss(c.finalLoss.estimate)}, 90% interval ${formatLoss(c.finalLoss.low)} – ${formatLoss(c.finalLoss.high)}, at step ${c.totalSteps.toLocaleString('en-US')}`,
    );
    const t = c.stepsToTarget;
    if (t)
      out.push(
        t.steps === null
          ? `loss ${formatLoss(t.targetLoss)}: the fitted floor lies above it (may never be reached)`
          : `loss ${formatLoss(t.targetLoss)} by step ${Math.round(t.steps).toLocaleString('en-US')} (90% interval ${t.low !== null ? Math.round(t.low).toLocaleString('en-US') : '?'} – ${t.high !== null ? Math.round(t.high).toLocaleString('en-US') : 'never, for some fits'})`,
      );
    for (const w of c.warnings) out.push(`warning: ${w}`);
  } else out.push(`convergence: not forecast — ${c.reason}`);
  for (const u of f.unknowns) out.push(`unknown: ${u}`);
  for (const a of f.assumptions) out.push(`assumes ${a}`);
  return out;
}

function hoverOf(text: string, lines: string[]): string {
  const [first, ...rest] = lines as [string, ...string[]];
  return [`**${escapeMarkdown(text)}**`, '', escapeMarkdown(first), '', ...rest.map((l) => `- ${escapeMarkdown(l)}`)].join('\n');
}
