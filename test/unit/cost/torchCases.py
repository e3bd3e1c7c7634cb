#!/usr/bin/env python3
"""Writes torchCases.json beside this file: what real torch says for the cost kernel's cases
(output shapes from running the op, MACs from scripts/truth/torch_macs.py, parameter counts from
the modules, and the messages torch raises). Run: /usr/bin/python3 test/unit/cost/torchCases.py"""
import json, math, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'scripts', 'truth'))
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch_macs import count

torch.manual_seed(0)


class Call(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


def error_of(fn):
    try:
        fn()
    except Exception as e:  # torch's own message, first line
        return {'type': type(e).__name__, 'message': str(e).split('\n')[0]}
    return None


CONV = {1: (nn.Conv1d, nn.ConvTranspose1d), 2: (nn.Conv2d, nn.ConvTranspose2d), 3: (nn.Conv3d, nn.ConvTranspose3d)}

conv_cases = [
    dict(rank=1, input=[2, 4, 17], inC=4, outC=6, kernel=[3], stride=[2], padding=[1], dilation=[1], groups=2),
    dict(rank=2, input=[1, 3, 32, 30], inC=3, outC=8, kernel=[3, 5], stride=[1, 2], padding=[1, 2], dilation=[2, 1], groups=1),
    dict(rank=2, input=[2, 8, 15, 15], inC=8, outC=8, kernel=[3, 3], stride=[1, 1], padding='same', dilation=[2, 2], groups=8),
    dict(rank=2, input=[1, 6, 14, 9], inC=6, outC=4, kernel=[4, 2], stride=[3, 1], padding='valid', dilation=[1, 1], groups=2),
    dict(rank=3, input=[1, 2, 8, 9, 10], inC=2, outC=4, kernel=[3, 3, 2], stride=[2, 1, 3], padding=[0, 1, 1], dilation=[1, 2, 1], groups=1),
    dict(rank=1, input=[3, 4, 11], inC=4, outC=6, kernel=[4], stride=[3], padding=[1], dilation=[1], groups=2, outputPadding=[2]),
    dict(rank=2, input=[1, 8, 7, 5], inC=8, outC=4, kernel=[3, 4], stride=[2, 2], padding=[1, 0], dilation=[1, 2], groups=4, outputPadding=[1, 0]),
    dict(rank=3, input=[1, 3, 4, 4, 3], inC=3, outC=6, kernel=[2, 3, 3], stride=[2, 1, 2], padding=[0, 1, 1], dilation=[1, 1, 1], groups=1, outputPadding=[0, 0, 1]),
]
for c in conv_cases:
    nd = c['rank']
    transposed = 'outputPadding' in c
    kw = dict(stride=c['stride'], padding=c['padding'], dilation=c['dilation'], groups=c['groups'])
    if transposed:
        kw['output_padding'] = c['outputPadding']
    m = CONV[nd][1 if transposed else 0](c['inC'], c['outC'], c['kernel'], **kw).eval()
    x = torch.randn(*c['input'])
    c['weight'] = list(m.weight.shape)
    c['expected'] = {'output': list(m(x).shape), 'macs': count(m, x), 'params': sum(p.numel() for p in m.parameters())}

conv_errors = [
    # nn.ConvNd's constructor
    dict(kind='groups', inC=4, outC=8, groups=3, expected=error_of(lambda: nn.Conv2d(4, 8, 3, groups=3))),
    dict(kind='groups', inC=6, outC=4, groups=3, expected=error_of(lambda: nn.Conv2d(6, 4, 3, groups=3))),
    dict(kind='groups', inC=4, outC=4, groups=0, expected=error_of(lambda: nn.Conv2d(4, 4, 3, groups=0))),
    dict(kind='groups', inC=6, outC=3, groups=3, expected=error_of(lambda: nn.ConvTranspose2d(6, 3, 3, groups=3))),
    # F.convNd on an input with the wrong channel count, or a weight groups do not divide
    dict(kind='input', input=[1, 4, 8, 8], weight=[8, 3, 3, 3], groups=1, transposed=False,
         expected=error_of(lambda: F.conv2d(torch.randn(1, 4, 8, 8), torch.randn(8, 3, 3, 3)))),
    dict(kind='input', input=[1, 6, 8, 8], weight=[8, 2, 3, 3], groups=2, transposed=False,
         expected=error_of(lambda: F.conv2d(torch.randn(1, 6, 8, 8), torch.randn(8, 2, 3, 3), groups=2))),
    dict(kind='input', input=[1, 4, 8, 8], weight=[3, 2, 3, 3], groups=2, transposed=False,
         expected=error_of(lambda: F.conv2d(torch.randn(1, 4, 8, 8), torch.randn(3, 2, 3, 3), groups=2))),
    dict(kind='input', input=[2, 5, 9], weight=[4, 3, 3], groups=1, transposed=True,
         expected=error_of(lambda: F.conv_transpose1d(torch.randn(2, 5, 9), torch.randn(4, 3, 3)))),
    # and the same checks passing
    dict(kind='input', input=[1, 6, 8, 8], weight=[8, 3, 3, 3], groups=2, transposed=False,
         expected=error_of(lambda: F.conv2d(torch.randn(1, 6, 8, 8), torch.randn(8, 3, 3, 3), groups=2))),
    dict(kind='groups', inC=6, outC=9, groups=3, expected=error_of(lambda: nn.Conv2d(6, 9, 3, groups=3))),
]

linear_cases = []
for shape, i, o in [([4, 16], 16, 8), ([2, 5, 7, 32], 32, 3), ([10], 10, 6)]:
    m = nn.Linear(i, o).eval()
    x = torch.randn(*shape)
    linear_cases.append(dict(input=shape, inF=i, outF=o, expected={'output': list(m(x).shape), 'macs': count(m, x)}))
linear_errors = [dict(input=[4, 3, 10], inF=12, outF=5, expected=error_of(lambda: nn.Linear(12, 5)(torch.randn(4, 3, 10))))]

matmul_cases = []
for a, b in [([3, 4], [4, 5]), ([2, 1, 3, 4], [5, 4, 6]), ([4], [4, 7]), ([6, 2, 4], [4]), ([4], [4])]:
    xa, xb = torch.randn(*a), torch.randn(*b)
    matmul_cases.append(dict(a=a, b=b, expected={'output': list(torch.matmul(xa, xb).shape), 'macs': count(Call(torch.matmul), xa, xb)}))

# attention written out as torch 1.13 runs it without a fused kernel: q·kᵀ, softmax, weights·v
attention_cases = []
for batch, L, S, E, Ev in [([2, 4], 7, 9, 16, 8), ([3], 5, 5, 12, 12)]:
    q, k, v = torch.randn(*batch, L, E), torch.randn(*batch, S, E), torch.randn(*batch, S, Ev)
    fn = Call(lambda q, k, v: torch.softmax(q @ k.transpose(-2, -1) / E ** 0.5, -1) @ v)
    attention_cases.append(dict(batch=batch, L=L, S=S, E=E, Ev=Ev, expected={'output': list(fn(q, k, v).shape), 'macs': count(fn, q, k, v)}))

mha_cases = []
for B, T, S, E, heads, kdim, vdim in [(2, 6, 6, 16, 4, None, None), (3, 5, 8, 12, 3, 10, 7)]:
    m = nn.MultiheadAttention(E, heads, kdim=kdim, vdim=vdim, batch_first=True).eval()
    q, k, v = torch.randn(B, T, E), torch.randn(B, S, kdim or E), torch.randn(B, S, vdim or E)
    mha_cases.append(dict(B=B, T=T, S=S, E=E, heads=heads, kdim=kdim or E, vdim=vdim or E,
                          expected={'macs': count(m, q, k, v), 'params': sum(p.numel() for p in m.parameters())}))

pool_cases = []
for nd, kind, shape, kw in [
    (2, 'max', [1, 3, 17, 16], dict(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)),
    (2, 'max', [1, 3, 17, 16], dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)),
    (2, 'avg', [2, 4, 10, 11], dict(kernel_size=[2, 3], stride=[2, 2], padding=[0, 1], ceil_mode=True)),
    (1, 'max', [2, 5, 13], dict(kernel_size=4, stride=3, padding=0, dilation=1, ceil_mode=True)),
    (3, 'avg', [1, 2, 6, 7, 8], dict(kernel_size=2, stride=2, padding=0, ceil_mode=False)),
]:
    cls = getattr(nn, f"{'MaxPool' if kind == 'max' else 'AvgPool'}{nd}d")
    pool_cases.append(dict(rank=nd, kind=kind, input=shape, args=kw, expected={'output': list(cls(**kw)(torch.randn(*shape)).shape)}))
