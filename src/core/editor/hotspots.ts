// Hot spots worth a diagnostic: lines that dominate a model's MACs or activation memory,
// attention score matrices that grow with T², and training memory over the GPU's capacity.
// Each message names its figures; nothing is flagged on unknown figures.
import type { GpuTarget } from '../gpu/gpuProfiles';
import { formatBytes, formatCost, formatShape, formatShare, type CostConvention } from '../report/format';
import type { FileReport, LayerReport, ModelReport } from '../report/types';
import { trainingLabel, trainingRow } from './lens';
import { lineCosts } from './lineCosts';
import type { EditorSettings } from './settings';

export type HotspotCode = 'macs-share' | 'memory-share' | 'attention-quadratic' | 'gpu-memory';

export interface Hotspot {
  /** 1-based line. */
  line: number;
  code: HotspotCode;
  model: string;
  message: string;
}

/** Share hot spots are reported in models with at least this many costly lines. */
const MIN_LINES_FOR_SHARES = 3;

export type HotspotSettings = Pick<
  EditorSettings,
  'macsShareThreshold' | 'memoryShareThreshold' | 'attentionMinSequenceLength' | 'costUnit'
>;

export function findHotspots(report: FileReport, settings: HotspotSettings, gpu: GpuTarget | null): Hotspot[] {
  const out: Hotspot[] = [];
  const unit = settings.costUnit;
  const costs = [...lineCosts(report).values()];
  const linesOf = new Map<string, number>();
  for (const c of costs) linesOf.set(c.model.name, (linesOf.get(c.model.name) ?? 0) + 1);
  for (const cost of costs) {
    const m = cost.model;
    // in a model of one or two costly lines, every line "dominates": no news there
    if ((linesOf.get(m.name) ?? 0) < MIN_LINES_FOR_SHARES) continue;
    const name = cost.rows.length === 1 ? `${cost.rows[0].path} (${cost.rows[0].type})` : `${cost.types.join(', ')} × ${cost.rows.length}`;
    if (cost.macs !== null && m.macs && cost.macs / m.macs >= settings.macsShareThreshold)
      out.push({
        line: cost.line,
        code: 'macs-share',
        model: m.name,
        message: `${name}: ${formatCost(cost.macs, unit)}, ${formatShare(cost.macs, m.macs)} of ${m.name}'s ${formatCost(m.macs, unit)} forward (estimated)`,
      });
    if (cost.activationBytes !== null && m.activationBytes && cost.activationBytes / m.activationBytes >= settings.memoryShareThreshold)
      out.push({
        line: cost.line,
        code: 'memory-share',
        model: m.name,
        message: `${name}: ${formatBytes(cost.activationBytes)} of outputs, ${formatShare(cost.activationBytes, m.activationBytes)} of ${m.name}'s ${formatBytes(m.activationBytes)} activation memory per forward pass (estimated)`,
      });
  }
  for (const m of report.models) {
    out.push(...attentionHotspots(m, settings.attentionMinSequenceLength, unit));
    const gpuHotspot = memoryOverGpu(m, gpu);
    if (gpuHotspot) out.push(gpuHotspot);
  }
  return out;
}

/** Sequence lengths of a model's input: bound symbols (T, L, S) and the non-batch dims of its shapes. */
function sequenceLengths(m: ModelReport): Set<number> {
  const lengths = new Set<number>();
  for (const [k, v] of Object.entries(m.input.bindings ?? {})) if (/^(T|L|S)$/.test(k)) lengths.add(v);
  for (const shape of m.input.shapes) for (const d of shape.slice(1)) if (typeof d === 'number') lengths.add(d);
  return lengths;
}

const SCORE_OPS = /^(matmul|bmm|baddbmm|einsum|Tensor\.matmul|Tensor\.bmm|torch\.matmul|torch\.bmm|torch\.einsum)$/;
const FUSED_ATTENTION = /scaled_dot_product_attention|MultiheadAttention/;

/** A T×T score matrix in forward: a matrix product whose output ends in (T, T). */
function quadraticLength(row: LayerReport, lengths: Set<number>): number | undefined {
  const shape = row.outputShape;
  if (!shape || shape.length < 2) return undefined;
  const a = shape[shape.length - 2];
  const b = shape[shape.length - 1];
  if (SCORE_OPS.test(row.type) && typeof a === 'number' && a === b && lengths.has(a)) return a;
  if (FUSED_ATTENTION.test(row.type)) {
    // fused attention returns (…, T, E); its cost still holds T·S
    const t = row.type.includes('MultiheadAttention') ? (shape[shape.length - 3] ?? a) : a;
    if (typeof t === 'number' && lengths.has(t)) return t;
  }
  return undefined;
}

function attentionHotspots(m: ModelReport, minLength: number, unit: CostConvention): Hotspot[] {
  const lengths = sequenceLengths(m);
  const byLine = new Map<number, { rows: LayerReport[]; t: number }>();
  for (const row of m.layers) {
    if (row.line === null) continue;
    const t = quadraticLength(row, lengths);
    if (t === undefined || t < minLength) continue;
    const entry = byLine.get(row.line) ?? { rows: [], t };
    entry.rows.push(row);
    byLine.set(row.line, entry);
  }
  const out: Hotspot[] = [];
  for (const [line, { rows, t }] of byLine) {
    const macs = rows.every((r) => r.macs !== null) ? rows.reduce((s, r) => s + (r.macs as number), 0) : null;
    const bytes = rows.every((r) => typeof r.activationBytes === 'number')
      ? rows.reduce((s, r) => s + (r.activationBytes as number), 0)
      : null;
    const scores = FUSED_ATTENTION.test(rows[0].type) ? `${rows[0].type} cost` : `attention scores ${formatShape(rows[0].outputShape)}`;
    const figures = [
      macs !== null ? `${formatCost(macs, unit)}${m.macs ? ` (${formatShare(macs, m.macs)})` : ''}` : undefined,
      bytes !== null && !FUSED_ATTENTION.test(rows[0].type) ? `${formatBytes(bytes)} of score matrices` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    const calls = rows.reduce((s, r) => s + r.calls, 0);
    out.push({
      line,
      code: 'attention-quadratic',
      model: m.name,
      message: `${scores} grow with T² (T = ${t}${calls > 1 ? `, ${calls} calls` : ''}): ${figures}; doubling T quadruples them (estimated)`,
    });
  }
  return out;
}

function memoryOverGpu(m: ModelReport, gpu: GpuTarget | null): Hotspot | undefined {
  if (!gpu || m.line === null) return undefined;
  const t = trainingRow(m);
  const capacity = `${formatBytes(gpu.memoryBytes)} of ${gpu.name} (${gpu.source})`;
  if (t && t.totalBytes !== null && t.totalBytes > gpu.memoryBytes)
    return {
      line: m.line,
      code: 'gpu-memory',
      model: m.name,
      message: `${m.name}: training memory ${formatBytes(t.totalBytes)} (${trainingLabel(t)}; activations ${formatBytes(t.activationsBytes)}) exceeds the ${capacity} (estimated)`,
    };
  if (m.activationBytes !== null && m.activationBytes > gpu.memoryBytes)
    return {
      line: m.line,
      code: 'gpu-memory',
      model: m.name,
      message: `${m.name}: activation memory ${formatBytes(m.activationBytes)} per forward pass exceeds the ${capacity} (estimated)`,
    };
  return undefined;
}
