"""Truth for torchvision's other model families: segmentation, detection, video, optical flow,
quantization. Every builder of `list_models(module=torchvision.models.<family>)`, built with
`weights=None` and, where the builder has one, `weights_backbone=None` (random init, no download,
plain BatchNorm2d, every layer trainable), run once, batch 1, eval mode.

Inputs and assumptions per family (also in README.md and in each record's `assumptions`):
- segmentation: 1x3x520x520 (resize_size of every segmentation weights' transforms). meta device.
- video: 1x3x16x112x112 for the ResNet-3D family, 1x3x16x224x224 for MViT and S3D (16 frames,
  crop_size of the DEFAULT weights). meta device.
- quantization: `quantize=False` (the builders' default) returns a float model with QuantStub /
  DeQuantStub / FloatFunctional in it; measured like classification at the weights' crop size.
- optical flow: RAFT on two 1x3x224x224 images, forward's default 12 flow updates. CPU.
- detection: one 1x3x800x800 image as a batch tensor (the model's transform resizes it: 800 for the
  R-CNN / RetinaNet / FCOS builders, 320 for the *_320 and SSDlite, 300 for SSD300). What runs after
  the RPN and after the box head depends on data (NMS, score thresholds). The convention: every
  data-dependent filter keeps everything, so the fixed caps decide the counts: proposals =
  `rpn.post_nms_top_n()` (1000; 150 for the 320 builder) and detections =
  `detections_per_img` (100; RetinaNet 300, SSD 200). Real torch reproduces it deterministically by
  opening the thresholds after construction (NMS IoU threshold 1.0, score thresholds 0.0), which
  changes no parameter. The record says so (`proposals`, `detections`, `assumptions`); the run
  asserts the counts.
"""
import inspect
import os
import time
from typing import Any, Dict, List, Optional, Tuple

import torch
import torchvision
import torchvision.models as tv_models

from fast_build import skipped_init
from record import class_files, input_spec, model_record, sha256_of
from torch_macs import Profile, profile

TORCHVISION_DIR = os.path.dirname(torchvision.__file__)
# detection last: it runs on CPU at 800x800 and takes most of the time
FAMILIES = ('segmentation', 'video', 'quantization', 'optical_flow', 'detection')
DETECTION_SIZE = 800
RAFT_SIZE = 224
VIDEO_FRAMES = 16


def builder_names(family: str) -> List[str]:
    return sorted(tv_models.list_models(module=getattr(tv_models, family)))


def builder_function(name: str):
    # unwrap: builders are wrapped by handle_legacy_interface, which lives in models/_utils.py
    return inspect.unwrap(tv_models.get_model_builder(name))


def source_of(name: str) -> Tuple[str, str]:
    path = inspect.getsourcefile(builder_function(name))
    return os.path.relpath(path, TORCHVISION_DIR).replace(os.sep, '/'), sha256_of(path)


def builder_kwargs(name: str) -> Dict[str, Any]:
    """weights_backbone=None where the builder has it (its default downloads ImageNet weights and
    switches to FrozenBatchNorm2d with frozen layers)."""
    return {'weights_backbone': None} if 'weights_backbone' in inspect.signature(builder_function(name)).parameters else {}


def entry_of(name: str, kwargs: Dict[str, Any]) -> str:
    args = ', '.join(f'{k}={v!r}' for k, v in kwargs.items())
    return f'{builder_function(name).__name__}({args})'


def build(name: str, fast: bool) -> torch.nn.Module:
    torch.manual_seed(0)
    if fast:
        with skipped_init():
            return tv_models.get_model(name, **builder_kwargs(name))
    return tv_models.get_model(name, **builder_kwargs(name))


def rows_key(result: Profile) -> List[Tuple]:
    return [(r.path, r.params, r.macs, r.calls, r.output_shape) for r in result.rows]


def crop_of(name: str) -> Tuple[int, int]:
    crop = tv_models.get_model_weights(name).DEFAULT.transforms.keywords['crop_size']
    return (crop, crop) if isinstance(crop, int) else (int(crop[0]), int(crop[1]))


