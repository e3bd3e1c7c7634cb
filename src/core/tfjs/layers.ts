// The TF.js layer catalogue: one entry per layer class of @tensorflow/tfjs 4.22, with the
// weights its build() creates, the output shape its computeOutputShape() gives, and the cost
// of one forward call. Shapes and weights follow TF.js's source rule for rule, so the
// parameter count equals model.countParams(). MACs follow torchvision's convention, as the
// PyTorch side does: multiply-accumulates of dense, convolution, recurrent and dot products;
// everything else (activations, norms, pooling, merges) is elementwise FLOPs, reported apart.
import * as kernel from '../cost';
import type { SymNum } from '../interp/symbolic';
import { ConfigError, LayerConfig, ShapeError, deconvLength, product, type Dim, type Shape } from './config';
import { HostValue, type Value } from './values';

export interface Weight {
  name: string;
  shape: number[];
  /** BatchNormalization's moving mean and variance are weights TF.js counts but does not train. */
  trainable: boolean;
}

/** The kernel's cost at concrete shapes; elementwise null when the activation is unknown. */
export type TfLayerCost = kernel.LayerCost<number, number | null>;

/** A kernel cost over concrete dims is concrete; `activation` adds the layer's activation FLOPs. */
function concrete(cost: kernel.LayerCost, activation?: number | null): TfLayerCost {
  const macs = num(cost.macs);
  const elementwise = activation === null ? null : num(cost.elementwise) + (activation ?? 0);
  return cost.formula ? { macs, elementwise, formula: cost.formula } : { macs, elementwise };
}

function num(x: SymNum): number {
  if (typeof x !== 'number') throw new ShapeError(`a cost over concrete shapes came out symbolic (${x.toString()})`);
  return x;
}

/** TF.js's convOutputLength (the kernel's conv rule; anything but 'same' is 'valid', causal included). */
function windowLength(input: Dim, kernelSize: number, padding: string, stride: number, dilation = 1): Dim {
  if (input === null) return null;
  return num(
    kernel.convSpatial([input], {
      kernel: [kernelSize],
      stride: [stride],
      dilation: [dilation],
      padding: padding === 'same' ? 'same' : 'valid',
    })[0],
  );
}

/** A layer a wrapper holds (Bidirectional's RNN, TimeDistributed's layer). */
export interface WrappedLayer {
  readonly spec: TfLayerSpec | undefined;
  readonly config: LayerConfig;
  readonly className: string;
  readonly name: string;
}

export interface TfLayerSpec {
  /** The class name TF.js reports (layer.getClassName()). */
  className: string;
  /** The rank TF.js's inputSpec demands when the layer is applied. */
  ndim?: number;
  minNDim?: number;
  /** Called on a list of tensors (merge layers). */
  multiInput?: boolean;
  /** Weights build() creates for the shapes of the first call. */
  weights?(c: LayerConfig, input: Shape[]): Weight[];
  /** computeOutputShape(); several shapes for layers with several outputs. */
  outputShape(c: LayerConfig, input: Shape[]): Shape | Shape[];
  /** How many outputs (known from the config even when shapes are not). */
  outputCount?(c: LayerConfig): number;
  /** Cost of one call with every dim known. */
  cost?(c: LayerConfig, input: number[][], output: number[][]): TfLayerCost;
  /** The output is the input's buffer (reshape, flatten, dropout at inference). */
  view?: boolean;
  /** A batchInputShape the constructor derives from other fields (Dense inputDim, Embedding inputLength). */
  impliedBatchInputShape?(c: LayerConfig): Shape | undefined;
  /** Takes one tensor or a list, as custom layers do (no rank check). */
  anyInputs?: boolean;
  /** Why the cost cannot be known (custom layers). */
  unknownCost?: string;
}

// ───────────────────────────── activations ─────────────────────────────

const { activation: ACTIVATION, softmax: SOFTMAX, none: NONE } = kernel.FLOPS_PER_ELEMENT;

/** Elementwise FLOPs per output element of each TF.js activation (the kernel's: 1, softmax 5). */
const ACTIVATION_FLOPS: Record<string, number> = {
  linear: NONE,
  relu: ACTIVATION,
  relu6: ACTIVATION,
  elu: ACTIVATION,
  selu: ACTIVATION,
  sigmoid: ACTIVATION,
  hardSigmoid: ACTIVATION,
  tanh: ACTIVATION,
  softplus: ACTIVATION,
  softsign: ACTIVATION,
  swish: ACTIVATION,
  mish: ACTIVATION,
  gelu: ACTIVATION,
  gelu_new: ACTIVATION,
  softmax: SOFTMAX,
  logSoftmax: SOFTMAX,
};

