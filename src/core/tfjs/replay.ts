// The report's pass over a model's graph with concrete input shapes (the batch filled in,
// --input applied): weights of every layer from the shapes of its first call, output shapes,
// and the cost of every call. Nested models are walked in place; a layer shared by several
// calls is built once and charged per call, as TF.js does.
import { ConfigError, ShapeError, concrete, product, type Shape } from './config';
import { GraphNode, LayerValue, ModelValue, SymTensor, nodeOutputShapes, orderedLayers } from './graph';
import type { Weight } from './layers';
import { Unknown, unknownAt } from './values';

/** A shape, or why it is not known. */
export interface ShapeResult {
  shape: Shape | null;
  reason?: string;
}

export interface LayerFigures {
  layer: LayerValue;
  /** Layer name, prefixed by the names of enclosing nested models ("encoder/dense_Dense1"). */
  path: string;
  trainable: boolean;
  weights: Weight[] | null;
  paramsReason?: string;
  built: boolean;
  calls: number;
  macs: number | null;
  elementwise: number | null;
  /** Output elements summed over calls (activation memory), views excluded. */
  activationElements: number | null;
  outputShape: Shape | null;
  costFormula?: string;
  reasons: string[];
}

export class Replay {
  readonly rows = new Map<LayerValue, LayerFigures>();
  /** Where TF.js itself would throw while building the model: the model cannot exist as written. */
  readonly errors: Unknown[] = [];

  run(model: ModelValue, inputs: ShapeResult[], prefix = '', trainable = true): ShapeResult[] {
    const inner = trainable && model.trainable;
    if (model.kind === 'sequential') {
      let current = inputs[0] ?? { shape: null, reason: 'the model has no input shape' };
      for (const l of model.layers) {
        if (l instanceof Unknown) {
          current = { shape: null, reason: l.reason };
          continue;
        }
        current = this.call(l, [current], prefix, inner)[0] ?? { shape: null, reason: `${l.name} gives no output` };
      }
      return [current];
    }
    const memo = new Map<SymTensor, ShapeResult>();
    model.inputs.forEach((t, i) => memo.set(t, inputs[i] ?? { shape: null, reason: 'no shape for this input' }));
    const done = new Set<GraphNode>();
    const shapeOf = (t: SymTensor): ShapeResult => {
      const known = memo.get(t);
      if (known) return known;
      const node = t.node;
      if (!node) return { shape: null, reason: "a tensor of the graph is not among the model's inputs" };
      if (!done.has(node)) {
        done.add(node);
        const ins = node.inputs.map(shapeOf).slice(0, node.mainInputs);
        const outs = this.call(node.layer, ins, prefix, inner);
        node.outputs.forEach((o, i) => memo.set(o, outs[i] ?? { shape: null, reason: `${node.layer.name} has no output ${i}` }));
      }
      return memo.get(t) ?? { shape: null, reason: 'unknown' };
    };
    return model.outputs.map(shapeOf);
  }

