// Small TF.js programs, each exercising one part of the JavaScript the evaluator must follow
// (or one layer rule), each with `export function build()` returning a model.
const HEAD = "import * as tf from '@tensorflow/tfjs';\n";

export const PROGRAMS: Record<string, string> = {
  destructuring: `${HEAD}
const cfg = { units: [8, 4, 2], act: 'relu', extra: { dropout: 0.1 } };
export function build() {
  const { units: [first, ...rest], act = 'tanh', extra: { dropout }, missing = 3 } = cfg as any;
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: first, activation: act, inputShape: [missing] }));
  for (const u of rest) m.add(tf.layers.dense({ units: u }));
  m.add(tf.layers.dropout({ rate: dropout }));
  return m;
}`,

  spreads: `${HEAD}
const BASE = { units: 16, activation: 'relu', useBias: true };
const copy = JSON.parse(JSON.stringify(BASE));
export function build() {
  const a = { ...BASE, units: 5, inputShape: [7] };
  const b = { units: 100, ...BASE, useBias: false };
  const c = Object.assign({}, copy, { units: copy.units * 2 });
  return tf.sequential({ layers: [tf.layers.dense(a as any), tf.layers.dense(b as any), tf.layers.dense(c as any)] });
}`,

  closuresAndDefaults: `${HEAD}
function counter(start: number) { let n = start; return () => (n += 4); }
const make = (units: number, inDim = units * 2, act = units > 4 ? 'relu' : 'linear') => tf.layers.dense({ units, inputShape: [inDim], activation: act as any });
export function build() {
  const next = counter(0);
  const m = tf.sequential();
  m.add(make(next()));
  m.add(tf.layers.dense({ units: next() }));
  m.add(tf.layers.dense({ units: next() + next() }));
  return m;
}`,

  loopsAndLabels: `${HEAD}
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 3, inputShape: [2] }));
  let i = 0;
  while (true) {
    i++;
    if (i % 2 === 0) continue;
    if (i > 7) break;
    m.add(tf.layers.dense({ units: i }));
  }
  let j = 10;
  do { j -= 3; } while (j > 0);
  outer: for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      if (b === 1) continue outer;
      if (a === 2) break outer;
      m.add(tf.layers.dense({ units: 10 + a + b - j }));
    }
  }
  return m;
}`,

  switchAndTernary: `${HEAD}
function unitsFor(kind: string): number {
  switch (kind) {
    case 'tiny':
    case 'small':
      return 4;
    case 'medium': {
      const base = 8;
      return base * 2;
    }
    default:
      return 32;
  }
}
export function build(size = 'medium') {
  const cfg: { act?: string; nested?: { units?: number } } = { nested: {} };
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: unitsFor(size), inputShape: [unitsFor('tiny')] }));
  m.add(tf.layers.dense({ units: cfg.nested?.units ?? unitsFor('huge'), activation: (cfg.act ?? 'relu') as any }));
  m.add(tf.layers.dense({ units: (cfg as any).missing?.deep?.units ?? 3 }));
  m.add(tf.layers.dense({ units: size.length > 3 ? 6 : 2 }));
  return m;
}`,

  tryCatch: `${HEAD}
function checked(units: number) {
  if (units <= 0) throw new Error('units must be positive');
  return units;
}
export function build() {
  const m = tf.sequential();
  let units = 0;
  try {
    units = checked(-1);
  } catch (e) {
    units = 12;
  } finally {
    units += 1;
  }
  m.add(tf.layers.dense({ units, inputShape: [5] }));
  return m;
}`,

  classes: `${HEAD}
class Block {
  static count = 0;
  constructor(protected units: number) { Block.count++; }
  get width() { return this.units * 2; }
  layers(): tf.layers.Layer[] { return [tf.layers.dense({ units: this.width, activation: 'relu' })]; }
}
class NormBlock extends Block {
  layers() { return [...super.layers(), tf.layers.batchNormalization()]; }
}
class Builder {
  private blocks: Block[] = [new Block(3), new NormBlock(5)];
  static create() { return new Builder(); }
  model() {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: Block.count, inputShape: [4] }));
    for (const b of this.blocks) for (const l of b.layers()) m.add(l);
    return m;
  }
}
export function build() { return Builder.create().model(); }`,

  enumsAndConst: `${HEAD}
enum Size { Small = 8, Medium = 16, Large = Medium * 2 }
enum Kind { Dense, Conv }
const WIDTHS = [Size.Small, Size.Large] as const;
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: WIDTHS[0] + Kind.Conv, inputShape: [Size.Medium] }));
  m.add(tf.layers.dense({ units: WIDTHS[1] }));
  return m;
}`,

  arrayMethods: `${HEAD}
const SIZES = Array.from({ length: 4 }, (_, i) => 8 * (i + 1));
export function build() {
  const kept = SIZES.filter((s) => s !== 16).map((s, i) => s + i);
  const total = kept.reduce((a, b) => a + b, 0);
  const pairs = Object.entries({ a: 3, b: 5 });
  const layers = kept.flatMap((u) => [tf.layers.dense({ units: u }), tf.layers.activation({ activation: 'relu' })]);
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: total, inputShape: [pairs.length] }));
  layers.forEach((l) => m.add(l));
  for (const [, v] of pairs) m.add(tf.layers.dense({ units: v }));
  const obj: Record<string, number> = { x: 2, y: 4 };
  for (const k in obj) m.add(tf.layers.dense({ units: obj[k] + (SIZES.includes(16) ? 1 : 0) + SIZES.indexOf(24) }));
  return m;
}`,

  namesAndStrings: `${HEAD}
const PREFIX = 'Enc';
export function build() {
  const m = tf.sequential({ name: \`\${PREFIX.toLowerCase()}_model\` });
  const names = 'alpha,beta,gamma'.split(',');
  names.forEach((n, i) => m.add(tf.layers.dense({ units: n.length + i, name: \`\${PREFIX}_\${n.toUpperCase()}_\${String(i).padStart(2, '0')}\`, ...(i === 0 ? { inputShape: [names.join('-').length] } : {}) })));
  return m;
}`,

  recursionAndMath: `${HEAD}
function addBlocks(m: tf.Sequential, depth: number, width: number): void {
  if (depth === 0) return;
  m.add(tf.layers.dense({ units: width, activation: 'relu' }));
  addBlocks(m, depth - 1, Math.max(2, Math.floor(width / 2)));
}
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 2 ** 5, inputShape: [Math.round(Math.sqrt(49))] }));
  addBlocks(m, 4, (1 << 5) + (37 % 5));
  m.add(tf.layers.dense({ units: Math.ceil(10 / 3) }));
  return m;
}`,

  higherOrderAndComputedMembers: `${HEAD}
const factory = (kind: 'dense' | 'embedding') => (cfg: any) => (tf.layers as any)[kind](cfg);
export function build() {
  const dense = factory('dense');
  const m = tf.sequential();
  m.add(factory('embedding')({ inputDim: 50, outputDim: 6, inputLength: 9 }));
  m.add(tf.layers.flatten());
  m.add(dense({ units: 7 }));
  return m;
}`,

  nestedSequential: `${HEAD}
export function build() {
  const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 3 })] });
  const outer = tf.sequential();
  outer.add(inner);
  outer.add(tf.layers.dense({ units: 2 }));
  return outer;
}`,

  sharedLayerAndTrainable: `${HEAD}
export function build() {
  const a = tf.input({ shape: [10] });
  const b = tf.input({ shape: [10] });
  const shared = tf.layers.dense({ units: 5 });
  const frozen = tf.layers.dense({ units: 3 });
  frozen.trainable = false;
  const x = tf.layers.add().apply([shared.apply(a) as tf.SymbolicTensor, shared.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const y = frozen.apply(x) as tf.SymbolicTensor;
  const z = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: z });
}`,

  inputVariants: `${HEAD}
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.inputLayer({ inputShape: [6, 4] }));
  m.add(tf.layers.dense({ units: 3 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 2, inputDim: 999 }));
  return m;
}`,

  batchInputShape: `${HEAD}
export function build() {
  return tf.sequential({ layers: [tf.layers.dense({ units: 4, batchInputShape: [8, 10] }), tf.layers.dense({ units: 1 })] });
}`,

  inputDim: `${HEAD}
export function build() {
  return tf.sequential({ layers: [tf.layers.dense({ units: 4, inputDim: 11 }), tf.layers.dense({ units: 1 })] });
}`,

  rnnStates: `${HEAD}
export function build() {
  const x = tf.input({ shape: [12, 5] });
  const [seq, h, c] = tf.layers.lstm({ units: 7, returnSequences: true, returnState: true }).apply(x) as tf.SymbolicTensor[];
  const [fwd, bwd] = tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4 }) as tf.RNN, mergeMode: null as any }).apply(seq) as tf.SymbolicTensor[];
  const s = tf.layers.simpleRNN({ units: 3, returnState: true }).apply(seq) as tf.SymbolicTensor[];
  const merged = tf.layers.concatenate().apply([fwd, bwd, h, c, s[0], s[1]]) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: merged });
}`,

  merges3d: `${HEAD}
export function build() {
  const x = tf.input({ shape: [6, 4] });
  const y = tf.input({ shape: [6, 2] });
  const cat = tf.layers.concatenate({ axis: 2 }).apply([x, y]) as tf.SymbolicTensor;
  const catT = tf.layers.concatenate({ axis: 1 }).apply([x, x]) as tf.SymbolicTensor;
  const d = tf.layers.dot({ axes: -1, normalize: true }).apply([tf.layers.flatten().apply(x) as tf.SymbolicTensor, tf.layers.dense({ units: 24 }).apply(tf.layers.flatten().apply(catT)) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const mn = tf.layers.minimum().apply([cat, cat]) as tf.SymbolicTensor;
  const mx = tf.layers.maximum().apply([mn, cat]) as tf.SymbolicTensor;
  return tf.model({ inputs: [x, y], outputs: [tf.layers.flatten().apply(mx) as tf.SymbolicTensor, d] });
}`,

  noiseAndActivations: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.masking({ maskValue: 0, inputShape: [5, 3] }),
      tf.layers.gaussianNoise({ stddev: 0.1 }),
      tf.layers.gaussianDropout({ rate: 0.1 }),
      tf.layers.alphaDropout({ rate: 0.1 }),
      tf.layers.leakyReLU(),
      tf.layers.elu(),
      tf.layers.thresholdedReLU(),
      tf.layers.prelu({ sharedAxes: [1] }),
      tf.layers.softmax(),
      tf.layers.permute({ dims: [2, 1] }),
      tf.layers.flatten(),
      tf.layers.repeatVector({ n: 4 }),
      tf.layers.reshape({ targetShape: [-1, 5] }),
    ],
  });
}`,

  conv3dAndPools: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.conv3d({ filters: 4, kernelSize: [3, 3, 2], strides: [1, 2, 1], inputShape: [8, 16, 16, 2] }),
      tf.layers.maxPooling3d({ poolSize: 2 }),
      tf.layers.averagePooling3d({ poolSize: [1, 2, 2], padding: 'same' }),
      tf.layers.conv3dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
      tf.layers.flatten(),
    ],
  });
}`,

  paddingAndCropping: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.zeroPadding2d({ padding: [[1, 2], [3, 4]], inputShape: [10, 12, 3] }),
      tf.layers.cropping2D({ cropping: 2 }),
      tf.layers.upSampling2d({ size: [3, 1] }),
      tf.layers.avgPool2d({ poolSize: [3, 2], strides: [2, 2], padding: 'same' }),
      tf.layers.maxPool2d({ poolSize: 2, padding: 'same' }),
      tf.layers.globalMaxPooling2d({}),
    ],
  });
}`,

  channelsFirst: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 6, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [3, 20, 18] }),
      tf.layers.batchNormalization({ axis: 1 }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, dataFormat: 'channelsFirst' }),
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3, dataFormat: 'channelsFirst', useBias: false }),
      tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
    ],
  });
}`,

  dilatedAndStrided: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: [3, 5], strides: [2, 3], dilationRate: 1, inputShape: [31, 29, 2] }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: [2, 2] }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [9, 1] }) as any,
    ].slice(0, 2),
  });
}`,

  layerNormAxes: `${HEAD}
