"""Kernel launches of an eager PyTorch training step, counted on real torch.

Writes the launch table of the static step estimate (src/core/gpu/kernelCounts.json: per op class
the kernels of forward, of backward, per parameter tensor of each optimizer step, of zero_grad)
and the whole-step counts of a few real models that test/unit/gpu/kernelCounts.test.ts holds the
engine to (test/fixtures/kernels/steps.json).

    /usr/bin/python3 scripts/truth/kernel_counts.py            # writes both files
    /usr/bin/python3 scripts/truth/kernel_counts.py --print    # prints, writes nothing

How: a TorchDispatchMode sees every aten op that reaches a backend (below autograd, after the
composite ops decomposed), in forward, in backward (autograd's own ops included: gradient
accumulation, clones that keep a gradient's layout) and in the optimizer. Each op that computes
counts as one kernel launch; views and metadata (an op whose schema returns an alias), allocations
without a fill (empty, empty_like, ...) and detach launch none; ops on the optimizer's step
counters (0-dim CPU tensors unless capturable) run on the host. The op an aten kernel calls inside
itself is not seen (the mode is off while it handles an op), which is what a CUDA backend op is:
one launch, with the exceptions in CUDA_RULES and the known under-counts in NOTES.
Run on CPU (no GPU needed): the ops dispatched are the CUDA ones, except where a backend picks
another op (listed in NOTES).
"""
import argparse
import json
import os
import re
import sys
from collections import Counter
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TABLE = os.path.join(ROOT, 'src', 'core', 'gpu', 'kernelCounts.json')
STEPS = os.path.join(ROOT, 'test', 'fixtures', 'kernels', 'steps.json')

# _unsafe_view is a view whose schema does not say so
NO_KERNEL = {'_unsafe_view', 'empty', 'empty_like', 'empty_strided', 'new_empty', 'new_empty_strided', 'detach', 'lift_fresh',
             'is_same_size', 'alias', 'set_'}
HOST = {'_local_scalar_dense'}

CUDA_RULES = [
    'convolution: cuDNN computes the output, then a separate add_ adds the bias (aten/src/ATen/native/'
    'Convolution.cpp, _convolution, cuDNN backend): 2 launches with a bias, 1 without',
    'convolution_backward: cuDNN is called once per gradient asked for, input and weight '
    '(cudnn_convolution_backward in aten/src/ATen/native/cudnn/ConvShared.cpp), and the bias gradient '
    'is a sum outside the backend (Convolution.cpp): one launch per True in output_mask',
]

NOTES = [
    'one dispatched compute op = one kernel launch: an under-count where a library call launches '
    'several kernels (cuBLAS split-K reductions, cuDNN algorithms with transforms or several '
    'passes, CUB sorts), and where a CUDA backend op launches more than one (embedding backward: '
    'a zero fill and a kernel for up to 3072 indices, a sort and several kernels above; addmm '
    'without cuBLASLt\'s bias epilogue copies the bias into the output first)',
    'measured on CPU: where the CUDA backend dispatches another op the count follows CPU '
    '(batch norm: native_batch_norm on CPU, cudnn_batch_norm on CUDA, one op each)',
    'torch 1.13\'s nn.MultiheadAttention runs F.multi_head_attention_forward (bmm, softmax, bmm); '
    'torch >= 2.0 calls F.scaled_dot_product_attention (a fused kernel where one applies), fewer '
    'launches',
    'torch 1.13\'s optimizers default to their for-loop implementation; torch >= 2.0 defaults to '
    'foreach when every parameter is on a CUDA device: one launch per foreach op per group of '
    'tensors (multi_tensor_apply)',
    'zero_grad(set_to_none=True) (torch >= 2.0\'s default) launches nothing, and the first backward '
    'after it steals each parameter\'s gradient instead of adding to it',
]

# multi_tensor_apply's limits per launch (aten/src/ATen/native/cuda/MultiTensorApply.cuh): tensors
# per launch by the number of tensor lists (depth 1..5), blocks per launch, elements per chunk
MULTI_TENSOR = {'maxTensorsByDepth': [110, 64, 48, 36, 30], 'maxBlocks': 320, 'chunkElements': 65536,
                'source': 'aten/src/ATen/native/cuda/MultiTensorApply.cuh (depth_to_max_tensors, '
                          'depth_to_max_blocks, kChunkSize); Hopper builds with large kernel arguments '
                          'fit more tensors per launch'}


