// The layer graph a TF.js file builds: layers (with their config and where they were made),
// symbolic tensors, the nodes that connect them when a layer is applied, and models
// (Sequential, or functional from tf.model). Shapes here follow TF.js exactly (the batch dim
// stays null); the report replays the graph with concrete shapes (see replay.ts).
import { ConfigError, LayerConfig, ShapeError, formatShapeList, type Shape } from './config';
import { toSnakeCase, type TfLayerSpec, type WrappedLayer } from './layers';
import { customLayerSpec, isCustomLayerObject } from './customLayers';
import { HostFunction, HostValue, JsObject, Unknown, describeValue, type HostContext, type Site, type Value, unknownAt } from './values';

/** Per-run state TF.js keeps globally: name counters and creation order. */
export class TfSession {
  /** getUid's per-prefix counters (TF.js names unnamed layers snake(Class)_Class<n>). */
  counters = new Map<string, number>();
  nextId = 1;

  uid(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  snapshot(): Map<string, number> {
    return new Map(this.counters);
  }

  restore(s: Map<string, number>): void {
    this.counters = new Map(s);
  }
}

/** Where a model input comes from, for the report's input detail. */
export interface InputOrigin {
  batchShape: Shape;
  /** e.g. "tf.input({shape}) at line 3" or "inputShape of conv2d_Conv2D1". */
  detail: string;
  sites: Site[];
}

export class SymTensor extends HostValue {
  constructor(
    /** TF.js's shape (batch null); null when unknown. */
    readonly shape: Shape | null,
    /** The node that made it; null for a model input. */
    readonly node: GraphNode | null,
    readonly index: number,
    readonly origin?: InputOrigin,
    /** Why the shape is unknown. */
    readonly reason?: string,
  ) {
    super();
  }

  describe(): string {
    return `symbolic tensor ${formatShapeList(this.shape)}`;
  }

  override get(key: string): Value {
    switch (key) {
      case 'shape':
        return this.shape ? [...this.shape] : new Unknown(this.reason ?? 'shape unknown');
      case 'rank':
        return this.shape ? this.shape.length : new Unknown(this.reason ?? 'shape unknown');
      case 'dtype':
        return 'float32';
      case 'name':
        return this.node ? `${this.node.layer.name}/out${this.index}` : 'input';
    }
    return undefined;
  }
}

export class GraphNode {
  outputs: SymTensor[] = [];
  constructor(
    readonly layer: LayerValue | ModelValue,
    /** The tensors the layer is applied to, then tensors it only depends on (an RNN's initialState). */
    readonly inputs: SymTensor[],
    readonly sites: Site[],
    /** How many of inputs shape the output (the rest are initial states). */
    readonly mainInputs = inputs.length,
  ) {}
}

/** A layer made by a tf.layers factory (or a custom class). */
export class LayerValue extends HostValue implements WrappedLayer {
  readonly nodes: GraphNode[] = [];
  trainable: boolean = true;
  /** The shape TF.js inserts an input for when this is the first layer of a Sequential. */
  batchInputShape: Shape | Unknown | undefined;

  constructor(
    readonly id: number,
    readonly className: string,
    readonly spec: TfLayerSpec | undefined,
    readonly config: LayerConfig,
    readonly name: string,
    /** Call stack of its factory call, outermost first; the last entry is the factory call. */
    readonly sites: Site[],
    /** Why the catalogue cannot cost it (unknown factory, custom layer). */
    readonly unsupported?: string,
  ) {
    super();
  }

  describe(): string {
    return `layer ${this.name}`;
  }

  override get(key: string, ev: HostContext): Value {
    switch (key) {
      case 'apply':
        return new HostFunction(`${this.name}.apply`, (_t, [inputs, kwargs]) =>
          applyLayer(this, inputs, ev.sites(), initialState(this, kwargs)),
        );
      case 'name':
        return this.name;
      case 'trainable':
        return this.trainable;
      case 'getClassName':
        return new HostFunction('getClassName', () => this.className);
      case 'built':
        return this.nodes.length > 0;
      case 'outputShape':
        return this.nodes[0]?.outputs[0]?.shape ?? new Unknown(`${this.name} has not been applied yet`);
      case 'countParams':
        return new HostFunction('countParams', () => new Unknown('countParams() is computed by the report, not in code'));
    }
    return runtimeMember(`${this.name}.${key}`);
  }

