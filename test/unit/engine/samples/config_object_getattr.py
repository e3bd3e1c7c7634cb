# plain config object, getattr / setattr / hasattr / isinstance
# entry: Net()
# input: 3x20
import torch
import torch.nn as nn
import torch.nn.functional as F
class Config:
    def __init__(self, **kw):
        self.depth = 2
        for k, v in kw.items():
            setattr(self, k, v)
class Net(nn.Module):
    def __init__(self, cfg=None):
        super().__init__()
        cfg = cfg or Config(width=20)
        w = getattr(cfg, 'width', 8)
        act = nn.GELU() if hasattr(cfg, 'gelu') else nn.ReLU()
        layers = []
        for i in range(cfg.depth):
            layers += [nn.Linear(w, w), act]
        self.body = nn.Sequential(*layers)
        assert isinstance(self.body, nn.Module) and not isinstance(w, float)
    def forward(self, x):
        return self.body(x)