def is_view(func) -> bool:
    for r in func._schema.returns:
        a = r.alias_info
        if a is not None and not a.is_write:
            return True
        if re.match(r'Tensor\([a-z]+\)\[\]', str(r.type) + str(r)):
            return True
    return False


def in_record_function() -> bool:
    """The optimizer's profiler marker (record_function) makes a CPU handle tensor: no kernel."""
    f = sys._getframe(2)
    for _ in range(4):
        if f is None:
            return False
        if f.f_code.co_filename.endswith(os.path.join('autograd', 'profiler.py')):
            return True
        f = f.f_back
    return False


def tensors_in(x) -> List[torch.Tensor]:
    if isinstance(x, torch.Tensor):
        return [x]
    if isinstance(x, (list, tuple)):
        return [t for y in x for t in tensors_in(y)]
    if isinstance(x, dict):
        return [t for y in x.values() for t in tensors_in(y)]
    return []


class OpCounter(TorchDispatchMode):
    """Counts the ops of each phase: kernels (with CUDA_RULES), host ops, views and allocations."""

    def __init__(self):
        super().__init__()
        self.phase = 'setup'
        self.kernels: Dict[str, Counter] = {}
        self.host: Dict[str, Counter] = {}
        self.free: Dict[str, Counter] = {}
        self.host_tensors: set = set()

    def launches(self, name: str, args) -> int:
        if name == 'convolution':
            return 2 if args[2] is not None else 1
        if name == 'convolution_backward':
            return sum(1 for m in args[-1] if m)
        return 1

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = func.overloadpacket.__name__
        ts = tensors_in(args) + tensors_in(kwargs)
        if name in NO_KERNEL or is_view(func) or func.namespace == 'profiler' or in_record_function():
            self.free.setdefault(self.phase, Counter())[name] += 1
        elif name in HOST or (ts and all(id(t) in self.host_tensors for t in ts)):
            self.host.setdefault(self.phase, Counter())[name] += 1
        else:
            self.kernels.setdefault(self.phase, Counter())[name] += self.launches(name, args)
        return func(*args, **kwargs)

    def total(self, phase: str) -> int:
        return sum(self.kernels.get(phase, Counter()).values())

    def hosts(self, phase: str) -> int:
        return sum(self.host.get(phase, Counter()).values())


def mark_step_counters(counter: OpCounter, opt: torch.optim.Optimizer) -> None:
    for state in opt.state.values():
        step = state.get('step')
        if isinstance(step, torch.Tensor):
            counter.host_tensors.add(id(step))


# ---- op classes -------------------------------------------------------------------------------

def fwd_bwd(run: Callable[[], Any]) -> Tuple[int, int, Dict[str, Dict[str, int]]]:
    """Kernels of run() (forward) and of its backward from a given gradient."""
    c = OpCounter()
    with c:
        c.phase = 'forward'
        out = run()
        outs = [t for t in (out if isinstance(out, tuple) else (out,)) if t.requires_grad]
        c.phase = 'setup'
        grads = [torch.ones_like(t) for t in outs]
        c.phase = 'backward'
        if outs:
            torch.autograd.backward(outs, grads)
    return c.total('forward'), c.total('backward'), {p: dict(c.kernels.get(p, {})) for p in ('forward', 'backward')}


def produced(*shape: int) -> torch.Tensor:
    """A tensor that an op of the network produced (requires grad, not a leaf): its producer's
    backward (cos × gradient) consumes the gradient, as in a network, and is the same with or
    without the op measured, so the difference is the op's."""
    leaf = torch.randn(*shape, requires_grad=True)
    return leaf.sin()


def own_params(m: nn.Module) -> int:
    """The module's own parameter tensors: a submodule (MultiheadAttention's out_proj) is a row of its own."""
    return sum(1 for _ in m.parameters(recurse=False))