export function build() {
  const x = tf.input({ shape: [4, 6] });
  const a = tf.layers.layerNormalization({ axis: [-2, -1] }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.layerNormalization({ axis: 1, center: false }).apply(a) as tf.SymbolicTensor;
  const c = tf.layers.batchNormalization({ scale: false }).apply(b) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: c });
}`,

  timeDistributedConv: `${HEAD}
export function build() {
  return tf.sequential({
    layers: [
      tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: 4, kernelSize: 3 }), inputShape: [5, 12, 12, 1] }),
      tf.layers.timeDistributed({ layer: tf.layers.flatten() }),
      tf.layers.gru({ units: 6 }),
    ],
  });
}`,

  rnnInitialState: `${HEAD}
export function build() {
  const enc = tf.input({ shape: [8, 3] });
  const dec = tf.input({ shape: [6, 4] });
  const [encSeq, h, c] = tf.layers.lstm({ units: 5, returnSequences: true, returnState: true }).apply(enc) as tf.SymbolicTensor[];
  const h2 = tf.layers.dense({ units: 5 }).apply(h) as tf.SymbolicTensor;
  const noisy = tf.layers.gaussianNoise({ stddev: 0.1 }).apply(dec) as tf.SymbolicTensor;
  const decSeq = tf.layers.lstm({ units: 5, returnSequences: true }).apply(noisy, { initialState: [h2, c] }) as tf.SymbolicTensor;
  return tf.model({ inputs: [enc, dec], outputs: tf.layers.dot({ axes: [2, 2] }).apply([decSeq, encSeq]) as tf.SymbolicTensor });
}`,

  embeddingVariants: `${HEAD}
