// The Pilot tab's source: the running (or last) pilot's view from PilotService, its live chart
// points batched to at most one message per PROGRESS_INTERVAL_MS, and Run / Cancel.
import * as vscode from 'vscode';
import { idlePilotView } from '../../../core/panel/pilotIdle';
import type { PilotView } from '../../../core/panel/protocol';
import type { StreamOf } from '../../../core/panel/sections';
import type { HostSection, PanelHost } from './hostSection';

/** Live chart points are sent at most this often (a run may report many steps per poll). */
const PROGRESS_INTERVAL_MS = 100;

export function pilotSource(panel: PanelHost): HostSection<'pilot'> {
  const { pilots, report } = panel;
  const changed = new vscode.EventEmitter<void>();
  const streamed = new vscode.EventEmitter<StreamOf<'pilot'>>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const flush = (stop: boolean) => {
    const progress = pilots.tracker()?.takeProgress();
    if (progress) streamed.fire({ type: 'pilotProgress', progress });
    if ((stop || !progress) && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const subscription = pilots.onDidChange((kind) => {
    if (kind === 'progress') {
      timer ??= setInterval(() => flush(false), PROGRESS_INTERVAL_MS);
      return;
    }
    flush(true);
    changed.fire();
  });

  const view = (): PilotView => {
    const tracker = pilots.tracker();
    const form = pilots.form();
    if (!tracker) return idlePilotView(form);
    tracker.setForm(form);
    return tracker.snapshot();
  };

  return {
    current: view,
    onDidChange: changed.event,
    onDidStream: streamed.event,
    settle: () => void pilots.tracker()?.takeProgress(),
    async handle(request, from) {
      switch (request.type) {
        case 'startPilot': {
          const model = report.shownModel();
          const context = model
            ? {
                model: model.name,
                ...(model.trainingMacs !== undefined && model.trainingMacs !== null ? { macsPerStep: model.trainingMacs } : {}),
              }
            : {};
          if (!request.request) {
            await vscode.commands.executeCommand('wattlens.runPilot', undefined, undefined, context);
            return;
          }
          const r = await pilots.start(request.request, context);
          if (!r.ok) from.notice('warning', `Pilot not started: ${r.reason}`);
          return;
        }
        case 'cancelPilot':
          pilots.cancel();
          return;
      }
    },
    dispose: () => {
      if (timer) clearInterval(timer);
      subscription.dispose();
      changed.dispose();
      streamed.dispose();
    },
  };
}
