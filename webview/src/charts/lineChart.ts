// A uPlot line chart as a Lit element: series on one x axis, theme colours, resized with its
// container, redrawn on theme change, exportable as PNG (title and legend drawn in). uPlot
// needs no eval and sets its styles through the CSSOM, so it runs under the panel's strict CSP.
import { LitElement, css, html } from 'lit';
import uPlot from 'uplot';
import { chartColors, onThemeChange } from '../theme';

export interface ChartSeries {
  label: string;
  /** Index into the theme's series colours. */
  color: number;
  dashed?: boolean;
  points?: boolean;
  /** Draw no line between points (measured samples shown as dots). */
  pointsOnly?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: ChartSeries[];
  /** [x values, ...one array per series]; null where a series has no value at that x. */
  data: (number | null)[][];
  /** A horizontal reference line (e.g. the target loss). */
  hline?: { y: number; label: string; color: number } | null;
}

export class LineChart extends LitElement {
  static override properties = { spec: { attribute: false } };
  declare spec: ChartSpec | null;
  private plot: uPlot | null = null;
  private shape = '';
  private resizeObserver: ResizeObserver | null = null;
  private stopTheme: (() => void) | null = null;
  /** Points drawn (tests and the bench read it). */
  pointCount = 0;

  static override styles = css`
    :host {
      display: block;
      min-height: 180px;
    }
    .empty {
      color: var(--vscode-descriptionForeground);
      padding: 8px 0;
    }
  `;

  constructor() {
    super();
    this.spec = null;
  }

  // uPlot's stylesheet is global: the chart lives in the light DOM
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.resizeObserver.observe(this);
    this.stopTheme = onThemeChange(() => this.rebuild());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.stopTheme?.();
    this.plot?.destroy();
    this.plot = null;
  }

  protected override render() {
    return this.spec && this.spec.data[0]?.length ? html`` : html`<div class="empty">${this.spec?.title ?? ''}: no points yet</div>`;
  }

  protected override updated(): void {
    const spec = this.spec;
    if (!spec || !spec.data[0]?.length) {
      this.plot?.destroy();
      this.plot = null;
      this.pointCount = 0;
      return;
    }
    const shape = JSON.stringify([spec.title, spec.series, spec.logX, spec.logY, spec.hline]);
    if (!this.plot || shape !== this.shape) this.rebuild();
    else this.plot.setData(spec.data as uPlot.AlignedData);
    this.pointCount = spec.data[0].length;
    this.dataset.points = String(this.pointCount);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(200, Math.floor(this.getBoundingClientRect().width || 300));
    return { width, height: 180 };
  }

  private rebuild(): void {
    const spec = this.spec;
    this.plot?.destroy();
    this.plot = null;
    if (!spec || !spec.data[0]?.length) return;
    for (const old of this.querySelectorAll('.uplot')) old.remove();
    this.shape = JSON.stringify([spec.title, spec.series, spec.logX, spec.logY, spec.hline]);
    const c = chartColors();
    const color = (i: number) => c.series[i % c.series.length]!;
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: c.foreground,
      grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1 },
      font: c.font,
      labelFont: c.font,
    });
    const hline = spec.hline;
    const opts: uPlot.Options = {
      ...this.size(),
      title: spec.title,
      // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- uPlot's Distr is a const enum, out of reach under isolatedModules (3 = log, 1 = linear)
      scales: { x: { time: false, distr: spec.logX ? 3 : 1 }, y: { distr: spec.logY ? 3 : 1 } },
      axes: [axis(spec.xLabel), axis(spec.yLabel)],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: color(s.color),
          width: s.pointsOnly ? 0 : 1.5,
          dash: s.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: s.points ?? s.pointsOnly ?? false, size: 4, stroke: color(s.color), fill: color(s.color) },
        })),
      ],
      hooks: hline
        ? {
            draw: [
              (u: uPlot) => {
                const y = u.valToPos(hline.y, 'y', true);
                if (!Number.isFinite(y)) return;
                const ctx = u.ctx;
                ctx.save();
                ctx.strokeStyle = color(hline.color);
                ctx.setLineDash([2, 3]);
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, y);
                ctx.lineTo(u.bbox.left + u.bbox.width, y);
                ctx.stroke();
                ctx.fillStyle = color(hline.color);
                ctx.font = c.font;
                ctx.fillText(hline.label, u.bbox.left + 4, y - 4);
                ctx.restore();
              },
            ],
          }
        : {},
    };
    this.plot = new uPlot(opts, spec.data as uPlot.AlignedData, this);
    this.style.color = c.foreground;
  }

  /** The chart as a PNG data URL: background, title, plot and a legend line. */
  toPng(): string | null {
    const plot = this.plot;
    const spec = this.spec;
    if (!plot || !spec) return null;
    const c = chartColors();
    const src = plot.ctx.canvas;
    const pad = 28;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height + pad * 2;
    const ctx = out.getContext('2d');
    if (!ctx) return null;
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, out.width, out.height);
    const ratio = src.width / Math.max(1, plot.width);
    ctx.fillStyle = c.foreground;
    ctx.font = `${Math.round(13 * ratio)}px sans-serif`;
    ctx.fillText(spec.title, 8 * ratio, 18 * ratio);
    ctx.drawImage(src, 0, pad);
    let x = 8 * ratio;
    ctx.font = `${Math.round(11 * ratio)}px sans-serif`;
    spec.series.forEach((s) => {
      ctx.fillStyle = c.series[s.color % c.series.length]!;
      ctx.fillRect(x, src.height + pad + 8 * ratio, 10 * ratio, 3 * ratio);
      ctx.fillStyle = c.foreground;
      ctx.fillText(s.label, x + 14 * ratio, src.height + pad + 13 * ratio);
      x += ctx.measureText(s.label).width + 30 * ratio;
    });
    return out.toDataURL('image/png');
  }
}

customElements.define('wl-line-chart', LineChart);