function activationFlops(c: LayerConfig, elements: number): number | null {
  try {
    const name = c.activation();
    const per = ACTIVATION_FLOPS[name];
    if (per === undefined) throw new ConfigError(`activation "${name}" of ${c.layerName} is not a TF.js activation (TF.js throws)`);
    return per * elements;
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
}

// ───────────────────────────── helpers ─────────────────────────────

const one = (input: Shape[]): Shape => input[0];
const last = (s: Shape): Dim => s[s.length - 1];
const numel = (s: readonly number[]): number => product(s);

function defined(d: Dim, what: string): number {
  if (d === null) throw new ShapeError(`${what} must be defined (it is null); TF.js throws when building the layer`);
  return d;
}

/** `x: [batch, ...]` keeps a batch dim of 1 when a layer sees an unbatched shape. */
function bias(c: LayerConfig, n: number, name = 'bias'): Weight[] {
  return c.bool('useBias', true) ? [{ name, shape: [n], trainable: true }] : [];
}

function channelsLast(c: LayerConfig): boolean {
  return c.str('dataFormat', 'channelsLast') === 'channelsLast';
}

// ───────────────────────────── core ─────────────────────────────

const dense: TfLayerSpec = {
  className: 'Dense',
  minNDim: 2,
  impliedBatchInputShape: (c) => (c.isSet('inputDim') ? [c.isSet('batchSize') ? c.int('batchSize') : null, c.size('inputDim')] : undefined),
  weights: (c, input) => {
    const inDim = defined(last(one(input)), 'the last dimension of the input to Dense');
    const units = c.size('units');
    return [{ name: 'kernel', shape: [inDim, units], trainable: true }, ...bias(c, units)];
  },
  outputShape: (c, input) => [...one(input).slice(0, -1), c.size('units')],
  cost: (c, [x], [y]) => concrete(kernel.linear(x, x[x.length - 1], c.size('units')).cost, activationFlops(c, numel(y))),
};

const flatten: TfLayerSpec = {
  className: 'Flatten',
  minNDim: 3,
  view: true,
  outputShape: (_c, input) => {
    const x = one(input);
    if (x.slice(1).some((d) => d === null))
      throw new ShapeError(`the input to Flatten is not fully defined (${JSON.stringify(x.slice(1))}); TF.js throws`);
    return [x[0], product(x.slice(1) as number[])];
  },
};

const reshape: TfLayerSpec = {
  className: 'Reshape',
  view: true,
  outputShape: (c, input) => {
    const x = one(input);
    const target = (c.list('targetShape') ?? fail(`${c.layerName} needs config.targetShape`)).map((d) => (d === null || d < 0 ? null : d));
    // TF.js resolves the -1 dim only when the whole input is known; the report fills in the batch first
    if (x.some((d) => d === null)) return [x[0], ...target];
    const size = product(x.slice(1) as number[]);
    const unknown = target.findIndex((d) => d === null);
    if (target.filter((d) => d === null).length > 1) throw new ShapeError('Reshape can only have one unknown (-1) dimension; TF.js throws');
    const known = product(target.filter((d): d is number => d !== null));
    if (unknown >= 0) {
      if (known === 0 || size % known !== 0)
        throw new ShapeError(
          `Reshape of ${size} elements to ${JSON.stringify(target)}: total size must be unchanged (TF.js throws when the layer runs)`,
        );
      target[unknown] = size / known;
    } else if (known !== size)
      throw new ShapeError(
        `Reshape of ${size} elements to ${JSON.stringify(target)}: total size must be unchanged (TF.js throws when the layer runs)`,
      );
    return [x[0], ...target];
  },
};

const permute: TfLayerSpec = {
  className: 'Permute',
  outputShape: (c, input) => {
    const x = one(input);
    const dims = c.list('dims') ?? fail(`${c.layerName} needs config.dims (TF.js throws)`);
    if (x.length !== dims.length + 1)
      throw new ShapeError(`Permute with dims ${JSON.stringify(dims)} expects rank ${dims.length + 1}, got ${x.length}`);
    const out = [...x];
    dims.forEach((d, i) => (out[i + 1] = x[d as number]));
    return out;
  },
};

const repeatVector: TfLayerSpec = {
  className: 'RepeatVector',
  ndim: 2,
  outputShape: (c, input) => [one(input)[0], c.size('n'), one(input)[1]],
};

/** Layers whose output has the input's shape: elementwise FLOPs per element, optionally a view. */
function sameShape(
  className: string,
  flops: number | ((c: LayerConfig) => number | null),
  opts: { view?: boolean; ndim?: number } = {},
): TfLayerSpec {
  return {
    className,
    view: opts.view,
    ndim: opts.ndim,
    outputShape: (_c, input) => [...one(input)],
    cost: (c, _x, [y]) => {
      const per = typeof flops === 'number' ? flops : flops(c);
      return per === null ? { macs: 0, elementwise: null } : concrete(kernel.elementwise(y, per));
    },
  };
}

const activation = sameShape('Activation', (c) => {
  const f = activationFlops(c, 1);
  return f;
});

// ───────────────────────────── convolutions ─────────────────────────────

/** The kernel (k…, in, filters); transposed (k…, filters, in); and the bias. */
function convWeights(c: LayerConfig, input: Shape[], rank: number, transposed: boolean): Weight[] {
  const x = one(input);
  const inC = defined(
    x[channelsLast(c) ? x.length - 1 : 1],
    `the channel dimension of the input to a ${transposed ? 'transposed ' : ''}convolution`,
  );
  const filters = c.size('filters');
  return [
    { name: 'kernel', shape: [...c.ints('kernelSize', rank), ...(transposed ? [filters, inC] : [inC, filters])], trainable: true },
    ...bias(c, filters),
  ];
}

function convSpec(rank: 1 | 2 | 3, className: string): TfLayerSpec {
  return {
    className,
    ndim: rank + 2,
    weights: (c, input) => convWeights(c, input, rank, false),
    outputShape: (c, input) => {
      const x = one(input);
      const k = c.ints('kernelSize', rank);
      const s = c.ints('strides', rank, 1);
      const d = c.ints('dilationRate', rank, 1);
      const padding = c.str('padding', 'valid');
      const last = channelsLast(c);
      const space = last ? x.slice(1, -1) : x.slice(2);
      const out = space.map((n, i) => windowLength(n, k[i], padding, s[i], d[i]));
      return last ? [x[0], ...out, c.size('filters')] : [x[0], c.size('filters'), ...out];
    },
    cost: (c, [x], [y]) =>
      concrete(kernel.conv(y, channelsLast(c) ? x[x.length - 1] : x[1], 1, c.ints('kernelSize', rank)), activationFlops(c, numel(y))),
  };
}

function convTransposeSpec(rank: 2 | 3, className: string): TfLayerSpec {
  return {
    className,
    ndim: rank + 2,
    weights: (c, input) => convWeights(c, input, rank, true),
    outputShape: (c, input) => {
      const x = [...one(input)];
      const k = c.ints('kernelSize', rank);
      const s = c.ints('strides', rank, 1);
      const padding = c.str('padding', 'valid');
      const last = channelsLast(c);
      const spatial = last ? range(1, rank + 1) : range(2, rank + 2);
      x[last ? rank + 1 : 1] = c.size('filters');
      spatial.forEach((axis, i) => (x[axis] = deconvLength(x[axis], s[i], k[i], padding)));
      return x;
    },
    cost: (c, [x], [y]) =>
      concrete(kernel.convTranspose(x, c.size('filters'), 1, c.ints('kernelSize', rank)), activationFlops(c, numel(y))),
  };
}

const depthwiseConv2d: TfLayerSpec = {
  className: 'DepthwiseConv2D',
  minNDim: 4,
  weights: (c, input) => {
    const x = one(input);
    const inC = defined(channelsLast(c) ? x[3] : x[1], 'the channel dimension of the input to DepthwiseConv2D');
    const dm = c.int('depthMultiplier', 1);
    const k = c.ints('kernelSize', 2);
    return [{ name: 'depthwise_kernel', shape: [k[0], k[1], inC, dm], trainable: true }, ...bias(c, inC * dm)];
  },
  // TF.js ignores dilationRate in DepthwiseConv2D's output shape
  outputShape: (c, input) => {
    const x = one(input);
    const k = c.ints('kernelSize', 2);
    const s = c.ints('strides', 2, 1);
    const padding = c.str('padding', 'valid');
    const dm = c.int('depthMultiplier', 1);
    const last = channelsLast(c);
    const rows = windowLength(last ? x[1] : x[2], k[0], padding, s[0]);
    const cols = windowLength(last ? x[2] : x[3], k[1], padding, s[1]);
    const ch = last ? x[3] : x[1];
    const outC = ch === null ? null : ch * dm;
    return last ? [x[0], rows, cols, outC] : [x[0], outC, rows, cols];
  },
  // a convolution with one group per input channel
  cost: (c, [x], [y]) => {
    const inC = channelsLast(c) ? x[3] : x[1];
    return concrete(kernel.conv(y, inC, inC, c.ints('kernelSize', 2)), activationFlops(c, numel(y)));
  },
};

const separableConv2d: TfLayerSpec = {
  className: 'SeparableConv2D',
  ndim: 4,
  weights: (c, input) => {
    const x = one(input);
    const inC = defined(channelsLast(c) ? x[x.length - 1] : x[1], 'the channel dimension of the input to SeparableConv2D');
    const dm = c.int('depthMultiplier', 1);
    const filters = c.size('filters');
    const k = c.ints('kernelSize', 2);
    return [
      { name: 'depthwise_kernel', shape: [...k, inC, dm], trainable: true },
      { name: 'pointwise_kernel', shape: [1, 1, inC * dm, filters], trainable: true },
      ...bias(c, filters),
    ];
  },
  outputShape: convSpec(2, 'SeparableConv2D').outputShape,
  // depthwise k-window per intermediate channel, then a 1×1 convolution to the filters
  cost: (c, [x], [y]) => {
    const inC = channelsLast(c) ? x[x.length - 1] : x[1];
    const mid = inC * c.int('depthMultiplier', 1);
    const positions = numel(y) / c.size('filters');
    const depthwise = concrete(kernel.conv([positions, mid], inC, inC, c.ints('kernelSize', 2)));
    const pointwise = concrete(kernel.conv(y, mid, 1, [1, 1]));
    return {
      macs: depthwise.macs + pointwise.macs,
      elementwise: activationFlops(c, numel(y)),
      formula: `depthwise ${depthwise.formula} + pointwise ${pointwise.formula}`,
    };
  },
};

const cropping2d: TfLayerSpec = {
  className: 'Cropping2D',
  ndim: 4,
  outputShape: (c, input) => {
    const x = one(input);
    const [[t, b], [l, r]] = pairs(c, 'cropping', null);
    const sub = (d: Dim, a: number, z: number) => (d === null ? null : d - a - z);
    return channelsLast(c) ? [x[0], sub(x[1], t, b), sub(x[2], l, r), x[3]] : [x[0], x[1], sub(x[2], t, b), sub(x[3], l, r)];
  },
};

const zeroPadding2d: TfLayerSpec = {
  className: 'ZeroPadding2D',
  ndim: 4,
  outputShape: (c, input) => {
    const x = one(input);
    const [[t, b], [l, r]] = pairs(c, 'padding', 1);
    const add = (d: Dim, a: number, z: number) => (d === null || d < 0 ? null : d + a + z);
    return channelsLast(c) ? [x[0], add(x[1], t, b), add(x[2], l, r), x[3]] : [x[0], x[1], add(x[2], t, b), add(x[3], l, r)];
  },
};

const upSampling2d: TfLayerSpec = {
  className: 'UpSampling2D',
  ndim: 4,
  outputShape: (c, input) => {
    const x = one(input);
    const [sh, sw] = c.ints('size', 2, [2, 2]);
    const mul = (d: Dim, k: number) => (d === null ? null : d * k);
    return channelsLast(c) ? [x[0], mul(x[1], sh), mul(x[2], sw), x[3]] : [x[0], x[1], mul(x[2], sh), mul(x[3], sw)];
  },
};

/** Cropping/padding given as n, [a, b] or [[t, b], [l, r]]. */
function pairs(c: LayerConfig, key: string, fallback: number | null): [[number, number], [number, number]] {
  const v = c.raw(key);
  if (v === undefined || v === null) {
    if (fallback === null) throw new ConfigError(`${c.layerName} needs config.${key} (TF.js throws)`);
    return [
      [fallback, fallback],
      [fallback, fallback],
    ];
  }
  if (typeof v === 'number') {
    return [
      [v, v],
      [v, v],
    ];
  }
  if (Array.isArray(v) && v.length === 2) {
    if (typeof v[0] === 'number' && typeof v[1] === 'number') {
      return [
        [v[0], v[0]],
        [v[1], v[1]],
      ];
    }
    if (Array.isArray(v[0]) && Array.isArray(v[1]) && [...v[0], ...v[1]].every((x) => typeof x === 'number'))
      return [v[0] as [number, number], v[1] as [number, number]];
  }
  c.isSet(key); // raises for an unknown value
  throw new ConfigError(`${key} of ${c.layerName} must be a number, [a, b] or [[top, bottom], [left, right]]`);
}

// ───────────────────────────── pooling ─────────────────────────────

function poolSpec(rank: 1 | 2 | 3, className: string): TfLayerSpec {
  const size = (c: LayerConfig) => c.ints('poolSize', rank, rank === 1 ? 2 : Array(rank).fill(2));
  return {
    className,
    ndim: rank + 2,
    outputShape: (c, input) => {
      const x = one(input);
      const k = size(c);
      const s = c.isSet('strides') ? c.ints('strides', rank) : k;
      const padding = c.str('padding', 'valid');
      if (rank === 1) return [x[0], windowLength(x[1], k[0], padding, s[0]), x[2]];
      const last = channelsLast(c);
      const space = last ? x.slice(1, -1) : x.slice(2);
      const out = space.map((n, i) => windowLength(n, k[i], padding, s[i]));
      return last ? [x[0], ...out, x[x.length - 1]] : [x[0], x[1], ...out];
    },
    cost: (c, _x, [y]) => concrete(kernel.pool(y, size(c))),
  };
}

function globalPoolSpec(rank: 1 | 2, className: string): TfLayerSpec {
  return {
    className,
    ndim: rank + 2,
    outputShape: (c, input) => {
      const x = one(input);
      if (rank === 1) return [x[0], x[2]];
      return channelsLast(c) ? [x[0], x[3]] : [x[0], x[1]];
    },
    cost: (_c, [x]) => concrete(kernel.adaptivePool(x)),
  };
}

// ───────────────────────────── normalization ─────────────────────────────

const batchNormalization: TfLayerSpec = {
  className: 'BatchNormalization',
  weights: (c, input) => {
    const x = one(input);
    const axisCfg = c.int('axis', -1);
    const axis = axisCfg >= 0 ? axisCfg : axisCfg + x.length;
    const dim = defined(x[axis], `axis ${axis} of the input to BatchNormalization`);
    return [
      ...normWeights([dim], c),
      { name: 'moving_mean', shape: [dim], trainable: false },
      { name: 'moving_variance', shape: [dim], trainable: false },
    ];
  },
  outputShape: (_c, input) => [...one(input)],
  cost: (_c, [x]) => concrete(kernel.norm('batchUnfolded', x)),
};

/** gamma and beta over the normalised features, as `scale` and `center` ask. */
function normWeights(features: number[], c: LayerConfig): Weight[] {
  const p = kernel.normParams(features, { scale: c.bool('scale', true), shift: c.bool('center', true) });
  return [
    ...(p.scale ? [{ name: 'gamma', shape: features, trainable: true }] : []),
    ...(p.shift ? [{ name: 'beta', shape: features, trainable: true }] : []),
  ];
}

const layerNormalization: TfLayerSpec = {
  className: 'LayerNormalization',
  weights: (c, input) => {
    const x = one(input);
    const raw = c.raw('axis');
    const axes = Array.isArray(raw) ? (c.list('axis') as number[]) : [c.int('axis', -1)];
    const norm = axes.map((a) => (a < 0 ? a + x.length : a));
    if (norm.some((a) => a < 0 || a >= x.length))
      throw new ShapeError(`invalid axis ${JSON.stringify(axes)} for rank ${x.length} (TF.js throws)`);
    const shape = norm.map((a) => defined(x[a], `axis ${a} of the input to LayerNormalization`));
    return normWeights(shape, c);
  },
  outputShape: (_c, input) => [...one(input)],
  cost: (_c, [x]) => concrete(kernel.norm('layer', x)),
};

// ───────────────────────────── embedding ─────────────────────────────

const embedding: TfLayerSpec = {
  className: 'Embedding',
  impliedBatchInputShape: (c) => {
    if (c.isSet('inputShape') || c.isSet('batchInputShape')) return undefined;
    const batch = c.isSet('batchSize') ? c.int('batchSize') : null;
    if (!c.isSet('inputLength')) return [batch, null];
    const len = c.raw('inputLength');
    return [batch, ...(Array.isArray(len) ? (c.list('inputLength') as Dim[]) : [c.int('inputLength')])];
  },
  weights: (c) => [{ name: 'embeddings', shape: [c.size('inputDim'), c.size('outputDim')], trainable: true }],
  outputShape: (c, input) => {
    const x = one(input);
    const outDim = c.size('outputDim');
    if (!c.isSet('inputLength')) return [...x, outDim];
    const raw = c.raw('inputLength');
    const lens = Array.isArray(raw) ? (c.list('inputLength') as Dim[]) : [c.int('inputLength')];
    if (lens.length !== x.length - 1)
      throw new ShapeError(`inputLength is ${JSON.stringify(raw)}, but the input has shape ${JSON.stringify(x)} (TF.js throws)`);
    const out = lens.map((l, k) => {
      const d = x[k + 1];
      if (l !== null && d !== null && l !== d)
        throw new ShapeError(`inputLength is ${JSON.stringify(raw)}, but the input has shape ${JSON.stringify(x)} (TF.js throws)`);
      return l === null ? d : l;
    });
    return [x[0], ...out, outDim];
  },
  cost: (c, [x]) => concrete(kernel.embedding(x, c.size('outputDim')).cost),
};

// ───────────────────────────── recurrent ─────────────────────────────

/** LSTM: 4 gates; GRU: 3 (TF.js has no resetAfter); SimpleRNN: 1. Cell state count: LSTM 2 (h, c), others 1. */
const RNN_GATES: Record<string, { gates: number; states: number }> = {
  LSTM: { gates: 4, states: 2 },
  GRU: { gates: 3, states: 1 },
  SimpleRNN: { gates: 1, states: 1 },
};

function rnnSpec(className: 'LSTM' | 'GRU' | 'SimpleRNN'): TfLayerSpec {
  const { gates, states } = RNN_GATES[className];
  return {
    className,
    ndim: 3,
    outputCount: (c) => (c.bool('returnState', false) ? 1 + states : 1),
    weights: (c, input) => {
      const inDim = defined(last(one(input)), `the feature dimension of the input to ${className}`);
      const units = c.size('units');
      return [
        { name: 'kernel', shape: [inDim, gates * units], trainable: true },
        { name: 'recurrent_kernel', shape: [units, gates * units], trainable: true },
        ...bias(c, gates * units),
      ];
    },
    outputShape: (c, input) => {
      const x = one(input);
      const units = c.size('units');
      const out: Shape = c.bool('returnSequences', false) ? [x[0], x[1], units] : [x[0], units];
      if (!c.bool('returnState', false)) return out;
      return [out, ...Array.from({ length: states }, () => [x[0], units])];
    },
    cost: (c, [x]) => concrete(kernel.recurrent({ gates, hidden: c.size('units'), input: x[2], steps: x[1], batch: x[0] })),
  };
}

// ───────────────────────────── wrappers ─────────────────────────────

/** The layer held by a wrapper's config.layer. */
export function wrappedLayer(c: LayerConfig): WrappedLayer & { spec: TfLayerSpec } {
  const v: Value = c.raw('layer');
  if (isWrappedLayer(v) && v.spec) return v as WrappedLayer & { spec: TfLayerSpec };
  if (isWrappedLayer(v)) throw new ConfigError(`the layer wrapped by ${c.layerName} (${v.className}) is not in the catalogue`);
  c.isSet('layer');
  throw new ConfigError(`${c.layerName} needs config.layer, a layer (TF.js throws)`);
}

function isWrappedLayer(v: Value): v is HostValue & WrappedLayer {
  return v instanceof HostValue && 'spec' in v && 'config' in v && 'className' in v;
}

function asList(s: Shape | Shape[]): Shape[] {
  return s.length > 0 && Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape];
}

