// From a built model and the cost events of its forward pass to a ModelReport: totals,
// per-layer rows charged to source lines, memory, and the assumptions behind them.
import { evaluateSym, freshUnknownSymbol, symAdd, symMul, symProduct, type SymNum, Poly } from '../interp/symbolic';
import { PyFloat, PyFunction, PyInstance, PyTuple } from '../interp/values';
import { estimateTrainingMemory, PRECISIONS, trainingMemoryAssumptions, type ActivationProfile } from '../memory/trainingMemory';
import type { Count, InputSpec, LayerReport, ModelReport, OptimizerKind, Precision, Unknown } from '../report/types';
import { LAYERS, LAYER_ALIASES } from '../ops/layers';
import { layerSpecOf, namedModules, parameterTensors } from '../torch/nnModule';
import type { CostEvent, CostRecorder } from '../torch/recorder';
import { Tensor } from '../torch/tensor';
import { NN_PRELUDE_FILE } from '../torch/prelude';

export interface ReportContext {
  file: string;
  name: string;
  entry: string;
  entryKind: ModelReport['entryKind'];
  line: number | null;
  model: PyInstance;
  recorder: CostRecorder | undefined;
  input: InputSpec;
  bindings: Record<string, number>;
  /** Batch size for training memory. */
  batch: number;
  /** Batch of the analyzed input (the activations were counted at it). */
  inputBatch: number;
  precision: Precision;
  optimizer: OptimizerKind;
  /** Why the forward pass did not complete, if it did not. */
  forwardFailure?: Unknown;
  /** Why what construction built may differ from what the code builds (unmodelled.ts). */
  buildBlockers?: Unknown[];
  /** Why forward's MAC total is unknown although forward ran to its end (unmodelled.ts). */
  forwardBlockers?: Unknown[];
  /** Unmodelled APIs construction met that blocked nothing by themselves. */
  unmodelled?: Unknown[];
  /** What the MAC figure itself holds for (a detection model's proposals and detections): listed right after the input. */
  figureNotes?: string[];
  notes: string[];
}

const CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

