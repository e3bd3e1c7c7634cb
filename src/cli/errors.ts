// One clear line on stderr and a stable exit code; never a stack trace in a user's face.

/** A mistake in what the user asked for (missing file, malformed argument): exit code 2. */
export class UsageError extends Error {}

export function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`wattlens: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`wattlens: internal error: ${message} (set WATTLENS_DEBUG=1 for details)\n`);
  if (process.env.WATTLENS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 1;
}