def module_case(make: Callable[[], nn.Module], *shape: int, dtype=None, case: str = '') -> Dict[str, Any]:
    torch.manual_seed(0)
    m = make()
    m.train()
    if dtype is None:
        def base():
            return produced(*shape)

        def run():
            return m(produced(*shape))
    else:
        idx = torch.randint(0, 20, shape, dtype=dtype)

        def base():
            return ()

        def run():
            return m(idx)
    f0, b0, o0 = fwd_bwd(base)
    f1, b1, o1 = fwd_bwd(run)
    return {'forward': f1 - f0, 'backward': b1 - b0, 'paramTensors': own_params(m), 'case': case, 'ops': ops_minus(o1, o0)}


def op_case(base: Callable[[], torch.Tensor], run: Callable[[], torch.Tensor], case: str) -> Dict[str, Any]:
    f0, b0, o0 = fwd_bwd(base)
    f1, b1, o1 = fwd_bwd(run)
    return {'forward': f1 - f0, 'backward': b1 - b0, 'paramTensors': 0, 'case': case, 'ops': ops_minus(o1, o0)}


def ops_minus(a: Dict[str, Dict[str, int]], b: Dict[str, Dict[str, int]]) -> Dict[str, Dict[str, int]]:
    out = {}
    for phase in ('forward', 'backward'):
        d = Counter(a.get(phase, {}))
        d.subtract(b.get(phase, {}))
        out[phase] = {k: v for k, v in sorted(d.items()) if v != 0}
    return out


def causal_mask(t: int) -> torch.Tensor:
    return torch.triu(torch.full((t, t), float('-inf')), 1)


