# Constants built with numpy the way research code builds them: drop-path rates from
# np.linspace, a fixed 2-D sin-cos position table copied in through torch.from_numpy, and a
# learned table initialised from numpy through nn.Parameter(torch.from_numpy(...)).
import numpy as np
import torch
from torch import nn


def sincos_1d(dim, pos):
    omega = 1. / 10000 ** (np.arange(dim // 2, dtype=np.float64) / (dim / 2.))
    out = np.einsum('m,d->md', pos.reshape(-1), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(dim, grid_size):
    grid = np.stack(np.meshgrid(np.arange(grid_size, dtype=np.float32), np.arange(grid_size, dtype=np.float32)), axis=0)
    grid = grid.reshape([2, 1, grid_size, grid_size])
    emb = np.concatenate([sincos_1d(dim // 2, grid[0]), sincos_1d(dim // 2, grid[1])], axis=1)
    return np.concatenate([np.zeros([1, dim]), emb], axis=0)


class Block(nn.Module):
    def __init__(self, dim, drop_path):
        super().__init__()
        self.drop_path = drop_path
        self.fc = nn.Linear(dim, dim) if drop_path < 0.05 else nn.Linear(dim, 2 * dim)
        self.proj = nn.Linear(self.fc.out_features, dim)

    def forward(self, x):
        return x + self.proj(self.fc(x))


class NumpyConstants(nn.Module):
    def __init__(self, dim=32, grid=4, depth=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, dim), requires_grad=False)
        self.pos_embed.data.copy_(torch.from_numpy(sincos_2d(dim, grid)).float().unsqueeze(0))
        self.scale = nn.Parameter(torch.from_numpy(np.ones(int(np.prod([dim])), dtype=np.float32)))
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        dpr = [x.item() for x in np.linspace(0, 0.1, depth)]
        self.blocks = nn.Sequential(*[Block(dim, dpr[i]) for i in range(depth)])

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        return self.blocks(x * self.scale)
