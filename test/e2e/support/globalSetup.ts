// Once per e2e run: make sure code-server is installed (cached), package the built extension,
// and hand the .vsix path to the test files. Prints where the time went at the end.
import type { TestProject } from 'vitest/node';
import { ensureCodeServer, packageExtension } from '../../../scripts/e2e/code-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    vsixPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = performance.now();
  await ensureCodeServer({ log: (line) => console.error(line) });
  const installed = performance.now();
  // The file `npm run package` writes (wattlens-<version>.vsix at the repo root), so the tests
  // install what is released; it is replaced atomically, so a concurrent run keeps its copy.
  const vsixPath = await packageExtension();
  const packaged = performance.now();
  project.provide('vsixPath', vsixPath);

  return () => {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `[wattlens-e2e] duration ${seconds(performance.now() - started)} ` +
        `(code-server check/install ${seconds(installed - started)}, package ${seconds(packaged - installed)}, ` +
        `tests ${seconds(performance.now() - packaged)})`,
    );
  };
}