export function buildModelReport(c: ReportContext): ModelReport {
  // what left the parameter totals unknown, what left the MACs unknown, then the rest
  const paramUnknowns: Unknown[] = [];
  const macUnknowns: Unknown[] = [];
  const unknowns: Unknown[] = [];
  const evaluate = (x: SymNum, what: string): Count => {
    const r = evaluateSym(x, c.bindings);
    const list = /param/.test(what) ? paramUnknowns : what === 'MACs' ? macUnknowns : unknowns;
    // a total left unknown by a part already listed is not listed again
    const listed = (u: Unknown) => r.reason === u.reason || r.reason === `${u.what}: ${u.reason}`;
    if (r.value === null && r.reason && ![...paramUnknowns, ...macUnknowns, ...unknowns].some(listed))
      addUnknown(list, { what, reason: r.reason });
    return r.value;
  };

  // parameters: per layer (tied counted per holder), unique (as model.parameters()), trainable
  const modules = namedModules(c.model);
  const pathOf = new Map<PyInstance, string>();
  for (const m of modules) pathOf.set(m.module, m.path);
  let perLayer: SymNum = 0;
  for (const { module } of modules)
    for (const p of module.module!.parameters.values()) if (p instanceof Tensor) perLayer = symAdd(perLayer, paramNumel(p));
  // attributes set to unknown values may be submodules: then no parameter total is known
  let unknownParts: SymNum = 0;
  for (const { path, module } of modules)
    for (const [name, reason] of module.module!.unknownAttrs ?? []) {
      const what = `parameters of ${path ? `${path}.` : ''}${name}`;
      const site = module.module!.unknownAttrSites?.get(name);
      addUnknown(paramUnknowns, { what, reason, file: site?.file, line: site?.line });
      unknownParts = symAdd(unknownParts, Poly.symbol(freshUnknownSymbol(`${what}: ${reason}`)));
    }
  for (const b of c.buildBlockers ?? []) {
    addUnknown(paramUnknowns, b);
    unknownParts = symAdd(unknownParts, Poly.symbol(freshUnknownSymbol(b.reason)));
  }
  perLayer = symAdd(perLayer, unknownParts);
  let uniqueSum: SymNum = 0;
  let trainable: SymNum = 0;
  for (const tensor of parameterTensors(c.model)) {
    uniqueSum = symAdd(uniqueSum, paramNumel(tensor));
    if (tensor.requiresGrad) trainable = symAdd(trainable, paramNumel(tensor));
  }
  uniqueSum = symAdd(uniqueSum, unknownParts);
  trainable = symAdd(trainable, unknownParts);

  const events = c.recorder?.events ?? [];
  let macs: SymNum = 0;
  let elementwise: SymNum = 0;
  let activationBytes: SymNum = 0;
  let activationElements: SymNum = 0;
  for (const e of events) {
    macs = symAdd(macs, e.macs);
    elementwise = symAdd(elementwise, e.elementwise);
    activationBytes = symAdd(activationBytes, symMul(e.outputElements, e.outputBytesPerElement));
    activationElements = symAdd(activationElements, e.outputElements);
  }

  const forward: ForwardState =
    c.input.source === 'none' || c.forwardFailure ? 'failed' : c.forwardBlockers?.length ? 'partial' : 'complete';
  const layers = buildLayerRows(c, modules, pathOf, events, c.bindings, forward);
  const forwardKnown = forward !== 'failed';
  if (c.forwardFailure) addUnknown(macUnknowns, c.forwardFailure);
  if (c.input.source === 'none') addUnknown(macUnknowns, { what: 'forward cost', reason: c.input.detail });
  for (const b of c.forwardBlockers ?? []) addUnknown(macUnknowns, b);
  // a row left unknown by the model-level reason above is not listed again
  const modelLevel = new Set(macUnknowns.map((u) => u.reason));
  for (const l of layers)
    for (const u of l.unknowns ?? [])
      if (!modelLevel.has(u.reason)) addUnknown(u.what.startsWith('params') ? paramUnknowns : macUnknowns, u);

  const params = evaluate(perLayer, 'parameters');
  const uniqueParams = evaluate(uniqueSum, 'parameters');
  const trainableParams = evaluate(trainable, 'trainable parameters');
  const macsValue = forward === 'complete' ? evaluate(macs, 'MACs') : null;
  const activation = forward === 'complete' ? evaluate(activationBytes, 'activation memory') : null;
  const elementwiseValue = forward === 'complete' ? evaluateSym(elementwise, c.bindings).value : null;

  // training memory as the code is written (its own torch.utils.checkpoint regions), and with
  // checkpointing of the repeated blocks the advisor would wrap
  const elements = forward === 'complete' ? evaluateSym(activationElements, c.bindings).value : null;
  const explicit = explicitCheckpointRegions(c);
  // activations were counted at the input's batch; training memory scales them to c.batch
  const asWritten: ActivationProfile = { elements, batch: c.inputBatch, blocks: explicit ?? [] };
  const repeated: ActivationProfile = { elements, batch: c.inputBatch, blocks: checkpointBlocks(c, pathOf) };
  const common = { uniqueParams, trainableParams, batch: c.batch, precision: c.precision, optimizer: c.optimizer };
  // first: the configured precision as written; then every precision, as written and with
  // checkpointing of the repeated blocks (when the code does not checkpoint already)
  const variant = (precision: Precision, ckpt: boolean) =>
    estimateTrainingMemory({
      ...common,
      precision,
      activations: ckpt && !explicit?.length ? repeated : asWritten,
      checkpointing: ckpt || !!explicit?.length,
    });
  const memory = [variant(c.precision, false)];
  for (const precision of PRECISIONS)
    for (const ckpt of explicit?.length ? [false] : [false, true])
      if (precision !== c.precision || ckpt) memory.push(variant(precision, ckpt));
  // checkpointed regions run their forward again during backward
  const recompute = explicit?.length && forwardKnown ? evaluateSym(regionMacs(c), c.bindings).value : 0;

  const assumptions = [
    `input ${c.input.text} (${c.input.source}: ${c.input.detail})`,
    ...(c.figureNotes ?? []),
    ...Object.entries(c.bindings)
      .filter(([k]) => !/^\d/.test(k))
      .map(([k, v]) => `symbol ${k} = ${v}`),
    'inference mode (model.eval(), no_grad): dropout off, BatchNorm uses running statistics',
    "MACs count multiply-accumulates of convolutions, linear layers and matrix products (torchvision's convention); FLOPs = 2 × MACs; elementwise work is reported apart",
    'activation memory: outputs of every layer and op that allocates (views and in-place ops excluded), at each output dtype',
    'training step ≈ 3 × forward MACs (backward computes gradients for inputs and weights)',
    ...trainingMemoryAssumptions(c.precision, c.optimizer),
    ...c.notes,
  ];
  const symbols = typeof macs === 'number' ? [] : (macs as Poly).symbols().filter((s) => !s.startsWith('?'));
  for (const u of c.unmodelled ?? []) addUnknown(unknowns, u);
  return {
    name: c.name,
    entry: c.entry,
    line: c.line,
    entryKind: c.entryKind,
    input: c.input,
    params,
    trainableParams,
    uniqueParams,
    macs: macsValue,
    flops: macsValue === null ? null : 2 * macsValue,
    elementwiseFlops: elementwiseValue,
    macsFormula: forward === 'complete' && symbols.length ? (macs as Poly).toString() : undefined,
    trainingMacs: macsValue === null || recompute === null ? null : 3 * macsValue + recompute,
    recomputeMacs: recompute || undefined,
    activationBytes: activation,
    trainingMemoryBytes: memory[0].totalBytes,
    trainingMemory: memory,
    assumptions,
    unknowns: orderUnknowns(paramUnknowns, macUnknowns, unknowns, params === null || uniqueParams === null, macsValue === null),
    layers,
    moduleClasses: [...new Set(modules.map((m) => m.module.cls.name))],
    rootClass: { name: c.model.cls.name, file: c.model.cls.file && c.model.cls.file !== NN_PRELUDE_FILE ? c.model.cls.file : null },
  };
}