def module_cases() -> Dict[str, Dict[str, Any]]:
    B, T, D = 8, 32, 64
    img = (4, 16, 16, 16)
    mask = causal_mask(T)
    cases = {
        'Linear': module_case(lambda: nn.Linear(D, 4 * D), B, T, D, case=f'nn.Linear({D}, {4 * D}) on {B}x{T}x{D}'),
        'Linear.noBias': module_case(lambda: nn.Linear(D, 4 * D, bias=False), B, T, D,
                                     case=f'nn.Linear({D}, {4 * D}, bias=False) on {B}x{T}x{D}'),
        'Conv2d': module_case(lambda: nn.Conv2d(16, 32, 3, padding=1), *img, case='nn.Conv2d(16, 32, 3, padding=1) on 4x16x16x16'),
        'Conv2d.noBias': module_case(lambda: nn.Conv2d(16, 32, 3, padding=1, bias=False), *img,
                                     case='nn.Conv2d(16, 32, 3, padding=1, bias=False) on 4x16x16x16'),
        'Conv1d': module_case(lambda: nn.Conv1d(16, 32, 3, padding=1), 4, 16, 64, case='nn.Conv1d(16, 32, 3, padding=1) on 4x16x64'),
        'Conv1d.noBias': module_case(lambda: nn.Conv1d(16, 32, 3, padding=1, bias=False), 4, 16, 64,
                                     case='nn.Conv1d(16, 32, 3, padding=1, bias=False) on 4x16x64'),
        'BatchNorm2d': module_case(lambda: nn.BatchNorm2d(16), *img, case='nn.BatchNorm2d(16), training, on 4x16x16x16'),
        'BatchNorm1d': module_case(lambda: nn.BatchNorm1d(64), B, 64, case='nn.BatchNorm1d(64), training, on 8x64'),
        'LayerNorm': module_case(lambda: nn.LayerNorm(D), B, T, D, case=f'nn.LayerNorm({D}) on {B}x{T}x{D}'),
        'GroupNorm': module_case(lambda: nn.GroupNorm(4, 16), *img, case='nn.GroupNorm(4, 16) on 4x16x16x16'),
        'Embedding': module_case(lambda: nn.Embedding(20, D), B, T, dtype=torch.long,
                                 case=f'nn.Embedding(20, {D}) on {B}x{T} indices'),
        'ReLU': module_case(nn.ReLU, B, T, D, case='nn.ReLU()'),
        'GELU': module_case(nn.GELU, B, T, D, case='nn.GELU()'),
        'SiLU': module_case(nn.SiLU, B, T, D, case='nn.SiLU()'),
        'Tanh': module_case(nn.Tanh, B, T, D, case='nn.Tanh()'),
        'Sigmoid': module_case(nn.Sigmoid, B, T, D, case='nn.Sigmoid()'),
        'LeakyReLU': module_case(nn.LeakyReLU, B, T, D, case='nn.LeakyReLU()'),
        'Hardswish': module_case(nn.Hardswish, B, T, D, case='nn.Hardswish()'),
        'Softmax': module_case(lambda: nn.Softmax(dim=-1), B, T, D, case='nn.Softmax(dim=-1)'),
        # CUDA runs a training dropout with 0 < p < 1 as native_dropout (aten/src/ATen/native/Dropout.cpp,
        # is_fused_kernel_acceptable: CUDA tensors only); CPU as bernoulli_, div_, mul. Measured through
        # native_dropout, the op CUDA dispatches
        'Dropout': op_case(lambda: produced(B, T, D), lambda: torch.native_dropout(produced(B, T, D), 0.1, True)[0],
                           'nn.Dropout(0.1), training, as CUDA runs it: torch.native_dropout (CPU dispatches bernoulli_, div_, mul)'),
        'Dropout.p0': module_case(lambda: nn.Dropout(0.0), B, T, D, case='nn.Dropout(0.0), training: returns its input'),
        'MaxPool2d': module_case(lambda: nn.MaxPool2d(3, 2, 1), *img, case='nn.MaxPool2d(3, 2, 1) on 4x16x16x16'),
        'AvgPool2d': module_case(lambda: nn.AvgPool2d(2), *img, case='nn.AvgPool2d(2) on 4x16x16x16'),
        'AdaptiveAvgPool2d': module_case(lambda: nn.AdaptiveAvgPool2d((1, 1)), *img,
                                         case='nn.AdaptiveAvgPool2d((1, 1)) on 4x16x16x16'),
        'Flatten': module_case(nn.Flatten, *img, case='nn.Flatten() on 4x16x16x16'),
        'Identity': module_case(nn.Identity, B, T, D, case='nn.Identity()'),
        'ReLU6': module_case(nn.ReLU6, B, T, D, case='nn.ReLU6()'),
        'Hardsigmoid': module_case(nn.Hardsigmoid, B, T, D, case='nn.Hardsigmoid()'),
        'Mish': module_case(nn.Mish, B, T, D, case='nn.Mish()'),
        'ConvTranspose2d': module_case(lambda: nn.ConvTranspose2d(16, 8, 2, stride=2), *img,
                                       case='nn.ConvTranspose2d(16, 8, 2, stride=2) on 4x16x16x16'),
        'InstanceNorm2d': module_case(lambda: nn.InstanceNorm2d(16, affine=True), *img,
                                      case='nn.InstanceNorm2d(16, affine=True) on 4x16x16x16'),
        'Upsample': module_case(lambda: nn.Upsample(scale_factor=2), *img, case='nn.Upsample(scale_factor=2) (nearest)'),
        **torchvision_cases(img),
    }
    # with a float causal mask, as a GPT block calls it (the tiny GPT of examples/training)
    torch.manual_seed(0)

    def attention(mha: nn.Module, with_mask: bool):
        def run():
            h = produced(B, T, D)
            return mha(h, h, h, attn_mask=mask if with_mask else None, need_weights=False)[0]
        return run

    call = f'nn.MultiheadAttention({D}, 4, batch_first=True)(h, h, h, need_weights=False) on {B}x{T}x{D}'
    for key, with_mask, case in (('MultiheadAttention', False, call),
                                 ('MultiheadAttention.masked', True, f'{call}, attn_mask=<{T}x{T} float causal mask>')):
        torch.manual_seed(0)
        mha = nn.MultiheadAttention(D, 4, batch_first=True)
        c = op_case(lambda: produced(B, T, D), attention(mha, with_mask), case)
        c['paramTensors'] = own_params(mha)
        cases[key] = c
    return cases


def torchvision_cases(img) -> Dict[str, Dict[str, Any]]:
    """Layers of torchvision's own (ConvNeXt, EfficientNet) that its models' layer tables show."""
    from torchvision.models.convnext import LayerNorm2d
    from torchvision.ops.misc import Permute
    from torchvision.ops.stochastic_depth import StochasticDepth
    return {
        'LayerNorm2d': module_case(lambda: LayerNorm2d(16), *img, case='torchvision LayerNorm2d(16) (permute, layer_norm, permute)'),
        'Permute': module_case(lambda: Permute([0, 2, 3, 1]), *img, case='torchvision Permute([0, 2, 3, 1]) (a view)'),
        'StochasticDepth': module_case(lambda: StochasticDepth(0.1, 'row'), *img, case="torchvision StochasticDepth(0.1, 'row'), training"),
    }


