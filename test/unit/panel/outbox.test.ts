import { describe, expect, it } from 'vitest';
import { PanelOutbox } from '../../../src/core/panel/outbox';
import type { HostMessage, PanelState } from '../../../src/core/panel/protocol';
import { SECTION_IDS } from '../../../src/core/panel/sections';

const fakeState = { model: { r: 1 }, suggestions: { a: 1 }, pilot: { p: 1 }, history: { h: 1 } } as unknown as PanelState;

function setup(result: boolean | (() => boolean) = true) {
  const sent: HostMessage[] = [];
  const outbox = new PanelOutbox(
    (m) => {
      sent.push(m);
      return typeof result === 'function' ? result() : result;
    },
    () => fakeState,
  );
  return { outbox, sent };
}

describe('PanelOutbox (updates for a webview that may be hidden)', () => {
  it('sends nothing before the webview says ready, then one snapshot', () => {
    const { outbox, sent } = setup();
    outbox.setVisible(true);
    outbox.update('model');
    outbox.update('pilot');
    expect(sent).toEqual([]);
    expect(outbox.pending().sort()).toEqual(['model', 'pilot']);
    outbox.onReady();
    expect(sent).toEqual([{ type: 'snapshot', state: fakeState }]);
    expect(outbox.pending()).toEqual([]);
  });

  it('sends section updates and live points while visible and ready', () => {
    const { outbox, sent } = setup();
    outbox.onReady();
    outbox.update('suggestions');
    outbox.stream('pilot', {
      type: 'pilotProgress',
      progress: { runId: 'r', step: 1, lastLoss: 1, lastWatts: 2, powerSource: null, devices: [], loss: [[1, 1]], power: [] },
    });
    expect(sent.map((m) => m.type)).toEqual(['snapshot', 'update', 'pilotProgress']);
    expect(sent[1]).toEqual({ type: 'update', section: 'suggestions', view: fakeState.suggestions });
  });

  it('queues while hidden: sections as "changed", notices (the last five), live points dropped for the snapshot', () => {
    const { outbox, sent } = setup();
    outbox.onReady();
    outbox.setVisible(false);
    outbox.update('history');
    outbox.stream('pilot', {
      type: 'pilotProgress',
      progress: { runId: 'r', step: 1, lastLoss: null, lastWatts: null, powerSource: null, devices: [], loss: [], power: [] },
    });
    for (let i = 0; i < 7; i++) outbox.notice('info', `n${i}`);
    expect(sent).toHaveLength(1);
    expect(outbox.pending().sort()).toEqual(['history', 'pilot']);
    // shown again: the webview reloads, says ready, gets the snapshot and the queued notices
    outbox.setVisible(true);
    expect(outbox.deliverable).toBe(false);
    outbox.onReady();
    expect(sent.slice(1).map((m) => (m.type === 'notice' ? m.text : m.type))).toEqual(['snapshot', 'n2', 'n3', 'n4', 'n5', 'n6']);
  });

  it('treats a failed post as a webview that went away: the section is re-sent with the next snapshot', async () => {
    let ok = true;
    const { outbox, sent } = setup(() => ok);
    outbox.onReady();
    ok = false;
    outbox.update('model');
    expect(outbox.deliverable).toBe(false);
    expect(outbox.pending()).toEqual(['model']);
    ok = true;
    outbox.onReady();
    expect(sent.at(-1)?.type).toBe('snapshot');
  });

  it('handles a send that answers with a promise', async () => {
    const sent: HostMessage[] = [];
    const outbox = new PanelOutbox(
      (m) => {
        sent.push(m);
        return Promise.resolve(false);
      },
      () => fakeState,
    );
    outbox.onReady();
    await new Promise((r) => setTimeout(r, 0));
    expect(outbox.deliverable).toBe(false);
    expect(outbox.pending().sort()).toEqual([...SECTION_IDS].sort());
  });
});