const bidirectional: TfLayerSpec = {
  className: 'Bidirectional',
  ndim: 3,
  outputCount: (c) => {
    const inner = wrappedLayer(c);
    const innerCount = inner.spec.outputCount?.(inner.config) ?? 1;
    const outs = mergeMode(c) === null ? 2 : 1;
    return outs + 2 * (innerCount - 1);
  },
  weights: (c, input) => {
    const inner = wrappedLayer(c);
    const w = inner.spec.weights?.(inner.config, input) ?? [];
    return [...w.map((x) => ({ ...x, name: `forward/${x.name}` })), ...w.map((x) => ({ ...x, name: `backward/${x.name}` }))];
  },
  outputShape: (c, input) => {
    const inner = wrappedLayer(c);
    const shapes = asList(inner.spec.outputShape(inner.config, input));
    const out = [...shapes[0]];
    const states = shapes.slice(1);
    const mode = mergeMode(c);
    let outputs: Shape[];
    if (mode === 'concat') {
      const d = out[out.length - 1];
      out[out.length - 1] = d === null ? null : d * 2;
      outputs = [out];
    } else if (mode === null) outputs = [out, [...out]];
    else outputs = [out];
    if (states.length) return [...outputs, ...states, ...states.map((s) => [...s])];
    return outputs.length === 1 ? outputs[0] : outputs;
  },
  cost: (c, input, output) => {
    const inner = wrappedLayer(c);
    const innerOut = asList(inner.spec.outputShape(inner.config, input)).map((s) => s as number[]);
    const one = inner.spec.cost!(inner.config, input, innerOut);
    const merge = mergeMode(c) === 'concat' || mergeMode(c) === null ? 0 : numel(output[0]);
    return {
      macs: 2 * one.macs,
      elementwise: one.elementwise === null ? null : 2 * one.elementwise + merge,
      formula: one.formula ? `2 directions × (${one.formula})` : undefined,
    };
  },
};