def op_cases() -> Dict[str, Dict[str, Any]]:
    B, T, D = 8, 32, 64
    s = (B, T, D)
    q = (B, 4, T, 16)
    keep = torch.zeros(s, dtype=torch.bool)
    square = torch.zeros(T, T)

    def residual(with_add: bool):
        def run():
            x = produced(*s)
            y = torch.tanh(x)
            return x + y if with_add else y
        return run

    return {
        'add': op_case(residual(False), residual(True),
                       'a residual x + f(x): the add, and the sum of the two gradients at the fork x in backward'),
        'sub': op_case(lambda: produced(*s), lambda: produced(*s) - 1.0, 'x - 1.0'),
        'mul': op_case(lambda: produced(*s), lambda: produced(*s) * 0.5, 'x * 0.5 (a scale)'),
        'div': op_case(lambda: produced(*s), lambda: produced(*s) / 8.0, 'x / 8.0 (a scale)'),
        'matmul': op_case(lambda: (produced(*q), produced(*q)), lambda: produced(*q) @ produced(*q).transpose(-2, -1),
                          f'q @ k.transpose(-2, -1) on {B}x4x{T}x16, both requiring grad'),
        'softmax': op_case(lambda: produced(*s), lambda: torch.softmax(produced(*s), dim=-1), 'F.softmax(x, dim=-1)'),
        'masked_fill': op_case(lambda: produced(*s), lambda: produced(*s).masked_fill(keep, float('-inf')),
                               'x.masked_fill(mask, -inf)'),
        'eq': no_grad_case(lambda: square == 0, 'mask == 0 (no gradient)'),
        'arange': no_grad_case(lambda: torch.arange(T), 'torch.arange(T) (no gradient)'),
        'relu': op_case(lambda: produced(*s), lambda: torch.relu(produced(*s)), 'F.relu(x)'),
        'gelu': op_case(lambda: produced(*s), lambda: nn.functional.gelu(produced(*s)), 'F.gelu(x)'),
        'silu': op_case(lambda: produced(*s), lambda: nn.functional.silu(produced(*s)), 'F.silu(x)'),
        'dropout': op_case(lambda: produced(*s), lambda: torch.native_dropout(produced(*s), 0.1, True)[0],
                           'F.dropout(x, 0.1), training, as CUDA runs it: torch.native_dropout'),
        'cat': op_case(lambda: (produced(*s), produced(*s)), lambda: torch.cat([produced(*s), produced(*s)], dim=-1),
                       'torch.cat([a, b], dim=-1)'),
        'layer_norm': op_case(lambda: produced(*s), lambda: nn.functional.layer_norm(produced(*s), (D,)), 'F.layer_norm(x, (D,)) without weight'),
        'sigmoid': op_case(lambda: produced(*s), lambda: torch.sigmoid(produced(*s)), 'torch.sigmoid(x)'),
        'tanh': op_case(lambda: produced(*s), lambda: torch.tanh(produced(*s)), 'torch.tanh(x)'),
        'exp': op_case(lambda: produced(*s), lambda: torch.exp(produced(*s)), 'torch.exp(x)'),
        'sqrt': op_case(lambda: produced(*s).abs(), lambda: torch.sqrt(produced(*s).abs()), 'torch.sqrt(x)'),
        'rsqrt': op_case(lambda: produced(*s).abs(), lambda: torch.rsqrt(produced(*s).abs()), 'torch.rsqrt(x)'),
        'pow': op_case(lambda: produced(*s), lambda: produced(*s).pow(2), 'x.pow(2)'),
        'neg': op_case(lambda: produced(*s), lambda: -produced(*s), '-x'),
        'mean': op_case(lambda: produced(*s), lambda: produced(*s).mean(-1, keepdim=True), 'x.mean(-1, keepdim=True)'),
        'sum': op_case(lambda: produced(*s), lambda: produced(*s).sum(-1), 'x.sum(-1)'),
        'bmm': op_case(lambda: (produced(B, T, D), produced(B, D, T)), lambda: torch.bmm(produced(B, T, D), produced(B, D, T)),
                       f'torch.bmm on {B}x{T}x{D} and {B}x{D}x{T}, both requiring grad'),
        'einsum': op_case(lambda: (produced(*q), produced(*q)), lambda: torch.einsum('bhqd,bhkd->bhqk', produced(*q), produced(*q)),
                          "torch.einsum('bhqd,bhkd->bhqk', q, k), both requiring grad"),
        'adaptive_avg_pool2d': op_case(lambda: produced(4, 16, 8, 8), lambda: nn.functional.adaptive_avg_pool2d(produced(4, 16, 8, 8), 1),
                                       'F.adaptive_avg_pool2d(x, 1) on 4x16x8x8'),
        'interpolate': op_case(lambda: produced(4, 16, 8, 8), lambda: nn.functional.interpolate(produced(4, 16, 8, 8), scale_factor=2),
                               'F.interpolate(x, scale_factor=2) (nearest) on 4x16x8x8'),
        'pad': op_case(lambda: produced(*s), lambda: nn.functional.pad(produced(*s), (1, 1)), 'F.pad(x, (1, 1))'),
        'stack': op_case(lambda: (produced(*s), produced(*s)), lambda: torch.stack([produced(*s), produced(*s)]), 'torch.stack([a, b])'),
        'normalize': op_case(lambda: produced(*s), lambda: nn.functional.normalize(produced(*s), dim=-1), 'F.normalize(x, dim=-1)'),
        'linear': linear_op_case(B, T, D),
        'roll': op_case(lambda: produced(*s), lambda: torch.roll(produced(*s), 1, 1), 'torch.roll(x, 1, 1)'),
        'contiguous': op_case(lambda: produced(*s), lambda: produced(*s).transpose(0, 1).contiguous(), 'x.transpose(0, 1).contiguous() (a copy)'),
    }


