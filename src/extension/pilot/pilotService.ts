// Runs pilots from the editor, one at a time: a cancellable progress notification with step
// k of n and live watts, the script's output in the "WattLens Pilot" channel, trusted workspaces
// only. Keeps the run's tracker (the panel's live view) and, when it settles, its estimate.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { forecastRun, type Forecast } from '../../core/energy/forecast';
import { carbonStartMessage } from '../../core/panel/carbonStart';
import { estimateFigures, fitView } from '../../core/panel/pilotEstimate';
import { PilotTracker, type PilotFormContext } from '../../core/panel/pilotTracker';
import type { CarbonStartView, PilotRequest } from '../../core/panel/protocol';
import type { RunContext } from '../../core/panel/runComparison';
import type { RunRecord } from '../../core/pilot/runRecord';
import { PilotInputError, startPilot, type PilotHandle } from '../../core/pilot/runner';
import { ensureWattlensDir, writeFileInside } from '../../core/pilot/wattlensFiles';
import { readCarbonAwareSettings, type CarbonAwareSettings } from './carbonAwareSettings';
import { lookUpCarbonStart, pendingCarbonStart } from './carbonStartLookup';
import { readElectricityMapsToken, SET_ELECTRICITY_MAPS_TOKEN_COMMAND } from './electricityMapsToken';
import { pilotInterpreter } from './interpreter';
import { readPilotSettings, type PilotSettings } from './pilotSettings';
import { findTrainingScripts } from './trainingScripts';

export { readRunContext, runContextPath } from '../../core/pilot/runContext';

export type PilotChange = 'state' | 'progress';

