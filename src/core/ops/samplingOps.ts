// Resampling and patch ops of torch.nn.functional: grid_sample, affine_grid, unfold/fold
// (im2col, col2im), and the similarity reductions. No multiply-accumulate in torchvision's
// convention; one elementwise FLOP per output element.
import { numericValue } from '../interp/operators';
import { symMul, symProduct, type SymNum } from '../interp/symbolic';
import { PyList, PyTuple, type Value } from '../interp/values';
import * as cost from '../cost';
import { floorDiv } from '../cost';
import { Tensor, broadcastShapes, normAxis } from '../torch/tensor';
import { promote, reasonOf, shapeArg, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { numelOf, tupleOf } from './shapes';

function tensorArg(a: Map<string, Value>, name: string): Tensor | null {
  const x = a.get(name);
  return x instanceof Tensor && x.shape ? x : null;
}

/** grid_sample: (N, C, *in) sampled at a grid (N, *out, nd) → (N, C, *out). */
function gridSample(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  const g = tensorArg(a, 'grid');
  if (!x || !g) return unknownResult(reasonOf(x ? a.get('grid') : a.get('input'), 'grid_sample input'));
  if (x.shape!.length !== g.shape!.length || x.shape!.length < 4) return unknownResult('grid_sample: input and grid ranks differ');
  const out = [x.shape![0], x.shape![1], ...g.shape!.slice(1, -1)];
  return { output: new Tensor(out, x.dtype), elementwise: numelOf(out) };
}

/** affine_grid: theta (N, 2, 3) and size (N, C, H, W) → (N, H, W, 2); 3-D: (N, D, H, W, 3). */
function affineGrid(a: Map<string, Value>): OpResult {
  const theta = tensorArg(a, 'theta');
  const size = shapeArg(a.get('size'), [], 'size');
  if (!Array.isArray(size)) return unknownResult(size.reason);
  const spatial = size.slice(2);
  const out = [size[0], ...spatial, spatial.length];
  return { output: new Tensor(out, theta?.dtype), elementwise: numelOf(out) };
}

/** F.unfold (im2col): (N, C, *spatial) → (N, C·∏kernel, L) with L the number of windows. */
function im2col(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return unknownResult(reasonOf(a.get('input'), 'unfold'));
  const nd = x.shape!.length - 2;
  const window = {
    kernel: tupleOf(a.get('kernel_size'), nd, 'kernel_size'),
    dilation: tupleOf(a.get('dilation'), nd, 'dilation'),
    padding: tupleOf(a.get('padding'), nd, 'padding'),
    stride: tupleOf(a.get('stride'), nd, 'stride'),
  };
  const blocks = cost.convSpatial(x.shape!.slice(2), window);
  const out = [x.shape![0], symMul(x.shape![1], symProduct(window.kernel)), symProduct(blocks)];
  return { output: new Tensor(out, x.dtype), elementwise: numelOf(out) };
}

/** F.fold (col2im): (N, C·∏kernel, L) → (N, C, *output_size). */
function col2im(a: Map<string, Value>): OpResult {
  const x = tensorArg(a, 'input');
  if (!x) return unknownResult(reasonOf(a.get('input'), 'fold'));
  const size = a.get('output_size');
  const nd = size instanceof PyList || size instanceof PyTuple ? size.items.length : 2;
  const kernel = tupleOf(a.get('kernel_size'), nd, 'kernel_size');
  const rank = x.shape!.length;
  const channels = floorDiv(x.shape![rank - 2], symProduct(kernel), 'fold channels / kernel size');
  const out = [...x.shape!.slice(0, rank - 2), channels, ...tupleOf(size, nd, 'output_size')];
  return { output: new Tensor(out, x.dtype), elementwise: numelOf(x.shape) };
}

/** cosine_similarity / pairwise_distance: broadcast, then reduce one dim. */
function similarity(defaultDim: number, keepdimArg: boolean): (a: Map<string, Value>) => OpResult {
  return (a) => {
    const x = tensorArg(a, 'x1');
    const y = tensorArg(a, 'x2');
    if (!x || !y) return unknownResult('similarity of unknown tensors');
    const shape = broadcastShapes(x.shape!, y.shape!);
    const axis = normAxis(numericValue(a.get('dim') ?? defaultDim) ?? defaultDim, shape.length);
    const keep = keepdimArg && a.get('keepdim') === true;
    const out = shape.flatMap((d, i): SymNum[] => (i === axis ? (keep ? [1] : []) : [d]));
    return { output: new Tensor(out, promote(x, y)), elementwise: symMul(3, numelOf(shape)) };
  };
}

export const SAMPLING_OPS: Record<string, OpSpec> = {
  grid_sample: { signature: "input, grid, mode='bilinear', padding_mode='zeros', align_corners=None", run: gridSample },
  affine_grid: { signature: 'theta, size, align_corners=None', run: affineGrid },
  im2col: { signature: 'input, kernel_size, dilation=1, padding=0, stride=1', run: im2col },
  col2im: { signature: 'input, output_size, kernel_size, dilation=1, padding=0, stride=1', run: col2im },
  cosine_similarity: { signature: 'x1, x2, dim=1, eps=1e-8', run: similarity(1, false) },
  pairwise_distance: { signature: 'x1, x2, p=2.0, eps=1e-6, keepdim=False', run: similarity(-1, true) },
};

/** torch.nn.functional names whose catalogue entry has another name (Tensor.unfold is not F.unfold). */
export const F_RENAMED: Record<string, string> = { unfold: 'im2col', fold: 'col2im' };
