#!/usr/bin/env python3
"""Count forward multiply-accumulates (MACs) of a real torch model in torchvision's published
convention: convolutions, linear layers, matrix products (mm/bmm/matmul, incl. attention's
q@k^T and weights@v) and the fused attention kernels that hide them; nothing else (no bias
adds, norms, activations, pooling, softmax). FLOPs in that convention are 2 x MACs.

Works on torch 1.13 (Debian 12) and 2.x (Debian 13): it listens to aten ops through a
TorchDispatchMode, so it sees what actually ran, whichever Python code path produced it.
Ops are also charged to the module that was executing when they ran (the innermost module
on the call stack), so a per-layer table can be checked.

    from torch_macs import count, profile
    count(model, x)                 -> total MACs (int)
    profile(model, (x,), kwargs)    -> Profile with per-module rows, MACs by op, output

Run directly for a self-check on a few torchvision models.
"""
import contextlib
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
from torch.utils._python_dispatch import TorchDispatchMode, _pop_mode_temporarily


def _prod(values) -> int:
    result = 1
    for v in values:
        result *= int(v)
    return result


def _mm(a, b) -> int:
    return a.shape[0] * a.shape[1] * b.shape[1]


def _bmm(a, b) -> int:
    return a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2]


def _convolution(args, out) -> int:
    x, w, transposed = args[0], args[1], args[6]
    if transposed:
        # weight is (in, out/groups, *k): every input element meets out/groups * k weights
        return _prod(x.shape) * _prod(w.shape[1:])
    # weight is (out, in/groups, *k): every output element is a dot product of in/groups * k
    return _prod(out.shape) * _prod(w.shape[1:])


def _native_mha(args) -> int:
    # nn.MultiheadAttention's eval fast path: q/k/v projections, q@k^T, weights@v, out projection
    q, k, embed_dim = args[0], args[1], args[3]
    batch, tgt = (q.shape[0], q.shape[1]) if q.dim() == 3 else (1, q.shape[0])
    src = k.shape[-2]
    e = embed_dim
    return batch * tgt * e * e + 2 * batch * src * e * e + 2 * batch * tgt * src * e + batch * tgt * e * e


def _encoder_layer_fwd(args) -> int:
    # nn.TransformerEncoderLayer's eval fast path: self-attention as above, then the two FFN linears
    x, e = args[0], args[1]
    batch, seq = (x.shape[0], x.shape[1]) if x.dim() == 3 else (1, x.shape[0])
    ffn = args[14].shape[0]  # ffn_weight_1: (dim_feedforward, embed_dim)
    return 4 * batch * seq * e * e + 2 * batch * seq * seq * e + 2 * batch * seq * e * ffn


def _sdpa_bhtd(args) -> int:
    # torch>=2 fused attention kernels, (B, H, T, D) layout: q@k^T and weights@v
    q, k = args[0], args[1]
    return 2 * _prod(q.shape[:-1]) * k.shape[-2] * q.shape[-1]


def _attention_bthd(args) -> int:
    # xformers-style kernels, (B, T, H, D) layout
    q, k = args[0], args[1]
    return 2 * _prod(q.shape[:-1]) * k.shape[1] * q.shape[-1]


def _mkldnn_rnn_layer(args) -> int:
    # torch>=2 CPU LSTM via oneDNN, one call per layer and direction:
    # every time step of every sequence multiplies the input by w_ih and the state by w_hh
    x, w_ih, w_hh = args[0], args[1], args[2]
    steps = x.numel() // x.shape[-1]
    return steps * (w_ih.numel() + w_hh.numel())


