// The `tf` namespace as the evaluator sees it: tf.layers.* factories make layers,
// tf.sequential / tf.model / tf.input build graphs, and the rest of TF.js (tensors, training,
// data, optimizers) are run-time values that stay unknown without failing the analysis.
import { ConfigError, LayerConfig, type Shape } from './config';
import { LayerValue, ModelValue, SymTensor, TfSession, applyLayer, asLayer, runtimeMember, type InputOrigin } from './graph';
import { recordWeight } from './customLayers';
import { MISSING_IN_TFJS, TFJS_FACTORIES, TFJS_LAYERS, toSnakeCase } from './layers';
import {
  HostFunction,
  HostValue,
  JsFunction,
  JsObject,
  Unknown,
  describeValue,
  type HostContext,
  type Site,
  type Value,
  unknownAt,
} from './values';

/** Packages whose namespace is TF.js's (the layers API lives in all of them but tfjs-core). */
export const TFJS_PACKAGES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']);

class Namespace extends HostValue {
  constructor(
    readonly path: string,
    private readonly member: (key: string, ctx: HostContext) => Value,
  ) {
    super();
  }
  describe(): string {
    return this.path;
  }
  override get(key: string, ctx: HostContext): Value {
    return this.member(key, ctx);
  }
}

/** tf.layers.Layer: the base class of custom layers. */
class LayerBaseClass extends HostValue {
  constructor(private readonly session: TfSession) {
    super();
  }
  describe(): string {
    return 'tf.layers.Layer';
  }
  override get(key: string, ctx: HostContext): Value {
    if (key === '%superInit')
      return new HostFunction('Layer constructor', (self, [config]) => {
        if (self instanceof JsObject && config instanceof JsObject) {
          if (typeof config.props.get('name') === 'string') self.props.set('name', config.props.get('name'));
          // the input shape a custom first layer declares, as Layer's constructor keeps it
          const shape =
            config.props.get('batchInputShape') ??
            (Array.isArray(config.props.get('inputShape')) ? [null, ...(config.props.get('inputShape') as Value[])] : undefined);
          if (shape !== undefined) self.props.set('batchInputShape', shape);
        }
        return undefined;
      });
    if (key === '%proto.apply')
      return new HostFunction('Layer.apply', (self, [inputs]) => applyLayerValue(asLayer(self, ctx, this.session), inputs, ctx));
    if (key === '%proto.addWeight') return new HostFunction('Layer.addWeight', (self, args) => recordWeight(self, args));
    if (key.startsWith('%proto.')) return runtimeMember(`Layer.${key.slice(7)}`);
    if (key === 'className') return 'Layer';
    return undefined;
  }
}

function applyLayerValue(layer: Value, inputs: Value, ctx: HostContext): Value {
  if (layer instanceof LayerValue || layer instanceof ModelValue) return applyLayer(layer, inputs, ctx.sites());
  return new Unknown(`apply on ${describeValue(layer)}`);
}

/** The input shape a layer config declares (inputShape, batchInputShape, or a layer-specific one). */
function declaredBatchInputShape(config: LayerConfig, spec: (typeof TFJS_LAYERS)[string] | undefined): Shape | Unknown | undefined {
  try {
    const checked = (shape: Shape): Shape => {
      if (shape.some((d) => d !== null && d < 1))
        throw new ConfigError(`the input shape ${JSON.stringify(shape)} of ${config.layerName} has a dimension below 1`);
      return shape;
    };
    if (config.isSet('batchInputShape')) return checked(config.list('batchInputShape')!);
    if (config.isSet('inputShape')) {
      const batch = config.isSet('batchSize') ? config.size('batchSize') : null;
      return checked([batch, ...(config.list('inputShape') ?? [])]);
    }
    return spec?.impliedBatchInputShape?.(config);
  } catch (e) {
    return new Unknown(e instanceof Error ? e.message : String(e));
  }
}

export class TfApi {
  readonly tf: Namespace;
  readonly layers: Namespace;
  private readonly layerBase: LayerBaseClass;
  /** Every model made in this run, in creation order. */
  readonly models: ModelValue[] = [];

  constructor(readonly session: TfSession) {
    this.layerBase = new LayerBaseClass(session);
    this.layers = new Namespace('tf.layers', (key, ctx) => this.layersMember(key, ctx));
    this.tf = new Namespace('tf', (key, ctx) => this.tfMember(key, ctx));
  }

  /** The namespace an import of a TF.js package gives. */
  namespace(pkg: string): Value {
    if (pkg === '@tensorflow/tfjs-layers')
      return new Namespace(pkg, (key, ctx) => (key === 'layers' ? this.layers : this.tfMember(key, ctx)));
    return this.tf;
  }

  private tfMember(key: string, ctx: HostContext): Value {
    switch (key) {
      case 'layers':
        return this.layers;
      case 'sequential':
        return new HostFunction('tf.sequential', (_t, [config]) => this.sequential(config, ctx));
      case 'model':
        return new HostFunction('tf.model', (_t, [config]) => this.functional(config, ctx));
      case 'input':
        return new HostFunction('tf.input', (_t, [config]) => this.input(config, ctx.sites()));
      case 'tidy':
        // tf.tidy(fn) returns fn(); the callback may build the model
        return new HostFunction('tf.tidy', (_t, args) => {
          const fn = args.find((a) => a instanceof HostFunction || a instanceof JsFunction);
          return fn === undefined ? new Unknown('tf.tidy without a function') : ctx.call(fn, undefined, []);
        });
      case 'Sequential':
        return new Namespace('tf.Sequential', (k) =>
          k === '%construct' ? new HostFunction('new tf.Sequential', (_t, [config]) => this.sequential(config, ctx)) : undefined,
        );
    }
    return runtimeMember(`tf.${key}`);
  }

