// Reading the per-rank event files of a run folder: whole (after the fact) or incrementally (tailing).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, parseEventLine, type HarnessEvent } from './events';

const EVENT_FILE = /^events\.rank(\d+)\.jsonl$/;

export function eventFiles(runDir: string): string[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir).filter((n) => EVENT_FILE.test(n)).map((n) => join(runDir, n));
}

export function readRunEvents(runDir: string): { events: HarnessEvent[]; warnings: string[] } {
  const events: HarnessEvent[] = [];
  const warnings: string[] = [];
  for (const file of eventFiles(runDir)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const parsed = parseEventLine(line);
      if (parsed.ok) events.push(parsed.event);
      else warnings.push(parsed.warning);
    }
  }
  return { events, warnings };
}

/** Follows the event files of a run folder, returning only what was appended since the last poll. */
export class EventTail {
  private readonly offsets = new Map<string, number>();
  private readonly splitters = new Map<string, LineSplitter>();
  // a UTF-8 character split across two reads is held until its remaining bytes arrive
  private readonly decoders = new Map<string, StringDecoder>();

  constructor(private readonly runDir: string) {}

  poll(final = false): { events: HarnessEvent[]; warnings: string[] } {
    const events: HarnessEvent[] = [];
    const warnings: string[] = [];
    for (const file of eventFiles(this.runDir)) {
      const splitter = this.splitters.get(file) ?? new LineSplitter();
      this.splitters.set(file, splitter);
      const lines = splitter.push(this.readNew(file));
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
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const from = this.offsets.get(file) ?? 0;
      if (size <= from) return '';
      const buf = Buffer.alloc(size - from);
      readSync(fd, buf, 0, buf.length, from);
      this.offsets.set(file, size);
      const decoder = this.decoders.get(file) ?? new StringDecoder('utf8');
      this.decoders.set(file, decoder);
      return decoder.write(buf);
    } finally {
      closeSync(fd);
    }
  }
}
