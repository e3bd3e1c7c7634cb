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
  const shaped = { schemaVersion: JSON_SCHEMA_VERSION, ...(reshape(value, timings, display) as object) };
  return `${JSON.stringify(shaped, null, 2)}\n`;
}

/** A path inside `cwd` relative to it (with forward slashes); any other path unchanged. */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return path;
  return rel.split(sep).join('/');
}

function reshape(value: unknown, timings: boolean, display: (path: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => reshape(v, timings, display));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!timings && TIMING_KEYS.has(key)) continue;
    out[key] = key === 'file' && typeof v === 'string' ? display(v) : reshape(v, timings, display);
  }
  return out;
}
