// The functional forms nn layers share with torch.nn.functional, as torch's own nn.ConvNd,
// nn.Linear and pools call F.conv2d, F.linear, F.max_pool2d: one call per formula, priced by
// the kernel in src/core/cost.
import * as cost from '../cost';
import type { Interpreter } from '../interp/interpreter';
import type { SymNum } from '../interp/symbolic';
import type { Tensor } from '../torch/tensor';
import type { LayerCost } from '../cost';

export interface ConvArgs {
  inChannels: SymNum;
  outChannels: SymNum;
  groups: SymNum;
  kernel: SymNum[];
  stride: SymNum[];
  dilation: SymNum[];
  padding: SymNum[] | 'same' | 'valid';
  /** Present for transposed convolutions (padding is then per dim). */
  outputPadding?: SymNum[];
  /** The weight's shape, for torch's input check; null when not known. */
  weight: readonly SymNum[] | null;
}

/** F.conv{1,2,3}d / F.conv_transpose{1,2,3}d on an input of known shape; raises what torch raises. */
export function convCall(x: Tensor, nd: number, c: ConvArgs, it: Interpreter): { shape: SymNum[] } & LayerCost {
  const shape = x.shape!;
  if (c.weight) {
    const error = cost.convInputError(shape, c.weight, c.groups, !!c.outputPadding);
    if (error) it.raise('RuntimeError', error);
  }
  const spatialIn = shape.slice(-nd);
  const window = { kernel: c.kernel, stride: c.stride, dilation: c.dilation };
  const spatial = c.outputPadding
    ? cost.convTransposeSpatial(spatialIn, { ...window, padding: c.padding as SymNum[], outputPadding: c.outputPadding })
    : cost.convSpatial(spatialIn, { ...window, padding: c.padding });
  const out = [...shape.slice(0, -nd - 1), c.outChannels, ...spatial];
  const r = c.outputPadding
    ? cost.convTranspose(shape, c.outChannels, c.groups, c.kernel)
    : cost.conv(out, c.inChannels, c.groups, c.kernel);
  return { ...r, shape: out };
}

/** F.linear: y = x·Wᵀ + b over the last dim; raises torch's error when it does not match in_features. */
export function linearCall(x: Tensor, inFeatures: SymNum, outFeatures: SymNum, it: Interpreter): { shape: SymNum[] } & LayerCost {
  const error = cost.linearInputError(x.shape!, inFeatures, outFeatures);
  if (error) it.raise('RuntimeError', error);
  const r = cost.linear(x.shape!, inFeatures, outFeatures);
  return { ...r.cost, shape: r.output };
}
