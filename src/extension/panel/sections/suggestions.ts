// The Suggestions tab's source: the advice service's suggestions (AdviceSource) for the document
// the panel follows, while a report is on screen, and Apply / Re-check. Without the advisor
// feature (no advice service in the registry) the tab says so.
import * as vscode from 'vscode';
import { IDLE_ADVICE } from '../../../core/panel/panelAdvice';
import type { AdviceView } from '../../../core/panel/protocol';
import { AdviceSource } from '../adviceSource';
import type { HostSection, PanelHost } from './hostSection';

const NO_ADVISOR: AdviceView = { ...IDLE_ADVICE, state: 'unsupported', message: 'The advisor is not part of this build of WattLens.' };

export function suggestionsSource(panel: PanelHost): HostSection<'suggestions'> {
  const service = panel.feature.registry.advice();
  if (!service)
    return {
      current: () => NO_ADVISOR,
      onDidChange: new vscode.EventEmitter<void>().event,
      handle: () => undefined,
      dispose: () => undefined,
    };
  const { report } = panel;
  const advice = new AdviceSource(service);
  /** Suggestions are computed only while a report is on screen. */
  const follow = () => {
    if (panel.visible()) advice.follow(report.target()?.document);
  };
  const subscriptions = [report.onDidChange(follow), panel.onDidShow(follow)];
  return {
    current: () => advice.current(),
    onDidChange: advice.onDidChange,
    async handle(request, from) {
      switch (request.type) {
        case 'applySuggestion': {
          const r = await advice.apply(report.target()?.document, request.id, request.documentVersion);
          if (r.ok) from.notice('info', `Applied ${r.rule}: the file is analyzed again and the suggestions re-checked.`);
          else from.notice('warning', `${r.reason.charAt(0).toUpperCase()}${r.reason.slice(1)}.`);
          return;
        }
        case 'refreshAdvice':
          advice.follow(report.target()?.document, true);
          return;
      }
    },
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      advice.dispose();
    },
  };
}