def linear_op_case(B: int, T: int, D: int) -> Dict[str, Any]:
    torch.manual_seed(0)
    w, b = nn.Parameter(torch.randn(4 * D, D)), nn.Parameter(torch.randn(4 * D))
    c = op_case(lambda: produced(B, T, D), lambda: nn.functional.linear(produced(B, T, D), w, b),
                f'F.linear(x, weight, bias) on {B}x{T}x{D}, weight and bias parameters')
    c['paramTensors'] = 2
    return c


def no_grad_case(run: Callable[[], torch.Tensor], case: str) -> Dict[str, Any]:
    f, b, o = fwd_bwd(run)
    return {'forward': f, 'backward': b, 'paramTensors': 0, 'case': case, 'ops': o}


def loss_cases() -> Dict[str, Dict[str, Any]]:
    logits_shape, classes = (256, 20), 20
    labels, targets = torch.randint(0, classes, (256,)), torch.randn(64, 1)

    def ce():
        return nn.functional.cross_entropy(produced(*logits_shape), labels)

    def mse():
        return nn.functional.mse_loss(produced(64, 1), targets)

    out = {}
    for name, run, case in (('cross_entropy', ce, 'F.cross_entropy on 256x20 logits'), ('mse_loss', mse, 'F.mse_loss on 64x1')):
        f0, b0, base_ops = fwd_bwd(lambda: produced(*logits_shape) if name == 'cross_entropy' else produced(64, 1))
        c = OpCounter()
        with c:
            c.phase = 'forward'
            loss = run()
            c.phase = 'backward'
            loss.backward()  # the seed gradient (a fill) counts: it is part of every step
        # the seed gradient of loss.backward() (a fill) is counted: every step has it
        out[name] = {'forward': c.total('forward') - f0, 'backward': c.total('backward') - b0,
                     'case': case, 'ops': ops_minus({p: dict(c.kernels.get(p, {})) for p in ('forward', 'backward')}, base_ops)}
    return out


# ---- optimizers --------------------------------------------------------------------------------

OPTIMIZERS: Dict[str, Callable[[List[torch.Tensor], Optional[bool]], torch.optim.Optimizer]] = {
    'adamw': lambda ps, fe: torch.optim.AdamW(ps, lr=1e-3, foreach=fe),
    'adam': lambda ps, fe: torch.optim.Adam(ps, lr=1e-3, foreach=fe),
    'sgd': lambda ps, fe: torch.optim.SGD(ps, lr=1e-2, foreach=fe),
    'sgd-momentum': lambda ps, fe: torch.optim.SGD(ps, lr=1e-2, momentum=0.9, foreach=fe),
}


