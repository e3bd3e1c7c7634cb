// The TF.js front end as the CLI and analysis worker bundles see it: scripts/build.mjs resolves
// `tfjs/entry`, imported from outside src/core/tfjs, to this file. The front end and the
// TypeScript parser it carries (~11 MB of JavaScript) live in dist/tfjs-engine.js and are
// compiled on the first TF.js file only, so analyzing a .py file never pays for them.
import { join } from 'node:path';
import { AnalysisError } from '../analysis/engine';
import type * as TfjsBundle from './bundle';

export { isTfjsFile } from './fileKind';

let bundle: typeof TfjsBundle | undefined;

function frontEnd(): typeof TfjsBundle {
  // a computed path: esbuild leaves it to Node instead of inlining the bundle here
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (bundle ??= require(join(__dirname, 'tfjs-engine.js')) as typeof TfjsBundle);
}

export const analyzeTfjsFile: typeof TfjsBundle.analyzeTfjsFile = (...args) => {
  const tfjs = frontEnd();
  try {
    return tfjs.analyzeTfjsFile(...args);
  } catch (e) {
    // callers tell refused options apart by class: give them this bundle's AnalysisError
    throw e instanceof tfjs.AnalysisError ? new AnalysisError(e.message) : e;
  }
};
