// On a CPU the layers a roofline calls memory-bound (batch norm, pooling, dropout, activations,
// norms, softmax) take at least their measured CPU time per output element, the step's fresh
// activations pay their measured first-touch page faults, and convolutions run at oneDNN's
// measured fraction of the peak (all from real torch: scripts/truth/cpu_layer_costs.py,
// reference_blas.py).
import { describe, expect, it } from 'vitest';
import { cpuStepProfile, parseCpuInfo } from '../../../src/core/gpu/cpuProfile';
import { cpuLayerClassOf, cpuLayerSeconds, pageFaultSeconds } from '../../../src/core/gpu/cpuLayerCosts';
import table from '../../../src/core/gpu/cpuLayerCosts.json';
import referenceBlas from '../../../src/core/gpu/referenceBlas.json';
import { gpuProfileFor } from '../../../src/core/gpu/gpuProfiles';
import { estimateStep } from '../../../src/core/gpu/stepEstimate';
import type { LayerReport, ModelReport } from '../../../src/core/report/types';

const machine = parseCpuInfo(
  [
    'processor\t: 0',
    'vendor_id\t: AuthenticAMD',
    'cpu family\t: 26',
    'model name\t: AMD EPYC',
    'cpu MHz\t\t: 2096.009',
    '',
    'processor\t: 1',
    '',
  ].join('\n'),
)!;

function cpu(threads: number) {
  const r = cpuStepProfile(machine, threads);
  if (!r.ok) throw new Error(r.reason);
  return r.profile;
}

function layer(over: Partial<LayerReport>): LayerReport {
  return { path: 'bn', type: 'BatchNorm2d', kind: 'layer', line: 3, params: 0, macs: 0, flops: 0, outputShape: null, calls: 1, ...over };
}

function model(layers: LayerReport[]): ModelReport {
  const macs = layers.reduce((s, l) => s + (l.macs ?? 0), 0);
  return {
    name: 'Net',
    entry: 'Net()',
    line: 1,
    entryKind: 'class',
    input: { shapes: [[64, 3, 32, 32]], text: '64x3x32x32', source: 'cli', detail: 'given' },
    params: 0,
    trainableParams: 0,
    uniqueParams: 0,
    macs,
    flops: 2 * macs,
    activationBytes: 0,
    trainingMemoryBytes: null,
    assumptions: [],
    unknowns: [],
    layers,
  };
}

const ELEMENTS = 8_000_000;
const bn = model([layer({ activationBytes: 4 * ELEMENTS })]);

describe('CPU layer costs', () => {
  it('classes the per-layer table’s types, modules and functionals alike', () => {
    expect(cpuLayerClassOf('BatchNorm2d')).toBe('batchnorm');
    expect(cpuLayerClassOf('F.relu')).toBe('relu');
    expect(cpuLayerClassOf('MaxPool2d')).toBe('maxpool');
    expect(cpuLayerClassOf('Dropout')).toBe('dropout');
    expect(cpuLayerClassOf('GELU')).toBe('gelu');
    expect(cpuLayerClassOf('LayerNorm')).toBe('layernorm');
    expect(cpuLayerClassOf('Linear')).toBeNull();
    expect(cpuLayerClassOf('Conv2d')).toBeNull();
  });

  it('costs elements × the measured ns per element, split over the threads except at the high end', () => {
    const ns = table.classes.maxpool.nsPerElement;
    expect(cpuLayerSeconds('MaxPool2d', 1e6, 'mid', 1)).toBeCloseTo(1e6 * ns.mid * 1e-9, 12);
    expect(cpuLayerSeconds('MaxPool2d', 1e6, 'low', 2)).toBeCloseTo((1e6 * ns.low * 1e-9) / 2, 12);
    expect(cpuLayerSeconds('MaxPool2d', 1e6, 'high', 2)).toBeCloseTo(1e6 * ns.high * 1e-9, 12);
    expect(cpuLayerSeconds('Linear', 1e6, 'mid', 1)).toBe(0);
  });

  it('counts no page faults at the low end, the measured share of the activations at mid and high', () => {
    const f = table.pageFaults;
    expect(pageFaultSeconds(64e6, 'low')).toBe(0);
    expect(pageFaultSeconds(64e6, 'mid')).toBeCloseTo(((64e6 * f.ofActivationBytes.mid) / 4096) * f.usPerFault.mid * 1e-6, 12);
    expect(pageFaultSeconds(64e6, 'high')).toBeGreaterThanOrEqual(pageFaultSeconds(64e6, 'mid'));
  });
});

describe('the CPU step estimate', () => {
  it('takes a batch norm’s measured CPU cost where it is longer than its roofline, and the page faults', () => {
    const e = estimateStep(bn, cpu(1), { precision: 'fp32' });
    if (!e.ok) throw new Error(e.reason);
    const est = e.estimate;
    const cost = ELEMENTS * table.classes.batchnorm.nsPerElement.mid * 1e-9;
    // roofline: 2 × 32 MB forward, × 3 with backward, at 30 GB/s × 0.7: well under the measured cost
    const roofline = (3 * 2 * 4 * ELEMENTS) / (30e9 * 0.7);
    expect(roofline).toBeLessThan(cost);
    const faults = pageFaultSeconds(4 * ELEMENTS, 'mid');
    expect(est.cpuPageFaultsS!.mid).toBeCloseTo(faults, 12);
    expect(est.timeS.mid).toBeCloseTo(est.host!.timeS.mid + cost + faults, 9);
    // the batch norm's row (its work and its launches' host time) and the faults are memory-bound time
    expect(est.boundBy.memoryS).toBeGreaterThanOrEqual(cost + faults);
    expect(est.boundBy.memoryS).toBeLessThan(cost + faults + est.host!.partsS!.model.mid);
    expect(est.basis.join('\n')).toMatch(/measured CPU time per output element/);
    expect(est.basis.join('\n')).toMatch(/first-touch page faults/);
  });

  it('leaves a GPU’s estimate to its roofline: no CPU layer cost, no page faults', () => {
    const e = estimateStep(bn, gpuProfileFor('H100 SXM')!, { precision: 'fp32' });
    if (!e.ok) throw new Error(e.reason);
    expect(e.estimate.cpuPageFaultsS).toBeUndefined();
    expect(e.estimate.boundBy.memoryS).toBeLessThan(ELEMENTS * table.classes.batchnorm.nsPerElement.mid * 1e-9 * 0.01);
  });

  it('runs CPU convolutions at oneDNN’s measured fraction of the peak', () => {
    const macs = 300e6;
    const conv = model([layer({ path: 'conv', type: 'Conv2d', macs, flops: 2 * macs, activationBytes: 4096 })]);
    const e = estimateStep(conv, cpu(1), { precision: 'fp32' });
    if (!e.ok) throw new Error(e.reason);
    const compute = (6 * macs) / (2096.009e6 * 64 * referenceBlas.convOfOneThreadPeak.mid);
    // the convolution's row: its work and its launches' host time
    expect(e.estimate.boundBy.computeS).toBeGreaterThanOrEqual(compute);
    expect(e.estimate.boundBy.computeS).toBeLessThan(compute + e.estimate.host!.partsS!.model.mid);
    expect(e.estimate.basis.join('\n')).toMatch(/convolutions \(oneDNN\) at [\d.]+–[\d.]+ of the peak: measured/);
  });
});
