// dist/cli.js: starts the CLI (dist/cli-main.js, built from main.ts) from V8's code cache, after
// replaying a stored `analyze --json` result whose every dependency is unchanged (resultCache.ts).
// `wattlens --version` answers here, as commander would, without loading the CLI at all.
import { statSync } from 'node:fs';
import { join } from 'node:path';
// node:process is loaded before the flag change below (see there): commander uses it too
import { argv, env } from 'node:process';
import { setFlagsFromString } from 'node:v8';
import { wattlensCacheDir } from '../core/python/parseCache';
import { runWithCodeCache } from '../node/codeCache';
import { recordResult, replayResult, resultCacheEligible, resultKey } from './resultCache';
import { version } from '../../package.json';

const main = join(__dirname, 'cli-main.js');
const root = wattlensCacheDir(env);
const args = argv.slice(2);
/** The command was answered here (the version, a replayed result): cli-main.js is not loaded. */
let answered = false;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // loading cli-main.js and its code cache only to print this took ~80 ms
  process.stdout.write(`${version}\n`);
  answered = true;
} else if (root && resultCacheEligible(args, env)) {
  const dir = join(root, 'results');
  // the bundle by its size, times and inode: a rebuild is another engine
  const st = statSync(main, { bigint: true });
  const key = resultKey(`${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`, args);
  const result = replayResult(dir, key);
  if (env.WATTLENS_DEBUG) process.stderr.write(`wattlens: result cache: ${result.why}\n`);
  answered = result.replayed;
  if (!answered) recordResult(dir, key, [root]);
}
if (!answered) {
  // Node's built-in modules come with V8 code caches that V8 rejects once a flag below changes
  // (they carry the flags' hash): those the run needs are loaded first. The standard streams
  // (net and its modules for a pipe, tty, fs streams) and `node:process` (imported above; commander
  // uses it) were compiled from source and their caches made anew on every run.
  void process.stdout;
  void process.stderr;
  // the young generation grows to its full size (16 MB semi-spaces) at its first growth: a run
  // keeps most of what it allocates (ASTs, classes), which each scavenge of a small semi-space
  // copied again. Factor 8 (1 -> 8 -> 16 MB): 5 scavenges on resnet50 with a warm parse cache;
  // 16: 3, and 4% fewer instructions for the whole process (scavenger threads: 50 M -> 10 M)
  setFlagsFromString('--semi-space-growth-factor=16');
  // an analysis compiles what later analyses run: the code cache keeps what it compiled
  runWithCodeCache(main, env, { representative: args[0] === 'analyze' });
}
