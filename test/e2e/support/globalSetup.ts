// Once per e2e run: make sure code-server is installed (cached), package the built extension,
// and hand the .vsix path to the test files. Prints where the time went at the end.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureCodeServer, packageExtension, REPO_ROOT } from '../../../scripts/e2e/code-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    vsixPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = performance.now();
  await ensureCodeServer({ log: (line) => console.error(line) });
  const installed = performance.now();
  // One file per run: a second run at the same time must not replace it mid-install.
  const vsixPath = await packageExtension({ outFile: join(REPO_ROOT, '.wattlens-cache', 'e2e', `wattlens-${process.pid}.vsix`) });
  const packaged = performance.now();
  project.provide('vsixPath', vsixPath);

  return () => {
    rmSync(vsixPath, { force: true });
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `[wattlens-e2e] duration ${seconds(performance.now() - started)} ` +
        `(code-server check/install ${seconds(installed - started)}, package ${seconds(packaged - installed)}, ` +
        `tests ${seconds(performance.now() - packaged)})`,
    );
  };
}
