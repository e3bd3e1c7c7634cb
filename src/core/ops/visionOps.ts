// The ops torchvision's compiled extension registers under torch.ops.torchvision (what
// torchvision.ops calls once its Python checks pass): non-maximum suppression and the RoI
// poolers. None multiplies and accumulates in torchvision's convention (bilinear sampling and
// max-pooling are elementwise work); NMS keeps a data-dependent number of boxes (filterCounts.ts).
import { numericValue } from '../interp/operators';
import type { SymNum } from '../interp/symbolic';
import { PyTuple, type Value } from '../interp/values';
import { DEFAULT_INT, DTYPES, Tensor } from '../torch/tensor';
import { keptCount } from './filterCounts';
import { reasonOf, unknownResult } from './functional';
import type { OpResult, OpSpec } from './opSpec';
import { dimOf, numelOf } from './shapes';

function tensorArg(a: Map<string, Value>, name: string): Tensor | null {
  const x = a.get(name);
  return x instanceof Tensor && x.shape ? x : null;
}

/** input [N, C, H, W], rois [K, 5] → [K, channels, pooled_height, pooled_width]. */
function roiPooled(a: Map<string, Value>, what: string, channels: (s: readonly SymNum[]) => SymNum | null): OpResult | Tensor {
  const x = tensorArg(a, 'input');
  const rois = tensorArg(a, 'rois');
  if (!x || x.shape!.length !== 4) return unknownResult(reasonOf(a.get('input'), `${what} input`));
  if (!rois || rois.shape!.length !== 2) return unknownResult(reasonOf(a.get('rois'), `${what} rois`));
  const c = channels(x.shape!);
  if (c === null) return unknownResult(`${what}: channels not divisible by the pooled size`);
  return new Tensor(
    [rois.shape![0], c, dimOf(a.get('pooled_height'), 'pooled_height'), dimOf(a.get('pooled_width'), 'pooled_width')],
    x.dtype,
  );
}

function pooled(what: string, withIndices: boolean, positionSensitive = false): OpSpec {
  return {
    signature: `input, rois, spatial_scale, pooled_height, pooled_width${what.includes('align') ? ', sampling_ratio=-1' : ''}${
      what === 'roi_align' ? ', aligned=False' : ''
    }`,
    cost: 'no MACs (bilinear sampling or max-pooling per bin: elementwise work)',
    run: (a) => {
      const out = roiPooled(a, what, (s) => {
        if (!positionSensitive) return s[1];
        const bins = (numericValue(a.get('pooled_height') ?? null) ?? NaN) * (numericValue(a.get('pooled_width') ?? null) ?? NaN);
        return typeof s[1] === 'number' && Number.isInteger(s[1] / bins) ? s[1] / bins : null;
      });
      if (!(out instanceof Tensor)) return out;
      const elementwise = numelOf(out.shape);
      return { output: withIndices ? new PyTuple([out, new Tensor(out.shape, DTYPES.int32)]) : out, elementwise };
    },
  };
}

export const VISION_OPS: Record<string, OpSpec> = {
  'torchvision.nms': {
    signature: 'dets, scores, iou_threshold',
    cost: 'no MACs; keeps a data-dependent number of boxes, taken at every box unless the values are known',
    run: (a, it) => {
      const boxes = tensorArg(a, 'dets');
      if (!boxes || boxes.shape!.length !== 2) return unknownResult(reasonOf(a.get('dets'), 'nms boxes'));
      const all = new Tensor([boxes.shape![0]], DTYPES.bool);
      return {
        output: new Tensor([keptCount(all, 'non-maximum suppression (torchvision nms)', it)], DEFAULT_INT),
        elementwise: numelOf(boxes.shape),
      };
    },
  },
  'torchvision.roi_align': pooled('roi_align', false),
  'torchvision.roi_pool': pooled('roi_pool', true),
  'torchvision.ps_roi_align': pooled('ps_roi_align', true, true),
  'torchvision.ps_roi_pool': pooled('ps_roi_pool', true, true),
};
