// Library functions replaced, after their module ran, by an equivalent the engine can follow.
// Each is an implementation choice the library makes at run time between variants it documents
// as giving the same result, where the other variant loops over data-dependent values.
import type { PyModule } from '../interp/values';

type Patch = (mod: PyModule) => void;

/** Patches by dotted module name, applied once after the module's top level ran. */
export const LIBRARY_PATCHES: Record<string, Patch> = {
  // batched_nms picks `_batched_nms_vanilla` (a loop over torch.unique(idxs), a data-dependent
  // number of classes) for large CPU inputs and `_batched_nms_coordinate_trick` otherwise; both
  // keep the same boxes (torchvision tests them against each other), the trick has no loop
  'torchvision.ops.boxes': (mod) => {
    const trick = mod.attrs.get('_batched_nms_coordinate_trick');
    if (trick !== undefined && mod.attrs.has('_batched_nms_vanilla')) mod.attrs.set('_batched_nms_vanilla', trick);
  },
};
