#!/usr/bin/env python3
"""Writes torchCases.json beside this file: what real torch says for the cost kernel's cases
(output shapes from running the op, MACs from scripts/truth/torch_macs.py, parameter counts from
the modules, and the messages torch raises). Run: /usr/bin/python3 test/unit/cost/torchCases.py"""
import json, os, sys
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

json.dump({
    'torch': torch.__version__,
    'conv': conv_cases, 'convErrors': conv_errors,
    'linear': linear_cases, 'linearErrors': linear_errors, 'matmul': matmul_cases,
    'attention': attention_cases, 'multiheadAttention': mha_cases,
    'pool': pool_cases, 'adaptivePool': adaptive_cases, 'norm': norm_cases, 'recurrent': recurrent_cases,
}, open(os.path.join(HERE, 'torchCases.json'), 'w'), indent=1)
print('wrote torchCases.json')
