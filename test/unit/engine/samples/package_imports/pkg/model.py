# imports between files of a package (relative and absolute)
# entry: Net()
# input: 2x9x32
import torch
import torch.nn as nn
import torch.nn.functional as F
from .layers import MLP
from pkg.blocks.attn import Attn
class Net(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.attn = Attn(d)
        self.mlp = MLP(d)
    def forward(self, x):
        return self.mlp(self.attn(x))
