import { defineConfig } from 'vitest/config';

// No test asserts on wall-clock time (speed figures are benches, npm run bench): every file runs in
// one project, in parallel.
const common = { testTimeout: 60_000, pool: 'threads' } as const;

export default defineConfig({
  test: {
    // WATTLENS_CACHE_DIR: a temporary folder of this run, so that no test writes to ~/.cache/wattlens
    globalSetup: ['test/support/cacheDir.ts'],
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: [
            'test/unit/**/*.test.ts',
            'test/hostile/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/realworld/**/*.test.ts',
            'webview/test/**/*.test.ts',
          ],
        },
      },
    ],
  },
});
