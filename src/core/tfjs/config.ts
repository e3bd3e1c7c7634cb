// A layer's config object as the catalogue reads it: typed getters with TF.js's defaults.
// A field that is needed but unknown (or invalid where TF.js would throw) raises
// ConfigError, which turns the figures that need it into unknowns with the reason.
import { JsObject, Unknown, describeValue, type Value } from './values';

export type Dim = number | null;
export type Shape = Dim[];

/** A figure cannot be computed; the message says why, in the user's terms. */
export class ConfigError extends Error {}

/** TF.js would throw here (it validates shapes when a layer is applied). */
export class ShapeError extends Error {}

export class LayerConfig {
  constructor(
    readonly props: Map<string, Value>,
    /** Keys not set after an unknown spread are unknown. */
    readonly partial: Unknown | undefined,
    /** "dense_Dense1", for messages. */
    readonly layerName: string,
  ) {}

  static from(v: Value, layerName: string): LayerConfig {
    if (v instanceof JsObject) return new LayerConfig(v.props, v.partial, layerName);
    if (v instanceof Unknown) return new LayerConfig(new Map(), v, layerName);
    return new LayerConfig(new Map(), undefined, layerName);
  }

  /** The raw value; undefined when absent (and known to be absent). */
  raw(key: string): Value {
    if (this.props.has(key)) return this.props.get(key);
    return this.partial;
  }

  /** Present with a value other than null/undefined (TF.js's `args.x == null` test). */
  isSet(key: string): boolean {
    const v = this.raw(key);
    if (v instanceof Unknown) throw new ConfigError(`${key} of ${this.layerName} is unknown: ${v.reason}`);
    return v !== undefined && v !== null;
  }

  private known(key: string): Value {
    const v = this.raw(key);
    if (v instanceof Unknown) throw new ConfigError(`${key} of ${this.layerName} is unknown: ${v.reason}`);
    return v;
  }

  int(key: string, fallback?: number): number {
    const v = this.known(key);
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${this.layerName} needs config.${key} (TF.js throws without it)`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}, not an integer`);
    return v;
  }

  /** A size TF.js asserts is a positive integer (units, filters, inputDim...). */
  size(key: string, fallback?: number): number {
    const v = this.int(key, fallback);
    if (v < 1) throw new ConfigError(`${key} of ${this.layerName} is ${v}; TF.js requires a positive integer (it throws)`);
    return v;
  }

  num(key: string, fallback: number): number {
    const v = this.known(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number') throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}, not a number`);
    return v;
  }

  /** A number or a list of n numbers (TF.js's normalizeArray). */
  ints(key: string, n: number, fallback?: number | number[]): number[] {
    const v = this.known(key);
    if (v === undefined || v === null) {
      if (fallback === undefined) throw new ConfigError(`${this.layerName} needs config.${key} (TF.js throws without it)`);
      return typeof fallback === 'number' ? Array<number>(n).fill(fallback) : fallback;
    }
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new ConfigError(`${key} of ${this.layerName} is ${v}, not an integer`);
      return Array<number>(n).fill(v);
    }
    return this.intList(key, v, n);
  }

  /** A list of numbers (null allowed where TF.js allows it). */
  list(key: string): Dim[] | undefined {
    const v = this.known(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}, not a list`);
    return v.map((x, i) => {
      if (x instanceof Unknown) throw new ConfigError(`${key}[${i}] of ${this.layerName} is unknown: ${x.reason}`);
      if (x === null || x === undefined) return null;
      if (typeof x !== 'number' || !Number.isInteger(x))
        throw new ConfigError(`${key}[${i}] of ${this.layerName} is ${describeValue(x)}, not an integer`);
      return x;
    });
  }

  private intList(key: string, v: Value, n: number): number[] {
    if (!Array.isArray(v)) throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}, not a number or a list`);
    if (v.length !== n)
      throw new ConfigError(`${key} of ${this.layerName} must be a number or ${n} numbers, got ${describeValue(v)} (TF.js throws)`);
    return v.map((x, i) => {
      if (x instanceof Unknown) throw new ConfigError(`${key}[${i}] of ${this.layerName} is unknown: ${x.reason}`);
      if (typeof x !== 'number' || !Number.isInteger(x))
        throw new ConfigError(`${key}[${i}] of ${this.layerName} is ${describeValue(x)}, not an integer`);
      return x;
    });
  }

  str(key: string, fallback: string): string {
    const v = this.known(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}, not a string`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.known(key);
    if (v === undefined || v === null) return fallback;
    return Boolean(v);
  }

  /** The activation's name ('linear' when absent); an object activation is named by its className if known. */
  activation(key = 'activation'): string {
    const v = this.known(key);
    if (v === undefined || v === null) return 'linear';
    if (typeof v === 'string') return v;
    throw new ConfigError(`${key} of ${this.layerName} is ${describeValue(v)}: only named activations are costed`);
  }
}

/** TF.js's deconvLength (transposed convolutions). */
export function deconvLength(input: Dim, stride: number, kernel: number, padding: string): Dim {
  if (input === null) return null;
  if (padding === 'valid') return input * stride + Math.max(kernel - stride, 0);
  if (padding === 'same') return input * stride;
  throw new ShapeError(`unsupported padding mode ${padding} (TF.js throws)`);
}

export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

/** The shape with its dims known, or null. */
export function concrete(shape: Shape | null): number[] | null {
  if (!shape) return null;
  for (const d of shape) if (d === null) return null;
  return shape as number[];
}

export function formatShapeList(shape: Shape | null): string {
  return shape ? `[${shape.map((d) => (d === null ? 'null' : d)).join(', ')}]` : '?';
}