class Plan:
    """How one builder is measured: inputs, device, basis and assumptions."""

    def __init__(self, shapes: List[Tuple[int, ...]], execution: str, basis: str,
                 assumptions: Optional[List[str]] = None):
        self.shapes = shapes
        self.execution = execution
        self.basis = basis
        self.assumptions = assumptions or []


def plan_for(family: str, name: str) -> Plan:
    if family == 'segmentation':
        size = int(tv_models.get_model_weights(name).DEFAULT.transforms.keywords['resize_size'])
        return Plan([(1, 3, size, size)], 'meta', f'resize_size {size} of the segmentation weights\' transforms')
    if family == 'video':
        h, w = crop_of(name)
        return Plan([(1, 3, VIDEO_FRAMES, h, w)], 'meta',
                    f'{VIDEO_FRAMES} frames at crop_size {h}x{w} of {tv_models.get_model_weights(name).DEFAULT}')
    if family == 'quantization':
        h, _ = crop_of(name)
        return Plan([(1, 3, h, h)], 'meta', f'crop_size {h} of {tv_models.get_model_weights(name).DEFAULT}',
                    ['quantize=False (the builder\'s default): a float model; QuantStub, DeQuantStub and '
                     'FloatFunctional are identities / plain adds until the model is prepared and converted'])
    if family == 'optical_flow':
        shape = (1, 3, RAFT_SIZE, RAFT_SIZE)
        return Plan([shape, shape], 'cpu', f'two {RAFT_SIZE}x{RAFT_SIZE} images (a multiple of 8, as RAFT needs)',
                    ['num_flow_updates=12 (forward\'s default): 12 refinement iterations, 12 flow outputs'])
    if family == 'detection':
        return Plan([(1, 3, DETECTION_SIZE, DETECTION_SIZE)], 'cpu',
                    f'one {DETECTION_SIZE}x{DETECTION_SIZE} image as a batch tensor; the model\'s transform '
                    f'resizes it')
    raise ValueError(family)


def open_detection_filters(model: torch.nn.Module) -> None:
    """Every data-dependent filter keeps everything, so the fixed caps decide the counts."""
    for holder in (getattr(model, 'rpn', None), getattr(model, 'roi_heads', None), model):
        if holder is None:
            continue
        if hasattr(holder, 'nms_thresh'):
            holder.nms_thresh = 1.0
        if hasattr(holder, 'score_thresh'):
            holder.score_thresh = 0.0


def detection_counts(model: torch.nn.Module, result: Profile) -> Tuple[Optional[int], int, List[str]]:
    """(proposals per image, detections per image, assumptions) checked against the caps."""
    detections = int(result.output[0]['boxes'].shape[0])
    cap = int(model.roi_heads.detections_per_img if hasattr(model, 'roi_heads') else model.detections_per_img)
    if detections != cap:
        raise SystemExit(f'detections {detections} != detections_per_img {cap}: the convention did not hold')
    if not hasattr(model, 'rpn'):
        return None, detections, [
            f'{detections} detections (detections_per_img): score threshold 0.0 and NMS IoU threshold 1.0 keep every '
            f'candidate; the heads are dense, so MACs do not depend on it (only the output shapes do)']
    box_head = next(r for r in result.rows if r.path == 'roi_heads.box_head')
    proposals = int(box_head.output_shape[0])
    if proposals != model.rpn.post_nms_top_n():
        raise SystemExit(f'proposals {proposals} != post_nms_top_n {model.rpn.post_nms_top_n()}: the convention did not hold')
    return proposals, detections, [
        f'MACs at {proposals} proposals (rpn post_nms_top_n, eval) and {detections} detections (detections_per_img): '
        f'NMS IoU thresholds 1.0 and score thresholds 0.0 (rpn and roi_heads) keep every candidate, so the caps decide; '
        f'box head MACs scale with proposals'
        + (', mask/keypoint head MACs with detections' if hasattr(model.roi_heads, 'mask_head') and model.roi_heads.has_mask()
           or hasattr(model.roi_heads, 'keypoint_head') and model.roi_heads.has_keypoint() else '')]


