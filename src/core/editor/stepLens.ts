// Texts of the static step estimate: the model's CodeLens before any pilot ("≈ 8.6 ms · 3.8 J per
// step on H100 SXM (bf16, batch 64, estimated)"), its tooltip and hover with the band and basis.
import { formatDuration, formatJoules } from '../panel/units';
import type { StepEstimate } from '../report/types';
import { escapeMarkdown } from './text';

export function stepEstimateText(e: StepEstimate): string {
  const batch = e.batch !== null ? `, batch ${e.batch}` : '';
  return `≈ ${formatDuration(e.timeS.mid)} · ${formatJoules(e.joules.mid)} per step on ${e.gpu} (${e.precision}${batch}, estimated)`;
}

/** "8.1–12 ms" */
export function bandText(low: number, high: number, format: (x: number) => string): string {
  const [a, b] = [format(low), format(high)];
  const unit = / (\S+)$/.exec(a)?.[1];
  return unit && b.endsWith(` ${unit}`) ? `${a.slice(0, -unit.length - 1)}–${b}` : `${a} – ${b}`;
}

export function stepEstimateLines(e: StepEstimate): string[] {
  const total = e.boundBy.computeS + e.boundBy.memoryS + e.boundBy.launchS;
  const share = (x: number) => (total > 0 ? `${Math.round((100 * x) / total)}%` : '?');
  const cpu = e.gpu.startsWith('CPU');
  return [
    `Static estimate of one training step on ${e.gpu} (${e.precision}${e.batch !== null ? `, batch ${e.batch}` : ''}): not measured.`,
    `time ${bandText(e.timeS.low, e.timeS.high, formatDuration)} (mid ${formatDuration(e.timeS.mid)}); ${cpu ? 'CPU' : 'GPU'} energy ${bandText(e.joules.low, e.joules.high, formatJoules)} (mid ${formatJoules(e.joules.mid)})`,
    `bound by compute ${share(e.boundBy.computeS)}, memory bandwidth ${share(e.boundBy.memoryS)}, host time (Python, dispatcher, autograd, launches) ${share(e.boundBy.launchS)} of the mid step time`,
    ...(e.host
      ? [
          `host time ${bandText(e.host.timeS.low, e.host.timeS.high, formatDuration)} (mid ${formatDuration(e.host.timeS.mid)}): ${e.host.ops} ops of forward, loss and backward at ${e.host.usPerOp.low}–${e.host.usPerOp.high} µs each${hostPartsText(e.host.partsS)} (measured on small calibration models, torch 1.13 on a CPU)${cpu ? '' : ', plus each launch’s CUDA part; the GPU works while the host launches'}`,
        ]
      : []),
    `${e.kernels.total} ${cpu ? 'ops' : 'kernel launches'} per step (${e.kernels.forward} forward, ${e.kernels.backward} backward, ${e.kernels.optimizer} optimizer)${e.kernels.hostOps ? ` and ${e.kernels.hostOps} host ops` : ''}, as eager PyTorch runs each class of op`,
    'A pilot run replaces it with a measured figure.',
  ];
}

/** ", optimizer and zero_grad 0.4 ms, the batch 0.1 ms (mid)" when the estimate splits its host time. */
function hostPartsText(parts: NonNullable<StepEstimate['host']>['partsS']): string {
  if (!parts) return '';
  const batch = parts.data.mid > 0 ? `, the batch ${formatDuration(parts.data.mid)}` : '';
  return `, optimizer and zero_grad ${formatDuration(parts.optimizer.mid)}${batch} (mid)`;
}

/** Plain-text tooltip of the lens. */
export function stepEstimateTooltip(e: StepEstimate): string {
  return [...stepEstimateLines(e), '', 'Basis:', ...e.basis.map((b) => `• ${b}`)].join('\n');
}

/** Markdown for the model's hover. */
export function stepEstimateHover(e: StepEstimate): string {
  const [head, ...rest] = stepEstimateLines(e);
  return [
    `**${escapeMarkdown(stepEstimateText(e))}**`,
    '',
    escapeMarkdown(head!),
    ...rest.map((l) => `- ${escapeMarkdown(l)}`),
    '',
    'Basis:',
    ...e.basis.map((b) => `- ${escapeMarkdown(b)}`),
  ].join('\n');
}