  private layersMember(key: string, ctx: HostContext): Value {
    if (key === 'Layer') return this.layerBase;
    if (key === 'input') return new HostFunction('tf.layers.input', (_t, [config]) => this.input(config, ctx.sites()));
    if (key === 'inputLayer')
      return new HostFunction('tf.layers.inputLayer', (_t, [config]) => this.makeLayer('inputLayer', 'InputLayer', config, ctx.sites()));
    const className = TFJS_FACTORIES[key];
    if (className) return new HostFunction(`tf.layers.${key}`, (_t, [config]) => this.makeLayer(key, className, config, ctx.sites()));
    const missing = MISSING_IN_TFJS[key] ?? `tf.layers.${key} does not exist in @tensorflow/tfjs 4.22 (calling it throws TypeError)`;
    // a stand-in layer keeps the graph connected, so the layers around it are still analyzed
    return new HostFunction(`tf.layers.${key}`, (_t, [config]) => this.makeLayer(key, key, config, ctx.sites(), missing));
  }

  makeLayer(factory: string, className: string, configValue: Value, sites: Site[], missing?: string): LayerValue {
    const spec = missing ? undefined : TFJS_LAYERS[className];
    const nameValue = configValue instanceof JsObject ? configValue.props.get('name') : undefined;
    const name =
      typeof nameValue === 'string'
        ? nameValue
        : nameValue instanceof Unknown
          ? `${toSnakeCase(className)}_?`
          : `${toSnakeCase(className)}_${this.session.uid(className)}`;
    const config = LayerConfig.from(configValue, name);
    const unsupported = missing ?? (spec ? undefined : `tf.layers.${factory} (${className}) is not costed by WattLens yet`);
    const layer = new LayerValue(this.session.nextId++, className, spec, config, name, sites, unsupported);
    const trainable = config.props.get('trainable');
    if (typeof trainable === 'boolean') layer.trainable = trainable;
    layer.batchInputShape = declaredBatchInputShape(config, spec);
    return layer;
  }

  private sequential(config: Value, ctx: HostContext): ModelValue {
    const sites = ctx.sites();
    const nameValue = config instanceof JsObject ? config.props.get('name') : undefined;
    const model = new ModelValue(
      this.session.nextId++,
      'sequential',
      typeof nameValue === 'string' ? nameValue : this.session.uid('sequential_'),
      sites,
      this.session,
    );
    this.models.push(model);
    const layers = config instanceof JsObject ? config.props.get('layers') : undefined;
    if (Array.isArray(layers)) for (const l of layers) model.add(asLayer(l, ctx, this.session), sites);
    else if (layers instanceof Unknown) model.add(layers, sites);
    else if (config instanceof Unknown)
      model.problems.push(unknownAt(`the config of tf.sequential is unknown: ${config.reason}`, sites[sites.length - 1]));
    return model;
  }

  private functional(config: Value, ctx: HostContext): ModelValue {
    const sites = ctx.sites();
    const site = sites[sites.length - 1];
    const get = (k: string): Value =>
      config instanceof JsObject ? (config.props.get(k) ?? config.partial) : config instanceof Unknown ? config : undefined;
    const nameValue = get('name');
    const model = new ModelValue(
      this.session.nextId++,
      'functional',
      typeof nameValue === 'string' ? nameValue : this.session.uid('model'),
      sites,
      this.session,
    );
    this.models.push(model);
    const tensors = (v: Value, what: string): SymTensor[] => {
      const list = Array.isArray(v) ? v : [v];
      const out: SymTensor[] = [];
      for (const x of list) {
        if (x instanceof SymTensor) out.push(x);
        else {
          const why = x instanceof Unknown ? x.reason : `${describeValue(x)} is not a symbolic tensor`;
          model.problems.push(unknownAt(`the ${what} of tf.model at line ${site?.line} are not known: ${why}`, site));
        }
      }
      return out;
    };
    model.inputs = tensors(get('inputs'), 'inputs');
    model.outputs = tensors(get('outputs'), 'outputs');
    return model;
  }

  private input(config: Value, sites: Site[]): Value {
    const c = LayerConfig.from(config, 'tf.input');
    let batchShape: Shape;
    try {
      if (c.isSet('batchShape')) batchShape = c.list('batchShape')!;
      else if (c.isSet('shape')) batchShape = [c.isSet('batchSize') ? c.int('batchSize') : null, ...c.list('shape')!];
      else return unknownAt('tf.input needs config.shape or config.batchShape (TF.js throws)', sites[sites.length - 1]);
    } catch (e) {
      return unknownAt(e instanceof Error ? e.message : String(e), sites[sites.length - 1]);
    }
    const origin: InputOrigin = { batchShape, detail: `tf.input at line ${sites[sites.length - 1]?.line ?? '?'}`, sites };
    return new SymTensor(batchShape, null, 0, origin);
  }
}
