# a module that overrides train(mode) to cache a tensor for eval, as LeViT's attention does
# entry: Net()
# input: 1x16x8
import itertools

import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim, heads, resolution):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        points = list(itertools.product(range(resolution), range(resolution)))
        offsets, idxs = {}, []
        for p1 in points:
            for p2 in points:
                off = (abs(p1[0] - p2[0]), abs(p1[1] - p2[1]))
                if off not in offsets:
                    offsets[off] = len(offsets)
                idxs.append(offsets[off])
        self.biases = nn.Parameter(torch.zeros(heads, len(offsets)))
        self.register_buffer('bias_idxs', torch.LongTensor(idxs).view(len(points), len(points)))

    @torch.no_grad()
    def train(self, mode=True):
        super().train(mode)
        if mode and hasattr(self, 'ab'):
            del self.ab
        else:
            self.ab = self.biases[:, self.bias_idxs]

    def forward(self, x):
        b, n, c = x.shape
        q, k, v = self.qkv(x).view(b, n, self.heads, -1).permute(0, 2, 1, 3).chunk(3, dim=-1)
        attn = (q @ k.transpose(-2, -1)) + (self.biases[:, self.bias_idxs] if self.training else self.ab)
        return (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, c)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.Sequential(Attention(8, 2, 4), Attention(8, 2, 4))
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        return self.head(self.blocks(x).mean(dim=1))
