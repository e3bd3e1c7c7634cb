// A section's source on the host: its view (the state the webviews show for it), when that
// changes, its live messages, and the requests the webview makes of it. One per section of
// src/core/panel/sections/, created by the panel (./index.ts) with what the sources share.
import type * as vscode from 'vscode';
import type { RequestOf, SectionId, StreamOf, ViewOf } from '../../../core/panel/sections';
import type { FeatureContext } from '../../features';
import type { PilotService } from '../../pilot/pilotService';
import type { ReportSource } from '../reportSource';

/** The webview a request came from: it gets the notices the request leads to. */
export interface Asker {
  notice(level: 'info' | 'warning' | 'error', text: string): void;
}

export interface HostSection<Id extends SectionId> extends vscode.Disposable {
  current(): ViewOf<Id>;
  /** Fires when `current()` changed: the view is sent to every webview (or marked for its next snapshot). */
  readonly onDidChange: vscode.Event<void>;
  /** Live messages besides the view, for the webviews on screen (a hidden one gets the next snapshot). */
  readonly onDidStream?: vscode.Event<StreamOf<Id>>;
  /** Called before the view is sent whole (an update or a snapshot): what was streamed so far is in it. */
  settle?(): void;
  handle(request: RequestOf<Id>, from: Asker): void | Promise<void>;
  /** The `wattlens.*` settings changed. */
  configurationChanged?(): void;
}

/** What the panel gives every section source. */
export interface PanelHost {
  feature: FeatureContext;
  /** The document and model the panel follows (the Model tab's data; others follow it too). */
  report: ReportSource;
  pilots: PilotService;
  /** Whether a report webview is on screen and listening. */
  visible(): boolean;
  /** Fires when a report webview comes on screen (shown again, or ready). */
  readonly onDidShow: vscode.Event<void>;
  /** Reveals a line of the shown file (a line of its report: a notebook's cells are mapped). */
  revealReportLine(line: number, from: Asker): Promise<void>;
}

export type HostSections = { [Id in SectionId]: HostSection<Id> };
