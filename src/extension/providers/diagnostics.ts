// Hot-spot diagnostics (Information by default): lines that dominate MACs or activation memory,
// T² attention, training memory over the GPU. Registered sources (the advisor) add theirs.
import * as vscode from 'vscode';
import { findHotspots } from '../../core/editor/hotspots';
import type { DiagnosticSeverityName } from '../../core/editor/settings';
import type { AnalyzedDocuments } from '../documents';
import type { GpuInfo } from '../gpu';
import type { WattLensRegistry } from '../registry';
import { settingsFor } from '../config';

/** `diagnostic.source` of every WattLens diagnostic; `code` is a HotspotCode ('macs-share', …). */
export const DIAGNOSTIC_SOURCE = 'WattLens';

const SEVERITY: Record<DiagnosticSeverityName, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export class HotspotDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('wattlens');

  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly gpu: GpuInfo,
    private readonly registry: WattLensRegistry,
  ) {}

  /** Recomputes the diagnostics of every open document that belongs to `key` (or of all). */
  update(key?: string): void {
    for (const document of vscode.workspace.textDocuments) {
      const docKey = this.documents.keyOf(document);
      if (!docKey || (key !== undefined && docKey !== key)) continue;
      this.collection.set(document.uri, this.compute(document));
    }
  }

  private compute(document: vscode.TextDocument): vscode.Diagnostic[] {
    const settings = settingsFor(document.uri);
    if (!settings.diagnosticsEnabled) return [];
    const view = this.documents.latest(document);
    if (!view || view.version !== this.currentVersion(document, view)) return [];
    const gpu = this.gpu.resolve(settings).gpu;
    const out: vscode.Diagnostic[] = [];
    for (const h of findHotspots(view.report, settings, gpu)) {
      const line = view.toDocumentLine(h.line);
      if (line === undefined || line > document.lineCount) continue;
      const text = document.lineAt(line - 1);
      const range = new vscode.Range(line - 1, text.firstNonWhitespaceCharacterIndex, line - 1, text.range.end.character);
      const d = new vscode.Diagnostic(range, h.message, SEVERITY[settings.diagnosticSeverity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = h.code;
      out.push(d);
    }
    for (const source of this.registry.sources()) {
      try {
        out.push(...source.provide({ document, report: view.report, settings, toDocumentLine: view.toDocumentLine }));
      } catch {
        // a broken contributor must not take the hot spots with it
      }
    }
    return out;
  }

  /** Diagnostics follow only the analysis of the text on screen (stale lines would point wrong). */
  private currentVersion(document: vscode.TextDocument, view: { version: number }): number {
    return document.uri.scheme === 'vscode-notebook-cell' ? view.version : document.version;
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
