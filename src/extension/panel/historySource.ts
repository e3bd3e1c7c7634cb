// Past pilots of the workspace (.wattlens/runs/), re-read when a record changes on disk (seen by
// the shared RunRecordFeed), and the comparison of two of them with the current forecast settings.
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { HistoryView } from '../../core/panel/protocol';
import { compareRuns, runRow } from '../../core/panel/runComparison';
import { listRuns, loadRun } from '../../core/pilot/runStore';
import { PilotService, readRunContext } from '../pilot/pilotService';
import type { RunRecordFeed } from '../pilot/runRecordFeed';

const RELOAD_DEBOUNCE_MS = 400;

export class HistorySource implements vscode.Disposable {
  private view: HistoryView = { runs: [], warnings: [], comparison: null };
  private compared: [string, string] | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private watching = false;

  constructor(
    private readonly workspace: () => string | undefined,
    private readonly log: (message: string) => void,
    private readonly records: RunRecordFeed,
  ) {
    this.disposables.push(records.onDidChange(({ path }) => {
      const ws = this.workspace();
      const rel = ws === undefined ? '..' : relative(ws, path);
      if (!rel.startsWith('..') && !isAbsolute(rel)) this.reloadSoon();
    }));
    this.reload();
  }

  current(): HistoryView {
    return this.view;
  }

  reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
  }

  reload(): void {
    const ws = this.workspace();
    if (!this.watching) {
      // the first reload: watch first, then read again (the feed follows the workspace folders)
      this.watching = true;
      void this.records.watch().then(() => this.reloadSoon(), (e: unknown) => {
        this.log(`run history: .wattlens/runs is not watched (${e instanceof Error ? e.message : String(e)}); Refresh reads it again`);
        this.reloadSoon();
      });
    }
    if (!ws) {
      this.set({ runs: [], warnings: [], comparison: null });
      return;
    }
    const { runs, warnings } = listRuns(ws);
    const rows = runs.map((r) => runRow(r, readRunContext(ws, r.id), relative(ws, r.script)));
    this.set({ runs: rows, warnings, comparison: this.compared ? this.comparison(ws, this.compared) : null });
  }

  compare(a: string, b: string): string | undefined {
    const ws = this.workspace();
    if (!ws) return 'no workspace folder';
    this.compared = [a, b];
    const comparison = this.comparison(ws, this.compared);
    this.set({ ...this.view, comparison });
    return comparison ? undefined : 'one of the runs could not be read';
  }

  clearComparison(): void {
    this.compared = null;
    this.set({ ...this.view, comparison: null });
  }

  private comparison(ws: string, [a, b]: [string, string]): HistoryView['comparison'] {
    const ra = loadRun(ws, a);
    const rb = loadRun(ws, b);
    if (!ra.ok || !rb.ok) return null;
    const side = (record: typeof ra.record) => {
      const context = readRunContext(ws, record.id);
      return { record, context, row: runRow(record, context, relative(ws, record.script)) };
    };
    const settings = PilotService.settings(vscode.Uri.file(ws));
    return compareRuns(side(ra.record), side(rb.record), {
      ...(settings.pue !== undefined ? { pue: settings.pue } : {}),
      carbon: settings.carbon,
      ...(settings.pricePerKWh !== undefined ? { pricePerKWh: settings.pricePerKWh, currency: settings.currency } : {}),
    });
  }

  private set(view: HistoryView): void {
    this.view = view;
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
