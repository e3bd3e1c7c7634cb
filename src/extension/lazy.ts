// Loads dist/lazy.js (src/extension/lazyModules.ts) on first use; a path esbuild does not inline.
import { join } from 'node:path';

let loaded: typeof import('./lazyModules') | undefined;

export function lazyModules(): typeof import('./lazyModules') {
  return (loaded ??= require(join(__dirname, 'lazy.js')) as typeof import('./lazyModules'));
}
