// The counts a detection model's MACs were computed at, stated the way the truth states them
// (scripts/truth/torchvision_tasks_truth.py): when data-dependent filters were taken at their
// upper bound (ops/filterCounts.ts), the fixed caps decide how many proposals reach the box head
// and how many detections the model returns, and the report names both numbers.
import { PyDict, PyInstance, PyList, PyTuple, type Value } from '../interp/values';
import '../torch/moduleState';
import type { ModuleCall } from '../torch/recorder';
import { Tensor } from '../torch/tensor';

function child(m: PyInstance | undefined, name: string): PyInstance | undefined {
  const v = m?.module?.modules.get(name);
  return v instanceof PyInstance ? v : undefined;
}

/** Rows of the first `boxes` tensor in a detection output (a list of per-image dicts). */
function detectionsOf(out: Value): number | undefined {
  const first = out instanceof PyList || out instanceof PyTuple ? out.items.find((x) => x instanceof PyDict) : undefined;
  const boxes = first instanceof PyDict ? first.get('boxes') : undefined;
  const n = boxes instanceof Tensor ? boxes.shape?.[0] : undefined;
  return typeof n === 'number' ? n : undefined;
}

/**
 * The sentence naming the proposals (rows into `roi_heads.box_head`, two-stage models) and the
 * detections (rows of the output's boxes) the MACs hold for; undefined when no filter was taken
 * at its upper bound or the model returns no detections.
 */
export function detectionCountsAssumption(
  model: PyInstance,
  out: Value,
  calls: readonly ModuleCall[],
  filtersAtBound: boolean,
): string | undefined {
  if (!filtersAtBound) return undefined;
  const detections = detectionsOf(out);
  if (detections === undefined) return undefined;
  const boxHead = child(child(model, 'roi_heads'), 'box_head');
  const rows = boxHead ? calls.find((c) => c.module === boxHead)?.outputShape?.[0] : undefined;
  // the truth gets the same counts by opening the thresholds (NMS IoU 1.0, score 0.0)
  const common = 'every data-dependent filter (NMS, score thresholds, small-box removal) keeps every candidate, so the caps decide';
  if (typeof rows === 'number') {
    const heads = child(child(model, 'roi_heads'), 'mask_head') || child(child(model, 'roi_heads'), 'keypoint_head');
    return (
      `MACs at ${rows} proposals (rpn post_nms_top_n, eval) and ${detections} detections (detections_per_img): ${common}; ` +
      `box head MACs scale with proposals${heads ? ', mask/keypoint head MACs with detections' : ''}`
    );
  }
  return `${detections} detections (detections_per_img): ${common}; the heads are dense, so MACs do not depend on it (only the output shapes do)`;
}
