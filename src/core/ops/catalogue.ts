// The whole op catalogue: the core ops of functional.ts plus the op families kept in their own
// files. Everything that exposes ops (torch, torch.nn.functional, Tensor methods) reads OPS from here.
import { ATTENTION_OPS } from './attentionOps';
import { CREATION_OPS } from './creationOps';
import { DATA_OPS } from './dataOps';
import { OPS } from './functional';
import { INDEXING_OPS } from './indexingOps';
import { FFT_OPS, LINALG_OPS, SIGNAL_OPS, TORCH_LINALG_OPS } from './linalgOps';
import { LAYERS } from './layers';
import { SAMPLING_LAYERS } from './samplingLayers';
import { MATH_OPS } from './mathOps';
import { F_RENAMED, SAMPLING_OPS } from './samplingOps';
import { VISION_OPS } from './visionOps';

Object.assign(OPS, CREATION_OPS, INDEXING_OPS, MATH_OPS, SAMPLING_OPS, ATTENTION_OPS, DATA_OPS, TORCH_LINALG_OPS, SIGNAL_OPS);
// torch.linalg.<name> and torch.fft.<name>: their own namespaces (linalg.norm is not torch.norm)
for (const [name, spec] of Object.entries(LINALG_OPS)) OPS[`linalg.${name}`] = spec;
for (const [name, spec] of Object.entries(FFT_OPS)) OPS[`fft.${name}`] = spec;
// torch.ops.torchvision.<name>: registered by torchvision's compiled extension
Object.assign(OPS, VISION_OPS);
Object.assign(LAYERS, SAMPLING_LAYERS);

/** Catalogue names that exist only as torch.<name> (not in torch.nn.functional). */
export const TORCH_ONLY = new Set([
  ...Object.keys(CREATION_OPS),
  ...Object.keys(INDEXING_OPS),
  ...Object.keys(MATH_OPS),
  ...Object.keys(DATA_OPS),
  ...Object.keys(TORCH_LINALG_OPS),
  ...Object.keys(SIGNAL_OPS),
]);

/** The names of a namespace's own ops ("linalg.", "fft."), for its module. */
export function namespaceOps(prefix: string): string[] {
  return Object.keys(OPS).filter((n) => n.startsWith(prefix));
}

/** Catalogue names that exist only in torch.nn.functional (not as torch.<name>). */
export const FUNCTIONAL_ONLY = new Set(['grid_sample', 'affine_grid', 'im2col', 'col2im', 'multi_head_attention_forward']);

export { F_RENAMED, OPS };
