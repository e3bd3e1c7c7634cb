// The real-world corpus as data, run through the built CLI and judged against real torch's truth.
// Shared by the scorer (score.mjs, `npm run realworld`) and the corpus test
// (test/realworld/realworld.test.ts). Format of the inputs: test/fixtures/realworld/README.md.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = join(REPO_ROOT, 'test', 'fixtures', 'realworld');
export const WORKSPACE = join(CORPUS_DIR, 'workspace');
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const TRUTH_DIR = join(REPO_ROOT, 'test', 'fixtures', 'truth');
const MACS_TOLERANCE = 0.01;

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The corpus cases with their truth: test/fixtures/realworld/cases.json + truth/realworld.json. */
export function realworldCases() {
  const { cases } = readJson(join(CORPUS_DIR, 'cases.json'));
  const truthPath = join(TRUTH_DIR, 'realworld.json');
  const truth = new Map(existsSync(truthPath) ? readJson(truthPath).cases.map((t) => [t.id, t]) : []);
  return cases.map((c) => ({
    id: c.id,
    project: c.project,
    cwd: WORKSPACE,
    file: c.file,
    model: c.model,
    input: c.input,
    set: c.set ?? {},
    truth: truthOf(truth.get(c.id)),
  }));
}

function truthOf(t) {
  if (!t) return { params: null, macs: null, basis: 'missing: run scripts/truth/realworld_truth.py', missing: true };
  if (t.status === 'ok') return { params: t.params, macs: t.macs, basis: 'torch' };
  if (t.status === 'forward-error') return { params: t.params, macs: null, basis: `forward failed in torch: ${t.error}` };
  if (t.published)
    return { params: t.published.params ?? null, macs: t.published.macs ?? null, basis: `published (${t.published.source})` };
  return { params: null, macs: null, basis: `torch could not run it: ${t.error}` };
}

const projectOfFile = (file) => (/nanogpt/i.test(file) ? 'nanoGPT' : /mingpt/i.test(file) ? 'minGPT (single file)' : 'own examples');

/** The earlier truth files (torchvision, torchaudio, GPT, own examples) as cases of the same shape. */
export function truthFileCases() {
  const files = [
    ...readdirSync(join(TRUTH_DIR, 'torchvision'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join('torchvision', f)),
    'torchaudio.json',
    'gpt.json',
    'own.json',
  ];
  const out = [];
  for (const name of files) {
    const truth = readJson(join(TRUTH_DIR, name));
    for (const m of truth.models) {
      const file = join(REPO_ROOT, truth.sourceRoot, m.source ?? m.file);
      const project = name.startsWith('torchvision') ? 'torchvision' : name === 'torchaudio.json' ? 'torchaudio' : projectOfFile(file);
      out.push({
        id: `${project}/${m.name}${m.entry.includes('(') && !m.entry.endsWith('()') ? ' ' + m.entry.slice(m.entry.indexOf('(')) : ''}`,
        project,
        cwd: dirname(file),
        file,
        model: m.entry,
        input: m.inputText,
        set: {},
        truth: { params: m.uniqueParams ?? null, macs: m.macs ?? null, basis: 'torch' },
      });
    }
  }
  return out;
}

/** One CLI process: `wattlens analyze FILE --model … --input … --json`, cwd = the case's workspace. */
export function runCase(c, { timeoutMs = 120_000 } = {}) {
  const args = [CLI, 'analyze', c.file, '--model', c.model, '--input', c.input, '--json'];
  for (const [k, v] of Object.entries(c.set)) args.push('--set', `${k}=${v}`);
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: c.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      let report;
      try {
        report = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        report = undefined;
      }
      done({ code, stderr: stderr.slice(0, 4000), report: slim(report), timedOut, ms: performance.now() - started });
    });
  });
}

/** What judging needs of a report (the layer tables are large). */
function slim(report) {
  if (!report) return undefined;
  const pick = ({ name, entry, params, uniqueParams, macs, unknowns }) => ({ name, entry, params, uniqueParams, macs, unknowns });
  return { models: (report.models ?? []).map(pick), problems: report.problems ?? [] };
}

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l) ?? '';
const where = (u) => (u.file ? ` (${String(u.file).split('/').pop()}${u.line ? ':' + u.line : ''})` : '');
const describe = (u) => `${u.what ? u.what + ': ' : ''}${u.reason ?? u.message ?? JSON.stringify(u)}${where(u)}`;

/**
 * The verdict of one run against truth:
 * exact (params equal, MACs within 1 %) · params only (MACs unknown) · wrong (a figure that disagrees) ·
 * unknown (no params, with a reason) · lost (no model and no reason: silent, crashed or timed out) ·
 * no truth (torch could not measure it and nothing is published).
 */