/** How far forward got: to its end with every op priced, to its end past unmodelled ops, or not at all. */
type ForwardState = 'complete' | 'partial' | 'failed';

/**
 * A model's unknowns, blocking ones first: what left the parameter totals null, then what left
 * the MACs null (each marked with `blocks`), then the rest; at most 50.
 */
function orderUnknowns(params: Unknown[], macs: Unknown[], rest: Unknown[], paramsNull: boolean, macsNull: boolean): Unknown[] {
  const out: Unknown[] = [];
  for (const u of paramsNull ? params : []) addUnknown(out, { ...u, blocks: 'params' });
  for (const u of macsNull ? macs : []) addUnknown(out, { ...u, blocks: 'macs' });
  for (const u of [...(paramsNull ? [] : params), ...(macsNull ? [] : macs), ...rest]) {
    const { blocks: _, ...plain } = u;
    // an unmodelled API already named at its site by a blocking unknown
    if (u.reason === 'not modelled' && out.some((x) => x.file === u.file && x.line === u.line)) continue;
    addUnknown(out, plain);
  }
  return out;
}

function paramNumel(p: Tensor): SymNum {
  if (!p.shape) return Poly.symbol(freshUnknownSymbol(p.unknownReason ?? 'parameter shape unknown'));
  return symProduct(p.shape);
}

function addUnknown(list: Unknown[], u: Unknown): void {
  if (list.length < 50 && !list.some((x) => x.reason === u.reason && x.what === u.what)) list.push(u);
}

