// Loss-curve fits: where a full run's loss will be, and how many steps a target loss needs.
//
// Families (Domhan et al., IJCAI 2015): power law with asymptote L = c + a·x^(−b) — the
// baseline — and exponential saturation L = c + a·e^(−k·x), which stands for "the curve has
// flattened". x is the step, or the cumulative learning rate when the pilot's LR changed (the
// S1 term of Tissue et al. 2024, arXiv 2408.11029; its annealing term is not modelled). Each
// family is fitted by a grid over its rate parameter with weighted linear least squares for
// (a, c); intervals come from a moving-block residual bootstrap, and the reported interval
// spans every family that fits, because a pilot rarely tells the two apart.
import { largestLossSpike, spikeWarning } from './lossSpikes';
import { quantile, seededRandom } from './stats';

export type FamilyName = 'power-law' | 'exponential';

export interface FittedCurve {
  family: FamilyName;
  /** L(x) = c + a·x^(−rate) or c + a·e^(−rate·x). */
  a: number;
  c: number;
  rate: number;
  rmse: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface StepsToTarget {
  targetLoss: number;
  /** null when the fitted floor lies above the target (may never reach it). */
  steps: number | null;
  low: number | null;
  /** null: some plausible fits never reach the target. */
  high: number | null;
  energyJ: Interval | null;
}

export type Convergence =
  | {
      status: 'fitted';
      /** The curve used for the point estimate (power law when it fits). */
      curve: FittedCurve;
      families: FittedCurve[];
      /** Loss at the full run's last step: the curve's value (smoothed), 90% interval. */
      finalLoss: Interval;
      totalSteps: number;
      stepsToTarget?: StepsToTarget;
      /** Steps of the pilot used by the fit (the first part is a transient and is skipped). */
      fitWindow: [number, number];
      timeVariable: 'step' | 'cumulative-lr';
      intervalLevel: 0.9;
      assumptions: string[];
      /** Reasons to distrust the interval (a loss spike in the pilot); empty when none. */
      warnings: string[];
    }
  | { status: 'too-short'; reason: string };

export interface ConvergenceInput {
  /** One loss per step; null where the loss was not captured or not finite. */
  losses: readonly (number | null)[];
  /** The full run's length in steps. */
  totalSteps: number;
  /** Learning rate of each pilot step (param group 0), when recorded. */
  learningRates?: readonly (number | null)[];
  /** Learning rate of future steps (1-based step → lr) when the schedule is known. */
  futureLr?: (step: number) => number;
  targetLoss?: number;
  joulesPerStep?: number | null;
  /** Bootstrap resamples (default 200). */
  resamples?: number;
}

const MIN_POINTS = 30;
/** Share of the pilot left out of the fit: early training is a fast transient no family extrapolates. */
const SKIP_FRACTION = 0.5;

export function fitConvergence(input: ConvergenceInput): Convergence {
  const n = input.losses.length;
  const start = Math.max(1, Math.floor(n * SKIP_FRACTION)); // skip the initial transient
  const xsStep: number[] = [];
  const ys: number[] = [];
  for (let i = start; i < n; i++) {
    const y = input.losses[i];
    if (y !== null && y !== undefined && Number.isFinite(y)) {
      xsStep.push(i + 1);
      ys.push(y);
    }
  }
  if (ys.length < MIN_POINTS) {
    return { status: 'too-short', reason: `only ${ys.length} usable losses after the first half of the pilot (need ${MIN_POINTS})` };
  }
  if (input.totalSteps < n) {
    return { status: 'too-short', reason: `the full run (${input.totalSteps} steps) is shorter than the pilot (${n})` };
  }

  const timeAxis = buildTimeAxis(input, n);
  const xs = xsStep.map((s) => timeAxis.at(s));
  const xEnd = timeAxis.at(input.totalSteps);

  const third = Math.floor(ys.length / 3);
  const first = ys.slice(0, third);
  const last = ys.slice(-third);
  const drop = avg(first) - avg(last);
  const se = Math.sqrt(variance(first) / first.length + variance(last) / last.length);
  if (!(drop > 2 * se)) {
    return { status: 'too-short', reason: 'the loss has not clearly decreased over the pilot (drop within noise)' };
  }

  // losses that never go negative (MSE, cross-entropy) have a floor at 0
  const floor = input.losses.every((y) => y === null || y >= 0) ? 0 : null;
  const fits = (['power-law', 'exponential'] as FamilyName[])
    .map((family) => fitFamily(family, xs, ys, floor))
    .filter((f): f is FittedCurve => f !== null && f.a > 0);
  if (fits.length === 0) return { status: 'too-short', reason: 'no decreasing curve fits the pilot losses' };

  const B = input.resamples ?? 100;
  const rand = seededRandom(12345);
  const finals: number[] = [];
  const targetSteps: number[] = [];
  for (const fit of fits) {
    const residuals = ys.map((y, i) => y - evaluate(fit, xs[i]!));
    const block = Math.max(5, Math.min(50, Math.floor(ys.length / 10)));
    for (let b = 0; b < B; b++) {
      const yb = ys.map((_, i) => evaluate(fit, xs[i]!));
      for (let i = 0; i < yb.length; i += block) {
        const from = Math.floor(rand() * Math.max(1, residuals.length - block));
        for (let j = 0; j < block && i + j < yb.length; j++) yb[i + j]! += residuals[from + j]!;
      }
      const refit = fitFamily(fit.family, xs, yb, floor);
      if (!refit) continue;
      finals.push(evaluate(refit, xEnd));
      if (input.targetLoss !== undefined) targetSteps.push(stepsTo(refit, input.targetLoss, timeAxis, input.totalSteps * 100));
    }
  }
  const main = fits.find((f) => f.family === 'power-law') ?? fits[0]!;
  const estimate = evaluate(main, xEnd);
  const low = Math.min(quantile(finals, 0.05) ?? estimate, estimate);
  const high = Math.max(quantile(finals, 0.95) ?? estimate, estimate);
  const observedRange = Math.max(...ys) - Math.min(...ys);
  if (high - low > observedRange * 2) {
    return { status: 'too-short', reason: 'the fits that match the pilot disagree about the end of the run by more than the pilot shows' };
  }

  const assumptions = [
    `curves fitted to steps ${xsStep[0]}–${xsStep[xsStep.length - 1]} (the first half of the pilot is left out as a transient)`,
    'interval: 5–95% of a moving-block residual bootstrap, spanning the power-law and exponential fits',
    'the loss is the mean of the training batch losses, not a validation loss',
  ];
  if (timeAxis.kind === 'cumulative-lr') assumptions.push(timeAxis.note);

  const result: Extract<Convergence, { status: 'fitted' }> = {
    status: 'fitted',
    curve: main,
    families: fits,
    finalLoss: { estimate, low, high },
    totalSteps: input.totalSteps,
    fitWindow: [xsStep[0]!, xsStep[xsStep.length - 1]!],
    timeVariable: timeAxis.kind,
    intervalLevel: 0.9,
    assumptions,
    warnings: [],
  };
  const spike = largestLossSpike(input.losses);
  if (spike) result.warnings.push(spikeWarning(spike));
  if (input.targetLoss !== undefined) {
    const target = input.targetLoss;
    const point = stepsTo(main, target, timeAxis, input.totalSteps * 100);
    const finite = targetSteps.filter(Number.isFinite);
    const allReach = finite.length === targetSteps.length;
    const lo = finite.length ? Math.min(quantile(finite, 0.05)!, Number.isFinite(point) ? point : Infinity) : null;
    const hiQ = allReach ? quantile(targetSteps, 0.95) : null;
    const steps = Number.isFinite(point) ? Math.ceil(point) : null;
    const jps = input.joulesPerStep ?? null;
    result.stepsToTarget = {
      targetLoss: target,
      steps,
      low: lo !== null && Number.isFinite(lo) ? Math.ceil(lo) : null,
      high: hiQ !== null && hiQ !== undefined ? Math.ceil(Math.max(hiQ, steps ?? 0)) : null,
      energyJ:
        jps !== null && steps !== null
          ? { estimate: steps * jps, low: (lo ?? steps) * jps, high: hiQ ? Math.max(hiQ, steps) * jps : Infinity }
          : null,
    };
  }
  return result;
}

export function evaluate(curve: FittedCurve, x: number): number {
  return curve.c + curve.a * basis(curve.family, curve.rate, x);
}

function basis(family: FamilyName, rate: number, x: number): number {
  return family === 'power-law' ? Math.pow(x, -rate) : Math.exp(-rate * x);
}

/** Grid over the rate with (a, c) by least squares, then a golden-section refinement. */
export function fitFamily(
  family: FamilyName,
  rawXs: readonly number[],
  rawYs: readonly number[],
  floor: number | null = null,
): FittedCurve | null {
  const { xs, ys, ws } = bin(rawXs, rawYs, 80);
  const xMax = Math.max(...xs);
  const [lo, hi] = family === 'power-law' ? [0.02, 4] : [0.05 / xMax, 50 / xMax];
  const grid = 60;
  let best: { rate: number; sse: number; a: number; c: number } | null = null;
  let bestIndex = -1;
  const logLo = Math.log(lo);
  const step = (Math.log(hi) - logLo) / (grid - 1);
  for (let i = 0; i < grid; i++) {
    const rate = Math.exp(logLo + step * i);
    const fit = linearFit(family, rate, xs, ys, ws, floor);
    if (fit && (!best || fit.sse < best.sse)) {
      best = { rate, ...fit };
      bestIndex = i;
    }
  }
  if (!best) return null;
  // refine on the log-rate between the grid neighbours
  let left = logLo + step * Math.max(0, bestIndex - 1);
  let right = logLo + step * Math.min(grid - 1, bestIndex + 1);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 30; it++) {
    const m1 = right - phi * (right - left);
    const m2 = left + phi * (right - left);
    const f1 = linearFit(family, Math.exp(m1), xs, ys, ws, floor)?.sse ?? Infinity;
    const f2 = linearFit(family, Math.exp(m2), xs, ys, ws, floor)?.sse ?? Infinity;
    if (f1 < f2) right = m2;
    else left = m1;
  }
  const rate = Math.exp((left + right) / 2);
  const fit = linearFit(family, rate, xs, ys, ws, floor);
  if (fit && fit.sse < best.sse) best = { rate, ...fit };
  const weight = ws.reduce((t, w) => t + w, 0);
  return { family, a: best.a, c: best.c, rate: best.rate, rmse: Math.sqrt(best.sse / weight) };
}

