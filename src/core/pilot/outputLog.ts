// output.log of a run: the script's stdout and stderr byte for byte, capped. Past the cap the head
// stays on disk and the last bytes are kept in memory; at the end a note line says how much was
// left out and the tail follows it.
import { appendFileSync } from 'node:fs';

export const OUTPUT_LOG_CAP = 10 * 1024 * 1024;

export class OutputLog {
  private written = 0;
  private dropped = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private failed = false;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(
    private readonly path: string,
    cap = OUTPUT_LOG_CAP,
  ) {
    this.headCap = Math.floor(cap / 2);
    this.tailCap = cap - this.headCap - 256; // room for the note line
  }

  append(chunk: Buffer): void {
    const room = this.headCap - this.written;
    if (room > 0) {
      const head = chunk.subarray(0, room);
      this.write(head);
      this.written += head.length;
      chunk = chunk.subarray(head.length);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0]!.length >= this.tailCap) {
      const first = this.tail.shift()!;
      this.tailBytes -= first.length;
      this.dropped += first.length;
    }
  }

  /** Writes the kept tail (after a note line when bytes were left out). */
  close(): void {
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailCap) {
      this.dropped += tail.length - this.tailCap;
      tail = tail.subarray(tail.length - this.tailCap);
    }
    if (this.dropped > 0)
      this.write(Buffer.from(`\n[WattLens: output.log cut here: ${this.dropped} bytes left out; the last ${tail.length} bytes follow]\n`));
    if (tail.length) this.write(tail);
    this.tail = [];
    this.tailBytes = 0;
  }

  private write(bytes: Buffer): void {
    if (this.failed) return;
    try {
      appendFileSync(this.path, bytes);
    } catch {
      this.failed = true; // the output is also streamed; a full disk must not stop the run
    }
  }
}
