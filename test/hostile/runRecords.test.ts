// Hostile run records: what a cloned repository can put in .wattlens/ (git carries symlinks; a
// FIFO or a huge file can be made by anything that ran there). The readers must settle, read
// nothing outside the workspace, skip what is not a small regular file with one warning and keep
// listing the rest; a record's id and folder are its file name's; writes stay inside .wattlens/.
// The asynchronous readers (the extension host's) run here under a deadline; the synchronous
// ones (the CLI's and the runner's) in a child process under the suite's yardstick.
import { testRecord } from '../support/runRecordFixture';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/core/pilot/runRecord';
import {
  deleteRun,
  listRunsAsync,
  loadRun,
  loadRunAsync,
  readRecordAsync,
  recordPath,
  runsDir,
  writeRecord,
} from '../../src/core/pilot/runStore';
import { expectContained, expectOneLineError, runCli } from './support/contained';
import { runReader } from './support/runRecordsChild';
import { tempDirsPerTest } from '../support/tempDirs';

const tempDir = tempDirsPerTest();

/** A deadline for a reader: the promise must settle well before it (a FIFO read would never). */
const DEADLINE_MS = 10_000;

async function settles<T>(p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${DEADLINE_MS} ms`)), DEADLINE_MS);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const record = testRecord;

/** A workspace with one good record in it. */
function workspace(): string {
  const ws = tempDir('wattlens-hostile-runs-');
  writeRecord(ws, record('good'));
  return ws;
}

function plant(ws: string, name: string, content: unknown): string {
  const path = join(runsDir(ws), name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function fifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** A record of a run whose runner is gone (its pid cannot be alive), so reading it settles it from its events. */
function deadRun(id: string, over: Record<string, unknown> = {}): RunRecord {
  return record(id, { state: 'running', completion: null, finishedAt: null, runnerPid: 2 ** 22 + 54321, host: hostname(), ...over });
}

async function listedIds(ws: string): Promise<{ ids: string[]; warnings: string[] }> {
  const list = await settles(listRunsAsync(ws));
  return { ids: list.runs.map((r) => r.id), warnings: list.warnings };
}

describe('record files that are not small regular files', () => {
  it('a record symlinked to /dev/zero is skipped by the asynchronous reader, which settles', async () => {
    const ws = workspace();
    const path = join(runsDir(ws), 'x.json');
    symlinkSync('/dev/zero', path);
    const r = await settles(readRecordAsync(path));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.warning).toMatch(/symbolic link/);
  });

  it('a record symlinked to /dev/zero leaves the history listing the good record, with one warning', async () => {
    const ws = workspace();
    symlinkSync('/dev/zero', join(runsDir(ws), 'x.json'));
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/x\.json: a symbolic link/);
  });

  it('a record symlinked to /dev/zero is skipped by the synchronous listing (CLI, runner) within the yardstick', () => {
    const ws = workspace();
    symlinkSync('/dev/zero', join(runsDir(ws), 'x.json'));
    const r = runReader(`m.listRuns(${JSON.stringify(ws)}).runs.map((x) => x.id)`);
    expectContained(r);
    expect(r.result).toEqual(['good']);
  });

  it('a record symlinked to a record outside the workspace is not read', async () => {
    const ws = workspace();
    const outside = tempDir('wattlens-hostile-outside-');
    writeFileSync(join(outside, 'secret.json'), JSON.stringify(record('secret', { script: '/outside/secret-script.py' })));
    symlinkSync(join(outside, 'secret.json'), join(runsDir(ws), 'secret.json'));
    const { ids } = await listedIds(ws);
    expect(ids).toEqual(['good']);
  });

  it('a FIFO as a record does not block the asynchronous reader', async () => {
    const ws = workspace();
    const path = join(runsDir(ws), 'x.json');
    fifo(path);
    const r = await settles(readRecordAsync(path));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.warning).toMatch(/not a regular file/);
  });

  it('a FIFO as a record does not block the history listing, which still lists the good record', async () => {
    const ws = workspace();
    fifo(join(runsDir(ws), 'x.json'));
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/x\.json: not a regular file/);
  });

  it('a FIFO as a record does not block the synchronous listing', () => {
    const ws = workspace();
    fifo(join(runsDir(ws), 'x.json'));
    const r = runReader(`m.listRuns(${JSON.stringify(ws)}).runs.map((x) => x.id)`);
    expectContained(r);
    expect(r.result).toEqual(['good']);
  });

  it('a FIFO as a record does not block a comparison that loads it by id', async () => {
    const ws = workspace();
    fifo(join(runsDir(ws), 'x.json'));
    const r = await settles(loadRunAsync(ws, 'x'));
    expect(r.ok).toBe(false);
  });

  it('a 2 MB record is refused without being parsed', async () => {
    const ws = workspace();
    plant(ws, 'huge.json', { ...record('huge'), padding: 'x'.repeat(2 * 1024 * 1024) });
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/huge\.json: larger than 1048576 bytes/);
  });

  it('a sparse 8 GB record is refused by its size, not read', async () => {
    const ws = workspace();
    const path = plant(ws, 'sparse.json', '{');
    truncateSync(path, 8 * 1024 ** 3);
    const r = runReader(`m.listRuns(${JSON.stringify(ws)}).runs.map((x) => x.id)`);
    expectContained(r);
    expect(r.result).toEqual(['good']);
    expect((await listedIds(ws)).ids).toEqual(['good']);
  });

  it('a folder named like a record is skipped', async () => {
    const ws = workspace();
    mkdirSync(join(runsDir(ws), 'dir.json'));
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/dir\.json: not a regular file/);
  });

  it('an empty record file is skipped as not JSON', async () => {
    const ws = workspace();
    plant(ws, 'empty.json', '');
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/empty\.json: not valid JSON/);
  });
});

describe("a record's id and folder come from its file name", () => {
  it('a record whose id is not its file name is skipped', async () => {
    const ws = workspace();
    plant(ws, 'a.json', record('b'));
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings.join('\n')).toMatch(/a\.json: its id or runDir/);
  });

  it('a record with id ".." is skipped and nothing is written elsewhere', async () => {
    const ws = workspace();
    plant(ws, '...json', deadRun('..'));
    const before = readdirSync(join(ws, '.wattlens'));
    const { ids } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(readdirSync(join(ws, '.wattlens'))).toEqual(before);
    expect(existsSync(join(ws, '.wattlens', '.json'))).toBe(false);
  });

  it('a dead run whose runDir points outside the workspace does not read the events there', async () => {
    const ws = workspace();
    const outside = tempDir('wattlens-hostile-outside-');
    const step = {
      type: 'step',
      rank: 0,
      t: 1,
      step: 1,
      dt: null,
      tEnd: 0.1,
      warmup: false,
      loss: 0.5,
      backwardCalls: 1,
      lr: 0.1,
      loader: null,
    };
    writeFileSync(join(outside, 'events.rank0.jsonl'), `${JSON.stringify(step)}\n`);
    const id = 'r1';
    plant(ws, `${id}.json`, deadRun(id, { runDir: `../../../../../../../..${outside}` }));
    const { ids } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    // the record is left as it was, not rewritten from the outside events
    expect(JSON.parse(readFileSync(recordPath(ws, id), 'utf8')).state).toBe('running');
  });

  it('a dead run whose event folder is a symlink to elsewhere settles without reading through it', async () => {
    const ws = workspace();
    const outside = tempDir('wattlens-hostile-outside-');
    const step = {
      type: 'step',
      rank: 0,
      t: 1,
      step: 1,
      dt: null,
      tEnd: 0.1,
      warmup: false,
      loss: 0.5,
      backwardCalls: 1,
      lr: 0.1,
      loader: null,
    };
    writeFileSync(join(outside, 'events.rank0.jsonl'), `${JSON.stringify(step)}\n`);
    plant(ws, 'r2.json', deadRun('r2'));
    symlinkSync(outside, join(runsDir(ws), 'r2'));
    const list = await settles(listRunsAsync(ws));
    const r2 = list.runs.find((r) => r.id === 'r2');
    expect(r2?.state).toBe('interrupted');
    expect(r2?.summary.steps).toBe(0);
  });

  it('loading a run by an id with a path in it reads nothing', async () => {
    const ws = workspace();
    const outside = tempDir('wattlens-hostile-outside-');
    writeFileSync(join(outside, 'x.json'), JSON.stringify(record('x')));
    const traversal = `../../../../../../../..${outside}/x`;
    expect(loadRun(ws, traversal).ok).toBe(false);
    expect((await settles(loadRunAsync(ws, traversal))).ok).toBe(false);
  });

  it('deleting the run ".." does not remove the .wattlens folder', () => {
    const ws = workspace();
    expect(() => deleteRun(ws, '..')).toThrow(/not a run id/);
    expect(existsSync(recordPath(ws, 'good'))).toBe(true);
  });
});

describe('figures and texts out of range', () => {
  const cases: [attack: string, over: (r: RunRecord) => unknown, issue: RegExp][] = [
    ['negative steps (-5)', (r) => ({ ...r, summary: { ...r.summary, steps: -5 } }), /summary\.steps/],
    ['fractional steps (1.5)', (r) => ({ ...r, summary: { ...r.summary, steps: 1.5 } }), /summary\.steps/],
    [
      'J per step of -1e308',
      (r) => ({ ...r, summary: { ...r.summary, energy: { ...r.summary.energy, joulesPerStep: -1e308, source: 'rapl' } } }),
      /joulesPerStep/,
    ],
    [
      'J per step of 1e400 (Infinity once parsed)',
      (r) =>
        JSON.stringify({ ...r, summary: { ...r.summary, energy: { ...r.summary.energy, joulesPerStep: 12345, source: 'rapl' } } }).replace(
          '12345',
          '1e400',
        ),
      /joulesPerStep/,
    ],
    ['a negative step time', (r) => ({ ...r, summary: { ...r.summary, stepTimeS: -0.1 } }), /stepTimeS/],
    ['a negative budget in seconds', (r) => ({ ...r, budget: { steps: null, seconds: -60 } }), /budget\.seconds/],
    ['a creation time in the year 9999', (r) => ({ ...r, createdAt: '9999-01-01T00:00:00.000Z' }), /createdAt/],
    ['a creation time that is not a time', (r) => ({ ...r, createdAt: 'yesterday' }), /createdAt/],
    ['a 20 000-character device name', (r) => ({ ...r, summary: { ...r.summary, device: 'G'.repeat(20_000) } }), /summary\.device/],
    ['5 000 notes', (r) => ({ ...r, summary: { ...r.summary, notes: Array.from({ length: 5000 }, () => 'n') } }), /summary\.notes/],
    ['a negative GPU count', (r) => ({ ...r, gpus: -1 }), /gpus/],
    ['a 300-character id', (r) => ({ ...r, id: 'a'.repeat(300), runDir: 'a'.repeat(300) }), /id/],
  ];
  it.each(cases)('a record with %s is skipped with one warning; the others are listed', async (_attack, over, issue) => {
    const ws = workspace();
    const bad = over(record('bad'));
    plant(ws, 'bad.json', bad);
    const { ids, warnings } = await listedIds(ws);
    expect(ids).toEqual(['good']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/bad\.json: not a valid run record/);
    expect(warnings[0]).toMatch(issue);
  });

  it('a record with a __proto__ key pollutes no prototype', async () => {
    const ws = workspace();
    plant(
      ws,
      'proto.json',
      JSON.stringify(record('proto')).replace(/^\{/, '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}},'),
    );
    const { ids } = await listedIds(ws);
    expect(ids.sort()).toEqual(['good', 'proto']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('event files', () => {
  it('an event file symlinked to /dev/zero does not stop a dead run from settling (asynchronous)', async () => {
    const ws = workspace();
    plant(ws, 'r3.json', deadRun('r3'));
    mkdirSync(join(runsDir(ws), 'r3'));
    symlinkSync('/dev/zero', join(runsDir(ws), 'r3', 'events.rank0.jsonl'));
    const list = await settles(listRunsAsync(ws));
    expect(list.runs.find((r) => r.id === 'r3')?.state).toBe('interrupted');
  });

  it('an event file symlinked to /dev/zero is skipped by the synchronous reader within the yardstick', () => {
    const ws = workspace();
    mkdirSync(join(runsDir(ws), 'r4'));
    symlinkSync('/dev/zero', join(runsDir(ws), 'r4', 'events.rank0.jsonl'));
    const r = runReader(`m.readRunEvents(${JSON.stringify(join(runsDir(ws), 'r4'))}).events.length`);
    expectContained(r);
    expect(r.result).toBe(0);
  });

  it('a FIFO as an event file does not block a dead run from settling', async () => {
    const ws = workspace();
    plant(ws, 'r5.json', deadRun('r5'));
    mkdirSync(join(runsDir(ws), 'r5'));
    fifo(join(runsDir(ws), 'r5', 'events.rank0.jsonl'));
    const list = await settles(listRunsAsync(ws));
    expect(list.runs.find((r) => r.id === 'r5')?.state).toBe('interrupted');
  });

  it('a FIFO as an event file does not block the synchronous reader', () => {
    const ws = workspace();
    mkdirSync(join(runsDir(ws), 'r6'));
    fifo(join(runsDir(ws), 'r6', 'events.rank0.jsonl'));
    const r = runReader(`m.readRunEvents(${JSON.stringify(join(runsDir(ws), 'r6'))}).warnings.length`);
    expectContained(r);
    expect(r.result).toBe(1);
  });

  it('a sparse 8 GB event file is read only up to its cap, within the memory limit', () => {
    const ws = workspace();
    mkdirSync(join(runsDir(ws), 'r7'));
    const path = join(runsDir(ws), 'r7', 'events.rank0.jsonl');
    writeFileSync(path, '');
    truncateSync(path, 8 * 1024 ** 3);
    const r = runReader(`m.readRunEvents(${JSON.stringify(join(runsDir(ws), 'r7'))}).warnings.join(' | ').slice(0, 300)`, 20);
    expectContained(r);
    expect(r.result).toMatch(/only its beginning is read/);
  });
});

describe('writes stay inside .wattlens/', () => {
  it('a record is not written through a .wattlens/runs symlinked elsewhere', () => {
    const ws = tempDir('wattlens-hostile-runs-');
    const outside = tempDir('wattlens-hostile-outside-');
    mkdirSync(join(ws, '.wattlens'));
    symlinkSync(outside, join(ws, '.wattlens', 'runs'));
    expect(() => writeRecord(ws, record('w1'))).toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a record is not written through a .wattlens symlinked elsewhere', () => {
    const ws = tempDir('wattlens-hostile-runs-');
    const outside = tempDir('wattlens-hostile-outside-');
    symlinkSync(outside, join(ws, '.wattlens'));
    expect(() => writeRecord(ws, record('w2'))).toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("a symlink planted at a record's name is replaced, not written through", () => {
    const ws = workspace();
    const outside = tempDir('wattlens-hostile-outside-');
    const victim = join(outside, 'victim.txt');
    writeFileSync(victim, 'keep me');
    symlinkSync(victim, recordPath(ws, 'w3'));
    writeRecord(ws, record('w3'));
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(JSON.parse(readFileSync(recordPath(ws, 'w3'), 'utf8')).id).toBe('w3');
  });

  it('`wattlens pilot` refuses a workspace whose .wattlens/runs is a symlink, in one line, and writes nothing there', () => {
    const ws = tempDir('wattlens-hostile-pilot-');
    const outside = tempDir('wattlens-hostile-outside-');
    mkdirSync(join(ws, '.wattlens'));
    symlinkSync(outside, join(ws, '.wattlens', 'runs'));
    writeFileSync(join(ws, 'train.py'), 'print("training")\n');
    const r = runCli(['pilot', 'train.py', '--steps', '1', '--workspace', ws, '--python', '/usr/bin/python3'], { cwd: ws, seconds: 20 });
    expectOneLineError(r, /symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('`wattlens pilot` refuses a workspace whose .wattlens is a symlink, in one line, and writes nothing there', () => {
    const ws = tempDir('wattlens-hostile-pilot-');
    const outside = tempDir('wattlens-hostile-outside-');
    symlinkSync(outside, join(ws, '.wattlens'));
    writeFileSync(join(ws, 'train.py'), 'print("training")\n');
    const r = runCli(['pilot', 'train.py', '--steps', '1', '--workspace', ws, '--python', '/usr/bin/python3'], { cwd: ws, seconds: 20 });
    expectOneLineError(r, /symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