def run(model: torch.nn.Module, plan: Plan, device: str) -> Profile:
    model = model.to(device)
    torch.manual_seed(0)
    inputs = tuple(torch.rand(shape, device=device) for shape in plan.shapes)
    return profile(model, inputs)


def builder_truth(family: str, name: str, cpu_check_below: float) -> Dict[str, Any]:
    plan = plan_for(family, name)
    model = build(name, fast=plan.execution == 'meta')
    extra: Dict[str, Any] = {'builder': name, 'family': family}
    assumptions = list(plan.assumptions)
    if family == 'detection':
        open_detection_filters(model)
    try:
        result = run(model, plan, plan.execution)
    except RuntimeError as error:  # an op without a meta kernel (MViT's repeat_interleave)
        if plan.execution != 'meta':
            raise
        plan = Plan(plan.shapes, 'cpu', plan.basis, plan.assumptions)
        model = build(name, fast=False)
        result = run(model, plan, 'cpu')
        extra['metaUnsupported'] = str(error).split('\n')[0]
    if family == 'detection':
        proposals, detections, notes = detection_counts(model, result)
        assumptions += notes
        extra.update({'proposals': proposals, 'detections': detections})
    cpu_checked = plan.execution == 'cpu'
    if plan.execution == 'meta' and result.macs < cpu_check_below:
        cpu = run(build(name, fast=False), plan, 'cpu')
        if rows_key(cpu) != rows_key(result) or cpu.macs != result.macs:
            raise SystemExit(f'{name}: meta and CPU runs disagree; meta-device truth cannot be trusted for it')
        cpu_checked = True
    extra.update({'cpuChecked': cpu_checked, 'assumptions': assumptions})
    source, digest = source_of(name)
    notes: List[str] = []
    if result.uncounted_ops:
        notes.append(f'UNCOUNTED matmul-like ops seen: {result.uncounted_ops}')
    if name == 'quantized_googlenet' or name == 'quantized_inception_v3':
        notes.append('aux_logits=True by default: the auxiliary heads hold parameters but do not run in eval mode '
                     '(their rows have calls 0)')
    kwargs = builder_kwargs(name)
    return model_record(
        name=name, entry=entry_of(name, kwargs), source=source, source_sha256=digest, model=model, profile=result,
        inputs=[input_spec(torch.empty(shape), 'float') for shape in plan.shapes], input_basis=plan.basis,
        execution=plan.execution, notes=notes, extra=extra,
        source_files=sorted(set([source] + class_files(model, TORCHVISION_DIR))),
    )


def support_files() -> List[str]:
    """Every module of the families' packages and of torchvision.ops (what their imports reach),
    relative to the torchvision package."""
    found = []
    for folder in [f'models/{family}' for family in FAMILIES] + ['ops']:
        for entry in sorted(os.listdir(os.path.join(TORCHVISION_DIR, folder))):
            if entry.endswith('.py'):
                found.append(f'{folder}/{entry}')
    return found


def families(cpu_check_below: float, only: Optional[List[str]] = None, log=print):
    """(family, records) per family, in FAMILIES order, as each is done."""
    for family in FAMILIES:
        records = []
        for name in builder_names(family):
            if only and name not in only:
                continue
            started = time.time()
            record = builder_truth(family, name, cpu_check_below)
            records.append(record)
            counts = f' {record["proposals"] or "-"}p/{record["detections"]}d' if record.get('detections') else ''
            log(f'  {name:38s} {record["macs"] / 1e9:9.3f} GMACs {record["uniqueParams"]:>11,} params '
                f'{record["inputText"]:>22s} {record["execution"]:4s}{counts} {time.time() - started:5.1f}s')
        if records:
            yield family, records
