// The training script's forecast lens: where the training loop is, the lens text from a pilot's
// forecast (stale when the script changed), the hover's fit and interval, the newest pilot per script.
import { beforeAll, describe, expect, it } from 'vitest';
import { compactSteps, forecastLens, pilotForecast } from '../../../src/core/editor/forecastLens';
import { ScriptRunIndex } from '../../../src/core/editor/scriptRuns';
import { trainingLoopLines } from '../../../src/core/editor/trainingLoop';
import { loadPythonParser, type PythonParser } from '../../../src/core/python/parser';
import { record, summary } from '../panel/runFixtures';

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const loops = (text: string) => trainingLoopLines(parser.parseModule(text));

describe('training loop', () => {
  it('is the outermost loop that steps an optimizer, inside functions too', () => {
    const script = [
      'import torch', // 1
      'opt = torch.optim.AdamW(model.parameters())', // 2
      'for x in range(3):', // 3
      '    print(x)', // 4
      'def train():', // 5
      '    for epoch in range(10):', // 6
      '        for xb, yb in loader:', // 7
      '            loss = model(xb).sum()', // 8
      '            loss.backward()', // 9
      '            opt.step()', // 10
      '            sched.step()', // 11
      '',
    ].join('\n');
    expect(loops(script)).toEqual([6]);
  });

  it('knows optimizers by their construction, GradScaler steps and trainer.fit', () => {
    expect(loops('import torch\nadam = torch.optim.Adam(p)\nwhile True:\n    adam.step()\n')).toEqual([3]);
    expect(loops('self.optimizer = torch.optim.SGD(p)\nfor b in data:\n    scaler.step(self.optimizer)\n    scaler.update()\n')).toEqual([
      2,
    ]);
    expect(loops('trainer = pl.Trainer(max_epochs=3)\ntrainer.fit(model, dm)\n')).toEqual([2]);
    // a scheduler's step alone is no training loop
    expect(loops('for e in range(3):\n    scheduler.step()\n')).toEqual([]);
  });
});

describe('forecast lens', () => {
  const run = record('run-1', summary({ device: 'GPU: NVIDIA H100 80GB HBM3' }));

  it('reads the full run’s time, energy, CO2e, cost and loss, with the pilot’s date and device', () => {
    const f = pilotForecast(run, { totalSteps: 12_000, pricePerKWh: 0.3, currency: 'USD', carbon: { gramsPerKWh: 400 } })!;
    const lens = forecastLens(run, f, false);
    // 12,000 × 0.05 s = 10 min; 12,000 × 2 J = 24 kJ = 6.67 Wh; × 400 g/kWh = 2.67 g; × 0.3 = 0.0020 USD
    expect(lens.text).toMatch(
      /^full run ≈ 10 min 0 s · 6\.67 Wh · 2\.67 gCO2e · 0\.0020 USD · loss 0\.2\d* by step ≈ 12k — pilot of 2025-11-25 on GPU: NVIDIA H100 80GB HBM3$/,
    );
    expect(lens.tooltip).toMatch(/convergence: L\(x\) = .* fitted on steps \d+–\d+ of the pilot/);
    expect(lens.tooltip).toMatch(/final loss .*, 90% interval .* – .*, at step 12,000/);
    expect(lens.hover).toMatch(/^\*\*full run ≈/);
  });

  it('says when the length is unknown, and marks a changed script as stale', () => {
    const f = pilotForecast(run, {})!;
    const lens = forecastLens(run, f, true);
    expect(lens.text).toBe(
      'stale: full run: length unknown (50.0 ms · 2.00 J per step) — pilot of 2025-11-25 on GPU: NVIDIA H100 80GB HBM3',
    );
    expect(lens.tooltip).toMatch(/^Stale: the script changed after the pilot run-1/);
    expect(lens.tooltip).toMatch(/convergence: not forecast — the full run length is unknown/);
  });

  it('a target loss gives the step it is reached at', () => {
    const f = pilotForecast(run, { totalSteps: 12_000, targetLoss: 0.25 })!;
    const text = forecastLens(run, f, false).text;
    expect(text).toMatch(/ · loss 0\.25 by step ≈ (3\.\d|4\.\d)k — /);
  });

  it('writes steps compactly', () => {
    expect([compactSteps(850), compactSteps(1234), compactSteps(12_345), compactSteps(2_500_000)]).toEqual(['850', '1.2k', '12k', '2.5M']);
  });
});

describe('newest pilot per script', () => {
  it('keeps completed runs, newest first, and forgets removed records', () => {
    const index = new ScriptRunIndex();
    const older = record('a', summary(), '/ws/train.py');
    const newer = { ...record('b', summary(), '/ws/train.py'), finishedAt: '2025-11-26T10:00:00.000Z' };
    const failed = { ...record('c', summary(), '/ws/train.py'), state: 'failed' as const, finishedAt: '2025-11-27T10:00:00.000Z' };
    expect(index.update('/r/a.json', { ok: true, record: older })).toBe(true);
    index.update('/r/b.json', { ok: true, record: newer });
    index.update('/r/c.json', { ok: true, record: failed });
    expect(index.latestFor('/ws/train.py')?.id).toBe('b');
    expect(index.latestFor('/ws/other.py')).toBeUndefined();
    expect(index.replaceAll(new Map([['/r/a.json', { ok: true, record: older }]]))).toBe(true);
    expect(index.latestFor('/ws/train.py')?.id).toBe('a');
  });
});
