import { describe, expect, it } from 'vitest';
import { Host, type VsCodeApi } from '../src/host';
import { requestFromForm } from '../src/pilotForm';
import { joinSeries } from '../src/charts/joinSeries';

function fakeApi() {
  const posted: unknown[] = [];
  let state: unknown = { kept: true };
  const api: VsCodeApi = { postMessage: (m) => void posted.push(m), getState: () => state, setState: (s) => void (state = s) };
  return { api, posted };
}

describe('webview → host requests', () => {
  it('sends requests that fit the protocol', () => {
    const { api, posted } = fakeApi();
    const host = new Host(api);
    expect(host.post({ type: 'revealLayer', model: 'Net', path: 'fc1' })).toBe(true);
    expect(posted).toEqual([{ type: 'revealLayer', model: 'Net', path: 'fc1' }]);
  });

  it('does not send a malformed request; it logs why instead', () => {
    const { api, posted } = fakeApi();
    const host = new Host(api);
    const original = console.warn;
    console.warn = () => {};
    try {
      expect(host.post({ type: 'revealLine', line: -1 })).toBe(false);
    } finally {
      console.warn = original;
    }
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'log', level: 'warning' });
    expect((posted[0] as { message: string }).message).toMatch(/request revealLine not sent/);
  });

  it('reads and writes the persisted state without throwing', () => {
    const { api } = fakeApi();
    const host = new Host(api);
    expect(host.getState()).toEqual({ kept: true });
    host.setState({ ui: 1 });
    expect(host.getState()).toEqual({ ui: 1 });
    const broken = new Host({
      postMessage: () => {},
      getState: () => {
        throw new Error('x');
      },
      setState: () => {
        throw new Error('x');
      },
    });
    expect(broken.getState()).toBeUndefined();
    expect(() => broken.setState({})).not.toThrow();
  });
});

describe('pilot form', () => {
  const form = { script: '', steps: '100', totalSteps: '5000', targetLoss: '0.05', args: '--epochs 2' };
  it('turns the fields into a request, with the first script by default', () => {
    expect(requestFromForm(form, ['training/mlp.py'])).toEqual({
      script: 'training/mlp.py',
      args: ['--epochs', '2'],
      steps: 100,
      totalSteps: 5000,
      targetLoss: 0.05,
    });
    expect(requestFromForm({ ...form, steps: '', totalSteps: '', targetLoss: '', args: '' }, ['a.py'])).toEqual({
      script: 'a.py',
      args: [],
      seconds: 60,
    });
  });
  it('says what is wrong with a field', () => {
    expect(requestFromForm(form, [])).toEqual({ error: 'choose a training script' });
    expect(requestFromForm({ ...form, steps: '1.5' }, ['a.py'])).toEqual({ error: 'steps must be a positive whole number' });
    expect(requestFromForm({ ...form, totalSteps: '-3' }, ['a.py'])).toEqual({ error: 'total steps must be a positive whole number' });
    expect(requestFromForm({ ...form, targetLoss: 'low' }, ['a.py'])).toEqual({ error: 'target loss must be a number' });
  });
});

describe('chart series join', () => {
  it('aligns series on the union of their x values with null gaps', () => {
    expect(
      joinSeries([
        [
          [1, 2],
          [3, 4],
        ],
        [
          [2, 5],
          [3, 6],
        ],
      ]),
    ).toEqual([
      [1, 2, 3],
      [2, null, 4],
      [null, 5, 6],
    ]);
    expect(joinSeries([])).toEqual([[]]);
  });
});
