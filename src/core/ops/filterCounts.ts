// How many elements a data-dependent filter keeps (torch.where(mask), nonzero, x[mask],
// masked_select, torchvision's NMS). Exact when the mask's values are known; otherwise the upper
// bound — every element kept — stated as an assumption in the report, site by site. That is the
// convention detection models are measured at (thresholds open, the fixed caps such as
// post_nms_top_n and detections_per_img decide the counts; see scripts/truth/README.md): the cost
// of the busiest image, never a silent guess.
import type { Interpreter } from '../interp/interpreter';
import type { SymNum } from '../interp/symbolic';
import type { Tensor } from '../torch/tensor';
import { unknownDim } from '../torch/tensor';
import { numelOf } from './shapes';

const KEPT_ALL = 'taken at its upper bound (every element kept)';

/** The assumption a filter whose values are unknown leaves in the report (the site follows it). */
export function keptAllAssumption(what: string): string {
  return `${what} keeps a data-dependent number of elements: ${KEPT_ALL}`;
}

/** Whether a report note is that assumption. */
export function isKeptAllNote(note: string): boolean {
  return note.includes(KEPT_ALL);
}

/** Elements of `mask` that are true (non-zero): counted from known values, else all of them, noted. */
export function keptCount(mask: Tensor, what: string, it: Interpreter): SymNum {
  if (mask.data && mask.data.length === mask.concreteNumel()) return mask.data.filter((v) => v !== 0).length;
  if (!mask.shape) return unknownDim(`${what} of a tensor of unknown shape returns a data-dependent number of elements`);
  it.note(keptAllAssumption(what));
  return numelOf(mask.shape);
}

/** Indices of the true elements of a 1-D mask with known values (torch.where / nonzero data). */
export function keptIndices(mask: Tensor): number[] | undefined {
  if (!mask.data || mask.shape?.length !== 1 || mask.data.length !== mask.concreteNumel()) return undefined;
  const out: number[] = [];
  mask.data.forEach((v, i) => v !== 0 && out.push(i));
  return out;
}
