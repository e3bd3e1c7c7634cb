#!/usr/bin/env node
// Scores the analyzer on the real-world corpus (npm run realworld): every case through the built
// CLI, one process per case (at most 2 at once, each with a timeout), judged against real torch.
// Prints a row per case and a summary per project, and writes docs/realworld.md.
//
//   node scripts/realworld/score.mjs                   corpus + the earlier truth files (torchvision, torchaudio, GPT, own)
//   node scripts/realworld/score.mjs --corpus-only     test/fixtures/realworld cases only
//   node scripts/realworld/score.mjs --project timm    one project (repeatable)
//   node scripts/realworld/score.mjs --json out.json   also write the rows (and the raw runs) as JSON
//   node scripts/realworld/score.mjs --reuse out.json  judge the runs saved there again (after new truth), run only the rest
//   node scripts/realworld/score.mjs --update-expected rewrite test/fixtures/realworld/expected.json (the ratchet)
//   node scripts/realworld/score.mjs --no-doc          leave docs/realworld.md alone
//   node scripts/realworld/score.mjs --help            this list
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS_DIR, REPO_ROOT, failureClasses, realworldCases, scoreCases, summarize, truthFileCases } from './corpus.mjs';

const usage = readFileSync(new URL(import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('//   '))
  .map((l) => l.slice(3))
  .join('\n');
let parsed;
try {
  parsed = parseArgs({ options: scoreOptions() });
} catch (err) {
  process.stderr.write(`${err.message}\n\nusage:\n${usage}\n`);
  process.exit(2);
}
if (parsed.values.help) {
  process.stdout.write(`usage:\n${usage}\n`);
  process.exit(0);
}
const { values } = parsed;

function scoreOptions() {
  return {
    help: { type: 'boolean', short: 'h', default: false },
    'corpus-only': { type: 'boolean', default: false },
    project: { type: 'string', multiple: true, default: [] },
    timeout: { type: 'string', default: '120' },
    json: { type: 'string' },
    reuse: { type: 'string' },
    'update-expected': { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
  };
}

const fmt = (n) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

let cases = [...realworldCases(), ...(values['corpus-only'] ? [] : truthFileCases())];
const unknownProjects = values.project.filter((p) => !cases.some((c) => c.project === p));
if (unknownProjects.length) {
  const known = [...new Set(cases.map((c) => c.project))].sort().join(', ');
  process.stderr.write(`no cases for project ${unknownProjects.join(', ')}; the projects are: ${known}\n`);
  process.exit(2);
}
if (values.project.length) cases = cases.filter((c) => values.project.includes(c.project));
const partial = values.project.length > 0;
const scope = values['corpus-only']
  ? 'the corpus of test/fixtures/realworld only'
  : 'the corpus of test/fixtures/realworld and the earlier truth files (torchvision, torchaudio, GPT, own examples)';
process.stderr.write(`scoring ${cases.length} cases (2 at a time, ${values.timeout} s each at most)\n`);
const started = performance.now();
let done = 0;
const reuse = values.reuse ? new Map(Object.entries(JSON.parse(readFileSync(values.reuse, 'utf8')).runs ?? {})) : undefined;
const runs = new Map();
const rows = await scoreCases(cases, {
  reuse,
  runs,
  concurrency: 2,
  timeoutMs: Number(values.timeout) * 1000,
  onRow: (r) => {
    done += 1;
    process.stderr.write(
      `[${done}/${cases.length}] ${r.verdict.padEnd(11)} ${r.id} (${(r.ms / 1000).toFixed(1)} s)${r.reason ? ' — ' + r.reason.slice(0, 140) : ''}\n`,
    );
  },
});
const wallS = Math.round((performance.now() - started) / 1000);

const table = [
  '| id | truth params | truth MACs | params | MACs | time (s) | verdict | first blocking reason |',
  '|---|---:|---:|---:|---:|---:|---|---|',
  ...rows.map(
    (r) =>
      `| ${cell(r.id)} | ${fmt(r.truth.params)} | ${fmt(r.truth.macs)} | ${fmt(r.params)} | ${fmt(r.macs)} | ${(r.ms / 1000).toFixed(1)} | ${r.verdict} | ${cell(r.reason.slice(0, 200))} |`,
  ),
];
const summary = summarize(rows);
const summaryTable = [
  '| project | cases | with truth params / MACs | params exact | MACs within 1 % | exact | params only | wrong | unknown | lost | no truth |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...summary.map(
    (s) =>
      `| ${s.project === 'overall' ? '**overall**' : s.project} | ${s.cases} | ${s.judged} / ${s.withMacs} | ${s.paramsExact} (${s.paramsExactPct ?? '—'} %) | ${s.macsWithin1Pct} (${s.macsWithin1PctPct ?? '—'} %) | ${s.exact} | ${s.paramsOnly} | ${s.wrong} | ${s.unknown} | ${s.lost} | ${s.noTruth} |`,
  ),
];
const classes = failureClasses(rows);
const classTable = [
  '| misses | verdict: first blocking reason | cases |',
  '|---:|---|---|',
  ...classes.map((c) => `| ${c.count} | ${cell(c.reason)} | ${cell(c.ids.slice(0, 6).join(', '))}${c.ids.length > 6 ? ', …' : ''} |`),
];

console.log(table.join('\n'));
console.log('\n' + summaryTable.join('\n'));
console.log('\n' + classTable.join('\n'));
console.log(`\n${rows.length} cases in ${wallS} s`);

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
if (!values['no-doc'] && !partial) {
  const doc = [
    '# Real-world corpus: scores',
    '',
    '<!-- Generated by `npm run realworld` (scripts/realworld/score.mjs); do not edit by hand. -->',
    '',
    `Generated by \`npm run realworld\` at commit ${commit}: ${rows.length} models (${scope}), each analyzed by the built CLI`,
    '(`wattlens analyze FILE --model … --input … --json`, one process per model, 2 at a time) and compared with',
    'real torch (`test/fixtures/truth/`; how the corpus and its truth are made: `test/fixtures/realworld/README.md`).',
    'Verdicts: **exact** = parameters equal and MACs within 1 %; **params only** = MACs unknown; **wrong** = a',
    'figure that disagrees with torch; **unknown** = no parameter count, with a reason; **lost** = no model and no',
    'reason (silent, crashed or timed out); **no truth** = torch 1.13 could not run it and nothing is published.',
    '',
    '## Summary',
    '',
    ...summaryTable,
    '',
    '## Misses by first blocking reason',
    '',
    ...classTable,
    '',
    '## Every model',
    '',
    ...table,
    '',
  ].join('\n');
  writeFileSync(join(REPO_ROOT, 'docs', 'realworld.md'), doc);
  process.stderr.write('wrote docs/realworld.md\n');
}
if (values.json)
  writeFileSync(values.json, JSON.stringify({ commit, rows, summary, classes, runs: Object.fromEntries(runs) }, null, 2) + '\n');
if (values['update-expected'] && values.project.length)
  process.stderr.write('--update-expected ignored with --project: the ratchet lists the whole corpus\n');
else if (values['update-expected']) {
  const corpusIds = new Set(realworldCases().map((c) => c.id));
  const mine = rows.filter((r) => corpusIds.has(r.id));
  const expected = {
    comment:
      'Corpus cases that are exact today (params equal / MACs within 1 %). They must stay so; regenerate with `node scripts/realworld/score.mjs --corpus-only --update-expected`.',
    paramsExact: mine
      .filter((r) => r.paramsOk)
      .map((r) => r.id)
      .sort(),
    macsWithin1Pct: mine
      .filter((r) => r.macsOk)
      .map((r) => r.id)
      .sort(),
  };
  writeFileSync(join(CORPUS_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  process.stderr.write(`wrote ${relative(REPO_ROOT, join(CORPUS_DIR, 'expected.json'))}\n`);
}
process.exitCode = rows.some((r) => r.verdict === 'wrong' || r.verdict === 'lost') ? 1 : 0;