adaptive_cases = []
for shape, out in [([1, 8, 13, 9], [1, 1]), ([2, 3, 10, 7], [4, 3])]:
    adaptive_cases.append(dict(input=shape, outputSize=out, expected={'output': list(nn.AdaptiveAvgPool2d(out)(torch.randn(*shape)).shape)}))

norm_cases = [
    dict(module='BatchNorm2d', features=[16], scale=True, shift=True, expected={'params': sum(p.numel() for p in nn.BatchNorm2d(16).parameters())}),
    dict(module='LayerNorm', features=[5, 6], scale=True, shift=True, expected={'params': sum(p.numel() for p in nn.LayerNorm([5, 6]).parameters())}),
    dict(module='LayerNorm', features=[7], scale=False, shift=False, expected={'params': sum(p.numel() for p in nn.LayerNorm(7, elementwise_affine=False).parameters())}),
    dict(module='GroupNorm', features=[12], scale=True, shift=True, expected={'params': sum(p.numel() for p in nn.GroupNorm(3, 12).parameters())}),
]

# torch 1.13's CPU RNN op is opaque to the dispatch counter; each layer and direction multiplies
# every step's input by w_ih and its state by w_hh, so MACs = steps · (w_ih.numel + w_hh.numel)
recurrent_cases = []
for mode, gates, inp, hidden, layers, bidir, T, B in [('LSTM', 4, 10, 16, 2, True, 7, 3), ('GRU', 3, 8, 12, 1, False, 5, 2), ('RNN', 1, 6, 9, 3, False, 4, 1)]:
    m = getattr(nn, mode)(inp, hidden, num_layers=layers, bidirectional=bidir).eval()
    macs = 0
    for name, p in m.named_parameters():
        if name.startswith('weight_'):
            macs += T * B * p.numel()
    y = m(torch.randn(T, B, inp))[0]
    recurrent_cases.append(dict(mode=mode, gates=gates, input=inp, hidden=hidden, layers=layers, directions=2 if bidir else 1, T=T, B=B,
                                expected={'macs': macs, 'output': list(y.shape)}))


