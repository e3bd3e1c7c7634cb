import { describe, expect, it } from 'vitest';
import { LineSplitter, parseEventLine } from '../../../src/core/pilot/events';
import { auditPhases } from '../../../src/core/pilot/phaseAudit';

describe('event stream', () => {
  it('parses a step event and rejects malformed lines with a reason instead of throwing', () => {
    const ok = parseEventLine(
      '{"type":"step","rank":0,"t":1,"step":4,"dt":0.01,"tEnd":2,"warmup":false,"loss":0.5,"backwardCalls":1,"lr":0.001,"loader":null}',
    );
    expect(ok.ok && ok.event.type === 'step' && ok.event.loss).toBe(0.5);
    const bad = parseEventLine('{"type":"step","rank":0}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.warning).toMatch(/malformed event/);
    expect(parseEventLine('{not json').ok).toBe(false);
  });

  it('keeps a partial line until its end arrives', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n')).toEqual(['{"b":2}']);
    expect(s.push('{"c":3}')).toEqual([]);
    expect(s.flush()).toEqual(['{"c":3}']);
  });
});

describe('phase audit', () => {
  const step = (data: number, optimizer: number) => ({
    type: 'step' as const,
    rank: 0,
    t: 0,
    step: 1,
    dt: 0.1,
    tEnd: 0,
    warmup: false,
    loss: 1,
    backwardCalls: 1,
    lr: null,
    loader: null,
    phases: { data, forward: 0.02, backward: 0.03, optimizer, other: 0.1 - data - 0.05 - optimizer },
  });

  it('names a data-loading bottleneck with its share', () => {
    const audit = auditPhases([step(0.045, 0.005), step(0.045, 0.005)])!;
    expect(audit.shares.data).toBeCloseTo(0.45);
    expect(audit.bottleneck).toMatch(/data loading takes 45% of each step/);
  });

  it('names an optimizer-bound step', () => {
    expect(auditPhases([step(0.005, 0.04)])!.bottleneck).toMatch(/optimizer update takes 40%/);
  });
});
