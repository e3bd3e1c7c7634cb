// The Suggestions tab's state from the shared advice service: the advisor's real suggestions for
// examples/models/gpt.py, with the ids and ranking the service hands out (the editor's), become
// views the webview accepts; the tab asks for advice only when it has none for the current
// version, and never while the advisor is off unless the user asks (Re-check).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { advise } from '../../../src/core/advisor/advise';
import { AnalysisEngine } from '../../../src/core/analysis/engine';
import { suggestionId, visibleSuggestions } from '../../../src/core/editor/adviceView';
import {
  ADVISOR_OFF_MESSAGE,
  adviceStep,
  IDLE_ADVICE,
  readyAdviceView,
  type AdviceResultLike,
  type IdentifiedSuggestion,
} from '../../../src/core/panel/panelAdvice';
import { parseHostMessage } from '../../../src/core/panel/protocol';

const GPT = resolve(__dirname, '..', '..', '..', 'examples', 'models', 'gpt.py');
let advice: AdviceResultLike;

beforeAll(async () => {
  const engine = await AnalysisEngine.create({});
  // as the analysis worker runs it: every rule, the model-changing ones hidden by visibleSuggestions
  const report = advise(engine, GPT, readFileSync(GPT, 'utf8'), { modelChanges: true });
  // as AdviceService hands them out: ids over the worker's order, then ranked with disabled rules left out
  const identified: IdentifiedSuggestion[] = report.suggestions.map((s, i) => ({ ...s, id: suggestionId(s, i) }));
  expect(identified.map((s) => s.rule)).toEqual(expect.arrayContaining(['sdpa', 'checkpointing', 'mixture-of-experts']));
  advice = {
    version: 7,
    suggestions: visibleSuggestions(identified, { disabledRules: ['mixture-of-experts'] }) as IdentifiedSuggestion[],
    problems: report.problems,
  };
});

const inputs = { file: 'models/gpt.py', enabled: true, force: false } as const;

describe('the panel advice view', () => {
  it("shows the service's suggestions in its order, with its ids, figures and version, and the webview accepts it", () => {
    const view = readyAdviceView('models/gpt.py', advice);
    expect(view).toMatchObject({ state: 'ready', documentVersion: 7, file: 'models/gpt.py', message: null });
    expect(view.suggestions.map((s) => s.id)).toEqual(advice.suggestions.map((s) => s.id));
    expect(view.suggestions.map((s) => s.rule)).not.toContain('mixture-of-experts');
    const savings = view.suggestions.map((s) => s.saving);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
    const sdpa = view.suggestions.find((s) => s.rule === 'sdpa')!;
    const source = advice.suggestions.find((s) => s.rule === 'sdpa')!;
    expect(sdpa).toMatchObject({
      id: source.id,
      line: 42,
      fixable: true,
      afterSource: 'reanalysis',
      before: source.before,
      after: source.after,
    });
    expect(sdpa.after.activationBytes!).toBeLessThan(sdpa.before.activationBytes!);
    // the view carries no edits (they stay on the host) and survives the protocol check as sent
    expect(JSON.stringify(view)).not.toContain('"edits"');
    const parsed = parseHostMessage(JSON.parse(JSON.stringify({ type: 'update', section: 'suggestions', view })));
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.message.type === 'update') expect(parsed.message.view).toEqual(view);
  });

  it('offers Apply only for a fixable suggestion that has edits', () => {
    const sdpa = advice.suggestions.find((s) => s.rule === 'sdpa')!;
    const withoutEdits = { ...advice, suggestions: [{ ...sdpa, edits: [] }] };
    expect(readyAdviceView('a.py', withoutEdits).suggestions[0]!.fixable).toBe(false);
    expect(readyAdviceView('a.py', { ...advice, suggestions: [sdpa] }).suggestions[0]!.fixable).toBe(true);
  });

  it('asks for advice only when the current version has none, and says why it will not', () => {
    expect(adviceStep({ ...inputs, file: null })).toEqual({ view: IDLE_ADVICE, request: false });
    expect(adviceStep({ ...inputs, current: advice })).toEqual({ view: readyAdviceView('models/gpt.py', advice), request: false });
    expect(adviceStep(inputs)).toEqual({ view: { ...IDLE_ADVICE, file: 'models/gpt.py', state: 'running' }, request: true });
    const tfjs = 'The advisor reads PyTorch (Python) files; TF.js files are not advised yet.';
    expect(adviceStep({ ...inputs, unavailable: tfjs, force: true })).toEqual({
      view: { ...IDLE_ADVICE, file: 'models/gpt.py', state: 'unsupported', message: tfjs },
      request: false,
    });
    // a failure stays until the user asks again
    expect(adviceStep({ ...inputs, failure: 'the advisor took longer than 20 s' })).toMatchObject({
      view: { state: 'failed', message: 'the advisor took longer than 20 s' },
      request: false,
    });
    expect(adviceStep({ ...inputs, failure: 'x', force: true }).request).toBe(true);
    // advisor off: nothing computed while typing; Re-check computes; advice already there is shown
    expect(adviceStep({ ...inputs, enabled: false })).toMatchObject({
      view: { state: 'unsupported', message: ADVISOR_OFF_MESSAGE },
      request: false,
    });
    expect(adviceStep({ ...inputs, enabled: false, force: true }).request).toBe(true);
    expect(adviceStep({ ...inputs, enabled: false, current: advice }).view.state).toBe('ready');
    for (const s of [adviceStep(inputs), adviceStep({ ...inputs, enabled: false }), adviceStep({ ...inputs, failure: 'x' })])
      expect(parseHostMessage({ type: 'update', section: 'suggestions', view: s.view }).ok).toBe(true);
  });
});
