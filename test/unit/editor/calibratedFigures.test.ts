// What the lens, hint and hover providers add for a pilot calibration, on the real report of cnn.py.
import { describe, expect, it } from 'vitest';
import { calibratedFigures, calibratedHint, hoverWithCalibration } from '../../../src/core/editor/calibratedFigures';
import { calibratedLensText } from '../../../src/core/editor/calibration';
import { lineHints } from '../../../src/core/editor/hints';
import { hoverMarkdown } from '../../../src/core/editor/hover';
import { analyzeExample } from './analyze';
import { calibration, pilotRun } from './calibrationRuns';

describe('calibrated figures of a file', () => {
  it("gives the calibrated model a lens and appends each costly line's energy to its hint and hover", async () => {
    const report = await analyzeExample('models/cnn.py', { input: '64x3x32x32' });
    const c = calibration();
    const figures = calibratedFigures(report, [c]);
    expect(figures.models.get('CifarCNN')!.lens!.text).toBe(calibratedLensText(c, report.models[0]!));
    expect(figures.models.get('CifarCNN')!.lens!.tooltip).toContain(
      'Energy of one training step of CifarCNN: 1.22 J, estimated by the pilot run-1',
    );

    // conv1 (line 10): 8.155% of the forward MACs (by hand in calibration.test.ts) × 1.22 J
    const conv1 = calibratedHint(10, figures)!;
    expect(conv1.text).toBe('≈99.5 mJ/step');
    expect(conv1.tooltip.startsWith("≈ 99.5 mJ/step: 8% of CifarCNN's forward MACs × 1.22 J/step estimated by the pilot")).toBe(true);
    // batch norm (line 11) has a static hint (parameters) but no MACs: no energy
    expect(lineHints(report, 'macs').some((h) => h.line === 11)).toBe(true);
    expect(calibratedHint(11, figures)).toBeUndefined();

    const hover = hoverWithCalibration(hoverMarkdown(report, 10, 'macs'), 10, figures)!;
    expect(hover.startsWith(`${hoverMarkdown(report, 10, 'macs')}\n\n---\n\n**≈ 99.5 mJ/step** per training step`)).toBe(true);
    const classHover = hoverWithCalibration(hoverMarkdown(report, 7, 'macs'), 7, figures)!;
    expect(classHover).toContain('**≈ 1.22 J per training step** · calibrated from pilot of 2026-11-25 on CPU: AMD EPYC');
  });

  it('adds nothing without a calibration of a class of this file', async () => {
    const report = await analyzeExample('models/cnn.py');
    const elsewhere = calibration(pilotRun({}, { file: '/elsewhere/cnn.py' }));
    for (const calibrations of [[], [elsewhere]]) {
      const figures = calibratedFigures(report, calibrations);
      expect(figures.models.size + figures.lines.size + figures.modelLines.size).toBe(0);
      expect(
        lineHints(report, 'macs')
          .map((h) => calibratedHint(h.line, figures))
          .filter(Boolean),
      ).toEqual([]);
      expect(hoverWithCalibration(hoverMarkdown(report, 10, 'macs'), 10, figures)).toBe(hoverMarkdown(report, 10, 'macs'));
    }
  });

  it('says on the class hover why a pilot of an older version of the model does not calibrate it, and shows no energy', async () => {
    const report = await analyzeExample('models/cnn.py');
    const figures = calibratedFigures(report, [calibration(pilotRun({}, { params: 1_000_000 }))]);
    expect(figures.models.get('CifarCNN')!.lens).toBeNull();
    expect(figures.lines.size).toBe(0);
    expect(hoverWithCalibration(hoverMarkdown(report, 7, 'macs'), 7, figures)).toContain(
      'Not calibrated from the pilot run-1 of 2026-11-25 on CPU: AMD EPYC: CifarCNN has 621K parameters here but 1.00M in the pilot of 2026-11-25: the model or its arguments changed since. Run a new pilot to calibrate it.',
    );
  });

  it('takes the newest pilot of the class when several calibrate it', async () => {
    const report = await analyzeExample('models/cnn.py', { input: '64x3x32x32' });
    const older = calibration(pilotRun({ id: 'old', finishedAt: '2026-11-01T00:00:00.000Z' }, {}, 2.5));
    const newer = calibration(pilotRun({ id: 'new', finishedAt: '2026-11-20T00:00:00.000Z' }, {}, 1.22));
    expect(calibratedFigures(report, [older, newer]).models.get('CifarCNN')!.lens!.text).toBe(
      '≈ 1.22 J/step, estimated (calibrated from pilot of 2026-11-20 on CPU: AMD EPYC)',
    );
  });
});
