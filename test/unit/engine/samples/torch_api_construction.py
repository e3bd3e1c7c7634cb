# torch API calls made while constructing (as_tensor, typed constructors, triu_, finfo, device
# checks, jit helpers, tensor_split) and unusual ops in forward (grid_sample, MHA forward, einsum)
# entry: Net(dim=16, heads=4)
# input: 2x16x6x6
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.fx.wrap
def _scale(x, s):
    return x * s


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)

    def forward(self, x):
        y, _ = F.multi_head_attention_forward(
            x, x, x, x.shape[-1], self.heads, self.in_proj_weight, self.in_proj_bias,
            None, None, False, 0.0, self.out_proj.weight, self.out_proj.bias, training=self.training, need_weights=False)
        return y


class Net(nn.Module):
    def __init__(self, dim=16, heads=4):
        super().__init__()
        pos = torch.as_tensor([[i / 5.0 for i in range(6)]])
        self.register_buffer('pos', pos)
        mask = torch.ones(36, 36).triu_(1)
        self.register_buffer('mask', mask.bool())
        widths = torch.LongTensor([dim, 2 * dim])
        self.eps = torch.finfo(torch.float16).eps
        self.fused = not torch.jit.is_scripting() and not torch.zeros(1).is_xpu and torch.zeros(1).device.type == 'cpu'
        torch._assert(self.eps > 0, 'eps')
        parts = torch.tensor_split(torch.arange(int(widths[1])), indices=[dim // 2, dim])
        self.proj = nn.Conv2d(dim, len(parts[0]) + len(parts[1]), 1)
        self.attn = Attention(dim, heads)
        self.head = nn.Linear(int(widths[1]) if self.fused else 1, 10)
        self.gate = nn.Parameter(torch.FloatTensor(1, dim, 1, 1).fill_(0.5))

    def forward(self, x):
        with torch.amp.autocast('cpu', enabled=False):
            x = x.float()
        b = x.shape[0]
        theta = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).unsqueeze(0).repeat(b, 1, 1)
        grid = F.affine_grid(theta, [b, x.shape[1], 6, 6], align_corners=False)
        x = F.grid_sample(x, grid, align_corners=False) * self.gate
        x = self.proj(x)
        t = x.flatten(2).transpose(1, 2).transpose(0, 1)
        t = self.attn(t).transpose(0, 1)
        s = torch.einsum('bnd,bmd->bnm', t, t).masked_fill(self.mask, -1e4).softmax(-1)
        t = _scale(torch.einsum('bnm,bmd->bnd', s, t), self.eps)
        return self.head(torch.cat([t.mean(1), t.amax(1)], dim=-1))