export class PilotService implements vscode.Disposable {
  private active: { handle: PilotHandle; tracker: PilotTracker; workspace: string; context: RunContext } | undefined;
  private last: PilotTracker | undefined;
  private scripts: string[] = [];
  private readonly changed = new vscode.EventEmitter<PilotChange>();
  readonly onDidChange = this.changed.event;
  private readonly output: vscode.OutputChannel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: (message: string) => void,
    private readonly secrets: vscode.SecretStorage,
    /** Where a confirmed workspace interpreter is remembered. */
    private readonly workspaceState: vscode.Memento,
  ) {
    this.output = vscode.window.createOutputChannel('WattLens Pilot');
    this.disposables.push(
      this.output,
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire('state')),
      vscode.workspace.onDidSaveTextDocument((d) => d.languageId === 'python' && void this.refreshScripts()),
      vscode.workspace.onDidCreateFiles(() => void this.refreshScripts()),
    );
    void this.refreshScripts();
  }

  static settings(scope?: vscode.Uri): PilotSettings {
    const config = vscode.workspace.getConfiguration('wattlens', scope);
    return readPilotSettings((k) => config.get(k));
  }

  /** The provider is taken from the user's settings only: no workspace can turn the network on. */
  static carbonAwareSettings(scope?: vscode.Uri): CarbonAwareSettings {
    const config = vscode.workspace.getConfiguration('wattlens', scope);
    return readCarbonAwareSettings((k) => (k === 'carbonAware.provider' ? config.inspect(k)?.globalValue : config.get(k)), process.env);
  }

  workspaceDir(): string | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  }

  form(): PilotFormContext {
    const trusted = vscode.workspace.isTrusted;
    const workspace = this.workspaceDir();
    return {
      scripts: this.scripts,
      canRun: trusted && workspace !== undefined,
      cannotRunReason: !trusted
        ? 'Pilot runs execute your script: trust this workspace to run them (Restricted Mode).'
        : workspace === undefined
          ? 'Open a folder: pilot records are kept in its .wattlens/runs/.'
          : null,
    };
  }

  /** The running pilot's tracker, else the last one of this session. */
  tracker(): PilotTracker | undefined {
    return this.active?.tracker ?? this.last;
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  async refreshScripts(): Promise<void> {
    const workspace = this.workspaceDir();
    const uris = await findTrainingScripts();
    this.scripts = uris.map((u) => (workspace ? relative(workspace, u.fsPath) : u.fsPath));
    this.changed.fire('state');
  }

  /** Starts a pilot; refuses (with a message) in an untrusted workspace or while one runs. */
  async start(request: PilotRequest, context: RunContext = {}): Promise<{ ok: true; id: string } | { ok: false; reason: string }> {
    const form = this.form();
    if (!form.canRun) return { ok: false, reason: form.cannotRunReason ?? 'pilots cannot run here' };
    if (this.active) return { ok: false, reason: 'a pilot is already running: cancel it first' };
    const workspace = this.workspaceDir()!;
    const script = isAbsolute(request.script) ? request.script : resolve(workspace, request.script);
    if (relative(workspace, script).startsWith('..')) return { ok: false, reason: 'the script must be inside the workspace' };
    if (!existsSync(script)) return { ok: false, reason: `script not found: ${request.script}` };
    const interpreter = await pilotInterpreter(this.workspaceState, vscode.Uri.file(script));
    if (!interpreter.ok) return { ok: false, reason: interpreter.reason };
    // another pilot may have started while the prompt was open (narrowing does not see the await)
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (this.active) return { ok: false, reason: 'a pilot is already running: cancel it first' };
    const budget = request.steps !== undefined ? { steps: request.steps } : { seconds: request.seconds ?? 60 };
    let handle: PilotHandle;
    try {
      handle = startPilot({
        script,
        args: request.args,
        cwd: workspace,
        workspaceDir: workspace,
        python: interpreter.python,
        budget,
        gpus: request.gpus ?? 0,
      });
    } catch (e) {
      return { ok: false, reason: e instanceof PilotInputError ? e.message : `could not start the pilot: ${(e as Error).message}` };
    }
    const runContext: RunContext = {
      ...context,
      ...(request.totalSteps !== undefined ? { totalSteps: request.totalSteps } : {}),
      ...(request.epochs !== undefined ? { epochs: request.epochs } : {}),
      ...(request.targetLoss !== undefined ? { targetLoss: request.targetLoss } : {}),
    };
    this.saveContext(workspace, handle.id, runContext);
    const tracker = new PilotTracker(handle.id, relative(workspace, script), budget, form);
    this.active = { handle, tracker, workspace, context: runContext };
    this.output.appendLine(
      `— pilot ${handle.id}: ${interpreter.python} (${interpreter.from}) ${relative(workspace, script)} ${request.args.join(' ')}, budget ${budget.steps !== undefined ? `${budget.steps} steps` : `${budget.seconds} s`}`,
    );
    this.log(`pilot ${handle.id} started (${relative(workspace, script)})`);
    handle.on((e) => {
      if (e.kind === 'log') this.output.append(e.stream === 'harness' ? `[harness] ${e.text}\n` : e.text);
      if (e.kind === 'warning') this.output.appendLine(`[warning] ${e.message}`);
      if (tracker.onEvent(e)) this.changed.fire(e.kind === 'step' || e.kind === 'power' ? 'progress' : 'state');
    });
    this.showProgress(handle, tracker);
    void handle.done.then(
      (record) => this.settle(record),
      (err: unknown) => {
        tracker.fail(`the pilot failed: ${err instanceof Error ? err.message : String(err)}`);
        this.finish();
      },
    );
    this.changed.fire('state');
    return { ok: true, id: handle.id };
  }

  cancel(): void {
    this.active?.handle.cancel();
  }

  private settle(record: RunRecord): void {
    const active = this.active;
    if (!active) return;
    const { tracker, context } = active;
    const settings = PilotService.settings(vscode.Uri.file(active.workspace));
    let forecast: Forecast | undefined;
    try {
      forecast = forecastRun({
        summary: record.summary,
        ...(context.totalSteps !== undefined
          ? { totalSteps: context.totalSteps }
          : context.epochs !== undefined
            ? { epochs: context.epochs }
            : {}),
        ...(settings.pue !== undefined ? { pue: settings.pue } : {}),
        carbon: settings.carbon,
        ...(settings.pricePerKWh !== undefined ? { pricePerKWh: settings.pricePerKWh, currency: settings.currency } : {}),
        ...(context.macsPerStep !== undefined ? { macsPerStep: context.macsPerStep } : {}),
        ...(context.targetLoss !== undefined ? { targetLoss: context.targetLoss } : {}),
      });
    } catch (e) {
      this.output.appendLine(`[forecast] ${(e as Error).message}`);
    }
    if (forecast)
      tracker.setEstimate(estimateFigures(record.summary, forecast), fitView(forecast.convergence, record.summary), forecast.assumptions);
    this.output.appendLine(`— pilot ${record.id}: ${record.state}${record.message ? ` — ${record.message}` : ''}`);
    // carbon-aware start (opt-in): nothing is fetched unless wattlens.carbonAware.provider is set
    const carbon = PilotService.carbonAwareSettings(vscode.Uri.file(active.workspace));
    const pending = pendingCarbonStart(carbon);
    if (forecast && pending && record.state !== 'failed') {
      tracker.setCarbonStart(pending);
      void this.suggestStart(carbon, forecast, tracker, active.workspace, record.id, context);
    }
    this.finish();
  }

  /** Fetches the intensity forecast off the pilot's path; its outcome goes to the panel, the
   *  output channel, the run's context file and one notification. Never fails the pilot. */
  private async suggestStart(
    settings: CarbonAwareSettings,
    forecast: Forecast,
    tracker: PilotTracker,
    workspace: string,
    id: string,
    context: RunContext,
  ): Promise<void> {
    let view: CarbonStartView | null;
    try {
      view = await lookUpCarbonStart({
        settings,
        durationS: forecast.timeS,
        energyKWh: forecast.energyKWh,
        readToken: () => readElectricityMapsToken(this.secrets),
      });
    } catch (e) {
      view = { ...pendingCarbonStart(settings)!, state: 'unavailable', reason: (e as Error).message };
    }
    tracker.setCarbonStart(view);
    if (!view) return;
    const message = carbonStartMessage(view);
    this.output.appendLine(`[carbon-aware start] ${message}`);
    this.saveContext(workspace, id, { ...context, carbonStart: view });
    this.changed.fire('state');
    if (view.state === 'ready') {
      const pick = await vscode.window.showInformationMessage(
        `WattLens pilot ${tracker.status().script ?? ''}: ${message}`,
        'Show Energy Report',
      );
      if (pick) void vscode.commands.executeCommand('wattlens.showReport');
    } else {
      const actions =
        settings.enabled && 'choice' in settings && settings.choice.provider === 'electricitymaps' && /token/.test(view.reason ?? '')
          ? ['Set Electricity Maps Token']
          : ['Open Settings'];
      const pick = await vscode.window.showWarningMessage(`WattLens: ${message}`, ...actions);
      if (pick === 'Set Electricity Maps Token') void vscode.commands.executeCommand(SET_ELECTRICITY_MAPS_TOKEN_COMMAND);
      else if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'wattlens.carbonAware');
    }
  }

  private finish(): void {
    this.last = this.active?.tracker;
    this.active = undefined;
    this.changed.fire('state');
  }

  private showProgress(handle: PilotHandle, tracker: PilotTracker): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `WattLens pilot: ${tracker.status().script}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((done) => {
          token.onCancellationRequested(() => handle.cancel());
          let reported = 0;
          const stop = handle.on((e) => {
            if (e.kind === 'step' || e.kind === 'power') {
              const v = tracker.status();
              const fraction = v.budgetSteps ? Math.min(1, v.step / v.budgetSteps) : 0;
              const increment = Math.max(0, fraction * 100 - reported);
              reported += increment;
              const watts = v.lastWatts !== null ? ` · ${v.lastWatts.toFixed(1)} W (${v.powerSource ?? '?'})` : '';
              progress.report({ message: `step ${v.step}${v.budgetSteps ? ` of ${v.budgetSteps}` : ''}${watts}`, increment });
            }
          });
          void handle.done.finally(() => {
            stop();
            done();
          });
        }),
    );
  }

  private saveContext(workspace: string, id: string, context: RunContext & { carbonStart?: CarbonStartView }): void {
    try {
      writeFileInside(ensureWattlensDir(workspace, 'panel', 'runs'), `${id}.json`, JSON.stringify(context, null, 1));
    } catch (e) {
      this.log(`could not save the pilot's context: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    this.active?.handle.cancel();
    for (const d of this.disposables) d.dispose();
  }
}