function mergeMode(c: LayerConfig): string | null {
  const v = c.raw('mergeMode');
  if (v === undefined) return 'concat';
  if (v === null) return null;
  const m = c.str('mergeMode', 'concat');
  if (!['concat', 'sum', 'mul', 'ave'].includes(m))
    throw new ConfigError(`mergeMode "${m}" of ${c.layerName} is not one of concat, sum, mul, ave, null (TF.js throws)`);
  return m;
}

const timeDistributed: TfLayerSpec = {
  className: 'TimeDistributed',
  minNDim: 3,
  weights: (c, input) => {
    const inner = wrappedLayer(c);
    const x = one(input);
    return inner.spec.weights?.(inner.config, [[x[0], ...x.slice(2)]]) ?? [];
  },
  outputShape: (c, input) => {
    const inner = wrappedLayer(c);
    const x = one(input);
    const child = inner.spec.outputShape(inner.config, [[x[0], ...x.slice(2)]]) as Shape;
    return [child[0], x[1], ...child.slice(1)];
  },
  cost: (c, [x]) => {
    const inner = wrappedLayer(c);
    const childIn = [x[0] * x[1], ...x.slice(2)];
    const childOut = inner.spec.outputShape(inner.config, [childIn]) as number[];
    const r = inner.spec.cost?.(inner.config, [childIn], [childOut]) ?? { macs: 0, elementwise: 0 };
    return { ...r, formula: r.formula ? `over B·T = ${childIn[0]} steps: ${r.formula}` : undefined };
  },
};

