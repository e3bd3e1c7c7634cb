// The CLI's --json output: the same report, made reproducible for CI. Identical runs print
// identical bytes: timings only with --timings, paths inside the working folder relative to it.
import { isAbsolute, relative, sep } from 'node:path';

/** Version of the CLI's JSON shape; bumped only when a field changes meaning or goes away. */
export const JSON_SCHEMA_VERSION = 1;

/** Keys that hold wall-clock timings: they differ between identical runs. */
const TIMING_KEYS = new Set(['analysisMs']);

export interface JsonOutputOptions {
  timings?: boolean;
  cwd?: string;
}

/** `value` with `schemaVersion` first, timings dropped (unless asked for) and `file` paths made relative. */
export function cliJson(value: object, { timings = false, cwd = process.cwd() }: JsonOutputOptions = {}): string {
  // every layer row names its file: each path is made relative once
  const paths = new Map<string, string>();
  const display = (path: string) => paths.get(path) ?? (paths.set(path, displayPath(path, cwd)), paths.get(path)!);
  // shaped while written, not copied first: the copy of resnet50's report took a third of the output's time
  const shape = (key: string, v: unknown): unknown =>
    !timings && TIMING_KEYS.has(key) ? undefined : key === 'file' && typeof v === 'string' ? display(v) : v;
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...value }, shape, 2)}\n`;
}

/** A path inside `cwd` relative to it (with forward slashes); any other path unchanged. */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}
