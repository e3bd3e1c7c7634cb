# @dataclass config with defaults and a derived field
# entry: Net()
# input: 2x10x48
import torch
import torch.nn as nn
import torch.nn.functional as F
from dataclasses import dataclass, field
@dataclass
class Cfg:
    d_model: int = 48
    n_layer: int = 3
    mults: list = field(default_factory=lambda: [1, 2, 4])
    def hidden(self):
        return self.d_model * self.mults[-1]
class Net(nn.Module):
    def __init__(self, cfg=Cfg()):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(cfg.d_model, cfg.d_model) for _ in range(cfg.n_layer)])
        self.head = nn.Linear(cfg.d_model, cfg.hidden())
    def forward(self, x):
        for b in self.blocks:
            x = x + b(x)
        return self.head(x)
