// Past pilots of the workspace (.wattlens/runs/), re-read when a record changes on disk (seen by
// the shared RunRecordFeed), and the comparison of two of them with the current forecast settings.
// Read asynchronously (never a blocking read on the extension host) through the capped readers of
// runStore: a symlink, FIFO or huge file in .wattlens/runs is skipped with a warning.
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { HistoryView } from '../../core/panel/protocol';
import { compareRuns, runRow } from '../../core/panel/runComparison';
import { listRunsAsync, loadRunAsync } from '../../core/pilot/runStore';
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
  private loads = 0;
  /** Warnings already in the output channel (each skipped record is said once, not at every reload). */
  private readonly logged = new Set<string>();

  constructor(
    private readonly workspace: () => string | undefined,
    private readonly log: (message: string) => void,
    private readonly records: RunRecordFeed,
  ) {
    this.disposables.push(
      records.onDidChange(({ path }) => {
        const ws = this.workspace();
        const rel = ws === undefined ? '..' : relative(ws, path);
        if (!rel.startsWith('..') && !isAbsolute(rel)) this.reloadSoon();
      }),
    );
    void this.reload();
  }

  current(): HistoryView {
    return this.view;
  }

  reloadSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), RELOAD_DEBOUNCE_MS);
  }

  async reload(): Promise<void> {
    const load = ++this.loads;
    const ws = this.workspace();
    if (!this.watching) {
      // the first reload: watch first, then read again (the feed follows the workspace folders)
      this.watching = true;
      void this.records.watch().then(
        () => this.reloadSoon(),
        (e: unknown) => {
          this.log(`run history: .wattlens/runs is not watched (${e instanceof Error ? e.message : String(e)}); Refresh reads it again`);
          this.reloadSoon();
        },
      );
    }
    if (!ws) {
      this.set({ runs: [], warnings: [], comparison: null });
      return;
    }
    const { runs, warnings } = await listRunsAsync(ws);
    for (const w of warnings)
      if (!this.logged.has(w)) {
        this.logged.add(w);
        this.log(`run history: ${w}`);
      }
    const rows = await Promise.all(runs.map(async (r) => runRow(r, await readRunContext(ws, r.id), relative(ws, r.script))));
    const comparison = this.compared ? await this.comparison(ws, this.compared) : null;
    if (load !== this.loads) return; // a newer reload started meanwhile
    this.set({ runs: rows, warnings, comparison });
  }

  async compare(a: string, b: string): Promise<string | undefined> {
    const ws = this.workspace();
    if (!ws) return 'no workspace folder';
    this.compared = [a, b];
    const comparison = await this.comparison(ws, this.compared);
    this.set({ ...this.view, comparison });
    return comparison ? undefined : 'one of the runs could not be read';
  }

  clearComparison(): void {
    this.compared = null;
    this.set({ ...this.view, comparison: null });
  }

  private async comparison(ws: string, [a, b]: [string, string]): Promise<HistoryView['comparison']> {
    const [ra, rb] = await Promise.all([loadRunAsync(ws, a), loadRunAsync(ws, b)]);
    if (!ra.ok || !rb.ok) return null;
    const side = async (record: typeof ra.record) => {
      const context = await readRunContext(ws, record.id);
      return { record, context, row: runRow(record, context, relative(ws, record.script)) };
    };
    const settings = PilotService.settings(vscode.Uri.file(ws));
    return compareRuns(await side(ra.record), await side(rb.record), {
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