export function build() {
  const ids = tf.input({ shape: [7, 3] });
  const e = tf.layers.embedding({ inputDim: 30, outputDim: 4 }).apply(ids) as tf.SymbolicTensor;
  const r = tf.layers.reshape({ targetShape: [7, 12] }).apply(e) as tf.SymbolicTensor;
  return tf.model({ inputs: ids, outputs: tf.layers.globalAveragePooling1d().apply(r) as tf.SymbolicTensor });
}`,
};

export const CUSTOM_LAYER_PROGRAMS: Record<string, string> = {
  customLayer: `${HEAD}
class ScaleShift extends tf.layers.Layer {
  private readonly units: number;
  constructor(config: { units: number; name?: string; inputShape?: number[] }) {
    super(config);
    this.units = config.units;
  }
  override build(inputShape: tf.Shape | tf.Shape[]) {
    const shape = inputShape as tf.Shape;
    const features = shape[shape.length - 1] as number;
    this.addWeight('scale', [features], 'float32', tf.initializers.ones());
    this.addWeight('proj', [features, this.units], 'float32', tf.initializers.glorotUniform({}));
    this.addWeight('offset', [this.units], 'float32', tf.initializers.zeros(), undefined, false);
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]) {
    const shape = inputShape as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }
  static get className() {
    return 'ScaleShift';
  }
}
export function build() {
  const m = tf.sequential();
  m.add(new ScaleShift({ units: 6, inputShape: [10, 4] }));
  m.add(tf.layers.dense({ units: 3 }));
  return m;
}`,
};

/** Programs TF.js refuses to build: the analyzer must leave their totals unknown, with the reason. */
export const INVALID_PROGRAMS: Record<string, string> = {
  concatMismatch: `${HEAD}
