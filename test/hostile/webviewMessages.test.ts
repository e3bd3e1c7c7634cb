// Hostile messages from the report panel's webview to the extension host: the webview renders
// text from the analyzed code, so a script in it (or a compromised bundle) could post anything.
// The host must refuse what does not fit the protocol (wrong types, unknown kinds, huge strings,
// paths in id and name fields, prototype-pollution keys) without throwing, and never touch a file
// outside the workspace's .wattlens/. The protocol is checked alone, then through the real
// PanelController with a stand-in for the VS Code API and recording fakes for its sources.
import { testRecord } from '../support/runRecordFixture';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseWebviewMessage } from '../../src/core/panel/protocol';
import { writeRecord } from '../../src/core/pilot/runStore';
import { tempDirForTest, tempDirsPerFile } from '../support/tempDirs';

const fileTempDir = tempDirsPerFile();

vi.mock('vscode', () => {
  class Disposable {
    dispose(): void {}
  }
  class EventEmitter<T> {
    private listeners: ((e: T) => void)[] = [];
    event = (listener: (e: T) => void) => {
      this.listeners.push(listener);
      return { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    fire(e: T): void {
      for (const l of this.listeners) l(e);
    }
    dispose(): void {
      this.listeners = [];
    }
  }
  return {
    Disposable,
    EventEmitter,
    Position: class {
      constructor(
        public line: number,
        public character: number,
      ) {}
    },
    Range: class {
      constructor(
        public start: unknown,
        public end: unknown,
      ) {}
    },
    ViewColumn: { One: 1, Beside: -2 },
    TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
    commands: { executeCommand: vi.fn(async () => undefined) },
    window: { visibleTextEditors: [], showTextDocument: vi.fn(async () => ({ revealRange() {} })) },
    workspace: { asRelativePath: (p: string) => p, openTextDocument: vi.fn(async () => ({})) },
    Uri: { file: (p: string) => ({ fsPath: p }) },
  };
});

// The History tab's source, with the real capped reads of the workspace under test: what the
// controller asks it to compare is recorded, so a refused message is seen to reach nothing.
const historyFake = vi.hoisted(() => ({ workspace: '', compared: [] as [string, string][] }));
vi.mock('../../src/extension/panel/historySource', async () => {
  const { loadRunAsync } = await import('../../src/core/pilot/runStore');
  return {
    HistorySource: class {
      onDidChange = () => ({ dispose() {} });
      current = () => ({ runs: [], warnings: [], comparison: null });
      reloadSoon(): void {}
      async reload(): Promise<void> {}
      clearComparison(): void {}
      async compare(a: string, b: string): Promise<string | undefined> {
        historyFake.compared.push([a, b]);
        const [ra, rb] = await Promise.all([loadRunAsync(historyFake.workspace, a), loadRunAsync(historyFake.workspace, b)]);
        return ra.ok && rb.ok ? undefined : 'one of the runs could not be read';
      }
      dispose(): void {}
    },
  };
});

const MB = 1024 * 1024;

/** Messages the host must drop, each named by the attack. */
const REFUSED: [attack: string, message: unknown][] = [
  ['a string instead of a message', 'ready'],
  ['null', null],
  ['an array', [{ type: 'ready' }]],
  ['a number', 42],
  ['an unknown kind', { type: 'deleteWorkspace', path: '/' }],
  ['a kind that differs only in case', { type: 'Ready' }],
  ['no kind at all', { model: 'x' }],
  ['a kind that is an object', { type: { toString: 'ready' } }],
  ['a line number given as a string', { type: 'revealLine', line: '5' }],
  ['a negative line number', { type: 'revealLine', line: -1 }],
  ['a line number of 1e308', { type: 'revealLine', line: 1e308 }],
  ['a fractional line number', { type: 'revealLine', line: 2.5 }],
  ['a 4 MB model name to reveal', { type: 'revealLayer', model: 'm'.repeat(4 * MB), path: 'fc' }],
  ['a 4 MB layer path to reveal', { type: 'revealLayer', model: 'Net', path: 'p'.repeat(4 * MB) }],
  ['a 4 MB model name to select', { type: 'selectModel', name: 'n'.repeat(4 * MB) }],
  ['a 1 MB suggestion id', { type: 'applySuggestion', id: 'i'.repeat(MB), documentVersion: 1 }],
  ['a log message of 1 MB', { type: 'log', level: 'info', message: 'x'.repeat(MB) }],
  ['a log level the host does not know', { type: 'log', level: 'fatal', message: 'x' }],
  ['a run id with a path in it', { type: 'compareRuns', a: '../../../etc/passwd', b: 'good' }],
  ['the run id ".."', { type: 'compareRuns', a: '..', b: 'good' }],
  ['the run id "."', { type: 'compareRuns', a: 'good', b: '.' }],
  ['an absolute path as a run id', { type: 'compareRuns', a: '/etc/passwd', b: 'good' }],
  ['an empty run id', { type: 'compareRuns', a: '', b: 'good' }],
  [
    'a chart name with a path in it',
    { type: 'savePng', name: '../../../home/user/.bashrc', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
  ],
  ['a chart name with a slash', { type: 'savePng', name: 'a/b', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }],
  ['a chart that is not a PNG data URL', { type: 'savePng', name: 'chart', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }],
  ['a 9 MB chart', { type: 'savePng', name: 'chart', dataUrl: `data:image/png;base64,${'A'.repeat(9 * MB)}` }],
  ['an export format the host does not write', { type: 'export', format: 'html' }],
  [
    'a pilot request with 1000 arguments',
    { type: 'startPilot', request: { script: 'train.py', args: Array.from({ length: 1000 }, () => 'a') } },
  ],
  ['a pilot request with a negative step budget', { type: 'startPilot', request: { script: 'train.py', args: [], steps: -5 } }],
  ['a pilot request for 1000 GPUs', { type: 'startPilot', request: { script: 'train.py', args: [], gpus: 1000 } }],
  ['a pilot request with a 1 MB script path', { type: 'startPilot', request: { script: 's'.repeat(MB), args: [] } }],
];

describe('the panel protocol on the host side', () => {
  it.each(REFUSED)('refuses %s with one short reason', (_attack, message) => {
    const parsed = parseWebviewMessage(message);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.length).toBeLessThan(300);
  });

  it('drops __proto__ and constructor keys: no prototype is polluted and the message keeps only its fields', () => {
    const raw = JSON.parse(
      '{"type":"compareRuns","a":"x","b":"y","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ) as unknown;
    const parsed = parseWebviewMessage(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && Object.keys(parsed.message).sort()).toEqual(['a', 'b', 'type']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(parsed.ok && (parsed.message as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a __proto__ key inside a pilot request pollutes nothing', () => {
    const raw = JSON.parse('{"type":"startPilot","request":{"script":"train.py","args":[],"__proto__":{"gpus":64}}}') as unknown;
    const parsed = parseWebviewMessage(raw);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.message.type === 'startPilot' && parsed.message.request?.gpus).toBeUndefined();
  });

  it('a 1 MB unknown field rides along without being kept', () => {
    const parsed = parseWebviewMessage({
      type: 'ready',
      junk: 'j'.repeat(MB),
      nested: Array.from({ length: 10_000 }, () => ({ a: [1, 2, 3] })),
    });
    expect(parsed.ok && Object.keys(parsed.message)).toEqual(['type']);
  });
});

const record = testRecord;

interface Host {
  post(message: unknown): Promise<void>;
  logs: string[];
  notices: { level: string; text: string }[];
  compared: [string, string][];
  controller: { dropped: number };
}

const noEvent = () => ({ dispose() {} });

/** The real PanelController with fakes: the history compares by loading the runs from `workspace`. */
async function host(workspace: string): Promise<Host> {
  const { PanelController } = await import('../../src/extension/panel/panelController');
  const logs: string[] = [];
  const notices: { level: string; text: string }[] = [];
  historyFake.workspace = workspace;
  historyFake.compared = [];
  const compared = historyFake.compared;
  const log = (m: string) => void logs.push(m);
  const fakes = {
    // no advice service in the registry: the Suggestions tab says the advisor is not there
    feature: { registry: { advice: () => undefined }, folders: () => [workspace], log, runRecords: { onDidChange: noEvent } },
    report: { onDidChange: noEvent, current: () => ({}), target: () => undefined, pick: () => undefined, shownModel: () => undefined },
    pilots: {
      onDidChange: noEvent,
      tracker: () => undefined,
      form: () => ({ scripts: [], canRun: false, cannotRunReason: 'untrusted' }),
      workspaceDir: () => workspace,
      running: false,
      start: async () => ({ ok: false, reason: 'untrusted' }),
      cancel: () => undefined,
    },
  };
  const deps = { ...fakes, log, openInTab: () => undefined, generator: 'WattLens test' };
  const controller = new PanelController(deps as unknown as ConstructorParameters<typeof PanelController>[0]);
  let receive: ((data: unknown) => void) | undefined;
  const webview = {
    postMessage: async (m: { type: string; level?: string; text?: string }) => {
      if (m.type === 'notice') notices.push({ level: m.level!, text: m.text! });
      return true;
    },
    onDidReceiveMessage: (listener: (data: unknown) => void) => {
      receive = listener;
      return { dispose() {} };
    },
  };
  const attached = controller.attach(webview as never, () => true);
  attached.setVisible(true);
  receive!({ type: 'ready' }); // the outbox holds notices until the webview is ready
  return {
    post: async (message) => {
      receive!(message);
      await new Promise((r) => setTimeout(r, 20)); // the handler's promise settles
    },
    logs,
    notices,
    compared,
    controller,
  };
}

describe('the panel controller under hostile messages', () => {
  let ws: string;
  beforeAll(() => {
    ws = fileTempDir('wattlens-hostile-webview-');
    writeRecord(ws, record('good'));
  });

  it('drops every malformed message with one log line each, without throwing', async () => {
    const h = await host(ws);
    for (const [, message] of REFUSED) await h.post(message);
    expect(h.controller.dropped).toBe(REFUSED.length);
    expect(h.logs.filter((l) => l.startsWith('report panel: dropped a malformed message'))).toHaveLength(REFUSED.length);
    expect(h.logs.every((l) => l.length < 400)).toBe(true);
    expect(h.compared).toEqual([]);
  });

  it('a flood of 5 000 malformed messages is dropped and logged without throwing', async () => {
    const h = await host(ws);
    for (let i = 0; i < 5000; i++) h.post({ type: 'compareRuns', a: `../${i}`, b: 'good' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.controller.dropped).toBe(5000);
    expect(h.compared).toEqual([]);
  });

  it('comparing a run that does not exist answers with a notice and reads nothing else', async () => {
    const h = await host(ws);
    await h.post({ type: 'compareRuns', a: 'good', b: 'missing' });
    expect(h.compared).toEqual([['good', 'missing']]);
    await vi.waitFor(() => expect(h.notices).toEqual([{ level: 'warning', text: 'Cannot compare: one of the runs could not be read' }]), {
      timeout: 5000,
    });
  });

  it('a chart named ".." is saved inside .wattlens/reports and nowhere else', async () => {
    const dir = tempDirForTest('wattlens-hostile-webview-');
    const h = await host(dir);
    await h.post({ type: 'savePng', name: '..', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' });
    expect(readdirSync(dir)).toEqual(['.wattlens']);
    expect(readdirSync(join(dir, '.wattlens', 'reports'))).toHaveLength(1);
    expect(readdirSync(join(dir, '.wattlens', 'reports'))[0]).toMatch(/^\.\.-.*\.png$/);
  });

  it('a chart is not written through a .wattlens/reports symlinked elsewhere; the panel says why', async () => {
    const dir = tempDirForTest('wattlens-hostile-webview-');
    const outside = tempDirForTest('wattlens-hostile-outside-');
    mkdirSync(join(dir, '.wattlens'));
    symlinkSync(outside, join(dir, '.wattlens', 'reports'));
    const h = await host(dir);
    await h.post({ type: 'savePng', name: 'chart', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' });
    expect(readdirSync(outside)).toEqual([]);
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]!.level).toBe('warning');
    expect(h.notices[0]!.text).toMatch(/Chart not saved: .*symbolic link/);
  });

  it('a pilot request for a script outside the workspace reaches no runner in an untrusted workspace', async () => {
    const h = await host(ws);
    await h.post({ type: 'startPilot', request: { script: '../../../../usr/bin/env', args: ['sh', '-c', 'id'] } });
    expect(h.notices).toEqual([{ level: 'warning', text: 'Pilot not started: untrusted' }]);
  });
});
