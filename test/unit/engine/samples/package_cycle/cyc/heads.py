import torch.nn as nn
from . import sizes


def widen(d):
    return d * sizes.FACTOR


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(widen(8), 4)

    def forward(self, x):
        return self.out(x)