export function build() {
  const a = tf.input({ shape: [4, 2] });
  const b = tf.input({ shape: [5, 3] });
  return tf.model({ inputs: [a, b], outputs: tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor });
}`,
  noInputShape: `${HEAD}
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4 }));
  return m;
}`,
  flattenRank: `${HEAD}
export function build() {
  return tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.flatten()] });
}`,
  lstmRank: `${HEAD}
export function build() {
  return tf.sequential({ layers: [tf.layers.lstm({ units: 4, inputShape: [3] })] });
}`,
  addBroadcast: `${HEAD}
export function build() {
  const a = tf.input({ shape: [4] });
  const b = tf.input({ shape: [5] });
  return tf.model({ inputs: [a, b], outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
}`,
  dotMismatch: `${HEAD}
export function build() {
  const a = tf.input({ shape: [6, 4] });
  const b = tf.input({ shape: [6, 5] });
  return tf.model({ inputs: [a, b], outputs: tf.layers.dot({ axes: 2 }).apply([a, b]) as tf.SymbolicTensor });
}`,
  embeddingLength: `${HEAD}
export function build() {
  const ids = tf.input({ shape: [12] });
  return tf.model({ inputs: ids, outputs: tf.layers.embedding({ inputDim: 10, outputDim: 3, inputLength: 10 }).apply(ids) as tf.SymbolicTensor });
}`,
  conv1dRank: `${HEAD}
export function build() {
  return tf.sequential({ layers: [tf.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 3] })] });
}`,
  mergeSingle: `${HEAD}
export function build() {
  const a = tf.input({ shape: [4] });
  return tf.model({ inputs: a, outputs: tf.layers.add().apply([a]) as tf.SymbolicTensor });
}`,
  missingLayer: `${HEAD}
export function build() {
  const x = tf.input({ shape: [10, 16] });
  const y = (tf.layers as any).multiHeadAttention({ numHeads: 2, keyDim: 8 }).apply([x, x]);
  return tf.model({ inputs: x, outputs: y });
}`,
};