  override set(key: string, value: Value): boolean {
    if (key === 'trainable' && typeof value === 'boolean') {
      this.trainable = value;
      return true;
    }
    return false;
  }
}

export class ModelValue extends HostValue {
  /** Sequential: the layers in order (Unknown for something added that is not a layer). */
  readonly layers: (LayerValue | ModelValue | Unknown)[] = [];
  /** Functional: inputs and outputs; Sequential: set once the first layer has an input shape. */
  inputs: SymTensor[] = [];
  outputs: SymTensor[] = [];
  /** Why the structure is incomplete (TF.js would throw, or code added unknown values). */
  readonly problems: Unknown[] = [];
  /** Nodes where this model is applied as a layer of another model. */
  readonly nodes: GraphNode[] = [];
  trainable = true;
  /** A shape given by model.build(shape) when no layer declares one. */
  declaredInput?: Shape;
  /** Why a Sequential model has no input shape (its first layer declares none). */
  inputProblem?: Unknown;

  constructor(
    readonly id: number,
    readonly kind: 'sequential' | 'functional',
    readonly name: string,
    readonly sites: Site[],
    private readonly session: TfSession,
  ) {
    super();
  }

  get className(): string {
    return this.kind === 'sequential' ? 'Sequential' : 'LayersModel';
  }

  describe(): string {
    return `${this.kind} model ${this.name}`;
  }

  /** A Sequential's batchInputShape as TF.js would see it when nested (its first layer's). */
  get batchInputShape(): Shape | Unknown | undefined {
    if (this.inputs[0]?.shape) return this.inputs[0].shape;
    const first = this.layers[0];
    return first && !(first instanceof Unknown) ? first.batchInputShape : undefined;
  }

  add(layer: Value, sites: Site[]): void {
    const line = sites[sites.length - 1]?.line;
    if (!(layer instanceof LayerValue) && !(layer instanceof ModelValue)) {
      const why = layer instanceof Unknown ? layer.reason : `${describeValue(layer)} is not a layer`;
      const u = unknownAt(`model.add at line ${line} received something that is not a known layer: ${why}`, sites[sites.length - 1]);
      this.layers.push(u);
      this.problems.push(u);
      return;
    }
    this.layers.push(layer);
    if (this.outputs.length === 0 && this.layers.length === 1) {
      const shape = layer.batchInputShape;
      if (shape === undefined) {
        this.inputProblem = unknownAt(
          `the first layer of this Sequential model (${layer.name}) has no inputShape or batchInputShape (TF.js throws "The first layer in a Sequential model must get an inputShape or batchInputShape argument"); give the shape with --input`,
          layer instanceof LayerValue ? layer.sites[layer.sites.length - 1] : sites[sites.length - 1],
        );
        return;
      }
      if (shape instanceof Unknown) {
        this.inputProblem = unknownAt(`the input shape of ${layer.name} is unknown: ${shape.reason}`, sites[sites.length - 1]);
        this.problems.push(this.inputProblem);
        return;
      }
      const origin: InputOrigin = {
        batchShape: shape,
        detail: `${layer instanceof LayerValue ? 'inputShape' : 'input'} of ${layer.name} at line ${layer.sites[layer.sites.length - 1]?.line ?? '?'}`,
        sites: layer.sites,
      };
      const input = new SymTensor(shape, null, 0, origin);
      this.inputs = [input];
      const out = applyLayer(layer, input, sites);
      this.outputs = out instanceof SymTensor ? [out] : [];
      return;
    }
    if (this.outputs.length) {
      const out = applyLayer(layer, this.outputs[0], sites);
      if (out instanceof SymTensor) this.outputs = [out];
      else {
        this.outputs = [];
        this.problems.push(
          unknownAt(`${layer.name} has several outputs; TF.js allows one per layer of a Sequential model`, sites[sites.length - 1]),
        );
      }
    }
  }