/** The plain settings of a catalogue layer (ints, floats, strings, bools, int tuples). */
function layerConfig(module: PyInstance): LayerReport['config'] {
  const out: NonNullable<LayerReport['config']> = {};
  for (const [k, v] of module.attrs) {
    if (k === 'training') continue;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else if (v instanceof PyFloat) out[k] = v.v;
    else if (v instanceof PyTuple && v.items.every((x) => typeof x === 'number')) out[k] = v.items as number[];
  }
  return out;
}

/** The innermost site of a stack that lies in the analyzed file. */
function lineInFile(sites: { file: string; line: number }[] | undefined, file: string): number | null {
  if (!sites) return null;
  for (let i = sites.length - 1; i >= 0; i--) if (sites[i].file === file) return sites[i].line;
  return null;
}

function innermostSite(sites: { file: string; line: number }[] | undefined): { file: string; line: number } | undefined {
  if (!sites) return undefined;
  for (let i = sites.length - 1; i >= 0; i--) if (sites[i].file !== NN_PRELUDE_FILE) return sites[i];
  return undefined;
}

function shapeOut(shape: readonly SymNum[] | null | undefined, bindings: Record<string, number>): (number | string)[] | null {
  if (!shape) return null;
  return shape.map((d) => {
    if (typeof d === 'number') return d;
    const v = evaluateSym(d, bindings).value;
    return v ?? d.toString();
  });
}

/** A row and the symbolic totals it sums before they are evaluated. */
interface RowTotals {
  row: LayerReport;
  macs: SymNum;
  elementwise: SymNum;
  bytes: SymNum;
}

/** The row key of the layers called that are not in the model's tree. */
const UNREGISTERED = 'L:<unregistered>';

