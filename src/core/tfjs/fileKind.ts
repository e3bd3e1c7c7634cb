// Which files the TF.js front end takes: a module of its own so that callers can ask without
// loading the front end (src/core/tfjs/lazyEntry.ts).
const TFJS_EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|jsx|mts|cts)$/;

export function isTfjsFile(path: string): boolean {
  return TFJS_EXTENSIONS.test(path) && !/\.d\.[cm]?ts$/.test(path);
}