  override get(key: string, ev: HostContext): Value {
    switch (key) {
      case 'add':
        return new HostFunction('add', (_t, [layer]) => {
          if (this.kind !== 'sequential') return new Unknown('add() exists only on Sequential models');
          this.add(asLayer(layer, ev, this.session), ev.sites());
          return undefined;
        });
      case 'apply':
      case 'call':
        return new HostFunction(`${this.name}.apply`, (_t, [inputs]) => applyLayer(this, inputs, ev.sites()));
      case 'layers':
        return orderedLayers(this);
      case 'name':
        return this.name;
      case 'inputs':
        return [...this.inputs];
      case 'outputs':
        return [...this.outputs];
      case 'input':
        return this.inputs[0] ?? new Unknown('the model has no input yet');
      case 'output':
        return this.outputs[0] ?? new Unknown('the model has no output yet');
      case 'outputShape':
        return this.outputs[0]?.shape ?? new Unknown('the model has no output yet');
      case 'trainable':
        return this.trainable;
      case 'getLayer':
        return new HostFunction(
          'getLayer',
          (_t, [name]) => orderedLayers(this).find((l) => l.name === name) ?? new Unknown(`no layer named ${describeValue(name)}`),
        );
      case 'build':
        return new HostFunction('build', (_t, [shape]) => {
          if (Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number')) this.declaredInput = shape as Shape;
          return undefined;
        });
      case 'countParams':
        return new HostFunction('countParams', () => new Unknown('countParams() is computed by the report, not in code'));
      case 'summary':
      case 'compile':
        return new HostFunction(key, () => undefined);
    }
    // fit, predict, evaluate, save...: run time, not definition
    return runtimeMember(`model.${key}`);
  }

  override set(key: string, value: Value): boolean {
    if (key === 'trainable' && typeof value === 'boolean') {
      this.trainable = value;
      return true;
    }
    return false;
  }

  newId(): number {
    return this.session.nextId++;
  }
}

/** A function or namespace of the TF.js run time (tf.tensor2d, model.fit, tf.train.adam): values unknown. */
export function runtimeMember(path: string): HostFunction {
  return new HostFunction(
    path,
    () => new Unknown(`${path}(...) runs when the program runs; its value is not analyzed`),
    (key) => runtimeMember(`${path}.${key}`),
  );
}

/** Custom layer objects (classes extending tf.layers.Layer) become layers, one per object. */
const customLayers = new WeakMap<JsObject, LayerValue>();

export function asLayer(v: Value, ev: HostContext, session: TfSession): Value {
  if (!isCustomLayerObject(v, (base) => base instanceof HostValue && base.describe() === 'tf.layers.Layer')) return v;
  let layer = customLayers.get(v);
  if (!layer) {
    const className = v.cls!.name;
    const given = v.props.get('name');
    const name = typeof given === 'string' ? given : `${toSnakeCase(className)}_${session.uid(className)}`;
    layer = new LayerValue(session.nextId++, className, customLayerSpec(v, ev), LayerConfig.from(v, name), name, ev.sites());
    const shape = v.props.get('batchInputShape');
    if (Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number')) layer.batchInputShape = shape as Shape;
    customLayers.set(v, layer);
  }
  return layer;
}

/** layer.apply(x) on symbolic tensors: a node in the graph and output tensors with TF.js's shapes. */
/** An RNN's `apply(x, { initialState })`: TF.js makes the states inputs of the node (graph order, not shapes). */
function initialState(layer: LayerValue, kwargs: Value): SymTensor[] {
  if (!(kwargs instanceof JsObject) || !['LSTM', 'GRU', 'SimpleRNN', 'Bidirectional'].includes(layer.className)) return [];
  const s = kwargs.props.get('initialState');
  return (Array.isArray(s) ? s : [s]).filter((x): x is SymTensor => x instanceof SymTensor);
}

export function applyLayer(layer: LayerValue | ModelValue, inputs: Value, sites: Site[], states: SymTensor[] = []): Value {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (inputs instanceof Unknown) return inputs;
  const tensors: SymTensor[] = [];
  for (const x of list) {
    if (x instanceof SymTensor) tensors.push(x);
    else if (x instanceof Unknown) return x;
    else
      return new Unknown(
        `${layer.name}.apply on ${describeValue(x)}: only symbolic tensors (from tf.input or other layers) are analyzed; concrete tensors are computed at run time`,
      );
  }
  if (tensors.length === 0) return new Unknown(`${layer.name}.apply with no input`);
  const node = new GraphNode(layer, [...tensors, ...states], sites, tensors.length);
  layer.nodes.push(node);
  const { shapes, reason, count } = nodeOutputShapes(
    layer,
    tensors.map((t) => t.shape),
    tensors,
  );
  node.outputs = Array.from({ length: count }, (_, i) => new SymTensor(shapes?.[i] ?? null, node, i, undefined, reason));
  return node.outputs.length === 1 ? node.outputs[0] : [...node.outputs];
}

/** Output shapes of a layer for given input shapes, TF.js's way; a reason when they cannot be known. */
export function nodeOutputShapes(
  layer: LayerValue | ModelValue,
  input: (Shape | null)[],
  tensors?: SymTensor[],
): { shapes: Shape[] | null; reason?: string; count: number; tfjsThrows?: boolean } {
  if (layer instanceof ModelValue) {
    const count = Math.max(1, layer.outputs.length);
    // TF.js runs the inner graph; the model's own output shapes stand for it at definition time
    const shapes = layer.outputs.map((o) => o.shape);
    if (shapes.some((s) => s === null)) return { shapes: null, reason: `the output of ${layer.name} is unknown`, count };
    return { shapes: shapes as Shape[], count };
  }
  const spec = layer.spec;
  let count = 1;
  try {
    if (spec?.outputCount) count = spec.outputCount(layer.config);
  } catch {
    /* unknown count: one output */
  }
  if (!spec) return { shapes: null, reason: layer.unsupported ?? `${layer.className} is not in the catalogue`, count };
  const missing = input.findIndex((s) => s === null);
  if (missing >= 0) {
    const t = tensors?.[missing];
    return { shapes: null, reason: t?.reason ?? 'an input shape is unknown', count };
  }
  const shapes = input as Shape[];
  try {
    checkRank(layer, spec, shapes);
    const out = spec.outputShape(layer.config, spec.multiInput || spec.anyInputs ? shapes : [shapes[0]]);
    const list = out.length > 0 && Array.isArray(out[0]) ? (out as Shape[]) : [out as Shape];
    return { shapes: list, count: list.length };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ShapeError)
      return { shapes: null, reason: e.message, count, tfjsThrows: e instanceof ShapeError };
    throw e;
  }
}

function checkRank(layer: LayerValue, spec: TfLayerSpec, shapes: Shape[]): void {
  if (spec.anyInputs) return;
  if (spec.multiInput) {
    if (shapes.length < 2) throw new ShapeError(`${layer.name} is a merge layer: it takes a list of at least 2 tensors (TF.js throws)`);
    return;
  }
  if (shapes.length !== 1) throw new ShapeError(`${layer.name} takes one tensor, got ${shapes.length} (TF.js throws)`);
  const rank = shapes[0].length;
  if (spec.ndim !== undefined && rank !== spec.ndim)
    throw new ShapeError(`${layer.name} expects an input of rank ${spec.ndim}, got ${formatShapeList(shapes[0])} (TF.js throws)`);
  if (spec.minNDim !== undefined && rank < spec.minNDim)
    throw new ShapeError(`${layer.name} expects an input of rank ≥ ${spec.minNDim}, got ${formatShapeList(shapes[0])} (TF.js throws)`);
}

/**
 * model.layers in TF.js's order. Sequential: the layers as added. Functional: Container's
 * order: walk from the outputs (depth-first, inputs first), give each layer its greatest
 * depth, list by decreasing depth, ties in walk order. Input layers are left out.
 */
export function orderedLayers(model: ModelValue): (LayerValue | ModelValue)[] {
  if (model.kind === 'sequential') return model.layers.filter((l): l is LayerValue | ModelValue => !(l instanceof Unknown));
  const layerIndex = new Map<LayerValue | ModelValue, number>();
  const ordered: GraphNode[] = [];
  const done = new Set<GraphNode>();
  const visit = (t: SymTensor, inProgress: Set<GraphNode>) => {
    const node = t.node;
    if (!node || done.has(node) || inProgress.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    inProgress.add(node);
    for (const x of node.inputs) visit(x, inProgress);
    inProgress.delete(node);
    done.add(node);
    ordered.push(node);
  };
  for (const o of model.outputs) visit(o, new Set());
  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<LayerValue | ModelValue, number>();
  for (const node of [...ordered].reverse()) {
    let depth = nodeDepth.get(node) ?? 0;
    depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const x of node.inputs) if (x.node) nodeDepth.set(x.node, Math.max(depth + 1, nodeDepth.get(x.node) ?? 0));
  }
  return [...layerDepth.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!);
}

export function isModelOrLayer(v: Value): v is LayerValue | ModelValue {
  return v instanceof LayerValue || v instanceof ModelValue;
}
