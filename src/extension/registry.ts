// Extension points for the features built beside the editor surfaces (report panel, pilot runs,
// advisor): they add CodeLens actions, open the report, add diagnostics and offer services to
// each other, without the providers knowing them. Until a feature registers, its lens action is
// absent, not dead, and its service undefined.
import * as vscode from 'vscode';
import type { EditorSettings } from '../core/editor/settings';
import type { FileReport, ModelReport } from '../core/report/types';
import type { AdviceService } from './advice/adviceService';

export interface ModelContext {
  /** The document the lens or status bar item is on (a notebook cell for notebooks). */
  document: vscode.TextDocument;
  report: FileReport;
  model: ModelReport;
}

/** A CodeLens action shown above each model after the built-in ones, e.g. "Run pilot". */
export interface ModelLensAction {
  /** Unique, e.g. 'wattlens.runPilot'. */
  id: string;
  title: string;
  tooltip?: string;
  /** A registered command; it receives `arguments(context)`, default [document.uri, model.name]. */
  command: string;
  arguments?(context: ModelContext): unknown[];
  /** Show the action only for some models (e.g. a pilot needs a runnable script). */
  appliesTo?(context: ModelContext): boolean;
}

/** Opens the report of a model; the status bar item and the totals lens call it once registered. */
export interface ReportOpener {
  /** Command run with [document.uri, model.name]. */
  command: string;
  title: string;
}

/** More diagnostics for a document's analysis (e.g. the advisor's findings), merged with the hot spots. */
export interface DiagnosticSource {
  id: string;
  provide(context: {
    document: vscode.TextDocument;
    report: FileReport;
    settings: EditorSettings;
    toDocumentLine(line: number): number | undefined;
  }): vscode.Diagnostic[];
}

export class WattLensRegistry implements vscode.Disposable {
  private readonly lensActions = new Map<string, ModelLensAction>();
  private readonly diagnosticSources = new Map<string, DiagnosticSource>();
  private opener: ReportOpener | undefined;
  private adviceService: AdviceService | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a feature registers or leaves: lenses, diagnostics and the status bar refresh. */
  readonly onDidChange = this.changed.event;

  addModelLensAction(action: ModelLensAction): vscode.Disposable {
    this.lensActions.set(action.id, action);
    this.changed.fire();
    return new vscode.Disposable(() => {
      if (this.lensActions.get(action.id) === action && this.lensActions.delete(action.id)) this.changed.fire();
    });
  }

  setReportOpener(opener: ReportOpener): vscode.Disposable {
    this.opener = opener;
    this.changed.fire();
    return new vscode.Disposable(() => {
      if (this.opener === opener) {
        this.opener = undefined;
        this.changed.fire();
      }
    });
  }

  addDiagnosticSource(source: DiagnosticSource): vscode.Disposable {
    this.diagnosticSources.set(source.id, source);
    this.changed.fire();
    return new vscode.Disposable(() => {
      if (this.diagnosticSources.get(source.id) === source && this.diagnosticSources.delete(source.id)) this.changed.fire();
    });
  }

  /** The advisor's suggestions per document version (the advisor feature provides it; the panel reads it). */
  provideAdvice(service: AdviceService): vscode.Disposable {
    this.adviceService = service;
    this.changed.fire();
    return new vscode.Disposable(() => {
      if (this.adviceService === service) {
        this.adviceService = undefined;
        this.changed.fire();
      }
    });
  }

  /** The advice service, if the advisor is registered. */
  advice(): AdviceService | undefined {
    return this.adviceService;
  }

  modelLensActions(context: ModelContext): ModelLensAction[] {
    return [...this.lensActions.values()].filter((a) => a.appliesTo?.(context) ?? true);
  }

  reportOpener(): ReportOpener | undefined {
    return this.opener;
  }

  sources(): DiagnosticSource[] {
    return [...this.diagnosticSources.values()];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
