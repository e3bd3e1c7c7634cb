// The e2e run retries a failed test once (vitest.config.mts: the workbench's UI timing under load
// is the usual cause). A test that failed and then passed would leave no trace, so every failed
// attempt is printed with its error: a flaky test, or an intermittent fault, stays in the log.
import { beforeEach } from 'vitest';

beforeEach((context) => {
  context.onTestFailed(({ task }) => {
    const error = task.result?.errors?.at(-1); // errors pile up across retries
    console.log(
      `[wattlens-e2e] FAILED ATTEMPT ${(task.result?.retryCount ?? 0) + 1} of "${task.name}": ${error?.message?.split('\n')[0] ?? 'no message'}`,
    );
  });
});
