// Reading the per-rank event files of a run folder: whole (after the fact) or incrementally (tailing).
// Only regular files are read (no link followed, no FIFO waited on), each up to EVENTS_MAX_BYTES:
// what lies beyond is left out with a warning, never loaded into memory.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, parseEventLine, type HarnessEvent } from './events';
import { EVENTS_MAX_BYTES, readBoundedFile, readBoundedFileSync, type BoundedRead } from './wattlensFiles';

const EVENT_FILE = /^events\.rank(\d+)\.jsonl$/;
// the flags are undefined on Windows, whatever Node's types say
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
const TAIL_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function eventFiles(runDir: string): string[] {
  if (!existsSync(runDir) || !lstatSync(runDir).isDirectory()) return [];
  return readdirSync(runDir)
    .filter((n) => EVENT_FILE.test(n))
    .map((n) => join(runDir, n));
}

async function eventFilesAsync(runDir: string): Promise<string[]> {
  try {
    if (!(await lstat(runDir)).isDirectory()) return [];
    return (await readdir(runDir)).filter((n) => EVENT_FILE.test(n)).map((n) => join(runDir, n));
  } catch {
    return [];
  }
}

type Events = { events: HarnessEvent[]; warnings: string[] };

export function readRunEvents(runDir: string): Events {
  const out: Events = { events: [], warnings: [] };
  for (const file of eventFiles(runDir)) collect(file, readBoundedFileSync(file, { maxBytes: EVENTS_MAX_BYTES, truncate: true }), out);
  return out;
}

/** readRunEvents without blocking the thread on the disk. */
export async function readRunEventsAsync(runDir: string): Promise<Events> {
  const out: Events = { events: [], warnings: [] };
  for (const file of await eventFilesAsync(runDir))
    collect(file, await readBoundedFile(file, { maxBytes: EVENTS_MAX_BYTES, truncate: true }), out);
  return out;
}

function collect(file: string, read: BoundedRead, out: Events): void {
  if (!read.ok) {
    out.warnings.push(`${file}: ${read.reason}, skipped`);
    return;
  }
  const lines = read.text.split('\n');
  // a cut file ends in the middle of a line
  if (read.truncated) {
    lines.pop();
    out.warnings.push(`${file}: larger than ${EVENTS_MAX_BYTES} bytes, only its beginning is read`);
  }
  for (const line of lines) {
    if (!line.trim()) continue;
    const parsed = parseEventLine(line);
    if (parsed.ok) out.events.push(parsed.event);
    else out.warnings.push(parsed.warning);
  }
}

/** Follows the event files of a run folder, returning only what was appended since the last poll. */
export class EventTail {
  private readonly offsets = new Map<string, number>();
  private readonly splitters = new Map<string, LineSplitter>();
  // a UTF-8 character split across two reads is held until its remaining bytes arrive
  private readonly decoders = new Map<string, StringDecoder>();

  constructor(private readonly runDir: string) {}

  poll(final = false): Events {
    const events: HarnessEvent[] = [];
    const warnings: string[] = [];
    for (const file of eventFiles(this.runDir)) {
      const splitter = this.splitters.get(file) ?? new LineSplitter();
      this.splitters.set(file, splitter);
      let chunk: string;
      try {
        chunk = this.readNew(file);
      } catch (err) {
        warnings.push(`${file}: ${(err as Error).message}`);
        continue;
      }
      const lines = splitter.push(chunk);
      if (final) lines.push(...splitter.flush());
      for (const line of lines) {
        const parsed = parseEventLine(line);
        if (parsed.ok) events.push(parsed.event);
        else warnings.push(parsed.warning);
      }
    }
    return { events, warnings };
  }

  private readNew(file: string): string {
    const from = this.offsets.get(file) ?? 0;
    if (from >= EVENTS_MAX_BYTES) return '';
    const fd = openSync(file, TAIL_OPEN_FLAGS);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) throw new Error('not a regular file, not read');
      const size = Math.min(stats.size, EVENTS_MAX_BYTES);
      if (size <= from) return '';
      const buf = Buffer.alloc(size - from);
      const n = readSync(fd, buf, 0, buf.length, from);
      this.offsets.set(file, from + n);
      const decoder = this.decoders.get(file) ?? new StringDecoder('utf8');
      this.decoders.set(file, decoder);
      return decoder.write(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
}
