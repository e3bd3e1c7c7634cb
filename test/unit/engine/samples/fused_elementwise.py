# fused elementwise ops whose inputs broadcast to a larger shape than the first: addcmul
# (timm's Affine "norm" in ResMLP), addcdiv, lerp with a tensor weight
# entry: Net()
# input: 2x16x8
import torch
import torch.nn as nn


class Affine(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.alpha = nn.Parameter(torch.ones((1, 1, dim)))
        self.beta = nn.Parameter(torch.zeros((1, 1, dim)))

    def forward(self, x):
        return torch.addcmul(self.beta, self.alpha, x)


class Net(nn.Module):
    def __init__(self, tokens=16, dim=8):
        super().__init__()
        self.norm = Affine(dim)
        self.mix = nn.Linear(tokens, tokens)
        self.scale = nn.Parameter(torch.ones(1, 1, dim))
        self.gate = nn.Parameter(torch.full((1, tokens, 1), 0.5))
        self.head = nn.Linear(dim, 4)

    def forward(self, x):
        x = x + self.mix(self.norm(x).transpose(1, 2)).transpose(1, 2)
        y = torch.addcdiv(self.scale, x, self.scale + 1.0, value=0.5)
        z = torch.lerp(self.scale, y, self.gate)
        return self.head(z.addcmul(self.scale, self.gate))