# Ops of the catalogue (src/core/ops): each case is an expression over inputs x, y, z (randn of
# the given shapes); real torch gives the output shapes (tuples flattened) and the MACs. torch 1.13
# has no F.scaled_dot_product_attention: its cases run `torch_expr`, the same attention written
# out, which the MAC convention counts the same (scripts/truth/README.md).
def manual_sdpa(q, k, v, attn_mask=None, is_causal=False):
    w = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return torch.softmax(w, -1) @ v


def mha_forward(x, e, heads):
    torch.manual_seed(0)
    w_in, b_in, w_out, b_out = torch.randn(3 * e, e), torch.randn(3 * e), torch.randn(e, e), torch.randn(e)
    return F.multi_head_attention_forward(x, x, x, e, heads, w_in, b_in, None, None, False, 0.0, w_out, b_out, training=False)


OP_CASES = [
    # construction-time creation
    ('torch.as_tensor([[1.0, 2.0], [3.0, 4.0]])', [[2]]),
    ('torch.as_tensor(x)', [[2, 3]]),
    ('torch.as_tensor(3.5) * x', [[2, 3]]),
    ('torch.as_tensor([1, 2, 3], dtype=torch.float32) + x', [[4, 3]]),
    ('torch.FloatTensor(3, 4)', [[1]]),
    ('torch.FloatTensor([[1, 2], [3, 4], [5, 6]])', [[1]]),
    ('torch.LongTensor([1, 2, 3])', [[1]]),
    ('torch.zeros(4, 4).triu_(1) + x', [[4, 4]]),
    ('x.tril_()', [[3, 5]]),
    ('x.triu_(diagonal=-1)', [[5, 3]]),
    ('torch.randperm(7)', [[1]]),
    ('torch.scalar_tensor(2.0) + x', [[3]]),
    # splitting and joining
    ('torch.tensor_split(x, indices=[1, 3], dim=1)', [[2, 5, 3]]),
    ('torch.tensor_split(x, sections=3, dim=1)', [[2, 7, 3]]),
    ('torch.tensor_split(x, 4)', [[10, 2]]),
    ('x.tensor_split([2, 5], dim=-1)', [[3, 8]]),
    ('torch.split(x, [1, 2, 4], dim=1)', [[2, 7, 3]]),
    ('x.split(3, dim=-1)', [[2, 8]]),
    ('torch.chunk(x, 3, dim=1)', [[2, 7]]),
    ('x.chunk(4)', [[6, 2]]),
    ('torch.unbind(x, dim=1)', [[2, 3, 4]]),
    # reordering and indexing
    ('torch.roll(x, shifts=1, dims=1)', [[2, 5, 3]]),
    ('torch.roll(x, shifts=(1, -2), dims=(0, 2))', [[2, 5, 3]]),
    ('x.flip(-1)', [[2, 5, 3]]),
    ('torch.flip(x, dims=[0, 1])', [[2, 5, 3]]),
    ('torch.gather(x, 1, torch.zeros(2, 3, 4, dtype=torch.long))', [[2, 5, 4]]),
    ('x.scatter(1, torch.zeros(2, 2, 4, dtype=torch.long), 1.0)', [[2, 5, 4]]),
    ('torch.scatter(x, 0, torch.zeros(1, 3, dtype=torch.long), y)', [[4, 3], [1, 3]]),
    ('x.scatter_add(1, torch.zeros(2, 2, dtype=torch.long), y)', [[2, 5], [2, 2]]),
    ('torch.index_select(x, 1, torch.tensor([0, 2]))', [[2, 5, 3]]),
    ('x.index_select(-1, torch.arange(2))', [[2, 5, 3]]),
    ('x.masked_fill(y > 0, 0.0)', [[2, 5, 3], [5, 1]]),
    ('torch.where(y > 0, x, torch.zeros(1))', [[2, 5, 3], [5, 3]]),
    ('torch.topk(x, 2, dim=1)', [[2, 5, 3]]),
    ('x.topk(3)', [[4, 6]]),
    ('torch.sort(x, dim=0, descending=True)', [[2, 5, 3]]),
    ('torch.argsort(x, dim=1)', [[2, 5, 3]]),
    ('x.argsort(descending=True)', [[2, 5]]),
    ('torch.repeat_interleave(x, 2, dim=1)', [[2, 3, 4]]),
    ('x.repeat_interleave(3)', [[2, 3]]),
    ('torch.repeat_interleave(x, torch.tensor([1, 2, 3]), dim=0)', [[3, 4]]),
    ('torch.cumsum(x, dim=1)', [[2, 5, 3]]),
    ('x.cumsum(-1)', [[2, 5]]),
    ('torch.tile(x, (2, 1))', [[3, 4]]),
    ('x.tile((2,))', [[3, 4]]),
    ('torch.rot90(x, 1, [1, 2])', [[2, 3, 5]]),
    ('torch.diagonal(x, offset=1, dim1=1, dim2=2)', [[2, 4, 5]]),
    ('x.reshape_as(y)', [[2, 6], [3, 4]]),
    ('torch.view_as_real(torch.view_as_complex(x))', [[3, 4, 2]]),
    # padding and resampling
    ('F.pad(x, (1, 2))', [[1, 3, 8, 8]]),
    ('F.pad(x, (1, 1, 2, 0), mode="reflect")', [[1, 3, 8, 8]]),
    ('F.pad(x, [2, 2, 1, 1], mode="replicate")', [[1, 3, 8, 8]]),
    ('F.pad(x, (1, 1, 1, 1), mode="circular")', [[1, 3, 8, 8]]),
    ('F.pad(x, (0, 0, 0, 0, 1, 1), value=0.5)', [[1, 3, 8, 8]]),
    ('F.interpolate(x, size=5)', [[1, 3, 8, 8]]),
    ('F.interpolate(x, size=(4, 6), mode="bilinear", align_corners=False)', [[1, 3, 8, 8]]),
    ('F.interpolate(x, scale_factor=2, mode="nearest")', [[1, 3, 7, 5]]),
    ('F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=True)', [[1, 3, 7, 9]]),
    ('F.interpolate(x, scale_factor=(2, 1.5), mode="bicubic", align_corners=False)', [[1, 3, 6, 6]]),
    ('F.interpolate(x, scale_factor=1.7, mode="linear", recompute_scale_factor=True)', [[1, 3, 9]]),
    ('F.interpolate(x, size=(2, 4, 4), mode="trilinear", align_corners=False)', [[1, 2, 4, 6, 6]]),
    ('nn.PixelShuffle(2)(x)', [[1, 8, 5, 6]]),
    ('nn.PixelUnshuffle(2)(x)', [[1, 3, 8, 6]]),
    ('nn.PixelUnshuffle(downscale_factor=3)(x)', [[2, 2, 9, 6]]),
    ('F.pixel_unshuffle(x, 2)', [[1, 3, 8, 6]]),
    ('F.upsample(x, size=(5, 3), mode="bilinear")', [[1, 3, 8, 8]]),
    ('F.upsample(x, scale_factor=2)', [[1, 3, 7, 5]]),
    ('F.upsample_nearest(x, scale_factor=3)', [[1, 2, 4, 5]]),
    ('F.upsample_bilinear(x, size=(6, 9))', [[2, 3, 4, 5]]),
    ('torch.autograd.Variable(x, requires_grad=True).view(2, -1)', [[2, 3, 4]]),
    ('F.grid_sample(x, y, align_corners=False)', [[1, 3, 8, 8], [1, 5, 6, 2]]),
    ('F.grid_sample(x, y, mode="nearest", padding_mode="border", align_corners=True)', [[2, 4, 6, 7], [2, 3, 3, 2]]),
    ('F.grid_sample(x, y, align_corners=False)', [[1, 2, 4, 4, 4], [1, 3, 2, 5, 3]]),
    ('F.affine_grid(x, [2, 3, 5, 7], align_corners=False)', [[2, 2, 3]]),
    ('F.unfold(x, kernel_size=3, padding=1, stride=2)', [[1, 4, 8, 9]]),
    ('F.fold(x, output_size=(4, 5), kernel_size=2)', [[1, 12, 12]]),
    ('F.cosine_similarity(x, y, dim=-1)', [[2, 5, 3], [5, 3]]),
    # matrix products and attention: MACs
    ('torch.einsum("b h i d, b h j d -> b h i j", x, y)', [[2, 3, 5, 4], [2, 3, 7, 4]]),
    ('torch.einsum("bij,bjk->bik", x, y)', [[2, 3, 4], [2, 4, 5]]),
    ('torch.einsum("nm,hnm->h", x, y)', [[3, 4], [5, 3, 4]]),
    ('torch.einsum("...ij,...jk->...ik", x, y)', [[2, 3, 4], [2, 4, 6]]),
    ('torch.einsum("i , j -> i j", x, y)', [[6], [4]]),  # an outer product (PaLM's rotary table): a multiply
    ('torch.einsum("bi,bj->bij", x, y)', [[2, 3], [2, 5]]),
    ('torch.einsum("ij,jk->i", x, y)', [[3, 4], [4, 5]]),  # k summed out of y first, then i x j
    ('torch.baddbmm(z, x, y)', [[2, 3, 4], [2, 4, 5], [2, 3, 5]]),
    ('torch.baddbmm(z, x, y, beta=0.0, alpha=0.5)', [[4, 2, 6], [4, 6, 3], [1, 1, 3]]),
    ('torch.spmm(x, y)', [[6, 5], [5, 3]]),
    ('torch.dot(x, y)', [[7], [7]]),
    ('x.dot(y)', [[5], [5]]),
    ('F.scaled_dot_product_attention(x, y, z)', [[2, 4, 7, 8], [2, 4, 9, 8], [2, 4, 9, 6]], 'sdpa(x, y, z)'),
    ('F.scaled_dot_product_attention(x, x, x, is_causal=True)', [[1, 2, 5, 4]], 'sdpa(x, x, x)'),
    ('F.multi_head_attention_forward(x, x, x, 8, 2, torch.randn(24, 8), torch.randn(24), None, None, False, 0.0, torch.randn(8, 8), torch.randn(8), training=False)', [[5, 2, 8]]),
    ('F.multi_head_attention_forward(x, y, y, 12, 3, torch.randn(36, 12), torch.randn(36), None, None, False, 0.0, torch.randn(12, 12), None, training=False, need_weights=False)', [[4, 3, 12], [6, 3, 12]]),
    # elementwise math the corpus uses
    ('torch.atan(x) + torch.tan(x) + torch.erfinv(x) + x.fmod(2.0) + x.copysign(y)', [[2, 3], [2, 3]]),
    ('torch.logical_not(x > 0) | torch.isfinite(x)', [[2, 3]]),
    ('torch.addcdiv(x, y, z, value=0.5)', [[2, 3], [2, 3], [1, 3]]),
    ('x.sign_() + x.trunc_() + x.rsqrt_()', [[2, 3]]),
    # in-place view changes give the tensor itself its new shape (fatchord's Tacotron: x.transpose_(1, 2))
    ('x.transpose_(1, 2)', [[2, 3, 4]]),
    ('F.glu(x, dim=1) + F.glu(y)', [[2, 6, 5], [2, 3, 10]]),
    # an integer tensor as a slice bound (__index__): the decoder's r buffer in fatchord's Tacotron
    ('x[:, :, :torch.tensor(2, dtype=torch.int)] + x[:, torch.tensor(1):, ::torch.tensor(2)][:, :1, :1]', [[2, 3, 5]]),
    ('(x.unsqueeze_(1), x.t_() if x.dim() == 2 else x, x)[2]', [[3, 4]]),
    ('x.t_()', [[3, 4]]),
    ('(x.swapdims_(0, 2), x.squeeze_(), x)', [[5, 1, 2]]),
    ('(x.resize_as_(y), x)', [[2, 3], [3, 2, 1]]),
    ('torch.var_mean(x, dim=1)', [[2, 5, 3]]),
    ('torch.kron(x, y)', [[2, 3], [4, 5]]),
    # named (values, indices) results, data-dependent and random ops
    ('torch.max(x, dim=1).values + x.topk(2, dim=1).indices.float().sum() + torch.sort(x, dim=1).values[:, :1]', [[3, 4]]),
    ('x.kthvalue(2, dim=0).values', [[4, 5]]),
    ('torch.mode(x, 1).indices', [[3, 6]]),
    ('torch.multinomial(torch.softmax(x, -1), 3)', [[2, 6]]),
    ('torch.bernoulli(torch.sigmoid(x))', [[2, 6]]),
    ('torch.histc(x, bins=7)', [[20]]),
    ('x.as_strided((2, 2), (1, 2))', [[3, 4]]),
    ('torch.trapezoid(x)', [[3, 4]]),
    ('torch.take_along_dim(x, torch.zeros(3, 2, dtype=torch.long), dim=1)', [[3, 4]]),
    ('torch.conj(x) + torch.real(x)', [[3, 4]]),
    ('nn.Unfold(kernel_size=2, stride=2)(x)', [[1, 3, 6, 8]]),
    ('nn.Fold(output_size=(4, 6), kernel_size=2, stride=2)(x)', [[1, 12, 6]]),
    # torch.linalg and torch.fft basics
    ('torch.linalg.vector_norm(x, dim=-1, keepdim=True)', [[2, 5, 3]]),
    ('torch.linalg.norm(x)', [[4, 3]]),
    ('torch.linalg.matrix_norm(x)', [[2, 4, 3]]),
    ('torch.linalg.inv(x @ x.transpose(-1, -2) + torch.eye(3))', [[2, 3, 4]]),
    ('torch.linalg.pinv(x)', [[2, 5, 3]]),
    ('torch.linalg.det(x)', [[2, 3, 3]]),
    ('torch.linalg.multi_dot([x, y, z])', [[3, 4], [4, 5], [5, 2]]),
    ('torch.linalg.svd(x, full_matrices=False)', [[2, 5, 3]]),
    ('torch.linalg.qr(x)', [[4, 3]]),
    # their older torch.<name> spellings and Tensor methods (WaveGlow's invertible 1x1 convolution)
    ('torch.det(x) + x.det() + torch.logdet(x @ x.transpose(-1, -2) + torch.eye(3))', [[2, 3, 3]]),
    ('torch.slogdet(x)', [[2, 3, 3]]),
    ('torch.inverse(x @ x.transpose(-1, -2) + torch.eye(3)) + x.inverse()', [[2, 3, 3]]),
    ('torch.qr(x)', [[4, 3]]),
    ('torch.qr(x, some=False)', [[4, 3]]),
    ('x.qr()', [[2, 3, 5]]),
    ('torch.linalg.solve(x @ x.transpose(-1, -2) + torch.eye(3), y)', [[3, 4], [3, 2]]),
    ('torch.fft.rfft(x)', [[2, 10]]),
    # windows and the short-time Fourier transform (vocoders' spectrogram discriminators, BigVGAN's Kaiser filter)
    ('x * torch.hann_window(5) + torch.kaiser_window(5, periodic=False, beta=8.0) + torch.hamming_window(5) + torch.blackman_window(5) + torch.bartlett_window(5)', [[2, 5]]),
    ('torch.stft(x, 64, hop_length=16, win_length=64, window=torch.hann_window(64), center=False, return_complex=True)', [[2, 400]]),
    ('torch.stft(x, 32, return_complex=True)', [[300]]),
    ('torch.view_as_real(x.stft(16, hop_length=4, return_complex=True, onesided=False))', [[1, 100]]),
    ('torch.istft(torch.stft(x, 32, hop_length=8, window=torch.hann_window(32), return_complex=True), 32, hop_length=8, window=torch.hann_window(32))', [[2, 256]]),
    ('torch.istft(torch.stft(x, 32, hop_length=8, return_complex=True), 32, hop_length=8, length=250)', [[256]]),
    ('torch.fft.irfft(torch.fft.rfft(x), n=9)', [[2, 9]]),
    ('torch.fft.fft2(x)', [[2, 3, 6, 5]]),
    ('torch.fft.rfft2(x, s=(4, 8), norm="ortho")', [[2, 6, 5]]),
    ('torch.fft.irfftn(x, dim=(-2, -1))', [[2, 6, 5]]),
    ('torch.fft.fftshift(torch.fft.fftfreq(8))', [[1]]),
    ('torch.fft.rfftfreq(9)', [[1]]),
    # losses: a scalar, or per element / per target with reduction='none'
    ('F.l1_loss(x, y)', [[2, 3, 4], [2, 3, 4]]),
    ('F.l1_loss(x, y, reduction="none")', [[2, 3, 4], [2, 3, 4]]),
    ('F.mse_loss(x, y, reduction="none")', [[2, 1, 4], [3, 4]]),
    ('F.cross_entropy(x, torch.zeros(2, 5, dtype=torch.long), reduction="none")', [[2, 3, 5]]),
    ('F.cross_entropy(x, y.softmax(1), reduction="none")', [[2, 3, 5], [2, 3, 5]]),
]
op_cases = []
for case in OP_CASES:
    expr, inputs = case[0], case[1]
    torch_expr = case[2] if len(case) > 2 else expr
    torch.manual_seed(0)
    xs = [torch.randn(*s) for s in inputs]
    names = ['x', 'y', 'z'][:len(xs)]
    fn = eval(f"lambda {', '.join(names)}: {torch_expr}", dict(torch=torch, F=F, nn=nn, math=math, sdpa=manual_sdpa))
    out = fn(*[t.clone() for t in xs])
    outs = out if isinstance(out, (tuple, list)) else (out,)
    shapes = [list(t.shape) if t is not None else None for t in outs]
    op_cases.append(dict(expr=expr, inputs=inputs, expected={'outputs': shapes, 'macs': count(Call(fn), *[t.clone() for t in xs])}))

