// The harness's `model` event on real torch (CPU): which module the optimizer trains, its class,
// source file and line, and the shapes of its real batch, seen once near the end of warm-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../../src/core/pilot/events';
import { summarize } from '../../../src/core/pilot/summary';
import { FIXTURES, runHarness } from '../../unit/pilot/harnessHelpers';
import { ROOT } from './helpers';
import { tempDirForTest } from '../../support/tempDirs';

const PROBE = join(FIXTURES, 'model_probe.py');
const modelEvents = (events: { type: string }[]) => events.filter((e): e is ModelEvent => e.type === 'model');

function probe(mode: string, opts: { warmup?: number; steps?: number } = {}) {
  const expected = join(tempDirForTest('wattlens-probe-'), 'expected.json');
  const run = runHarness(PROBE, [mode, String(opts.steps ?? 8), expected], { warmup: opts.warmup ?? 3 });
  expect(run.status, run.stderr).toBe(0);
  expect(run.warnings).toEqual([]);
  const events = modelEvents(run.events);
  expect(events, 'exactly one model event').toHaveLength(1);
  return { event: events[0]!, run, params: (JSON.parse(readFileSync(expected, 'utf8')) as { params: number }).params };
}

describe('harness model event (real torch, CPU)', () => {
  it('names the trained class, its file and line, its parameters and the real batch, in the last warm-up step', () => {
    const { event, run, params } = probe('plain');
    expect(event).toMatchObject({
      step: 3,
      className: 'Net',
      qualName: 'Net',
      pyModule: '__main__',
      file: PROBE,
      calls: 1,
      params,
      wrappers: [],
      note: null,
    });
    expect(readFileSync(PROBE, 'utf8').split('\n')[event.line! - 1]).toBe('class Net(nn.Module):');
    expect(event.inputs).toEqual([
      { shape: [12, 10], dtype: 'float32', type: 'Tensor' },
      { shape: [12], dtype: 'float32', type: 'Tensor' },
    ]);
    // the capture step is a warm-up step: the measured steps do not pay for it
    expect(run.events.find((e) => e.type === 'step' && e.step === event.step)).toMatchObject({ warmup: true });
    const summary = summarize(run.events);
    expect(summary.model).toMatchObject({ className: 'Net', file: PROBE, params });
  });

  it("counts every forward call of an accumulation step and records the first call's batch", () => {
    const { event } = probe('accumulate');
    expect(event.calls).toBe(2);
    expect(event.inputs).toEqual([{ shape: [6, 10], dtype: 'float32', type: 'Tensor' }]);
  });

  it('skips a frozen teacher and a loss module called before the model', () => {
    const { event, params } = probe('distill');
    expect(event).toMatchObject({ className: 'Net', params, calls: 1 });
    expect(event.inputs.map((i) => i.shape)).toEqual([[12, 10], [12]]);
  });

  it('takes the module out of its DataParallel wrapper', () => {
    const { event, params } = probe('wrapped');
    expect(event).toMatchObject({ className: 'Net', wrappers: ['DataParallel'], params });
    expect(event.inputs[0]!.shape).toEqual([12, 10]);
  });

  it('records no positional input for a keyword-only call', () => {
    const { event } = probe('keywords');
    expect(event).toMatchObject({ className: 'Net', inputs: [] });
  });

  it("says why when no module holds the optimizer's parameters", () => {
    const { event, run } = probe('nomodule');
    expect(event.className).toBeNull();
    expect(event.note).toMatch(/no module holding the optimizer's parameters was called in step 3/);
    const summary = summarize(run.events);
    expect(summary.model).toBeNull();
    expect(summary.notes.some((n) => n.startsWith('the trained model was not identified'))).toBe(true);
  });

  it('captures step 2 when there is no warm-up, and sees a class imported from another file', () => {
    const script = join(ROOT, 'examples/models/train_cnn.py');
    const run = runHarness(script, [], { warmup: 0, steps: 4 });
    expect(run.status, run.stderr).toBe(0);
    const [event] = modelEvents(run.events);
    expect(event).toMatchObject({
      step: 2,
      className: 'CifarCNN',
      pyModule: 'cnn',
      file: join(ROOT, 'examples/models/cnn.py'),
      line: 7,
      inputs: [{ shape: [64, 3, 32, 32], dtype: 'float32', type: 'Tensor' }],
      params: 620_810,
    });
  });

  it('writes nothing about a model when the script stops before the capture step', () => {
    const run = runHarness(PROBE, ['plain', '1'], { warmup: 3 });
    expect(run.status, run.stderr).toBe(0);
    expect(modelEvents(run.events)).toEqual([]);
    expect(summarize(run.events).model).toBeNull();
  });
});
