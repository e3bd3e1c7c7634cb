// From the engine's ModelReport to what the panel shows of it: one row per layer with the
// figures the table needs, the totals, training memory against the GPU, assumptions and
// unknowns. Figures are copied, never recomputed: the panel shows what the CLI prints.
import type { GpuResolution } from '../gpu/gpuProfiles';
import type { CostConvention } from '../report/format';
import { firstBlocking, formatShape, unknownText } from '../report/format';
import { collapseImportProblems } from '../report/problems';
import type { FileReport, LayerReport, ModelReport } from '../report/types';
import type { LayerRow, ModelView, ReportView } from './protocol';

export function layerRow(row: LayerReport, analyzedFile: string): LayerRow {
  const out: LayerRow = {
    path: row.path,
    type: row.type,
    kind: row.kind,
    line: row.line,
    params: row.params,
    macs: row.macs,
    activationBytes: row.activationBytes ?? null,
    outputShape: formatShape(row.outputShape),
    calls: row.calls,
  };
  if (row.site && row.site.file !== analyzedFile) out.site = { file: row.site.file, line: row.site.line };
  if (row.formula) out.formula = row.formula;
  const reasons = (row.unknowns ?? []).map((u) => `${u.what}: ${u.reason}`);
  if (reasons.length) out.unknown = reasons.join('; ');
  return out;
}

export function modelView(model: ModelReport, analyzedFile: string, gpu: GpuResolution): ModelView {
  return {
    name: model.name,
    entry: model.entry,
    line: model.line,
    input: { text: model.input.text, source: model.input.source, detail: model.input.detail },
    totals: {
      params: model.params,
      uniqueParams: model.uniqueParams,
      trainableParams: model.trainableParams,
      macs: model.macs,
      flops: model.flops,
      elementwiseFlops: model.elementwiseFlops ?? null,
      trainingMacs: model.trainingMacs ?? null,
      activationBytes: model.activationBytes,
      trainingMemoryBytes: model.trainingMemoryBytes,
    },
    ...(model.macsFormula ? { macsFormula: model.macsFormula } : {}),
    layers: model.layers.map((l) => layerRow(l, analyzedFile)),
    trainingMemory: (model.trainingMemory ?? []).map((t) => ({ ...t })),
    gpu: gpu.gpu ? { name: gpu.gpu.name, memoryBytes: gpu.gpu.memoryBytes, source: gpu.gpu.source } : { reason: gpu.reason },
    assumptions: [...model.assumptions],
    // a line is a link into the analyzed file: lines of other files stay in the text
    unknowns: model.unknowns.map((u) => ({
      what: u.what,
      reason: u.reason,
      ...(u.line !== undefined && (u.file === undefined || u.file === analyzedFile) ? { line: u.line } : {}),
    })),
    ...blockingView(model, analyzedFile),
  };
}

function blockingView(model: ModelReport, analyzedFile: string): Pick<ModelView, 'blocking'> {
  const u = firstBlocking(model);
  if (!u) return {};
  const inFile = u.line !== undefined && (u.file === undefined || u.file === analyzedFile);
  return { blocking: { text: unknownText(u), ...(inFile ? { line: u.line } : {}) } };
}

export interface ReportViewInput {
  report: FileReport;
  /** Workspace-relative path shown in the panel. */
  displayPath: string;
  documentVersion: number;
  /** The model to show (under the cursor, or picked); undefined: none could be analyzed. */
  model: ModelReport | undefined;
  followsCursor: boolean;
  costUnit: CostConvention;
  gpu: GpuResolution;
  stale: boolean;
}

export function reportView(input: ReportViewInput): ReportView {
  const { report, model } = input;
  const problems = [
    ...collapseImportProblems(report.problems).map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.what}: ${p.reason}`),
    ...(report.notBuilt ?? []).map((n) => `${n.line ? `line ${n.line}: ` : ''}${n.what} not built: ${n.reason}`),
  ];
  return {
    status: model ? 'ready' : 'no-model',
    statusText: model
      ? `${model.name} in ${input.displayPath} — estimated by static analysis of the source, not measured`
      : `No model could be analyzed in ${input.displayPath}${problems.length ? '' : ': no nn.Module class or builder found'}`,
    file: input.displayPath,
    documentVersion: input.documentVersion,
    costUnit: input.costUnit,
    models: report.models.map((m) => ({ name: m.name, line: m.line })),
    model: model ? modelView(model, report.file, input.gpu) : null,
    followsCursor: input.followsCursor,
    problems,
    stale: input.stale,
  };
}

/** A report view with nothing to show, and why. */
export function emptyReportView(
  status: Exclude<ReportView['status'], 'ready'>,
  statusText: string,
  costUnit: CostConvention = 'macs',
  file: string | null = null,
): ReportView {
  return {
    status,
    statusText,
    file,
    documentVersion: null,
    costUnit,
    models: [],
    model: null,
    followsCursor: true,
    problems: [],
    stale: false,
  };
}

/** Of a file's models, the largest (most layers): what the panel shows when the cursor is on none. */
export function largestModel(models: readonly ModelReport[]): ModelReport | undefined {
  return models.reduce<ModelReport | undefined>((best, m) => (!best || m.layers.length > best.layers.length ? m : best), undefined);
}