export function judge(c, run) {
  const model = run.report?.models?.[0];
  const params = model ? (model.uniqueParams ?? model.params ?? null) : null;
  const macs = model ? (model.macs ?? null) : null;
  const reasons = [
    ...(model?.unknowns ?? []).map(describe),
    ...(run.report?.problems ?? []).map(describe),
    ...(run.report ? [] : [firstLine(run.stderr)]),
  ].filter((r) => r);
  const t = c.truth;
  const paramsOk = params !== null && t.params !== null && params === t.params;
  const macsOk = macs !== null && t.macs !== null && (t.macs === 0 ? macs === 0 : Math.abs(macs - t.macs) / t.macs <= MACS_TOLERANCE);
  const paramsWrong = params !== null && t.params !== null && params !== t.params;
  const macsWrong = macs !== null && t.macs !== null && !macsOk;
  let verdict;
  if (run.timedOut) verdict = 'lost';
  else if (!model && reasons.length === 0) verdict = 'lost';
  else if (!model && ![0, 2, 3].includes(run.code))
    verdict = 'lost'; // a crash, not a report (3: read, nothing could be built, with the reasons)
  else if (t.params === null && t.macs === null) verdict = (params ?? macs) === null || t.missing ? 'no truth' : 'wrong';
  else if (paramsWrong || macsWrong || (t.macs === null && macs !== null)) verdict = 'wrong';
  else if (paramsOk && (macsOk || t.macs === null)) verdict = 'exact';
  else if (paramsOk) verdict = 'params only';
  else verdict = 'unknown';
  const reason = run.timedOut
    ? `timed out after ${Math.round(run.ms / 1000)} s`
    : verdict === 'wrong' && t.params === null && t.macs === null
      ? `figures where torch builds nothing (${t.basis})`
      : verdict === 'exact'
        ? ''
        : (reasons[0] ?? (model ? '' : 'no model and no reason (silent)'));
  return { id: c.id, project: c.project, truth: t, params, macs, ms: Math.round(run.ms), verdict, reason, paramsOk, macsOk };
}

/**
 * Runs cases with at most `concurrency` CLI processes; `onRow` sees each judged row as it lands.
 * `reuse` (id → run) skips the CLI for cases already run (re-judging after the truth changed);
 * `runs` (a Map) collects every run.
 */
export async function scoreCases(cases, { concurrency = 2, timeoutMs, onRow, reuse, runs } = {}) {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const rows = new Array(cases.length);
  let next = 0;
  async function lane() {
    while (next < cases.length) {
      const index = next++;
      const run = reuse?.get(cases[index].id) ?? (await runCase(cases[index], { timeoutMs }));
      runs?.set(cases[index].id, run);
      const row = judge(cases[index], run);
      rows[index] = row;
      onRow?.(row);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(2, concurrency)) }, lane));
  return rows;
}

/** Counts per project and overall; percentages are over the cases that have truth. */
export function summarize(rows) {
  const groups = new Map();
  for (const r of rows) for (const key of [r.project, 'overall']) groups.set(key, [...(groups.get(key) ?? []), r]);
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === 'overall') - (b === 'overall'));
  return ordered.map(([project, rs]) => {
    const judged = rs.filter((r) => r.truth.params !== null);
    const withMacs = rs.filter((r) => r.truth.macs !== null);
    const count = (v) => rs.filter((r) => r.verdict === v).length;
    const pct = (n, of = judged) => (of.length ? Math.round((1000 * n) / of.length) / 10 : null);
    const paramsExact = judged.filter((r) => r.paramsOk).length;
    const macsWithin = judged.filter((r) => r.macsOk).length;
    return {
      project,
      cases: rs.length,
      judged: judged.length,
      paramsExact,
      paramsExactPct: pct(paramsExact),
      withMacs: withMacs.length,
      macsWithin1Pct: macsWithin,
      macsWithin1PctPct: pct(macsWithin, withMacs),
      exact: count('exact'),
      paramsOnly: count('params only'),
      wrong: count('wrong'),
      unknown: count('unknown'),
      lost: count('lost'),
      noTruth: count('no truth'),
    };
  });
}

/** Misses grouped by their first blocking reason, normalised so one cause counts once. */
export function failureClasses(rows) {
  const classes = new Map();
  for (const r of rows) {
    if (r.verdict === 'exact' || r.verdict === 'no truth') continue;
    const key = `${r.verdict}: ${normaliseReason(r.reason)}`;
    classes.set(key, [...(classes.get(key) ?? []), r.id]);
  }
  return [...classes.entries()]
    .map(([reason, ids]) => ({ reason, count: ids.length, ids }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

function normaliseReason(reason) {
  return String(reason)
    .replace(/^wattlens: .*? does not build an nn\.Module/, 'the --model call does not build an nn.Module')
    .replace(/\([^()]*\.py:\d+\)/g, '')
    .replace(/\b\d[\d_,.]*\b/g, 'N')
    .replace(/'[^']*'|"[^"]*"/g, (m) => (m.length > 40 ? "'…'" : m))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}