# aten op name -> MACs from (args, output). Names, not objects, so ops missing from one
# torch version cost nothing on another.
MAC_RULES: Dict[str, Callable[[tuple, Any], int]] = {
    'mm': lambda a, out: _mm(a[0], a[1]),
    'addmm': lambda a, out: _mm(a[1], a[2]),
    '_addmm_activation': lambda a, out: _mm(a[1], a[2]),
    'bmm': lambda a, out: _bmm(a[0], a[1]),
    'baddbmm': lambda a, out: _bmm(a[1], a[2]),
    'addbmm': lambda a, out: _bmm(a[1], a[2]),
    'mv': lambda a, out: a[0].shape[0] * a[0].shape[1],
    'addmv': lambda a, out: a[1].shape[0] * a[1].shape[1],
    'dot': lambda a, out: a[0].shape[0],
    'vdot': lambda a, out: a[0].shape[0],
    'convolution': lambda a, out: _convolution(a, out),
    '_native_multi_head_attention': lambda a, out: _native_mha(a),
    '_transformer_encoder_layer_fwd': lambda a, out: _encoder_layer_fwd(a),
    '_scaled_dot_product_flash_attention': lambda a, out: _sdpa_bhtd(a),
    '_scaled_dot_product_flash_attention_for_cpu': lambda a, out: _sdpa_bhtd(a),
    '_scaled_dot_product_efficient_attention': lambda a, out: _sdpa_bhtd(a),
    '_scaled_dot_product_cudnn_attention': lambda a, out: _sdpa_bhtd(a),
    '_scaled_dot_product_fused_attention_overrideable': lambda a, out: _sdpa_bhtd(a),
    '_flash_attention_forward': lambda a, out: _attention_bthd(a),
    '_efficient_attention_forward': lambda a, out: _attention_bthd(a),
    'mkldnn_rnn_layer': lambda a, out: _mkldnn_rnn_layer(a),
}

# Ops that do multiply-accumulate work but that no rule above understands. Seeing one means
# the total is an undercount; profile() reports them instead of guessing.
UNCOUNTED_OPS = {
    'lstm', 'gru', 'rnn_tanh', 'rnn_relu', 'lstm_cell', 'gru_cell', '_thnn_fused_lstm_cell',
    '_thnn_fused_gru_cell', '_cudnn_rnn', 'miopen_rnn', 'mkldnn_rnn', 'linear', 'matmul', 'einsum',
    'tensordot', '_convolution', 'mkldnn_convolution', 'mkldnn_linear', 'conv1d', 'conv2d', 'conv3d',
    '_scaled_dot_product_attention_math', 'scaled_dot_product_attention', 'fbgemm_linear_fp16_weight',
}