// ───────────────────────────── merge ─────────────────────────────

/** TF.js's Merge.computeOutputShape: broadcast the non-batch dims, keep a common batch. */
function mergedShape(input: Shape[]): Shape {
  const broadcast = (a: Shape | null, b: Shape | null): Shape | null => {
    if (a === null || b === null) return null;
    if (a.length < b.length) return broadcast(b, a);
    if (b.length === 0) return a;
    const out = a.slice(0, a.length - b.length);
    for (let k = 0; k < b.length; k++) {
      const i = a[a.length - b.length + k];
      const j = b[k];
      if (i === null || j === null || i < 0 || j < 0) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else if (i !== j)
        throw new ShapeError(
          `operands could not be broadcast together with shapes ${JSON.stringify(a)} ${JSON.stringify(b)} (TF.js throws)`,
        );
      else out.push(i);
    }
    return out;
  };
  if (input.length < 2) throw new ShapeError(`a merge layer needs a list of at least 2 inputs, got ${input.length} (TF.js throws)`);
  let out: Shape | null = input[0].slice(1);
  for (const s of input.slice(1)) out = broadcast(out, s.slice(1));
  const batches = [...new Set(input.map((s) => s[0]).filter((d) => d !== null))];
  if (batches.length > 1) throw new ShapeError(`cannot merge tensors with different batch sizes ${JSON.stringify(input)} (TF.js throws)`);
  return [batches.length === 1 ? batches[0] : null, ...(out ?? [])];
}