def optimizer_step(kind: str, n: int, foreach: bool) -> Tuple[int, int, Dict[str, int]]:
    """Kernels and host ops of the third step (state made) over n parameter tensors."""
    torch.manual_seed(0)
    ps = [torch.randn(8, 8, requires_grad=True) for _ in range(n)]
    opt = OPTIMIZERS[kind](ps, foreach)
    c = OpCounter()
    for _ in range(3):
        for p in ps:
            p.grad = torch.randn_like(p)
        mark_step_counters(c, opt)
        with c:
            c.phase = 'step'
            opt.step()
            c.phase = 'setup'
        if _ < 2:
            c.kernels.clear()
            c.host.clear()
    return c.total('step'), c.hosts('step'), dict(c.kernels.get('step', {}))


def optimizer_table() -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for kind in OPTIMIZERS:
        for foreach in (False, True):
            k2, h2, ops2 = optimizer_step(kind, 2, foreach)
            k5, h5, _ = optimizer_step(kind, 5, foreach)
            per_tensor, host_per_tensor = (k5 - k2) / 3, (h5 - h2) / 3
            entry = {
                'perStep': k2 - 2 * per_tensor,
                'perTensor': per_tensor,
                'hostOpsPerStep': h2 - 2 * host_per_tensor,
                'hostOpsPerTensor': host_per_tensor,
                'opsAt2Tensors': ops2,
            }
            if foreach:
                # every foreach op is one launch per group of tensors on CUDA: its depth is its number of tensor lists
                entry['foreachOps'] = foreach_depths(kind)
            out[f'{kind}.{"foreach" if foreach else "forloop"}'] = entry
    zero = {}
    for set_to_none in (True, False):
        ps = [torch.randn(8, 8, requires_grad=True) for _ in range(2)]
        for p in ps:
            p.grad = torch.randn_like(p)
        opt = torch.optim.SGD(ps, lr=0.1)
        c = OpCounter()
        with c:
            c.phase = 'zero'
            opt.zero_grad(set_to_none=set_to_none)
        zero['setToNone' if set_to_none else 'zeroed'] = {'perTensor': c.total('zero') / 2}
    out['zero_grad'] = zero
    return out


def foreach_depths(kind: str) -> List[Dict[str, Any]]:
    """The foreach ops of one step with their number of tensor lists, host ops (step counters) apart."""
    torch.manual_seed(0)
    ps = [torch.randn(8, 8, requires_grad=True) for _ in range(2)]
    opt = OPTIMIZERS[kind](ps, True)
    seen: List[Dict[str, Any]] = []

    class Depths(OpCounter):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            name = func.overloadpacket.__name__
            if self.phase == 'step' and name.startswith('_foreach'):
                lists = [a for a in args if isinstance(a, (list, tuple)) and a and isinstance(a[0], torch.Tensor)]
                if not all(id(t) in self.host_tensors for lst in lists for t in lst):
                    seen.append({'op': name, 'depth': len(lists) + (0 if name.endswith('_') else 1)})
            return func(*args, **(kwargs or {}))

    c = Depths()
    for i in range(3):
        for p in ps:
            p.grad = torch.randn_like(p)
        mark_step_counters(c, opt)
        if i == 2:
            seen.clear()
        with c:
            c.phase = 'step'
            opt.step()
            c.phase = 'setup'
    return seen


# ---- whole steps -------------------------------------------------------------------------------

def load_example(relpath: str, name: str):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relpath))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def whole_step(model: nn.Module, make_input: Callable[[], Any], optimizer: str, foreach: bool) -> Dict[str, Any]:
    """Kernels of one training step after two warm-up steps: forward, backward from a given output
    gradient (the loss apart), optimizer step, zero_grad(set_to_none=True)."""
    torch.manual_seed(0)
    model.train()
    opt = OPTIMIZERS[optimizer](list(model.parameters()), foreach)
    c = OpCounter()
    for i in range(3):
        x = make_input()
        mark_step_counters(c, opt)
        if i == 2:
            c.kernels.clear()
            c.host.clear()
        with c:
            c.phase = 'zero_grad'
            opt.zero_grad(set_to_none=True)
            c.phase = 'forward'
            out = model(x)
            c.phase = 'setup'
            grad = torch.ones_like(out)
            c.phase = 'backward'
            out.backward(grad)
            c.phase = 'optimizer'
            opt.step()
            c.phase = 'setup'
    phases = ('forward', 'backward', 'optimizer', 'zero_grad')
    return {
        'kernels': {p: c.total(p) for p in phases},
        'total': sum(c.total(p) for p in phases),
        'hostOps': {p: c.hosts(p) for p in phases if c.hosts(p)},
        'paramTensors': sum(1 for _ in model.parameters()),
        'ops': {p: dict(sorted(c.kernels.get(p, {}).items())) for p in phases},
    }


