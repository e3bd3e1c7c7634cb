// Wording of the pilot-calibrated lens, hints and hovers on the real report of cnn.py.
import { describe, expect, it } from 'vitest';
import {
  appliesTo,
  calibratedLensText,
  calibratedLensTooltip,
  calibratedLines,
  calibratedModelHover,
  calibrationLabel,
  calibrationOf,
  latestCalibration,
} from '../../../src/core/editor/calibration';
import { lineCosts } from '../../../src/core/editor/lineCosts';
import { analyzeExample } from './analyze';
import { calibration, CNN, pilotRun as run } from './calibrationRuns';

describe('calibrated editor figures', () => {
  it("labels the lens with the pilot's date and device", async () => {
    const c = calibration();
    const model = (await analyzeExample('models/cnn.py', { input: '64x3x32x32' })).models[0]!;
    expect(calibrationLabel(c)).toBe('calibrated from pilot of 2026-11-25 on CPU: AMD EPYC');
    expect(calibratedLensText(c, model)).toBe('≈ 1.22 J/step, estimated (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)');
    expect(calibratedLensText(calibration(run({}, {}, 1.22, 'rapl')), model)).toBe(
      '≈ 1.22 J/step, measured (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)',
    );
    // the editor analyzes cnn.py at the call on line 33 (8x3x32x32): the lens names the pilot's input
    const atCall = (await analyzeExample('models/cnn.py')).models[0]!;
    expect(atCall.input.text).toBe('8x3x32x32');
    expect(calibratedLensText(c, atCall)).toBe(
      '≈ 1.22 J/step at input 64x3x32x32, estimated (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC)',
    );
    const tooltip = calibratedLensTooltip(c, model);
    expect(tooltip).toContain('1.22 J, estimated by the pilot run-1 on CPU: AMD EPYC (2026-11-25), at the input it ran: 64x3x32x32.');
    expect(tooltip).toContain('wattlens.calibratedHints');
    expect(tooltip).not.toContain('J/MAC'); // not computed for this run
  });

  it('gives each costly line its MACs share of the step energy; the shares add up to the whole step', async () => {
    const report = await analyzeExample('models/cnn.py', { input: '64x3x32x32' });
    const model = report.models[0]!;
    const c = calibration();
    const lines = calibratedLines(report, 'CifarCNN', c);
    const conv1 = lineCosts(report).get(10)!;
    expect(lines.get(10)!.share).toBeCloseTo(conv1.macs! / model.macs!, 12);
    expect(lines.get(10)!.joulesPerStep).toBeCloseTo((conv1.macs! / model.macs!) * 1.22, 12);
    // by hand at 64x3x32x32: conv1 64·32·32·32·(3·3·3) = 56,623,104 MACs of the forward's
    // 694,321,152 (conv2 and conv3 301,989,888 each, fc1 33,554,432, fc2 163,840): 8.155% of 1.22 J
    expect(conv1.macs).toBe(56_623_104);
    expect(model.macs).toBe(694_321_152);
    expect(lines.get(10)!.hint).toBe('≈99.5 mJ/step');
    expect(lines.get(10)!.tooltip).toBe(
      "≈ 99.5 mJ/step: 8% of CifarCNN's forward MACs × 1.22 J/step estimated by the pilot (calibrated from pilot of 2026-11-25 on CPU: AMD EPYC).",
    );
    expect(lines.get(10)!.hover).toMatch(
      /^\*\*≈ 99\.5 mJ\/step\*\* per training step · calibrated from pilot of 2026-11-25 on CPU: AMD EPYC\n/,
    );
    // batch norm has parameters but no MACs: no energy share; pooling has no hint at all
    expect(lines.has(11)).toBe(false);
    expect(lines.has(16)).toBe(false);
    const total = [...lines.values()].reduce((s, l) => s + l.joulesPerStep, 0);
    expect(total).toBeCloseTo(1.22, 9);
  });

  it('says when the editor analyzes another input than the pilot ran', async () => {
    const report = await analyzeExample('models/cnn.py', { input: '8x3x32x32' });
    const c = calibration();
    const line = calibratedLines(report, 'CifarCNN', c).get(10)!;
    expect(line.tooltip).toContain(
      "The energy is for the pilot's input 64x3x32x32; the shares come from the editor's analysis at 8x3x32x32.",
    );
    expect(calibratedModelHover(c, report.models[0]!)).toContain('at input 64x3x32x32');
  });

  it('shows J per MAC when the run has it', async () => {
    const r = run({
      macs: {
        computedAt: 't',
        macsPerStep: 2_082_963_456,
        macsSource: 's',
        joulesPerMac: 1.22 / 2_082_963_456,
        joulesPerMacBasis: 'energy estimated ÷ MACs estimated by static analysis',
        analyzed: null,
        assumptions: [],
      },
    });
    const model = (await analyzeExample('models/cnn.py', { input: '64x3x32x32' })).models[0]!;
    expect(calibratedLensTooltip(calibration(r), model)).toContain(
      'J per MAC: 5.86e-10 J/MAC (energy estimated ÷ MACs estimated by static analysis).',
    );
    expect(calibratedModelHover(calibration(r), model)).toContain('5.86e-10 J/MAC');
  });

  it('does not apply to a model whose parameters changed since the pilot', async () => {
    const report = await analyzeExample('models/cnn.py');
    const c = calibration(run({}, { params: 1_000_000 }));
    expect(appliesTo(c, report.models[0]!)).toEqual({
      ok: false,
      reason: 'CifarCNN has 621K parameters here but 1.00M in the pilot of 2026-11-25: the model or its arguments changed since',
    });
    expect(calibratedLines(report, 'CifarCNN', c).size).toBe(0);
  });

  it('gives no calibration for runs that did not complete, saw no model or measured no energy', () => {
    expect(calibrationOf(run({ state: 'failed' }))).toEqual({ ok: false, reason: 'the pilot run-1 did not complete (failed)' });
    expect(calibrationOf(run({}, null))).toEqual({ ok: false, reason: 'the pilot run-1 does not say which model it trained' });
    expect(calibrationOf(run({}, {}, null))).toEqual({
      ok: false,
      reason: 'no energy window after the 3 warm-up steps: the pilot is too short',
    });
  });

  it('picks the newest run of the same class in the same file', () => {
    const a = calibration(run({ id: 'a', finishedAt: '2026-11-20T00:00:00.000Z' }));
    const b = calibration(run({ id: 'b', finishedAt: '2026-11-24T00:00:00.000Z' }));
    const other = calibration(run({ id: 'c', finishedAt: '2026-11-26T00:00:00.000Z' }, { file: '/elsewhere/cnn.py' }));
    expect(latestCalibration([a, b, other], CNN, 'CifarCNN')?.runId).toBe('b');
    expect(latestCalibration([a, b], CNN, 'ResNet')).toBeUndefined();
  });
});