/** Weighted least squares for (a, c) at a fixed rate; c is held at `floor` when it would fall below it. */
function linearFit(
  family: FamilyName,
  rate: number,
  xs: readonly number[],
  ys: readonly number[],
  ws: readonly number[],
  floor: number | null,
) {
  let sw = 0,
    sf = 0,
    sy = 0,
    sff = 0,
    sfy = 0;
  const n = xs.length;
  const fs = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const f = basis(family, rate, xs[i]!);
    const w = ws[i]!;
    fs[i] = f;
    sw += w;
    sf += w * f;
    sy += w * ys[i]!;
    sff += w * f * f;
    sfy += w * f * ys[i]!;
  }
  const det = sw * sff - sf * sf;
  if (!(Math.abs(det) > 1e-300)) return null;
  let a = (sw * sfy - sf * sy) / det;
  let c = (sy - a * sf) / sw;
  if (floor !== null && c < floor) {
    // the loss cannot go below its floor (0 for squared errors and cross-entropy)
    c = floor;
    a = (sfy - floor * sf) / sff;
  }
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i]! - c - a * fs[i]!;
    sse += ws[i]! * r * r;
  }
  return { a, c, sse };
}

/** Contiguous bins of equal count: mean x, mean y, weight = count (keeps fits fast on long pilots). */
function bin(xs: readonly number[], ys: readonly number[], maxBins: number) {
  if (xs.length <= maxBins) return { xs, ys, ws: xs.map(() => 1) };
  const bx: number[] = [],
    by: number[] = [],
    bw: number[] = [];
  for (let k = 0; k < maxBins; k++) {
    const from = Math.floor((k * xs.length) / maxBins);
    const to = Math.floor(((k + 1) * xs.length) / maxBins);
    let sx = 0,
      sy = 0;
    for (let i = from; i < to; i++) {
      sx += xs[i]!;
      sy += ys[i]!;
    }
    bx.push(sx / (to - from));
    by.push(sy / (to - from));
    bw.push(to - from);
  }
  return { xs: bx, ys: by, ws: bw };
}

