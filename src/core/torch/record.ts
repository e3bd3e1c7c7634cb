// Turns catalogue results into cost events on the active recorder.
import type { Interpreter } from '../interp/interpreter';
import { symAdd, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, type PyInstance, type Value } from '../interp/values';
import type { OpResult } from '../ops/opSpec';
import { Tensor } from './tensor';
import { recorderOf } from './recorder';

/** Tensors inside an output value (a tensor, or a tuple/list of them, nested). */
export function tensorsIn(v: Value, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (v instanceof PyTuple || v instanceof PyList) for (const x of v.items) tensorsIn(x, out);
  return out;
}

export function outputFootprint(output: Value): { shapes: (readonly SymNum[] | null)[]; elements: SymNum; bytes: number } {
  const ts = tensorsIn(output);
  let elements: SymNum = 0;
  for (const t of ts) {
    const n = t.numel();
    if (n !== null) elements = symAdd(elements, n);
  }
  return { shapes: ts.map((t) => t.shape), elements, bytes: ts[0]?.dtype.bytes ?? 4 };
}

/** Records a functional op or tensor method that ran in forward, charged to the running module and the call stack. */
export function recordOp(it: Interpreter, type: string, r: OpResult): void {
  const rec = recorderOf(it);
  if (!rec || (r.view && !r.macs)) return;
  const fp = outputFootprint(r.output);
  rec.record({
    kind: 'op',
    module: rec.moduleStack[rec.moduleStack.length - 1],
    type,
    sites: it.callSites(),
    macs: r.macs ?? 0,
    elementwise: r.elementwise ?? 0,
    outputShapes: fp.shapes,
    outputElements: r.view ? 0 : fp.elements,
    outputBytesPerElement: fp.bytes,
    formula: r.formula,
    attention: r.attention,
  });
}

/** Records one call of a catalogue layer. */
export function recordLayer(
  it: Interpreter,
  layer: PyInstance,
  type: string,
  r: {
    output: Value;
    macs: SymNum;
    elementwise: SymNum;
    formula?: string;
    noAllocation?: boolean;
    attention?: import('../ops/layerSpec').AttentionCost;
  },
): void {
  const rec = recorderOf(it);
  if (!rec) return;
  const fp = outputFootprint(r.output);
  rec.record({
    kind: 'layer',
    module: layer,
    type,
    macs: r.macs,
    elementwise: r.elementwise,
    outputShapes: fp.shapes,
    outputElements: r.noAllocation ? 0 : fp.elements,
    outputBytesPerElement: fp.bytes,
    formula: r.formula,
    attention: r.attention,
  });
}
