// One diagnostic per advisor suggestion, in a collection of its own: advice arrives after the
// analysis (it re-analyzes every rewrite), so it refreshes on its own schedule rather than with
// the hot spots. Source 'WattLens', code { value: rule, target: the rule's explanation }.
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Suggestion } from '../../core/advisor/types';
import { diagnosticOf, ruleDocLines, type AdvisorSeverity } from '../../core/editor/adviceView';
import { settingsFor } from '../config';
import { DIAGNOSTIC_SOURCE } from '../providers/diagnostics';
import type { AdviceService } from './adviceService';

const SEVERITY: Record<Exclude<AdvisorSeverity, 'off' | 'auto'>, vscode.DiagnosticSeverity> = {
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
  warning: vscode.DiagnosticSeverity.Warning,
};

/** Where a rule is explained: the installed docs/advisor.md at the rule's heading, else the repository URL. */
export class RuleDocs {
  private lines: Map<string, number> | undefined;
  private readonly file: vscode.Uri;

  constructor(extensionUri: vscode.Uri) {
    this.file = vscode.Uri.joinPath(extensionUri, 'docs', 'advisor.md');
  }

  target(s: Suggestion): vscode.Uri {
    if (!this.lines) {
      try {
        this.lines =
          this.file.scheme === 'file' && existsSync(this.file.fsPath) ? ruleDocLines(readFileSync(this.file.fsPath, 'utf8')) : new Map();
      } catch {
        this.lines = new Map();
      }
    }
    const line = this.lines.get(s.rule);
    // VS Code opens a file URI with #L<n> at that line
    return line !== undefined ? this.file.with({ fragment: `L${line}` }) : vscode.Uri.parse(s.docs);
  }
}

export class AdviceDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('wattlens-advisor');
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly service: AdviceService,
    private readonly docs: RuleDocs,
  ) {
    this.subscription = service.onDidChange(({ uri }) => this.update(uri));
  }

  /** Recomputes the diagnostics of one document (or of all open ones). */
  update(uri?: string): void {
    for (const document of vscode.workspace.textDocuments) {
      const key = document.uri.toString();
      if (uri !== undefined && key !== uri) continue;
      const diagnostics = this.compute(document);
      if (diagnostics) this.collection.set(document.uri, diagnostics);
    }
  }

  /** Undefined: leave what is shown (advice of the current text is on its way). */
  private compute(document: vscode.TextDocument): vscode.Diagnostic[] | undefined {
    const advisor = this.service.settings(document.uri);
    if (!advisor.enabled || advisor.severity === 'off' || this.service.unavailable(document)) return [];
    if (this.service.failure(document)) return [];
    const advice = this.service.latest(document);
    if (!advice) return [];
    if (advice.version !== document.version) return undefined;
    const unit = settingsFor(document.uri).costUnit;
    const out: vscode.Diagnostic[] = [];
    for (const s of advice.suggestions) {
      const d = diagnosticOf(s, advisor.severity, unit, document.lineCount, advisor.informationThreshold);
      if (!d) continue;
      const first = document.lineAt(d.startLine);
      const lastLine = document.lineAt(d.endLine);
      const range = new vscode.Range(d.startLine, first.firstNonWhitespaceCharacterIndex, d.endLine, lastLine.range.end.character);
      const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = { value: d.code, target: this.docs.target(s) };
      out.push(diagnostic);
    }
    return out;
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