interface TimeAxis {
  kind: 'step' | 'cumulative-lr';
  at(step: number): number;
  note: string;
}

/** Steps, or the cumulative learning rate when the pilot's LR changed. */
function buildTimeAxis(input: ConvergenceInput, n: number): TimeAxis {
  const lrs = input.learningRates ?? [];
  const known = lrs.filter((v): v is number => typeof v === 'number' && v > 0);
  const varies = known.length === n && Math.max(...known) > Math.min(...known) * 1.0001;
  if (!varies) return { kind: 'step', at: (s) => s, note: '' };
  const cumulative: number[] = [0];
  for (let i = 0; i < n; i++) cumulative.push(cumulative[i]! + (lrs[i] as number));
  const lastLr = known[known.length - 1]!;
  const future = input.futureLr ?? (() => lastLr);
  const cache = new Map<number, number>();
  return {
    kind: 'cumulative-lr',
    note: input.futureLr
      ? 'learning rate changed during the pilot: curves use the cumulative learning rate, with the given schedule ahead'
      : `learning rate changed during the pilot: curves use the cumulative learning rate, assuming the last LR (${lastLr}) holds`,
    at(step: number) {
      if (step <= n) return cumulative[Math.max(0, Math.round(step))]!;
      const cached = cache.get(step);
      if (cached !== undefined) return cached;
      let s = cumulative[n]!;
      for (let k = n + 1; k <= step; k++) s += future(k);
      cache.set(step, s);
      return s;
    },
  };
}

/** First step at which the curve reaches the target; Infinity when it never does (within `limit`). */
function stepsTo(curve: FittedCurve, target: number, axis: TimeAxis, limit: number): number {
  if (target <= curve.c) return Infinity;
  const x =
    curve.family === 'power-law'
      ? Math.pow(curve.a / (target - curve.c), 1 / curve.rate)
      : -Math.log((target - curve.c) / curve.a) / curve.rate;
  if (!(x > 0)) return 1;
  if (axis.kind === 'step') return x > limit ? Infinity : x;
  // invert the monotone time axis by bisection over steps
  let lo = 1,
    hi = 2;
  while (axis.at(hi) < x) {
    hi *= 2;
    if (hi > limit) return Infinity;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (axis.at(mid) < x) lo = mid;
    else hi = mid;
  }
  return hi;
}

function avg(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function variance(xs: readonly number[]): number {
  const m = avg(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1);
}
