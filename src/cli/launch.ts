// dist/cli.js: starts the CLI (dist/cli-main.js, built from main.ts) from V8's code cache.
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(join(__dirname, 'cli-main.js'));