# Values model code computes while constructing (torch.finfo, device checks, jit helpers): each
# expression is compared in Python with what torch gives, so the case builds nn.Linear(2, 3) when
# the engine agrees with torch and nn.Linear(2, 5) when it does not.
VALUE_CASES = [
    'torch.finfo(torch.float32).eps', 'torch.finfo(torch.float16).max', 'torch.finfo(torch.bfloat16).min',
    'torch.finfo(torch.float64).tiny', 'torch.finfo().max', 'torch.finfo(torch.zeros(1).dtype).min',
    'torch.iinfo(torch.int8).max', 'torch.iinfo(torch.int32).min', 'torch.iinfo(torch.uint8).max', 'torch.iinfo(torch.int64).max',
    'torch.zeros(2).is_cuda', 'torch.zeros(2).is_xpu', 'torch.zeros(2).is_cpu', 'torch.zeros(2).is_meta',
    'torch.zeros(2).device.type', 'str(torch.zeros(2).device)', 'torch.zeros(2).device == torch.device("cpu")',
    'torch.zeros(2).dtype == torch.float32', 'torch.zeros(2, dtype=torch.long).dtype.is_floating_point',
    'torch.zeros(2).is_floating_point()', 'torch.zeros(2).is_complex()', 'torch.is_complex(torch.zeros(2))', 'torch.zeros(2).is_sparse',
    'torch.jit.is_scripting()', 'torch.jit.is_tracing()', 'torch.is_autocast_enabled()', 'torch.is_autocast_cache_enabled()',
    'torch._assert(True, "ok") is None', 'torch.fx.wrap("len")',
    'torch.as_tensor(3).item()', 'torch.as_tensor([1.5, 2.5]).tolist()', 'torch.LongTensor([4, 5]).tolist()',
    'torch.tensor_split(torch.arange(7), 3)[0].shape[0]',
    'torch.float16.is_floating_point', 'torch.int32.is_signed', 'torch.zeros(2).new(3, 4).shape[1]', 'torch.zeros(2).new([1, 2]).tolist()',
    'torch.get_autocast_gpu_dtype() == torch.float16', 'torch.device("cuda:1").index', 'torch.device("cuda", 0).type',
    'isinstance(torch.zeros(1).device, torch.device)', 'torch.max(torch.tensor([[1, 5], [7, 2]]), dim=1).values.tolist()',
    # in-place writes: the known values follow (or are no longer known)
    'torch.zeros(3).fill_(2.5).tolist()', 'torch.ones(2, 2).zero_().sum().item()', 'torch.zeros(3).copy_(torch.arange(3)).tolist()',
    'torch.ones(3, 3).triu_(1).sum().item()', 'torch.ones(2, 4).tril(diagonal=1).tolist()', 'torch.ones(2, 3, 3).triu().sum().item()',
]
value_cases = []
for expr in VALUE_CASES:
    value_cases.append(dict(expr=expr, expected=repr(eval(expr, dict(torch=torch)))))