function elementwiseMerge(className: string, flopsPerInput: number): TfLayerSpec {
  return {
    className,
    multiInput: true,
    outputShape: (_c, input) => mergedShape(input),
    cost: (_c, input, [y]) => concrete(kernel.elementwise(y, flopsPerInput * (input.length - 1))),
  };
}

const concatenate: TfLayerSpec = {
  className: 'Concatenate',
  multiInput: true,
  outputShape: (c, input) => {
    if (input.length < 2) throw new ShapeError(`Concatenate needs a list of at least 2 inputs, got ${input.length} (TF.js throws)`);
    const axisCfg = c.int('axis', -1);
    const rank = input[0].length;
    const axis = axisCfg < 0 ? rank + axisCfg : axisCfg;
    const rest = input.map((s) => s.filter((_, i) => i !== axis));
    for (const r of rest.slice(1))
      if (r.length !== rest[0].length || r.some((d, i) => d !== rest[0][i]))
        throw new ShapeError(
          `Concatenate needs inputs with matching shapes except on the concat axis, got ${JSON.stringify(input)} (TF.js throws)`,
        );
    const out = [...input[0]];
    for (const s of input.slice(1)) {
      const a = out[axis];
      const b = s[axis];
      if (a === null || b === null) {
        out[axis] = null;
        break;
      }
      out[axis] = a + b;
    }
    return out;
  },
  cost: () => ({ macs: 0, elementwise: 0 }),
};

