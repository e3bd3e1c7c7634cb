# nn.Parameter counts, register_buffer does not
# entry: Net()
# input: 2x10x6
import torch
import torch.nn as nn
import torch.nn.functional as F
class Net(nn.Module):
    def __init__(self, n=10, d=6):
        super().__init__()
        self.pos = nn.Parameter(torch.zeros(1, n, d))
        self.scale = nn.Parameter(torch.ones(d) * 0.5)
        self.register_buffer('mask', torch.tril(torch.ones(n, n)))
        self.fc = nn.Linear(d, d)
    def forward(self, x):
        return self.fc(x + self.pos) * self.scale
