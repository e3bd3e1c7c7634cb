// The whole op catalogue: the core ops of functional.ts plus the op families kept in their own
// files. Everything that exposes ops (torch, torch.nn.functional, Tensor methods) reads OPS from here.
import { ATTENTION_OPS } from './attentionOps';
import { CREATION_OPS } from './creationOps';
import { OPS } from './functional';
import { INDEXING_OPS } from './indexingOps';
import { MATH_OPS } from './mathOps';
import { F_RENAMED, SAMPLING_OPS } from './samplingOps';

Object.assign(OPS, CREATION_OPS, INDEXING_OPS, MATH_OPS, SAMPLING_OPS, ATTENTION_OPS);

/** Catalogue names that exist only as torch.<name> (not in torch.nn.functional). */
export const TORCH_ONLY = new Set([...Object.keys(CREATION_OPS), ...Object.keys(INDEXING_OPS), ...Object.keys(MATH_OPS)]);

/** Catalogue names that exist only in torch.nn.functional (not as torch.<name>). */
export const FUNCTIONAL_ONLY = new Set(['grid_sample', 'affine_grid', 'im2col', 'col2im', 'multi_head_attention_forward']);

export { F_RENAMED, OPS };