  private call(layer: LayerValue | ModelValue, inputs: ShapeResult[], prefix: string, trainable: boolean): ShapeResult[] {
    if (layer instanceof ModelValue) return this.run(layer, inputs, `${prefix}${layer.name}/`, trainable);
    const row = this.rowFor(layer, prefix, trainable);
    row.calls++;
    const missing = inputs.find((r) => r.shape === null);
    const spec = layer.spec;
    if (!spec) {
      const reason = layer.unsupported ?? `${layer.className} is not in the catalogue`;
      if (!row.built) {
        row.built = true;
        row.weights = null;
        row.paramsReason = reason;
      }
      row.macs = row.elementwise = row.activationElements = null;
      addReason(row, reason);
      return Array.from({ length: 1 }, () => ({ shape: null, reason }));
    }
    const shapes = inputs.map((r) => r.shape);
    if (!row.built) {
      row.built = true;
      try {
        row.weights = spec.weights?.(layer.config, spec.multiInput || spec.anyInputs ? (shapes as Shape[]) : [shapes[0] as Shape]) ?? [];
      } catch (e) {
        row.weights = null;
        row.paramsReason = missing
          ? `its input shape is unknown (${missing.reason})`
          : e instanceof ConfigError || e instanceof ShapeError
            ? e.message
            : `internal error: ${String(e)}`;
        if (!missing && !(e instanceof ConfigError || e instanceof ShapeError)) throw e;
        if (!missing && e instanceof ShapeError) this.tfjsError(`${layer.name}: ${e.message}`, layer);
      }
    }
    if (missing) {
      row.macs = row.elementwise = row.activationElements = null;
      addReason(row, `its input shape is unknown (${missing.reason})`);
      let count = 1;
      try {
        count = spec.outputCount?.(layer.config) ?? 1;
      } catch {
        /* one output */
      }
      return Array.from({ length: count }, () => ({ shape: null, reason: missing.reason }));
    }
    const out = nodeOutputShapes(layer, shapes);
    if (!out.shapes) {
      row.macs = row.elementwise = row.activationElements = null;
      addReason(row, out.reason ?? 'output shape unknown');
      if (out.tfjsThrows) this.tfjsError(`${layer.name}: ${out.reason}`, layer);
      return Array.from({ length: out.count }, () => ({ shape: null, reason: out.reason }));
    }
    row.outputShape = out.shapes[0];
    const ins = shapes.map(concrete);
    const outs = out.shapes.map(concrete);
    if (ins.some((s) => s === null) || outs.some((s) => s === null)) {
      const reason = `a dimension of ${layer.name}'s ${ins.some((s) => s === null) ? 'input' : 'output'} is null in TF.js (variable length): give --input or --seq-len`;
      row.macs = row.elementwise = row.activationElements = null;
      addReason(row, reason);
    } else if (spec.unknownCost) {
      row.macs = row.elementwise = null;
      addReason(row, spec.unknownCost);
      if (!spec.view)
        row.activationElements = add(
          row.activationElements,
          (outs as number[][]).reduce((s, o) => s + product(o), 0),
        );
    } else {
      try {
        const cost = spec.cost?.(layer.config, spec.multiInput ? (ins as number[][]) : [ins[0]!], outs as number[][]) ?? {
          macs: 0,
          elementwise: 0,
        };
        row.macs = add(row.macs, cost.macs);
        row.elementwise = cost.elementwise === null ? null : add(row.elementwise, cost.elementwise);
        if (cost.elementwise === null) addReason(row, `the activation of ${layer.name} is unknown: elementwise FLOPs unknown`);
        if (cost.formula) row.costFormula = cost.formula;
      } catch (e) {
        if (!(e instanceof ConfigError || e instanceof ShapeError)) throw e;
        row.macs = row.elementwise = null;
        addReason(row, e.message);
      }
      if (!spec.view)
        row.activationElements = add(
          row.activationElements,
          (outs as number[][]).reduce((s, o) => s + product(o), 0),
        );
    }
    return out.shapes.map((shape) => ({ shape }));
  }

  private tfjsError(reason: string, layer: LayerValue): void {
    if (!this.errors.some((e) => e.reason === reason)) this.errors.push(unknownAt(reason, layer.sites[layer.sites.length - 1]));
  }

  private rowFor(layer: LayerValue, prefix: string, trainable: boolean): LayerFigures {
    let row = this.rows.get(layer);
    if (!row) {
      row = {
        layer,
        path: prefix + layer.name,
        trainable: trainable && layer.trainable,
        weights: null,
        built: false,
        calls: 0,
        macs: 0,
        elementwise: 0,
        activationElements: 0,
        outputShape: null,
        reasons: [],
      };
      this.rows.set(layer, row);
    }
    return row;
  }

  /** Rows in model.layers order, nested models expanded in place; input layers left out. */
  orderedRows(model: ModelValue): LayerFigures[] {
    const out: LayerFigures[] = [];
    const seen = new Set<ModelValue>();
    const walk = (m: ModelValue) => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const l of orderedLayers(m)) {
        if (l instanceof ModelValue) walk(l);
        else if (l.className !== 'InputLayer') {
          const row = this.rows.get(l);
          if (row && !out.includes(row)) out.push(row);
        }
      }
    };
    walk(model);
    // layers reached by the replay but not listed (defensive: none expected)
    for (const row of this.rows.values()) if (!out.includes(row) && row.layer.className !== 'InputLayer') out.push(row);
    return out;
  }
}

function add(a: number | null, b: number): number | null {
  return a === null ? null : a + b;
}

function addReason(row: LayerFigures, reason: string): void {
  if (!row.reasons.includes(reason)) row.reasons.push(reason);
}
