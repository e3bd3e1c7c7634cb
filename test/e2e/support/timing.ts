// Latency as a user sees it: time from now until the workbench shows what `check` looks for.

/**
 * Milliseconds until `check` first returns true, polling every `intervalMs` (each poll reads the
 * DOM, about 5-30 ms, so figures are accurate to roughly one poll). Throws after `timeoutMs`.
 */
export async function timeUntil(
  check: () => Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    const elapsed = performance.now() - started;
    if (elapsed > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
