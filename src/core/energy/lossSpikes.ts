// A loss spike in the pilot: training that already blew up once at these settings can blow up
// again, and no fitted curve foresees that. Seen on an H100 (docs/validation.md): a pilot whose loss
// rose from 3.4 to 47 in its first steps fitted a fine curve after the spike, and the full run
// spiked again at step 640 (0.41 → 232) and ended far above the forecast interval.

export interface LossSpike {
  /** 1-based step where the spike is highest. */
  step: number;
  /** Running median of the loss there. */
  loss: number;
  /** Lowest running median before it (or the first loss). */
  before: number;
}

/** Twice the lowest loss so far… */
const SPIKE_RATIO = 2;
/** …and back up by at least this share of the progress made from the first loss to that low. */
const SPIKE_SHARE_OF_PROGRESS = 0.25;
/** Losses are compared after a centred running median over this many steps: a spike lasts, batch noise does not. */
const MEDIAN_WINDOW = 9;

/**
 * The largest spike of a loss series: a step where the running median of the loss is more than
 * twice its lowest value before and undoes at least a quarter of the progress from the first
 * loss (the untrained model) to that low. The median keeps single noisy batches from counting;
 * the share of progress keeps noise near a small floor (0.01 → 0.03) from counting.
 */
export function largestLossSpike(losses: readonly (number | null)[]): LossSpike | null {
  const steps: number[] = [];
  const ys: number[] = [];
  losses.forEach((y, i) => {
    if (y !== null && y !== undefined && Number.isFinite(y)) {
      steps.push(i + 1);
      ys.push(y);
    }
  });
  if (ys.length < 2) return null;
  const half = Math.floor(MEDIAN_WINDOW / 2);
  const first = ys[0]!;
  let low = first;
  let worst: LossSpike | null = null;
  for (let i = 1; i < ys.length; i++) {
    const y = median(ys.slice(Math.max(0, i - half), i + half + 1));
    const undone = first > low ? (y - low) / (first - low) : y > low ? Infinity : 0;
    if (y > SPIKE_RATIO * low && undone >= SPIKE_SHARE_OF_PROGRESS && (!worst || y / low > worst.loss / worst.before)) {
      worst = { step: steps[i]!, loss: y, before: low };
    }
    low = Math.min(low, y);
  }
  return worst;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The warning a forecast carries when its pilot spiked. */
export function spikeWarning(spike: LossSpike): string {
  const fmt = (x: number) => x.toPrecision(3);
  return (
    `the loss spiked during the pilot (running median ${fmt(spike.loss)} at step ${spike.step}, ${fmt(spike.loss / spike.before)}× its lowest value before): ` +
    'training at these settings is unstable, and a fitted curve cannot foresee another spike; the interval assumes none (a lower learning rate, warm-up or gradient clipping usually help)'
  );
}
