// The Model tab's source: the report of the model the panel follows (ReportSource), and the
// requests to reveal a layer and to pick a model.
import * as vscode from 'vscode';
import type { HostSection, PanelHost } from './hostSection';
import { revealInEditor } from '../reveal';

export function modelSource(panel: PanelHost): HostSection<'model'> {
  const { report } = panel;
  return {
    current: () => report.current(),
    onDidChange: report.onDidChange,
    async handle(request, from) {
      switch (request.type) {
        case 'selectModel':
          report.pick(request.name);
          return;
        case 'revealLayer': {
          const target = report.target();
          const model = target?.view?.report.models.find((m) => m.name === request.model);
          const layer = model?.layers.find((l) => l.path === request.path);
          if (!target || !layer) return from.notice('warning', `${request.path} is not in the current analysis any more`);
          if (layer.line !== null) return panel.revealReportLine(layer.line, from);
          if (layer.site) return revealInEditor(await vscode.workspace.openTextDocument(vscode.Uri.file(layer.site.file)), layer.site.line);
          from.notice('info', `${request.path} has no source line in this file`);
          return;
        }
      }
    },
    // ReportSource belongs to the panel, which disposes of it
    dispose: () => undefined,
  };
}
