// Whole-process timing shared by the CLI benchmarks: the built CLI, one timed run of a command,
// paired rounds, medians. In a folder of its own: `npm run bench` runs every .mjs of scripts/bench/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/** dist/cli.js; exits with a clear message when it has not been built. */
export function builtCli(bench) {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    console.error(`${bench}: dist/cli.js is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  return cli;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs a command to its end: wall time of the whole process, its exit status and output, and its
 * peak RSS in MB when `rssFile` is given and /usr/bin/time is there (else NaN). `env` adds
 * variables to this process's; `unset` names ones the command runs without.
 */
export function timed(cmd, args, { env = {}, unset = [], cwd = repoRoot, rssFile } = {}) {
  const measureRss = rssFile !== undefined && timeBin !== undefined;
  const [bin, binArgs] = measureRss ? [timeBin, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const childEnv = { ...process.env, ...env };
  for (const name of unset) delete childEnv[name];
  const started = performance.now();
  const r = spawnSync(bin, binArgs, { encoding: 'utf8', cwd, env: childEnv, maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  const rssMb = measureRss && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { ms, rssMb, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Runs every runner once per round, in turn, the order reversed every other round so neither
 * side always runs first after the other. Returns each runner's results, round by round.
 */
export function pairedRounds(runners, rounds) {
  const results = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(runners);
    if (round % 2) names.reverse();
    for (const name of names) results[name].push(runners[name]());
  }
  return results;
}
