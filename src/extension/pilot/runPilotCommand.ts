// "WattLens: Run Pilot…": asks for the script, its arguments, the pilot's budget, the full run's
// length and the GPUs (quick picks), then starts the pilot. The panel's form and tests pass a
// complete request instead and skip the questions.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { inertLinks } from '../../core/editor/text';
import { parseWebviewMessage, type PilotRequest } from '../../core/panel/protocol';
import type { RunContext } from '../../core/panel/runComparison';
import type { PilotService } from './pilotService';
import { findTrainingScripts } from './trainingScripts';

/** A request given as the command's argument, checked like a panel message. */
function requestArgument(arg: unknown): PilotRequest | undefined {
  if (typeof arg !== 'object' || arg === null || !('script' in arg)) return undefined;
  const parsed = parseWebviewMessage({ type: 'startPilot', request: arg });
  return parsed.ok && parsed.message.type === 'startPilot' ? parsed.message.request : undefined;
}

export async function runPilotCommand(service: PilotService, arg: unknown, context: RunContext = {}): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage('WattLens: a pilot runs your training script. Trust this workspace to run pilots.', 'Manage Workspace Trust')
      .then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
    return;
  }
  const given = requestArgument(arg);
  const request = given ?? (await askForRequest(service, arg instanceof vscode.Uri ? arg : undefined));
  if (!request) return;
  const started = await service.start(request, context);
  if (!started.ok) void vscode.window.showErrorMessage(`WattLens: ${inertLinks(started.reason)}`);
}

async function askForRequest(service: PilotService, uri: vscode.Uri | undefined): Promise<PilotRequest | undefined> {
  const workspace = service.workspaceDir();
  if (!workspace) {
    void vscode.window.showErrorMessage('WattLens: open a folder to run a pilot (its record goes to .wattlens/runs/).');
    return undefined;
  }
  // from the editor title or the Explorer: the file it was run on comes first
  const scripts = (await findTrainingScripts()).sort(
    (a, b) => Number(b.toString() === uri?.toString()) - Number(a.toString() === uri?.toString()),
  );
  const items = scripts.map((s) => ({
    label: relative(workspace, s.fsPath),
    description: s.toString() === uri?.toString() ? 'this file' : undefined,
  }));
  if (!items.length) {
    void vscode.window.showWarningMessage(
      "WattLens: no training script found (a Python file that calls backward() or an optimizer's step()).",
    );
    return undefined;
  }
  const script = await vscode.window.showQuickPick(items, {
    title: 'Run Pilot (1/5): training script',
    placeHolder: 'The script runs unchanged, as python SCRIPT ARGS',
  });
  if (!script) return undefined;
  const argsText = await vscode.window.showInputBox({
    title: 'Run Pilot (2/5): script arguments',
    placeHolder: 'e.g. --epochs 4 (empty: none)',
    value: '',
  });
  if (argsText === undefined) return undefined;
  const budgets = [
    { label: '50 steps', steps: 50 },
    { label: '200 steps', steps: 200 },
    { label: '30 seconds', seconds: 30 },
    { label: '60 seconds', seconds: 60 },
    { label: 'Other…' },
  ];
  const budget = await vscode.window.showQuickPick(budgets, {
    title: 'Run Pilot (3/5): budget',
    placeHolder: 'Optimizer steps (3 warm-up steps included) or seconds after warm-up',
  });
  if (!budget) return undefined;
  let steps = 'steps' in budget ? budget.steps : undefined;
  let seconds = 'seconds' in budget ? budget.seconds : undefined;
  if (!('steps' in budget) && !('seconds' in budget)) {
    const custom = await vscode.window.showInputBox({
      title: 'Run Pilot: budget',
      placeHolder: '150 (steps) or 45s',
      validateInput: (v) =>
        /^\d+\s*s?$/.test(v.trim()) && parseInt(v, 10) > 0 ? undefined : 'a positive number of steps, or seconds with an s',
    });
    if (!custom) return undefined;
    if (/s$/.test(custom.trim())) seconds = parseInt(custom, 10);
    else steps = parseInt(custom, 10);
  }
  const length = await vscode.window.showInputBox({
    title: 'Run Pilot (4/5): length of the full run',
    placeHolder: 'total steps (e.g. 5000) or epochs (e.g. 10 epochs); empty: from the script',
    validateInput: (v) => (v.trim() === '' || /^\d+\s*(epochs?)?$/.test(v.trim()) ? undefined : 'a number of steps, or N epochs'),
  });
  if (length === undefined) return undefined;
  const gpu = await vscode.window.showQuickPick(
    [
      { label: 'CPU / no GPU metering', gpus: 0 },
      { label: '1 GPU', gpus: 1 },
      { label: '2 GPUs (torchrun)', gpus: 2 },
      { label: '4 GPUs (torchrun)', gpus: 4 },
      { label: '8 GPUs (torchrun)', gpus: 8 },
    ],
    { title: 'Run Pilot (5/5): GPUs' },
  );
  if (!gpu) return undefined;
  const n = parseInt(length, 10);
  const epochs = /epoch/.test(length) && n > 0 ? n : undefined;
  const totalSteps = !epochs && n > 0 ? n : undefined;
  return {
    script: script.label,
    args: argsText.trim() ? argsText.trim().split(/\s+/) : [],
    ...(steps !== undefined ? { steps } : {}),
    ...(seconds !== undefined ? { seconds } : {}),
    ...(totalSteps !== undefined ? { totalSteps } : {}),
    ...(epochs !== undefined ? { epochs } : {}),
    gpus: gpu.gpus,
  };
}
