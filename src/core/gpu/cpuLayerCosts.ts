// What a CPU spends beyond a roofline on the layers the roofline calls memory-bound: torch's CPU
// kernels for batch norm, pooling, dropout, activations, layer norm and softmax run far below the
// memory bandwidth, and a fresh activation the allocator took from the operating system pays its
// first-touch page faults. Both measured on real torch (scripts/truth/cpu_layer_costs.py,
// cpuLayerCosts.json) on calibration shapes and models none of docs/validation.md's rows use.
import type { Band } from '../report/types';
import table from './cpuLayerCosts.json';

type End = keyof Band;
const PAGE_BYTES = 4096;

const CLASSES = Object.entries(table.classes).map(([name, c]) => ({ name, match: new RegExp(c.match), ns: c.nsPerElement }));

/** The measured class of a layer type of the per-layer table (`BatchNorm2d`, `F.relu`, …), or null. */
export function cpuLayerClassOf(type: string): string | null {
  return CLASSES.find((c) => c.match.test(type))?.name ?? null;
}

/**
 * CPU seconds of one forward + backward of a layer of `type` with `outputElements` output
 * elements over all its calls, on `threads` threads: the measured one-thread cost per element,
 * divided by the threads at the low and mid ends (torch splits these kernels above 32768
 * elements) and not at the high end (no gain from the second thread: an assumption, as on a
 * loaded machine). 0 for a type no class covers.
 */
export function cpuLayerSeconds(type: string, outputElements: number, end: End, threads: number): number {
  const c = CLASSES.find((k) => k.match.test(type));
  if (!c || !(outputElements > 0)) return 0;
  return (outputElements * c.ns[end] * 1e-9) / (end === 'high' ? 1 : threads);
}

/**
 * CPU seconds per step of first-touch page faults: the measured fraction of the forward
 * activations' bytes faulted per step × the measured cost of one fault. None at the low end (an
 * allocator that keeps its pages, or a machine whose faults are cheap).
 */
export function pageFaultSeconds(activationBytes: number, end: End): number {
  if (end === 'low' || !(activationBytes > 0)) return 0;
  const f = table.pageFaults;
  return ((activationBytes * f.ofActivationBytes[end]) / PAGE_BYTES) * f.usPerFault[end] * 1e-6;
}

/** One sentence per term for the estimate's basis. */
export function cpuLayerBasis(): string[] {
  const f = table.pageFaults;
  const classes = Object.entries(table.classes)
    .map(([k, c]) => `${k} ${c.nsPerElement.low}–${c.nsPerElement.high}`)
    .join(', ');
  return [
    `CPU layers the roofline calls memory-bound take at least their measured CPU time per output element, forward + backward on one thread in fp32 (ns: ${classes}), divided by the threads at low and mid, not at high (measured: ${table.madeWith}; src/core/gpu/cpuLayerCosts.json)`,
    `first-touch page faults: ${f.ofActivationBytes.mid} (up to ${f.ofActivationBytes.high}) of the forward activations' bytes faulted afresh per step at ${f.usPerFault.mid} µs per 4 KiB page (measured on calibration models, this machine's figure: a virtual machine's fault costs more than bare metal's); none at the low end`,
  ];
}
