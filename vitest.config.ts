import { configDefaults, defineConfig } from 'vitest/config';

// Tests that assert on wall-clock time (a pilot's forecast against the full run it forecasts) run
// in a group of their own, one file at a time, after every other file has finished: on 2 cores
// (CI) the parallel files would otherwise take the CPU from the very runs being timed.
const TIMED = ['test/integration/pilot/prediction.test.ts'];

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
          exclude: [...configDefaults.exclude, ...TIMED],
        },
      },
      {
        test: {
          ...common,
          name: 'timed',
          include: TIMED,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