def steps() -> List[Dict[str, Any]]:
    import torchvision
    gpt = load_example('examples/training/tiny_gpt.py', 'tiny_gpt')
    mlp_mod = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    cases = [
        dict(name='tiny GPT', file='examples/training/tiny_gpt.py', model='TinyGPT(20, 32, d=64, layers=2, heads=4)',
             input='32x32', optimizer='adamw', build=lambda: gpt.TinyGPT(20, 32, d=64, layers=2, heads=4),
             make_input=lambda: torch.randint(0, 20, (32, 32))),
        dict(name='resnet18', file='test/fixtures/models/third_party/torchvision-0.14.1a0/torchvision/models/resnet.py',
             model='resnet18()', input='2x3x224x224', optimizer='sgd-momentum',
             build=lambda: torchvision.models.resnet18(), make_input=lambda: torch.randn(2, 3, 224, 224)),
        dict(name='MLP regression', file='examples/training/mlp_regression.py',
             model='nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))',
             input='64x64', optimizer='adam', build=lambda: mlp_mod, make_input=lambda: torch.randn(64, 64)),
    ]
    out = []
    for case in cases:
        rec = {k: case[k] for k in ('name', 'file', 'model', 'input', 'optimizer')}
        for foreach in (False, True):
            rec['foreach' if foreach else 'forloop'] = whole_step(case['build'](), case['make_input'], case['optimizer'], foreach)
        out.append(rec)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--print', action='store_true', help='print the results, write nothing')
    args = ap.parse_args()
    torch.set_num_threads(1)
    made = f'scripts/truth/kernel_counts.py on torch {torch.__version__} (CPU, TorchDispatchMode)'
    table = {
        'description': 'Kernel launches of an eager PyTorch training step per op class: forward, backward (from '
                       'the gradient of the output; autograd\'s gradient sums and layout clones included), per '
                       'parameter tensor of each optimizer step, zero_grad. Generated, do not edit: regenerate with '
                       'scripts/truth/kernel_counts.py. Keys: a layer class, or an op name without its namespace '
                       '(F., torch., Tensor.) and without a trailing _ (in place); .noBias: the layer without bias; '
                       '.masked: with an attention mask.',
        'madeWith': made,
        'countedAs': 'one launch per aten op dispatched to a backend that computes; views, metadata, empty '
                     'allocations and detach launch none; ops on the optimizer\'s CPU step counters are host ops',
        'cudaRules': CUDA_RULES,
        'notes': NOTES,
        'multiTensorApply': MULTI_TENSOR,
        'layers': module_cases(),
        'ops': op_cases(),
        'losses': loss_cases(),
        'optimizers': optimizer_table(),
    }
    fixture = {
        'description': 'Kernel launches of one training step of real models, counted on real torch by '
                       'scripts/truth/kernel_counts.py (the third step: forward, backward from a given output '
                       'gradient with the loss left out, optimizer step, zero_grad(set_to_none=True)); '
                       'test/unit/gpu/kernelCounts.test.ts holds the engine\'s count to them.',
        'madeWith': made,
        'steps': steps(),
    }
    if args.print:
        print(json.dumps({'table': table, 'steps': fixture}, indent=1))
        return 0
    os.makedirs(os.path.dirname(STEPS), exist_ok=True)
    for path, data in ((TABLE, table), (STEPS, fixture)):
        with open(path, 'w') as f:
            json.dump(data, f, indent=1)
            f.write('\n')
        print('wrote', os.path.relpath(path, ROOT))
    return 0


if __name__ == '__main__':
    sys.exit(main())
