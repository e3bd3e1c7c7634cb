// One clear line on stderr and a stable exit code; never a stack trace in a user's face.

// `wattlens pilot` runs from its own bundle (dist/cli-pilot.js), with its own copy of this class:
// a usage error is known by a mark both copies set, not by its class.
const USAGE = Symbol.for('wattlens.usageError');

/** A mistake in what the user asked for (missing file, malformed argument): exit code 2. */
export class UsageError extends Error {
  readonly [USAGE] = true;
}

/** A UsageError of this bundle or of another bundle's copy of this file. */
export function isUsageError(err: unknown): err is UsageError {
  return err instanceof Error && (err as { [USAGE]?: unknown })[USAGE] === true;
}

export function reportFailure(err: unknown): number {
  if (isUsageError(err)) {
    process.stderr.write(`wattlens: ${err.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`wattlens: internal error: ${message} (set WATTLENS_DEBUG=1 for details)\n`);
  if (process.env.WATTLENS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return 1;
}
