// Hover on a layer or op line: formula with its numbers, output shape, MACs per call × calls,
// memory and assumptions; on a model's definition line, its totals; after a pilot of the model,
// the energy per step it calibrated, else the static step estimate on the configured GPU.
import * as vscode from 'vscode';
import { hoverWithCalibration } from '../../core/editor/calibratedFigures';
import { hoverMarkdown } from '../../core/editor/hover';
import type { AnalyzedDocuments } from '../documents';
import type { CalibrationSource } from '../pilot/calibrationSource';
import { settingsFor } from '../config';
import type { GpuInfo } from '../gpu';

const stepFigures = () => require('../../core/editor/stepFigures') as typeof import('../../core/editor/stepFigures');

export class CostHover implements vscode.HoverProvider {
  constructor(
    private readonly documents: AnalyzedDocuments,
    private readonly calibrations: CalibrationSource,
    private readonly gpu: GpuInfo,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const settings = settingsFor(document.uri);
    if (!settings.hoversEnabled) return undefined;
    const view = await this.documents.current(document, token);
    if (!view) return undefined;
    const line = view.toReportLine(position.line + 1);
    if (line === undefined) return undefined;
    const calibrated = this.calibrations.figuresFor(view.report, settings.calibratedHints);
    let markdown = hoverWithCalibration(hoverMarkdown(view.report, line, settings.costUnit), line, calibrated);
    const model = view.report.models.find((m) => m.line === line);
    if (markdown && model && !calibrated.models.get(model.name)?.lens) {
      const gpu = this.gpu.resolve(settings).gpu;
      const estimate = gpu?.profile && stepFigures().staticStepFigures({ ...view.report, models: [model] }, gpu, settings.precision)[0];
      if (estimate) markdown = `${markdown}\n\n---\n\n${estimate.hover}`;
    } else if (markdown && !calibrated.lines.has(line)) {
      // a layer line: its share of the static step estimate, until a pilot calibrates the model
      const gpu = this.gpu.resolve(settings).gpu;
      const calibratedModels = new Set([...calibrated.models.values()].filter((c) => c.lens).map((c) => c.model));
      const share = gpu?.profile && stepFigures().staticStepLines(view.report, gpu, settings.precision, calibratedModels).get(line);
      if (share) markdown = `${markdown}\n\n---\n\n${share.hover}`;
    }
    if (!markdown) return undefined;
    // outside text in it is escaped (core/editor/hover.ts); no HTML, no command links
    const contents = new vscode.MarkdownString(markdown);
    contents.supportHtml = false;
    contents.isTrusted = false;
    return new vscode.Hover(contents, document.lineAt(position.line).range);
  }
}
