// Measurement hooks, kept small (see docs/extension.md): WATTLENS_TRACE=1 logs edit → analysis →
// hint-refresh timings to the WattLens output channel.
import type * as vscode from 'vscode';

export const TRACE_ENABLED = process.env.WATTLENS_TRACE === '1';

export class Trace {
  /** When each (document, version) was edited, to time what follows. */
  private readonly editedAt = new Map<string, number>();

  constructor(private readonly output: vscode.OutputChannel) {}

  edited(key: string, version: number): void {
    if (!TRACE_ENABLED) return;
    this.editedAt.set(`${key}#${version}`, performance.now());
    if (this.editedAt.size > 200) this.editedAt.delete(this.editedAt.keys().next().value!);
    this.output.appendLine(`[trace] edit ${shortName(key)} v${version}`);
  }

  /** A step between edit and result, e.g. "debounce over, analysis requested". */
  step(key: string, version: number, what: string): void {
    if (!TRACE_ENABLED) return;
    this.output.appendLine(`[trace] ${what} ${shortName(key)} v${version}${this.sinceEdit(key, version)}`);
  }

  analyzed(key: string, version: number, t: { parseMs: number; analyzeMs: number; engineLoadMs?: number }, roundTripMs: number): void {
    if (!TRACE_ENABLED) return;
    const since = this.sinceEdit(key, version);
    this.output.appendLine(
      `[trace] analysis ${shortName(key)} v${version}: parse ${t.parseMs} ms, analyze ${t.analyzeMs} ms${t.engineLoadMs !== undefined ? `, engine load ${t.engineLoadMs} ms` : ''}, worker round trip ${Math.round(roundTripMs)} ms${since}`,
    );
  }

  hintsServed(key: string, version: number, count: number): void {
    if (!TRACE_ENABLED) return;
    this.output.appendLine(`[trace] hints ${shortName(key)} v${version}: ${count} hints served${this.sinceEdit(key, version)}`);
  }

  private sinceEdit(key: string, version: number): string {
    const at = this.editedAt.get(`${key}#${version}`);
    return at === undefined ? '' : `, ${Math.round(performance.now() - at)} ms after the edit`;
  }
}

function shortName(key: string): string {
  return key.split('/').slice(-1)[0] ?? key;
}
