// Follows one pilot run for the panel: turns the runner's events into the pilot view (step k of
// n, last loss, live watts) and into batches of new chart points. Both series are bounded, so a
// run updating 10× per second for hours keeps a fixed memory on the host and in the webview.
import type { PilotEvent } from '../pilot/runner';
import { BoundedSeries } from './boundedSeries';
import type { CarbonStartView, EstimateFigure, FitView, LossPoint, PilotProgress, PilotView, PowerPoint } from './protocol';
import { SERIES_CAPACITY, idlePilotView, type PilotFormContext } from './pilotIdle';

export { SERIES_CAPACITY, idlePilotView, type PilotFormContext };

export class PilotTracker {
  private readonly loss = new BoundedSeries<LossPoint>(SERIES_CAPACITY);
  private readonly power = new BoundedSeries<PowerPoint>(SERIES_CAPACITY);
  private pendingLoss: LossPoint[] = [];
  private pendingPower: PowerPoint[] = [];
  private firstWindowStart: number | null = null;
  private readonly startedAt: number;
  private view: PilotView;

  constructor(
    runId: string,
    script: string,
    budget: { steps?: number; seconds?: number },
    form: PilotFormContext,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.view = {
      ...idlePilotView(form),
      state: 'running',
      runId,
      script,
      budgetSteps: budget.steps ?? null,
      budgetSeconds: budget.seconds ?? null,
      message: 'starting the script…',
    };
  }

  get runId(): string {
    return this.view.runId!;
  }

  get running(): boolean {
    return this.view.state === 'running';
  }

  /** Folds one runner event in; returns true when the view changed. */
  onEvent(e: PilotEvent): boolean {
    switch (e.kind) {
      case 'step': {
        this.view.step = e.step;
        if (e.budgetSteps !== null) this.view.budgetSteps = e.budgetSteps;
        this.view.lastLoss = e.loss;
        this.view.message = null;
        const p: LossPoint = [e.step, e.loss];
        this.loss.push(p);
        this.pendingLoss.push(p);
        return true;
      }
      case 'power': {
        const readings = e.readings ?? [{ device: e.devices.join('+') || 'total', source: e.source, watts: e.watts }];
        for (const r of readings) if (!this.view.devices.includes(r.device)) this.view.devices.push(r.device);
        let t: number;
        if (e.window) {
          this.firstWindowStart ??= e.window.t0;
          t = e.window.t1 - this.firstWindowStart;
        } else t = (this.now() - this.startedAt) / 1000;
        const watts = this.view.devices.map((d) => readings.find((r) => r.device === d)?.watts ?? null);
        const p: PowerPoint = { t, watts };
        this.power.push(p);
        this.pendingPower.push(p);
        this.view.lastWatts = e.watts;
        this.view.powerSource = e.source;
        return true;
      }
      case 'warning':
        this.view.message = e.message;
        return true;
      case 'finished':
      case 'failed':
      case 'cancelled':
        this.view.state = e.kind;
        this.view.message = e.kind === 'failed' ? e.message : e.record.message;
        return true;
      default:
        return false;
    }
  }

  /** The chart points that arrived since the last call (null when none). */
  takeProgress(): PilotProgress | null {
    if (!this.pendingLoss.length && !this.pendingPower.length) return null;
    const progress: PilotProgress = {
      runId: this.runId,
      step: this.view.step,
      lastLoss: this.view.lastLoss,
      lastWatts: this.view.lastWatts,
      powerSource: this.view.powerSource,
      devices: [...this.view.devices],
      loss: this.pendingLoss,
      power: this.pendingPower,
    };
    this.pendingLoss = [];
    this.pendingPower = [];
    return progress;
  }

  /** The estimate of the settled run. */
  setEstimate(estimate: EstimateFigure[], fit: FitView | null, assumptions: string[]): void {
    this.view.estimate = estimate;
    this.view.fit = fit;
    this.view.assumptions = assumptions;
  }

  /** The carbon-aware start of the full run (opt-in): fetching, then its window or why none. */
  setCarbonStart(view: CarbonStartView | null): void {
    this.view.carbonStart = view;
  }

  setForm(form: PilotFormContext): void {
    Object.assign(this.view, form);
  }

  fail(message: string): void {
    this.view.state = 'failed';
    this.view.message = message;
  }

  /** The run's figures without its series (progress notifications, status). */
  status(): Readonly<Omit<PilotView, 'loss' | 'power'>> {
    return this.view;
  }

  /** The whole view with the bounded series. The pending points are in it too: whoever sends a
   *  snapshot calls takeProgress() first, so they are not sent twice. */
  snapshot(): PilotView {
    return { ...this.view, devices: [...this.view.devices], loss: this.loss.toArray(), power: this.power.toArray() };
  }
}
