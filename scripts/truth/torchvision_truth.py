"""Truth for every torchvision classification builder: params, MACs, per-layer rows.

Each builder is built with default arguments (no weights) and run once, batch 1, eval mode, at
the centre-crop size torchvision's own published figures use for it. Forward runs on the meta
device: real torch code and real aten dispatch with shapes only, so a 375-GMAC RegNet costs
milliseconds. Cheap models are also run for real on CPU and must give identical rows.
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


def builder_names() -> List[str]:
    if hasattr(tv_models, 'list_models'):
        return sorted(tv_models.list_models(module=tv_models))
    raise SystemExit('torchvision >= 0.14 is needed (torchvision.models.list_models)')


def source_of(name: str) -> Tuple[str, str]:
    """Builder's file relative to the torchvision package (models/resnet.py) and its sha256."""
    # unwrap: builders are wrapped by handle_legacy_interface, which lives in models/_utils.py
    path = inspect.getsourcefile(inspect.unwrap(tv_models.get_model_builder(name)))
    return os.path.relpath(path, TORCHVISION_DIR).replace(os.sep, '/'), sha256_of(path)


def build(name: str, fast: bool, **kwargs) -> torch.nn.Module:
    torch.manual_seed(0)
    if fast:
        with skipped_init():
            return tv_models.get_model(name, **kwargs)
    return tv_models.get_model(name, **kwargs)


def eval_crop(name: str, unique_params: int) -> Tuple[int, str]:
    """Crop size of the weights whose architecture is the default builder's (same num_params)."""
    enum = tv_models.get_model_weights(name)
    default = enum.DEFAULT
    for weights in [default] + [w for w in enum if w is not default]:
        if weights.meta.get('num_params') == unique_params:
            crop = int(weights.transforms.keywords['crop_size'])
            return crop, f'crop_size {crop} of {enum.__name__}.{weights.name} (same num_params as the default builder)'
    crop = int(default.transforms.keywords['crop_size'])
    return crop, (f'crop_size {crop} of {enum.__name__}.{default.name}; its num_params '
                  f'{default.meta.get("num_params")} differ from the default builder ({unique_params})')


def run(model: torch.nn.Module, size: int, device: str) -> Profile:
    model = model.to(device)
    torch.manual_seed(0)
    x = torch.randn(1, 3, size, size, device=device)
    return profile(model, (x,))


def rows_key(result: Profile) -> List[Tuple]:
    return [(r.path, r.params, r.macs, r.calls, r.output_shape) for r in result.rows]


def builder_truth(name: str, cpu_check_below: float) -> Dict[str, Any]:
    model = build(name, fast=True)
    unique = sum(p.numel() for p in model.parameters())
    size, basis = eval_crop(name, unique)
    result = run(model, size, 'meta')
    source, digest = source_of(name)
    notes: List[str] = []
    if name in ('googlenet', 'inception_v3'):
        notes.append('aux_logits=True by default: the auxiliary heads hold parameters but do not run in eval mode '
                     '(their rows have calls 0)')
    if result.uncounted_ops:
        notes.append(f'UNCOUNTED matmul-like ops seen: {result.uncounted_ops}')
    cpu_checked = False
    if result.macs < cpu_check_below:
        cpu = run(build(name, fast=False), size, 'cpu')
        if rows_key(cpu) != rows_key(result) or cpu.macs != result.macs:
            raise SystemExit(f'{name}: meta and CPU runs disagree; meta-device truth cannot be trusted for it')
        cpu_checked = True
    x = torch.empty(1, 3, size, size)
    return model_record(
        name=name, entry=f'{name}()', source=source, source_sha256=digest, model=model, profile=result,
        inputs=[input_spec(x, 'float')], input_basis=basis, execution='meta', notes=notes,
        extra={'builder': name, 'cpuChecked': cpu_checked},
        source_files=sorted(set([source] + class_files(model, TORCHVISION_DIR))),
    )


def families(cpu_check_below: float, only: Optional[List[str]] = None, log=print) -> Dict[str, List[Dict[str, Any]]]:
    """Records grouped by source file stem (resnet, vision_transformer, ...)."""
    grouped: Dict[str, List[Dict[str, Any]]] = {}
    for name in builder_names():
        if only and name not in only:
            continue
        started = time.time()
        record = builder_truth(name, cpu_check_below)
        stem = os.path.splitext(os.path.basename(record['source']))[0]
        grouped.setdefault(stem, []).append(record)
        log(f'  {name:20s} {record["macs"] / 1e9:9.3f} GMACs {record["uniqueParams"]:>11,} params '
            f'{record["inputText"]:>12s} {"cpu+meta" if record["cpuChecked"] else "meta":8s} {time.time() - started:5.1f}s')
    return grouped


def macs_at(name: str, size: int, kwargs: Dict[str, Any], cache: Dict[Tuple, Tuple[int, int]]) -> Tuple[int, int]:
    """(MACs, unique params) of builder(**kwargs) at size x size, meta device; cached."""
    key = (name, size, tuple(sorted(kwargs.items())))
    if key not in cache:
        model = build(name, fast=True, **kwargs)
        cache[key] = (run(model, size, 'meta').macs, sum(p.numel() for p in model.parameters()))
    return cache[key]