const dot: TfLayerSpec = {
  className: 'Dot',
  multiInput: true,
  outputShape: (c, input) => {
    if (input.length !== 2) throw new ShapeError(`Dot needs exactly 2 inputs, got ${input.length} (TF.js throws)`);
    const [a, b] = input.map((s) => [...s]);
    if (a.length > 3 || b.length > 3) throw new ShapeError('Dot does not support inputs of rank 4 or more in TF.js 4.22 (TF.js throws)');
    const [ax, bx] = dotAxes(c, a.length, b.length);
    if (a[ax] !== b[bx]) throw new ShapeError(`Dot: dimension incompatibility ${a[ax]} !== ${b[bx]} (TF.js throws)`);
    a.splice(ax, 1);
    b.splice(bx, 1);
    b.splice(0, 1);
    const out = [...a, ...b];
    if (out.length === 1) out.push(1);
    return out;
  },
  // a batched matrix product: every output element sums over the contracted axis
  cost: (c, [a, b], [y]) => {
    const [ax] = dotAxes(c, a.length, b.length);
    return concrete(kernel.contraction(y, a[ax]), c.bool('normalize', false) ? 3 * (numel(a) + numel(b)) : 0);
  },
};

function dotAxes(c: LayerConfig, rankA: number, rankB: number): [number, number] {
  const raw = c.raw('axes');
  const norm = (axis: number, rank: number) => {
    let a = axis;
    while (a < 0) a += rank;
    return a;
  };
  if (Array.isArray(raw)) {
    const [x, y] = c.ints('axes', 2);
    return [norm(x, rankA), norm(y, rankB)];
  }
  const a = c.int('axes');
  return [norm(a, rankA), norm(a, rankB)];
}

// ───────────────────────────── advanced activations, noise, preprocessing ─────────────────────────────

const prelu: TfLayerSpec = {
  className: 'PReLU',
  weights: (c, input) => {
    const shape = one(input).slice(1);
    const raw = c.raw('sharedAxes');
    if (raw !== undefined && raw !== null) {
      const axes = Array.isArray(raw) ? (c.list('sharedAxes') as number[]) : [c.int('sharedAxes')];
      for (const a of axes) shape[a - 1] = 1;
    }
    return [{ name: 'alpha', shape: shape.map((d, i) => defined(d, `dimension ${i + 1} of the input to PReLU`)), trainable: true }];
  },
  outputShape: (_c, input) => [...one(input)],
  cost: (_c, _x, [y]) => concrete(kernel.elementwise(y, ACTIVATION)),
};

const resizingLike = (className: string): TfLayerSpec => ({
  className,
  outputShape: (c, input) => {
    const x = one(input);
    return x.length === 4 ? [x[0], c.size('height'), c.size('width'), x[3]] : [c.size('height'), c.size('width'), x[x.length - 1]];
  },
  cost: (_c, _x, [y]) => concrete(kernel.elementwise(y, 1)),
});

