// The work of one forward pass, row by row of the per-layer table: its class of op (which peak
// and which efficiency apply), its FLOPs, its memory traffic and its kernel launches (measured
// counts per op class, kernelModel.ts).
import type { LayerReport } from '../report/types';
import { callKernels } from './kernelModel';

export type OpClass = 'gemm' | 'conv' | 'memory';

export interface OpWork {
  path: string;
  /** 1-based source line of the row, when known. */
  line: number | null;
  type: string;
  opClass: OpClass;
  /** Forward FLOPs on the matrix units (2 × MACs). */
  matrixFlops: number;
  /** Forward elementwise FLOPs (norms, activations, softmax), on the vector units. */
  vectorFlops: number;
  /** Forward bytes read and written in device memory. */
  bytes: number;
  /** Output elements of all its calls (the report's fp32 activation bytes ÷ 4). */
  outputElements: number;
  /** Kernel launches of all its calls in forward, and in backward. */
  kernels: number;
  backwardKernels: number;
}

/**
 * One entry per row that ran (calls > 0). Bytes scale with `bytesPerElement` (4 for fp32
 * activations, 2 for half-precision ones); the report's activation bytes are at fp32.
 */
export function forwardWork(layers: readonly LayerReport[], bytesPerElement: number): OpWork[] {
  const scale = bytesPerElement / 4;
  const out: OpWork[] = [];
  for (const l of layers) {
    if (l.calls <= 0) continue;
    const macs = l.macs ?? 0;
    const output = (l.activationBytes ?? 0) * scale;
    const weights = (l.params ?? 0) * bytesPerElement;
    // unfused attention writes its scores, then reads them for the softmax and for the weighted sum
    const scores = (l.attention?.scoreElements ?? 0) * bytesPerElement * 3;
    const calls = callKernels(l);
    out.push({
      path: l.path,
      line: l.line,
      type: l.type,
      opClass: macs > 0 ? (/conv/i.test(l.type) ? 'conv' : 'gemm') : 'memory',
      matrixFlops: 2 * macs,
      vectorFlops: l.elementwiseFlops ?? 0,
      bytes: weights + 2 * output + scores,
      outputElements: (l.activationBytes ?? 0) / 4,
      kernels: calls.forward * l.calls,
      backwardKernels: calls.backward * l.calls,
    });
  }
  return out;
}