function buildLayerRows(
  c: ReportContext,
  modules: { path: string; module: PyInstance }[],
  pathOf: Map<PyInstance, string>,
  events: CostEvent[],
  bindings: Record<string, number>,
  forward: ForwardState,
): LayerReport[] {
  // a module's row is keyed by the module (its path is unique; no key string to build and hash per event), an op's by its text
  const rows = new Map<PyInstance | string, RowTotals>();
  // every catalogue layer gets a row, called or not (auxiliary heads, unused layers); so does
  // every user module that holds parameters itself or has no children (a hand-written LayerNorm)
  const userLeaf = new Set<PyInstance>();
  for (const { path, module } of modules) {
    const st = module.module!;
    const spec = layerSpecOf(module.cls);
    const isCatalogue = !!spec && !(module.cls.lookup('forward') instanceof PyFunction);
    // its own parameters (collectParameters(module, false, false) without the names and sets)
    let own: SymNum = 0;
    for (const [, p] of st.parameters.entries.values()) if (p instanceof Tensor) own = symAdd(own, paramNumel(p));
    let isLeaf = true;
    for (const [, m] of st.modules.entries.values())
      if (m instanceof PyInstance) {
        isLeaf = false;
        break;
      }
    if (!isCatalogue && own === 0 && !(isLeaf && path)) continue;
    if (!isCatalogue && isLeaf) userLeaf.add(module);
    // a module is in `modules` once (namedModules), so its row is new
    const pv = evaluateSym(own, bindings);
    const site = innermostSite(st.sites);
    const unknowns: Unknown[] | undefined =
      pv.value === null
        ? [{ what: `params of ${path || c.name}`, reason: pv.reason ?? 'unknown', file: site?.file, line: site?.line }]
        : undefined;
    const formula = isCatalogue
      ? LAYERS[LAYER_ALIASES[spec!.type] ?? spec!.type].paramsFormula?.({
          attr: (n) => module.attrs.get(n) ?? (n === 'bias' ? (st.parameters.get('bias') ?? null) : null),
        })
      : undefined;
    rows.set(module, {
      row: {
        path: path || c.name,
        type: isCatalogue ? spec!.type : module.cls.name,
        kind: 'layer',
        line: lineInFile(st.sites, c.file),
        site,
        params: pv.value,
        macs: 0,
        flops: 0,
        outputShape: null,
        calls: 0,
        formula,
        config: isCatalogue ? layerConfig(module) : undefined,
        unknowns,
      },
      macs: 0,
      elementwise: 0,
      bytes: 0,
    });
  }
  // user leaf modules: their calls and output shapes, and the ops they run, go to their row
  for (const mc of c.recorder?.moduleCalls ?? []) {
    if (!userLeaf.has(mc.module)) continue;
    const r = rows.get(mc.module);
    if (!r) continue;
    r.row.calls++;
    if (mc.outputShape !== undefined) r.row.outputShape = shapeOut(mc.outputShape, bindings);
  }
  const emptyRow = (path: string, type: string, kind: LayerReport['kind'], line: number | null, site: LayerReport['site']): RowTotals => ({
    row: { path, type, kind, line, site, params: 0, macs: 0, flops: 0, outputShape: null, calls: 0 },
    macs: 0,
    elementwise: 0,
    bytes: 0,
  });
  for (const e of events) {
    let entry: RowTotals | undefined;
    if (e.kind === 'layer' && e.module) {
      // a module outside the model's tree (unregistered) shares one row
      const key = pathOf.has(e.module) ? e.module : UNREGISTERED;
      entry = rows.get(key);
      if (!entry)
        rows.set(
          key,
          (entry = emptyRow(
            pathOf.get(e.module) ?? '<unregistered>',
            e.type,
            'layer',
            lineInFile(e.module.module?.sites, c.file),
            innermostSite(e.module.module?.sites),
          )),
        );
    } else if (e.module && userLeaf.has(e.module)) {
      entry = rows.get(e.module)!;
    } else {
      const owner = e.module ? (pathOf.get(e.module) ?? '<unregistered>') : '';
      const site = innermostSite(e.sites);
      const key = `O:${owner}:${e.type}:${site?.file}:${site?.line}`;
      entry = rows.get(key);
      if (!entry)
        rows.set(
          key,
          (entry = emptyRow(`${owner || c.name}:${e.type}@${site?.line ?? '?'}`, e.type, 'op', lineInFile(e.sites, c.file), site)),
        );
    }
    if (!(e.kind === 'op' && e.module && userLeaf.has(e.module))) {
      entry.row.calls++;
      entry.row.outputShape = shapeOut(e.outputShapes[0], bindings);
    }
    if (e.attention) {
      const a = e.attention;
      const dim = (d: SymNum) => shapeOut([d], bindings)![0];
      const prev = entry.row.attention;
      const add = (x: Count | undefined, d: SymNum) => {
        const v = evaluateSym(d, bindings).value;
        return x === null || v === null ? null : (x ?? 0) + v;
      };
      entry.row.attention = {
        queryLength: dim(a.queryLength),
        keyLength: dim(a.keyLength),
        scoreElements: add(prev?.scoreElements, a.scoreElements),
        scoreMacs: add(prev?.scoreMacs, a.scoreMacs),
        headDim: dim(a.headDim),
      };
    }
    entry.macs = symAdd(entry.macs, e.macs);
    entry.elementwise = symAdd(entry.elementwise, e.elementwise);
    entry.bytes = symAdd(entry.bytes, symMul(e.outputElements, e.outputBytesPerElement));
    if (e.formula) entry.row.formula = entry.row.formula ? `${entry.row.formula}; ${e.formula}` : e.formula;
    if (entry.row.formula && entry.row.formula.length > 300) entry.row.formula = entry.row.formula.slice(0, 300);
  }
  const out: LayerReport[] = [];
  for (const { row, macs, elementwise, bytes } of rows.values()) {
    // forward that did not run (or stopped) left every row's cost unknown; one that went on past an
    // unmodelled op may have skipped a call (an op handed the layer): rows it never reached are unknown
    if (forward === 'failed' || (forward === 'partial' && row.calls === 0)) {
      row.macs = row.flops = row.elementwiseFlops = row.activationBytes = null;
      const why = forward === 'failed' ? (c.forwardFailure ?? { what: 'forward cost', reason: c.input.detail }) : c.forwardBlockers![0];
      (row.unknowns ??= []).push({ what: `MACs of ${row.path}`, reason: why.reason, file: why.file, line: why.line });
      out.push(row);
      continue;
    }
    const m = evaluateSym(macs, bindings);
    row.macs = m.value;
    row.flops = m.value === null ? null : 2 * m.value;
    row.elementwiseFlops = evaluateSym(elementwise, bindings).value;
    row.activationBytes = evaluateSym(bytes, bindings).value;
    if (m.value === null && m.reason)
      (row.unknowns ??= []).push({
        what: `MACs of ${row.path}`,
        reason: m.reason,
        line: row.line ?? undefined,
        file: row.line ? c.file : undefined,
      });
    // ops that cost nothing and allocate nothing are noise in the table
    if (row.kind === 'op' && row.macs === 0 && !row.elementwiseFlops && !row.activationBytes) continue;
    out.push(row);
  }
  return out;
}