function fail(message: string): never {
  throw new ConfigError(message);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

// ───────────────────────────── the table ─────────────────────────────

/** Catalogue by TF.js class name. */
export const TFJS_LAYERS: Record<string, TfLayerSpec> = Object.fromEntries(
  [
    dense,
    flatten,
    reshape,
    permute,
    repeatVector,
    activation,
    sameShape('InputLayer', 0, { view: true }),
    sameShape('Dropout', 0, { view: true }),
    sameShape('SpatialDropout1D', 0, { view: true, ndim: 3 }),
    sameShape('AlphaDropout', 0, { view: true }),
    sameShape('GaussianDropout', 0, { view: true }),
    sameShape('GaussianNoise', 0, { view: true }),
    sameShape('Masking', 1),
    sameShape('ReLU', 1),
    sameShape('LeakyReLU', 1),
    sameShape('ELU', 1),
    sameShape('ThresholdedReLU', 1),
    sameShape('Softmax', 5),
    sameShape('Rescaling', 2),
    prelu,
    convSpec(1, 'Conv1D'),
    convSpec(2, 'Conv2D'),
    convSpec(3, 'Conv3D'),
    convTransposeSpec(2, 'Conv2DTranspose'),
    convTransposeSpec(3, 'Conv3DTranspose'),
    depthwiseConv2d,
    separableConv2d,
    cropping2d,
    zeroPadding2d,
    upSampling2d,
    poolSpec(1, 'MaxPooling1D'),
    poolSpec(2, 'MaxPooling2D'),
    poolSpec(3, 'MaxPooling3D'),
    poolSpec(1, 'AveragePooling1D'),
    poolSpec(2, 'AveragePooling2D'),
    poolSpec(3, 'AveragePooling3D'),
    globalPoolSpec(1, 'GlobalMaxPooling1D'),
    globalPoolSpec(2, 'GlobalMaxPooling2D'),
    globalPoolSpec(1, 'GlobalAveragePooling1D'),
    globalPoolSpec(2, 'GlobalAveragePooling2D'),
    batchNormalization,
    layerNormalization,
    embedding,
    rnnSpec('LSTM'),
    rnnSpec('GRU'),
    rnnSpec('SimpleRNN'),
    bidirectional,
    timeDistributed,
    elementwiseMerge('Add', 1),
    elementwiseMerge('Multiply', 1),
    elementwiseMerge('Average', 1),
    elementwiseMerge('Maximum', 1),
    elementwiseMerge('Minimum', 1),
    concatenate,
    dot,
    resizingLike('Resizing'),
    resizingLike('CenterCrop'),
  ].map((s) => [s.className, s]),
);

/** tf.layers factory name → class name, as @tensorflow/tfjs 4.22 exports them. */
export const TFJS_FACTORIES: Record<string, string> = {
  dense: 'Dense',
  flatten: 'Flatten',
  reshape: 'Reshape',
  permute: 'Permute',
  repeatVector: 'RepeatVector',
  activation: 'Activation',
  dropout: 'Dropout',
  spatialDropout1d: 'SpatialDropout1D',
  alphaDropout: 'AlphaDropout',
  gaussianDropout: 'GaussianDropout',
  gaussianNoise: 'GaussianNoise',
  masking: 'Masking',
  reLU: 'ReLU',
  leakyReLU: 'LeakyReLU',
  elu: 'ELU',
  thresholdedReLU: 'ThresholdedReLU',
  softmax: 'Softmax',
  prelu: 'PReLU',
  rescaling: 'Rescaling',
  resizing: 'Resizing',
  centerCrop: 'CenterCrop',
  conv1d: 'Conv1D',
  conv2d: 'Conv2D',
  conv3d: 'Conv3D',
  conv2dTranspose: 'Conv2DTranspose',
  conv3dTranspose: 'Conv3DTranspose',
  depthwiseConv2d: 'DepthwiseConv2D',
  separableConv2d: 'SeparableConv2D',
  cropping2D: 'Cropping2D',
  zeroPadding2d: 'ZeroPadding2D',
  upSampling2d: 'UpSampling2D',
  maxPooling1d: 'MaxPooling1D',
  maxPool1d: 'MaxPooling1D',
  maxPooling2d: 'MaxPooling2D',
  maxPool2d: 'MaxPooling2D',
  maxPooling3d: 'MaxPooling3D',
  averagePooling1d: 'AveragePooling1D',
  avgPool1d: 'AveragePooling1D',
  avgPooling1d: 'AveragePooling1D',
  averagePooling2d: 'AveragePooling2D',
  avgPool2d: 'AveragePooling2D',
  avgPooling2d: 'AveragePooling2D',
  averagePooling3d: 'AveragePooling3D',
  avgPool3d: 'AveragePooling3D',
  avgPooling3d: 'AveragePooling3D',
  globalMaxPooling1d: 'GlobalMaxPooling1D',
  globalMaxPool1d: 'GlobalMaxPooling1D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  globalMaxPool2d: 'GlobalMaxPooling2D',
  globalAveragePooling1d: 'GlobalAveragePooling1D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  batchNormalization: 'BatchNormalization',
  layerNormalization: 'LayerNormalization',
  embedding: 'Embedding',
  lstm: 'LSTM',
  gru: 'GRU',
  simpleRNN: 'SimpleRNN',
  bidirectional: 'Bidirectional',
  timeDistributed: 'TimeDistributed',
  add: 'Add',
  multiply: 'Multiply',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  concatenate: 'Concatenate',
  dot: 'Dot',
  // exported by TF.js but not costed here: the analysis reports them as unknown layers
  convLstm2d: 'ConvLSTM2D',
  rnn: 'RNN',
  categoryEncoding: 'CategoryEncoding',
  randomWidth: 'RandomWidth',
  lstmCell: 'LSTMCell',
  gruCell: 'GRUCell',
  simpleRNNCell: 'SimpleRNNCell',
  convLstm2dCell: 'ConvLSTM2DCell',
  stackedRNNCells: 'StackedRNNCells',
};

/** Layers that do not exist in @tensorflow/tfjs 4.22, with what to use instead. */
export const MISSING_IN_TFJS: Record<string, string> = {
  multiHeadAttention:
    'tf.layers.multiHeadAttention does not exist in @tensorflow/tfjs 4.22 (calling it throws TypeError); build attention from dense, dot and softmax layers',
  attention: 'tf.layers.attention does not exist in @tensorflow/tfjs 4.22',
  conv2dTransposeLayer: 'tf.layers.conv2dTransposeLayer does not exist in @tensorflow/tfjs 4.22',
};

const snakeCache = new Map<string, string>();

/** TF.js's generic_utils.toSnakeCase (layer names are snake(className) + '_' + className + n). */
export function toSnakeCase(name: string): string {
  let out = snakeCache.get(name);
  if (out === undefined) {
    const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
    const insecure = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    out = insecure[0] !== '_' ? insecure : `private${insecure}`;
    if (snakeCache.size < 1000) snakeCache.set(name, out);
  }
  return out;
}

/** "params = 3·3·1·32 + 32" from the weights. */
export function paramsFormula(weights: Weight[]): string {
  if (!weights.length) return 'params = 0';
  return `params = ${weights.map((w) => w.shape.join('·')).join(' + ')}`;
}