def _first_tensor(value) -> Optional[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            found = _first_tensor(item)
            if found is not None:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = _first_tensor(item)
            if found is not None:
                return found
    return None


def tensor_shapes(value) -> List[List[int]]:
    """Shapes of every tensor in a (nested) output, in order."""
    if isinstance(value, torch.Tensor):
        return [list(value.shape)]
    shapes: List[List[int]] = []
    if isinstance(value, (list, tuple)):
        for item in value:
            shapes.extend(tensor_shapes(item))
    elif isinstance(value, dict):
        for item in value.values():
            shapes.extend(tensor_shapes(item))
    return shapes


@dataclass
class ModuleRow:
    path: str
    type: str
    leaf: bool
    params: int  # own parameters only (recurse=False); a tied tensor counts in every owner
    macs: int = 0  # ops that ran while this module was the innermost one executing
    calls: int = 0
    output_shape: Optional[List[int]] = None  # first tensor of the last call's output


@dataclass
class Profile:
    macs: int
    macs_by_op: Dict[str, int]
    uncounted_ops: Dict[str, int]
    rows: List[ModuleRow]
    output: Any = None
    ops_seen: Dict[str, int] = field(default_factory=dict)


class _MacCounter(TorchDispatchMode):
    def __init__(self, stack: List[ModuleRow], root: ModuleRow):
        super().__init__()
        self.stack = stack
        self.root = root
        self.macs = 0
        self.macs_by_op: Dict[str, int] = {}
        self.uncounted: Dict[str, int] = {}
        self.ops_seen: Dict[str, int] = {}

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        self.ops_seen[name] = self.ops_seen.get(name, 0) + 1
        rule = MAC_RULES.get(name)
        if rule is not None:
            macs = int(rule(args, out))
            self.macs += macs
            self.macs_by_op[name] = self.macs_by_op.get(name, 0) + macs
            owner = self.stack[-1] if self.stack else self.root
            owner.macs += macs
        elif name in UNCOUNTED_OPS:
            self.uncounted[name] = self.uncounted.get(name, 0) + 1
        return out


@contextlib.contextmanager
def _legacy_constructor_outside_mode():
    """torch 1.13 refuses the legacy constructor (`torch.Tensor([])`, as RetinaNet's post-processing
    writes it) while a dispatch mode is active ("Creating a new Tensor subclass Tensor but the raw
    Tensor object is already associated ..."); outside the mode it runs as it does for the user.
    A tensor made from Python data or sizes is not an op worth counting."""
    base_new = torch._C._TensorBase.__new__

    def legacy_new(cls, *args, **kwargs):
        with _pop_mode_temporarily():
            return base_new(cls, *args, **kwargs)

    had_own = '__new__' in vars(torch.Tensor)
    saved = vars(torch.Tensor).get('__new__')
    torch.Tensor.__new__ = legacy_new
    try:
        yield
    finally:
        if had_own:
            torch.Tensor.__new__ = saved
        else:
            del torch.Tensor.__new__


def profile(model: torch.nn.Module, args: Tuple = (), kwargs: Optional[dict] = None) -> Profile:
    """Run one eval-mode, no-grad forward and count MACs, overall and per module."""
    kwargs = kwargs or {}
    model.eval()
    rows: Dict[int, ModuleRow] = {}
    ordered: List[ModuleRow] = []
    stack: List[ModuleRow] = []
    handles = []
    for path, module in model.named_modules():
        row = ModuleRow(
            path=path,
            type=type(module).__name__,
            leaf=len(list(module.children())) == 0,
            params=sum(p.numel() for p in module.parameters(recurse=False)),
        )
        rows[id(module)] = row
        ordered.append(row)

        def push(mod, inputs, row=row):
            stack.append(row)

        def pop(mod, inputs, output, row=row):
            # pop our own row even if a child's hook misbehaved
            while stack and stack[-1] is not row:
                stack.pop()
            if stack:
                stack.pop()
            row.calls += 1
            first = _first_tensor(output)
            row.output_shape = list(first.shape) if first is not None else None

        handles.append(module.register_forward_pre_hook(push))
        handles.append(module.register_forward_hook(pop))
    counter = _MacCounter(stack, ordered[0])
    try:
        with torch.no_grad(), _legacy_constructor_outside_mode(), counter:
            output = model(*args, **kwargs)
    finally:
        for handle in handles:
            handle.remove()
    return Profile(
        macs=counter.macs,
        macs_by_op=dict(sorted(counter.macs_by_op.items())),
        uncounted_ops=dict(sorted(counter.uncounted.items())),
        rows=ordered,
        output=output,
        ops_seen=dict(sorted(counter.ops_seen.items())),
    )


def count(model: torch.nn.Module, *inputs) -> int:
    """Total forward MACs of model(*inputs) in eval mode (the old shared/tools API)."""
    return profile(model, tuple(inputs)).macs


if __name__ == '__main__':
    import torchvision.models as M

    # torchvision's published _ops (GMACs) for these builders; sources in
    # test/fixtures/truth/torchvision-published.json. Meta device: shapes only, so this is quick.
    for name, size, published in [('resnet50', 224, 4.089), ('vit_b_16', 224, 17.564), ('swin_t', 224, 4.491),
                                   ('convnext_tiny', 224, 4.456), ('maxvit_t', 224, 5.558)]:
        torch.manual_seed(0)
        model = getattr(M, name)().to('meta')
        result = profile(model, (torch.randn(1, 3, size, size, device='meta'),))
        print(f'{name:14s} {result.macs / 1e9:8.3f} GMACs (published {published})')