/** The code's own torch.utils.checkpoint regions, as blocks of the memory model; undefined when none. */
function explicitCheckpointRegions(c: ReportContext): ActivationProfile['blocks'] | undefined {
  const regions = c.recorder?.checkpointRegions ?? [];
  if (!regions.length) return undefined;
  const out: { inputElements: number; internalElements: number }[] = [];
  for (const r of regions) {
    let inside: SymNum = 0;
    for (let i = r.firstEvent; i < r.lastEvent; i++) inside = symAdd(inside, c.recorder!.events[i].outputElements);
    const input = evaluateSym(r.inputElements, c.bindings).value;
    const internal = evaluateSym(inside, c.bindings).value;
    if (input === null || internal === null) return undefined;
    out.push({ inputElements: input, internalElements: internal });
  }
  return out;
}

function regionMacs(c: ReportContext): SymNum {
  let total: SymNum = 0;
  for (const r of c.recorder?.checkpointRegions ?? [])
    for (let i = r.firstEvent; i < r.lastEvent; i++) total = symAdd(total, c.recorder!.events[i].macs);
  return total;
}

/** Repeated blocks that activation checkpointing would wrap: user modules held by containers, outermost level. */
function checkpointBlocks(c: ReportContext, pathOf: Map<PyInstance, string>): ActivationProfile['blocks'] {
  const rec = c.recorder;
  if (!rec) return [];
  const byPath = new Map<string, PyInstance>();
  for (const [m, p] of pathOf) byPath.set(p, m);
  const candidates = rec.moduleCalls.filter((mc) => {
    const path = pathOf.get(mc.module);
    if (!path || !/\.\d+$/.test(path)) return false;
    const parent = byPath.get(path.replace(/\.\d+$/, ''));
    return !!parent && CONTAINERS.has(parent.cls.name) && !CONTAINERS.has(mc.module.cls.name);
  });
  if (candidates.length < 2) return [];
  const minDepth = Math.min(...candidates.map((m) => m.depth));
  const blocks = candidates.filter((m) => m.depth === minDepth);
  const out: { inputElements: number; internalElements: number }[] = [];
  for (const b of blocks) {
    let inside: SymNum = 0;
    for (let i = b.firstEvent; i < b.lastEvent; i++) inside = symAdd(inside, rec.events[i].outputElements);
    const input = evaluateSym(b.inputElements, c.bindings).value;
    const internal = evaluateSym(inside, c.bindings).value;
    if (input === null || internal === null) return [];
    out.push({ inputElements: input, internalElements: internal });
  }
  return out;
}