# nn.quantized / torch.ao.nn.quantized modules stand in for their float layers: output shapes as
# torch gives them on a quantized input; parameters as torch 1.13's parameters() yields them
# (packed weights of conv, linear and embedding are no parameters; norms keep weight and bias);
# MACs of the float twin, since the counter does not see quantized kernels.
QUANTIZED_CASES = [
    ('nn.quantized.Conv2d(3, 8, 3, stride=2, padding=1)', 'nn.Conv2d(3, 8, 3, stride=2, padding=1)', [1, 3, 9, 9]),
    ('torch.ao.nn.quantized.Conv2d(4, 4, 3, groups=2, bias=False)', 'nn.Conv2d(4, 4, 3, groups=2, bias=False)', [1, 4, 6, 6]),
    ('nn.quantized.Linear(10, 5)', 'nn.Linear(10, 5)', [2, 10]),
    ('nn.quantized.dynamic.Linear(10, 5)', 'nn.Linear(10, 5)', [2, 10]),
    ('torch.ao.nn.quantized.ConvTranspose2d(4, 2, 2, stride=2)', 'nn.ConvTranspose2d(4, 2, 2, stride=2)', [1, 4, 5, 5]),
    ('nn.quantized.BatchNorm2d(3)', 'nn.BatchNorm2d(3)', [1, 3, 4, 4]),
    ('nn.quantized.ReLU6()', 'nn.ReLU6()', [1, 3, 4, 4]),
    ('nn.quantized.Hardswish(0.1, 0)', 'nn.Hardswish()', [1, 3, 4, 4]),
    ('nn.quantized.DeQuantize()', 'nn.Identity()', [1, 3, 4, 4]),
    ('torch.ao.quantization.QuantStub()', 'nn.Identity()', [1, 3, 4, 4]),
    ('torch.ao.quantization.DeQuantStub()', 'nn.Identity()', [1, 3, 4, 4]),
]
quantized_cases = []
for q_expr, float_expr, shape in QUANTIZED_CASES:
    env = dict(torch=torch, nn=nn)
    q, f = eval(q_expr, env), eval(float_expr, env).eval()
    x = torch.randn(*shape)
    takes_float = isinstance(q, (torch.ao.quantization.QuantStub, nn.quantized.dynamic.Linear)) or type(q).__name__ == 'DeQuantStub'
    xq = x if takes_float or isinstance(q, nn.quantized.Quantize) else torch.quantize_per_tensor(x, 0.1, 0, torch.quint8)
    quantized_cases.append(dict(module=q_expr, input=shape, expected={
        'params': sum(p.numel() for p in q.parameters()), 'output': list(q(xq).shape), 'macs': count(f, x)}))

json.dump({
    'torch': torch.__version__,
    'conv': conv_cases, 'convErrors': conv_errors,
    'linear': linear_cases, 'linearErrors': linear_errors, 'matmul': matmul_cases,
    'attention': attention_cases, 'multiheadAttention': mha_cases,
    'pool': pool_cases, 'adaptivePool': adaptive_cases, 'norm': norm_cases, 'recurrent': recurrent_cases,
    'ops': op_cases, 'values': value_cases, 'quantized': quantized_cases,
}, open(os.path.join(HERE, 'torchCases.json'), 'w'), indent=1)
print('wrote torchCases.json')
